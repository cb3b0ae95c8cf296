"""Project templates API: each edit stores a new version; save a project as one, start a project from one."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from tandem.core.api.inputs import lookup, member, validated
from tandem.core.api.views import TenantViewSet
from tandem.core.errors import ApplicationError
from tandem.projects import selectors
from tandem.projects.api import serializers as s
from tandem.projects.api.views.projects import project_fields
from tandem.projects.filters import TemplateFilter
from tandem.projects.models import ProjectTemplate, TemplateLink, TemplateTask
from tandem.projects.services import templates as template_services


class TemplateViewSet(TenantViewSet):
    """Project templates: each edit stores a new version; instantiate one into a new project."""

    queryset = ProjectTemplate.objects.all()
    serializer_class = s.TemplateOutput
    permission_object = "projects.projecttemplate"
    action_permissions = {"instantiate": "view", "from_project": "add"}
    filterset_class = TemplateFilter
    search_fields = ["name", "description"]
    ordering_fields = ["id", "name", "version", "created_at"]
    ordering = ["name", "-version"]
    http_method_names = ["get", "post", "put", "delete", "head", "options"]

    def get_queryset(self):
        qs = selectors.template_list(access=self.request.access, action=self.restrict_action())
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                Prefetch("tasks", queryset=TemplateTask.objects.order_by("sort_order", "id")),
                Prefetch("links", queryset=TemplateLink.objects.order_by("id")),
            )
        return qs

    def get_serializer_class(self):
        return s.TemplateDetailOutput if self.action == "retrieve" else s.TemplateOutput

    @extend_schema(request=s.TemplateInput, responses={201: s.TemplateDetailOutput})
    def create(self, request):
        """Define a template from tasks and links; an existing name gets a new version."""
        data = validated(s.TemplateInput, request.data)
        template = template_services.template_define(
            access=request.access,
            name=data["name"],
            description=data["description"],
            tasks=[dict(t) for t in data["tasks"]],
            links=[dict(link) for link in data.get("links", [])],
        )
        return Response(s.TemplateDetailOutput(template).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.TemplateVersionInput, responses={201: s.TemplateDetailOutput})
    def update(self, request, pk=None):
        """Editing a template stores a new version under its name (201); this version stays as it was. To save
        under another name, POST a new template."""
        template = self.get_object()
        data = validated(s.TemplateVersionInput, request.data)
        if data.get("name", template.name).strip() != template.name:
            message = _("A new version keeps the template's name; to use another name, create a new template.")
            raise ApplicationError(message, errors={"name": [message]}, code="rename")
        new = template_services.template_define(
            access=request.access,
            name=template.name,
            description=data["description"],
            tasks=[dict(t) for t in data["tasks"]],
            links=[dict(link) for link in data.get("links", [])],
        )
        return Response(s.TemplateDetailOutput(new).data, status=status.HTTP_201_CREATED)

    def get_permission_code(self) -> str:
        if self.action == "update":
            return "projects.add_projecttemplate"
        if self.action == "instantiate":
            return "projects.add_project"
        return super().get_permission_code()

    def destroy(self, request, pk=None):
        template_services.template_delete(access=request.access, template=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=s.TemplateFromProjectInput, responses={201: s.TemplateOutput})
    @action(detail=False, methods=["post"], url_path="from-project")
    def from_project(self, request):
        """Save a project as a template (a new version when the name exists)."""
        data = validated(s.TemplateFromProjectInput, request.data)
        project = lookup(selectors.project_list(access=request.access), data.pop("project"), "project")
        template = template_services.template_save_from_project(access=request.access, project=project, **data)
        return Response(s.TemplateOutput(template).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.InstantiateInput, responses={201: s.ProjectOutput})
    @action(detail=True, methods=["post"])
    def instantiate(self, request, pk=None):
        """Create a project from this template: dates from `start_date` in working days, roles resolved."""
        template = self.get_object()
        data = project_fields(request, validated(s.InstantiateInput, request.data))
        roles = {role: member(request.access, uid, "roles") for role, uid in (data.pop("roles", None) or {}).items()}
        project = template_services.template_instantiate(access=request.access, template=template, roles=roles, **data)
        return Response(
            s.ProjectOutput(project, context={"access": request.access}).data, status=status.HTTP_201_CREATED
        )
