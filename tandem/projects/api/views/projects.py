"""Projects API: CRUD, schedule, completion, status updates, calendar feed, templates, MSPDI, warnings."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.calendars.models import WorkCalendar
from tandem.core.api.inputs import in_tenant, member, members, validated
from tandem.core.api.views import IdempotentPostMixin, TenantViewSet
from tandem.core.errors import ApplicationError
from tandem.projects import selectors
from tandem.projects.api import serializers as s
from tandem.projects.delays import delay_warnings
from tandem.projects.filters import ProjectFilter
from tandem.projects.models import Project
from tandem.projects.services import feeds
from tandem.projects.services import projects as project_services
from tandem.projects.services import templates as template_services


def project_fields(request, data: dict) -> dict:
    """Service keyword arguments from validated project input: ids become tenant objects."""
    access = request.access
    if "owner" in data:
        data["owner"] = member(access, data["owner"], "owner")
    if "team" in data:
        data["team"] = members(access, data["team"], "team")
    if "calendar" in data:
        data["calendar"] = in_tenant(access, WorkCalendar, data["calendar"], "calendar")
    if "budget" in data and access.field_rule(Project.budget_rule) in ("hidden", "masked"):
        refusal = _("Your role does not show the budget, so it cannot set it.")
        raise ApplicationError(refusal, errors={"budget": [refusal]})
    return data


class ProjectViewSet(TenantViewSet):
    """Projects (项目): PM = owner, team, dates, status, health; schedule results are read-only."""

    queryset = Project.objects.all()
    serializer_class = s.ProjectOutput
    permission_object = "projects.project"
    action_permissions = {
        "schedule": "view",
        "complete": "change",
        "status_updates:GET": "view",
        "status_updates:POST": "change",
        "calendar_feed": "view",
        "export_mspdi": "export",
        "save_as_template": "view",
        "warnings": "view",
    }
    filterset_class = ProjectFilter
    search_fields = ["name", "code", "number"]
    ordering_fields = ["id", "number", "name", "start_date", "status", "health", "scheduled_finish"]
    ordering = ["-id"]

    def get_queryset(self):
        return selectors.project_list(access=self.request.access, action=self.restrict_action())

    @extend_schema(request=s.ProjectInput, responses={201: s.ProjectOutput})
    def create(self, request):
        data = project_fields(request, validated(s.ProjectInput, request.data))
        for name in ("completion_reason", "complete_open_tasks"):  # a new project cannot start completed
            data.pop(name, None)
        project = project_services.project_create(access=request.access, **data)
        return Response(self.get_serializer(project).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ProjectInput, responses=s.ProjectOutput)
    def update(self, request, pk=None, partial=False):
        project = self.get_object()
        data = project_fields(request, validated(s.ProjectInput, request.data, partial=partial))
        project = project_services.project_update(access=request.access, project=project, **data)
        return Response(self.get_serializer(project).data)

    @extend_schema(request=s.ProjectInput, responses=s.ProjectOutput)
    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    def destroy(self, request, pk=None):
        project_services.project_delete(access=request.access, project=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=s.ScheduleOutput)
    @action(detail=True, methods=["get"])
    def schedule(self, request, pk=None):
        """Per task: early/late start and finish (tenant time zone), total and free float (working minutes)."""
        project = self.get_object()
        data = {
            "project": project.pk,
            "time_zone": timezone.get_current_timezone_name(),
            "scheduled_start": project.scheduled_start,
            "scheduled_finish": project.scheduled_finish,
            "scheduled_at": project.scheduled_at,
            "tasks": list(selectors.schedule_rows(project=project)),
        }
        return Response(s.ScheduleOutput(data).data)

    @extend_schema(request=s.ProjectCompleteInput, responses=s.ProjectOutput)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Mark completed; `projects.project.completed` is emitted the first time only. While tasks are open it is
        refused (code `open_tasks`) unless a `reason` is given or `complete_open_tasks` is asked."""
        data = validated(s.ProjectCompleteInput, request.data)
        project = project_services.project_complete(access=request.access, project=self.get_object(), **data)
        return Response(self.get_serializer(project).data)

    @extend_schema(methods=["GET"], responses=s.ProjectStatusUpdateOutput(many=True))
    @extend_schema(methods=["POST"], request=s.ProjectStatusUpdateInput, responses={201: s.ProjectStatusUpdateOutput})
    @action(detail=True, methods=["get", "post"], url_path="status-updates")
    def status_updates(self, request, pk=None):
        """Dated status notes (history); posting one sets the project's health."""
        project = self.get_object()
        if request.method == "GET":
            rows = selectors.status_updates(project=project)
            return Response(s.ProjectStatusUpdateOutput(rows, many=True).data)
        data = validated(s.ProjectStatusUpdateInput, request.data)
        update = project_services.project_status_update_add(access=request.access, project=project, **data)
        return Response(s.ProjectStatusUpdateOutput(update).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.CalendarFeedInput, responses=s.CalendarFeedOutput)
    @action(detail=True, methods=["post"], url_path="calendar-feed")
    def calendar_feed(self, request, pk=None):
        """Your private iCalendar URL for this project's tasks and milestones; `rotate` revokes the old one."""
        project = self.get_object()
        data = validated(s.CalendarFeedInput, request.data)
        token = feeds.calendar_feed_token(access=request.access, project=project, rotate=data["rotate"])
        path = reverse("projects:calendar_feed", kwargs={"pk": project.pk})
        return Response({"url": request.build_absolute_uri(f"{path}?token={token}")})

    @extend_schema(request=s.SaveAsTemplateInput, responses={201: s.TemplateOutput})
    @action(detail=True, methods=["post"], url_path="save-as-template")
    def save_as_template(self, request, pk=None):
        """Save this project's WBS as a template (a new version when the name exists)."""
        project = self.get_object()
        data = validated(s.SaveAsTemplateInput, request.data)
        template = template_services.template_save_from_project(access=request.access, project=project, **data)
        return Response(s.TemplateOutput(template).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/xml"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="export/mspdi")
    def export_mspdi(self, request, pk=None):
        """The project as Microsoft Project XML (MSPDI)."""
        from tandem.projects.services.mspdi import project_export_mspdi

        project = self.get_object()
        body = project_export_mspdi(access=request.access, project=project)
        response = HttpResponse(body, content_type="application/xml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{project.number}.xml"'
        return response

    @extend_schema(responses=s.WarningOutput(many=True))
    @action(detail=True, methods=["get"])
    def warnings(self, request, pk=None):
        """Delay warnings of this project, with the person who must act."""
        project = self.get_object()
        return Response(s.WarningOutput(delay_warnings(projects=[project]), many=True).data)


class WarningsView(APIView):
    """Delay warnings across the projects you can see, most severe first."""

    def get_permission_code(self):
        return "projects.view_project"

    @extend_schema(
        parameters=[OpenApiParameter("project", int, required=False), OpenApiParameter("owner", int, required=False)],
        responses=s.WarningOutput(many=True),
    )
    def get(self, request):
        filters = {"owner": request.query_params.get("owner", "")}
        projects = selectors.project_list(access=request.access, filters=filters)
        project_id = request.query_params.get("project", "")
        if project_id:
            if not project_id.isdigit():
                raise ApplicationError(_("Unknown project."), errors={"project": [_("Not found.")]})
            projects = projects.filter(pk=int(project_id))
        return Response(s.WarningOutput(delay_warnings(projects=list(projects)), many=True).data)


class MspdiImportView(IdempotentPostMixin, APIView):
    """Import a Microsoft Project XML file as a new project: all or nothing."""

    parser_classes = [MultiPartParser, FormParser]

    def get_permission_code(self):
        return "projects.import_project"

    @extend_schema(request={"multipart/form-data": s.MspdiImportInput}, responses={201: s.MspdiImportOutput})
    def post(self, request):
        from tandem.projects.services.mspdi import project_import_mspdi

        data = validated(s.MspdiImportInput, request.data)
        project = project_import_mspdi(
            access=request.access, upload=data["file"], name=data.get("name") or "", code=data.get("code") or ""
        )
        return Response(s.MspdiImportOutput(project, context={"access": request.access}).data, status=201)
