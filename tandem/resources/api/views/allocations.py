"""The allocations API (/api/v1/resources/allocations/): resources on tasks, their units and work.

Every write goes through `tandem.resources.services.allocations`, so an effort-driven task's duration and the
project's schedule follow in the same transaction; input and output shapes are separate.
"""

from __future__ import annotations

import django_filters as df
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from tandem.core.api.inputs import in_tenant, validated, visible
from tandem.core.api.views import TenantViewSet
from tandem.core.errors import ApplicationError
from tandem.projects.models import Task
from tandem.resources.api.serializers.allocations import (
    AllocationCreateInput,
    AllocationOutput,
    AllocationUpdateInput,
)
from tandem.resources.models import Allocation, Resource
from tandem.resources.services import allocations as allocation_services

MAX_ID = 2**63 - 1


def _id(field_name: str, label) -> df.NumberFilter:
    return df.NumberFilter(field_name=field_name, label=label, min_value=1, max_value=MAX_ID, decimal_places=0)


class AllocationFilter(df.FilterSet):
    project = _id("project_id", _("Project"))
    task = _id("task_id", _("Task"))
    resource = _id("resource_id", _("Resource"))
    start = df.DateFilter(method="filter_start", label=_("From"))
    end = df.DateFilter(method="filter_end", label=_("To"))

    class Meta:
        model = Allocation
        fields = ["project", "task", "resource", "start", "end"]

    def filter_start(self, qs, name, value):
        """Tasks still running on or after the date (unscheduled tasks are left out)."""
        return qs.filter(task__early_finish__date__gte=value)

    def filter_end(self, qs, name, value):
        """Tasks starting on or before the date."""
        return qs.filter(Q(task__actual_start__date__lte=value) | Q(task__early_start__date__lte=value))


class AllocationViewSet(TenantViewSet):
    """Allocations of resources to tasks. Filters: project, task, resource, start/end (tasks running in the
    range). Adding or removing a person on an effort-driven task keeps its work, so its duration and the
    project's schedule change; on a fixed-duration task the work changes."""

    queryset = Allocation.objects.all()
    serializer_class = AllocationOutput
    permission_object = "resources.allocation"
    filterset_class = AllocationFilter
    ordering_fields = ["id", "units", "work", "task__early_start"]
    ordering = ["task_id", "id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().select_related("resource", "task")

    def _out(self, allocation):
        return AllocationOutput(Allocation.objects.select_related("resource", "task").get(pk=allocation.pk)).data

    @extend_schema(request=AllocationCreateInput, responses={201: AllocationOutput})
    def create(self, request):
        access = request.access
        data = validated(AllocationCreateInput, request.data)
        task = visible(access, Task, data["task"], "task", "change")
        resource = in_tenant(access, Resource, data["resource"], "resource")
        allocation = allocation_services.allocation_create(
            actor=access,
            task=task,
            resource=resource,
            units=data.get("units"),
            hours_per_day=data.get("hours_per_day"),
        )
        return Response(self._out(allocation), status=status.HTTP_201_CREATED)

    @extend_schema(request=AllocationUpdateInput, responses=AllocationOutput)
    def partial_update(self, request, pk=None):
        allocation = self.get_object()
        data = validated(AllocationUpdateInput, request.data, partial=True)
        if not data:
            raise ApplicationError(_("Give the units or the hours per day."))
        allocation = allocation_services.allocation_update(actor=request.access, allocation=allocation, **data)
        return Response(self._out(allocation))

    def destroy(self, request, pk=None):
        allocation_services.allocation_delete(actor=request.access, allocation=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
