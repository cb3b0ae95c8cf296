"""The resources API: resources (people and crews) with their skills, the skills list, and leave.

Every write goes through `tandem.resources.services.resources`; input and output shapes are separate.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from tandem.accounts.models import Department
from tandem.calendars.models import WorkCalendar
from tandem.core.api.inputs import in_tenant, member, validated, visible
from tandem.core.api.views import TenantViewSet
from tandem.core.exports import Column
from tandem.crm.api.views.common import ExportMixin
from tandem.resources.api.serializers.resources import (
    LeaveInput,
    LeaveOutput,
    LeaveUpdateInput,
    ResourceInput,
    ResourceOutput,
    SkillInput,
    SkillOutput,
)
from tandem.resources.filters import LeaveFilter, ResourceFilter
from tandem.resources.models import Leave, Resource, Skill
from tandem.resources.selectors import resources as selectors
from tandem.resources.services import resources as services


class ResourcesViewSet(TenantViewSet):
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]


def _resource_fields(access, data: dict) -> dict:
    """The input's ids as records of the caller's tenant (a 400 naming the field otherwise)."""
    if "user" in data:
        data["user"] = member(access, data["user"], "user")
    if "department" in data:
        data["department"] = in_tenant(access, Department, data["department"], "department")
    if "calendar" in data:
        data["calendar"] = in_tenant(access, WorkCalendar, data["calendar"], "calendar")
    if "skills" in data:
        skills = {
            s.pk: s
            for s in Skill.objects.for_tenant(access.tenant_id).filter(pk__in=[r["skill"] for r in data["skills"]])
        }
        data["skills"] = [(skills.get(row["skill"]), row["level"]) for row in data["skills"]]
    return data


def resource_columns(access) -> list[Column]:
    """The columns of the resource export: the resource sheet as a spreadsheet."""
    return [
        Column(gettext_lazy("Name"), lambda r: r.name),
        Column(gettext_lazy("Code"), lambda r: r.code),
        Column(gettext_lazy("Kind"), lambda r: r.get_kind_display()),
        Column(gettext_lazy("Member"), lambda r: str(r.user) if r.user_id else ""),
        Column(gettext_lazy("Department"), lambda r: r.department.name if r.department_id else ""),
        Column(gettext_lazy("Headcount"), lambda r: r.headcount),
        Column(gettext_lazy("Hours per day"), lambda r: r.hours_per_day),
        Column(gettext_lazy("Work calendar"), lambda r: r.calendar.name if r.calendar_id else ""),
        Column(gettext_lazy("Cost rate (per hour)"), lambda r: r.cost_rate),
        Column(gettext_lazy("Bill rate (per hour)"), lambda r: r.bill_rate),
        Column(
            gettext_lazy("Skills"), lambda r: "; ".join(f"{row.skill.name} {row.level}" for row in r.skill_levels.all())
        ),
        Column(gettext_lazy("Active"), lambda r: r.is_active),
    ]


class ResourceViewSet(ExportMixin, ResourcesViewSet):
    """People (linked to a member or not) and crews (班组) with headcount, department, calendar, daily hours, cost
    and bill rates and skills with levels 1–5. Filters: search (name or code), kind, department, skill (with
    min_level), active, member; /export/ gives the filtered list as CSV or Excel. DELETE deactivates: the
    resource keeps its history, allocations and leave."""

    queryset = Resource.objects.all()
    serializer_class = ResourceOutput
    filterset_class = ResourceFilter
    ordering_fields = ["id", "name", "code", "kind", "headcount", "cost_rate", "bill_rate"]
    ordering = ["name", "id"]
    action_permissions = {"export": "export"}
    export_columns = staticmethod(resource_columns)
    export_basename = "resources"

    def get_queryset(self):
        return selectors.resource_related(super().get_queryset())

    def _context(self, rows) -> dict:
        return {
            **self.get_serializer_context(),
            "capacity": selectors.capacity_hours(self.request.access.tenant_id, rows),
        }

    def _out(self, item) -> dict:
        item = selectors.resource_related(Resource.objects.filter(pk=item.pk)).get()
        return ResourceOutput(item, context=self._context([item])).data

    def list(self, request):
        rows = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(ResourceOutput(page, many=True, context=self._context(page)).data)

    def retrieve(self, request, pk=None):
        return Response(self._out(self.get_object()))

    @extend_schema(request=ResourceInput, responses={201: ResourceOutput})
    def create(self, request):
        data = _resource_fields(request.access, validated(ResourceInput, request.data))
        item = services.resource_create(access=request.access, **data)
        return Response(self._out(item), status=status.HTTP_201_CREATED)

    @extend_schema(request=ResourceInput, responses=ResourceOutput)
    def partial_update(self, request, pk=None):
        item = self.get_object()
        data = _resource_fields(request.access, validated(ResourceInput, request.data, partial=True))
        item = services.resource_update(access=request.access, resource=item, **data)
        return Response(self._out(item))

    @extend_schema(responses={204: None}, description="Deactivate the resource (it keeps its history).")
    def destroy(self, request, pk=None):
        services.resource_deactivate(access=request.access, resource=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class SkillViewSet(ResourcesViewSet):
    """The tenant's skills (电工, 弱电调试 …) with how many resources have each. A skill in use cannot be deleted."""

    queryset = Skill.objects.all()
    serializer_class = SkillOutput
    ordering_fields = ["id", "name"]
    ordering = ["name", "id"]
    search_fields = ["name"]

    def get_queryset(self):
        return selectors.skill_list(access=self.request.access).filter(pk__in=super().get_queryset().values("pk"))

    def _out(self, item) -> dict:
        return SkillOutput(selectors.skill_list(access=self.request.access).get(pk=item.pk)).data

    @extend_schema(request=SkillInput, responses={201: SkillOutput})
    def create(self, request):
        item = services.skill_create(access=request.access, **validated(SkillInput, request.data))
        return Response(self._out(item), status=status.HTTP_201_CREATED)

    @extend_schema(request=SkillInput, responses=SkillOutput)
    def partial_update(self, request, pk=None):
        data = validated(SkillInput, request.data, partial=True)
        item = services.skill_update(access=request.access, skill=self.get_object(), **data)
        return Response(self._out(item))

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        services.skill_delete(access=request.access, skill=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class LeaveViewSet(ResourcesViewSet):
    """Leave and other unavailability of resources (whole days, or `hours_off` a day). Leave of one resource may
    not overlap. Filters: resource, kind, after (ends on or after), before (starts on or before)."""

    queryset = Leave.objects.all()
    serializer_class = LeaveOutput
    filterset_class = LeaveFilter
    ordering_fields = ["id", "start", "end"]
    ordering = ["-start", "-id"]

    def get_queryset(self):
        return super().get_queryset().select_related("resource", "created_by")

    def _out(self, item) -> dict:
        return LeaveOutput(Leave.objects.select_related("resource", "created_by").get(pk=item.pk)).data

    @extend_schema(request=LeaveInput, responses={201: LeaveOutput})
    def create(self, request):
        data = validated(LeaveInput, request.data)
        resource = visible(request.access, Resource, data.pop("resource"), "resource")
        item = services.leave_create(access=request.access, resource=resource, **data)
        return Response(self._out(item), status=status.HTTP_201_CREATED)

    @extend_schema(request=LeaveUpdateInput, responses=LeaveOutput)
    def partial_update(self, request, pk=None):
        data = validated(LeaveUpdateInput, request.data, partial=True)
        item = services.leave_update(access=request.access, leave=self.get_object(), **data)
        return Response(self._out(item))

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        services.leave_delete(access=request.access, leave=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
