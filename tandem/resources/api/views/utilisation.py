"""The utilisation API: resource × ISO week loads for a range, grouped by department or skill; and the tasks
behind one cell. Read-only; the figures are worked out from the schedule on each request."""

from __future__ import annotations

from datetime import date

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.core.api.inputs import validated, visible
from tandem.core.errors import ApplicationError
from tandem.projects.models import Project
from tandem.resources.api.serializers.utilisation import (
    CellOutput,
    UtilisationOutput,
)
from tandem.resources.choices import ResourceKind
from tandem.resources.models import Resource
from tandem.resources.selectors.utilisation import (
    GROUPS,
    MAX_DAYS,
    cell_tasks,
    default_range,
    range_errors,
    utilisation,
)

_RANGE_HELP = f"Widened to whole ISO weeks (Monday to Sunday); at most {MAX_DAYS} days."


UtilisationQuery = type(
    "UtilisationQuery",
    (serializers.Serializer,),
    {
        "from": serializers.DateField(required=False, help_text="First day (YYYY-MM-DD); default this week's Monday."),
        "to": serializers.DateField(
            required=False, help_text=f"Last day (YYYY-MM-DD); default 12 weeks on. {_RANGE_HELP}"
        ),
        "group": serializers.ChoiceField(
            choices=GROUPS,
            required=False,
            default="department",
            help_text="department: rows by team; skill: a resource under each skill it has; none: one group.",
        ),
        "department": serializers.IntegerField(required=False, min_value=1, help_text="Only this department's."),
        "skill": serializers.IntegerField(required=False, min_value=1, help_text="Only resources with this skill."),
        "project": serializers.IntegerField(
            required=False, min_value=1, help_text="Only resources booked on this project in the range (all load)."
        ),
        "kind": serializers.ChoiceField(choices=ResourceKind.choices, required=False),
        "search": serializers.CharField(required=False, max_length=100, help_text="In the name or the code."),
    },
)


def _range(data: dict) -> tuple:
    first, last = default_range(timezone.localdate(), data.get("from"), data.get("to"))
    errors = range_errors(first, last)
    if errors:
        raise ApplicationError(_("The date range is not valid."), errors=errors, code="range")
    return first, last


class UtilisationView(APIView):
    """Utilisation (负荷) per resource × ISO week: hours booked across all projects, capacity on the resource's
    calendar (holidays and make-up workdays included, leave taken off), load in percent and over-allocated
    days. A missing `to` shows 12 weeks; a bad date, `to` before `from` or more than two years answer 400."""

    def get_permission_code(self):
        return "resources.view_allocation"

    @extend_schema(
        operation_id="resources_utilisation",
        parameters=[UtilisationQuery],
        responses={
            200: UtilisationOutput,
            400: OpenApiResponse(description="A bad date or group, `to` before `from`, or a range over 731 days."),
        },
    )
    def get(self, request):
        data = validated(UtilisationQuery, request.query_params)
        first, last = _range(data)
        # A project the caller may not see is not found, so the filter cannot tell who works on it.
        visible(request.access, Project, data.get("project"), "project")
        result = utilisation(
            request.access,
            first,
            last,
            group=data.get("group") or "department",
            department=data.get("department"),
            skill=data.get("skill"),
            project=data.get("project"),
            kind=data.get("kind", ""),
            search=data.get("search", ""),
        )
        return Response(UtilisationOutput(result).data)


class UtilisationCellView(APIView):
    """The tasks behind one heatmap cell: each task loading resource `pk` in the ISO week of `week` (any day of
    it, YYYY-MM-DD), with its hours, project and customer tier, the most hours first. Another tenant's resource
    is a 404; a bad day a 400."""

    def get_permission_code(self):
        return "resources.view_allocation"

    @extend_schema(
        operation_id="resources_utilisation_cell",
        parameters=[
            OpenApiParameter("id", int, OpenApiParameter.PATH, description="The resource."),
            OpenApiParameter("week", OpenApiTypes.DATE, OpenApiParameter.PATH, description="Any day of the week."),
        ],
        responses={
            200: CellOutput,
            400: OpenApiResponse(description="`week` is not a day (YYYY-MM-DD)."),
            404: OpenApiResponse(description="No such resource in your tenant."),
        },
    )
    def get(self, request, pk: int, week: str):
        resource = Resource.objects.filter(tenant_id=request.access.tenant_id, pk=pk).first()
        if resource is None:
            raise Http404
        try:
            day = date.fromisoformat(week)
        except ValueError:
            message = _("Give a day like 2026-03-02.")
            raise ApplicationError(message, errors={"week": [message]}, code="invalid") from None
        return Response(CellOutput(cell_tasks(request.access, resource, day)).data)
