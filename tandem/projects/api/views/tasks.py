"""Tasks and dependencies API: every write goes through a service and reschedules the project."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from tandem.calendars.models import WorkCalendar
from tandem.core.api.inputs import in_tenant, lookup, members, validated
from tandem.core.api.views import TenantViewSet
from tandem.core.errors import ApplicationError
from tandem.projects import selectors
from tandem.projects.api import serializers as s
from tandem.projects.filters import DependencyFilter, TaskFilter
from tandem.projects.models import Dependency, Task
from tandem.projects.services import dependencies as dependency_services
from tandem.projects.services import tasks as task_services


class TaskViewSet(TenantViewSet):
    """Tasks and milestones of project WBS trees, with their stored schedule."""

    queryset = Task.objects.all()
    serializer_class = s.TaskOutput
    permission_object = "projects.task"
    action_permissions = {"move": "change"}
    filterset_class = TaskFilter
    search_fields = ["name", "outline_number", "notes"]
    ordering_fields = ["id", "sort_order", "name", "early_start", "early_finish", "total_float", "percent_complete"]
    ordering = ["project_id", "sort_order", "id"]

    def get_queryset(self):
        return selectors.task_list(access=self.request.access, action=self.restrict_action())

    def _task_fields(self, data: dict, project) -> dict:
        access = self.request.access
        if "parent" in data:
            parent = in_tenant(access, Task, data["parent"], "parent")
            if parent is not None and parent.project_id != project.pk:
                raise ApplicationError(
                    _("The parent task belongs to another project."), errors={"parent": [_("Not in this project.")]}
                )
            data["parent"] = parent
        if "assignees" in data:
            data["assignees"] = members(access, data["assignees"], "assignees")
        if "calendar" in data:
            data["calendar"] = in_tenant(access, WorkCalendar, data["calendar"], "calendar")
        return data

    @extend_schema(request=s.TaskInput, responses={201: s.TaskOutput})
    def create(self, request):
        data = validated(s.TaskInput, request.data)
        if data.get("project") is None:
            raise ApplicationError(_("Choose the project."), errors={"project": [_("Required.")]})
        project = lookup(selectors.project_list(access=request.access), data.pop("project"), "project")
        data = self._task_fields(data, project)
        task = task_services.task_create(access=request.access, project=project, **data)
        return Response(self.get_serializer(task).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.TaskInput, responses=s.TaskOutput)
    def update(self, request, pk=None, partial=False):
        task = self.get_object()
        data = validated(s.TaskInput, request.data, partial=partial)
        data.pop("project", None)
        parent_given = "parent" in data
        position = data.pop("position", None)
        data = self._task_fields(data, task.project)
        target = data.pop("parent", None)
        if data:
            task = task_services.task_update(access=request.access, task=task, **data)
        if not parent_given:
            target = task.parent
        if (target.pk if target else None) != task.parent_id or position is not None:
            task = task_services.task_move(access=request.access, task=task, parent=target, position=position)
        return Response(self.get_serializer(task).data)

    @extend_schema(request=s.TaskInput, responses=s.TaskOutput)
    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    def destroy(self, request, pk=None):
        task_services.task_delete(access=request.access, task=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=s.TaskMoveInput, responses=s.TaskOutput)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move the task (with its sub-tasks) under another parent and/or to a position among its siblings."""
        task = self.get_object()
        data = validated(s.TaskMoveInput, request.data)
        parent = in_tenant(request.access, Task, data["parent"], "parent")
        task = task_services.task_move(access=request.access, task=task, parent=parent, position=data.get("position"))
        return Response(self.get_serializer(task).data)


class DependencyViewSet(TenantViewSet):
    """Links between tasks (FS/SS/FF/SF with lag in working minutes); loops are refused with their names."""

    queryset = Dependency.objects.all()
    serializer_class = s.DependencyOutput
    permission_object = "projects.dependency"
    filterset_class = DependencyFilter
    ordering_fields = ["id", "type", "lag"]
    ordering = ["id"]

    def get_queryset(self):
        return selectors.dependency_list(access=self.request.access, action=self.restrict_action())

    @extend_schema(request=s.DependencyInput, responses={201: s.DependencyOutput})
    def create(self, request):
        data = validated(s.DependencyInput, request.data)
        tasks = selectors.task_list(access=request.access)
        predecessor = lookup(tasks, data["predecessor"], "predecessor")
        successor = lookup(tasks, data["successor"], "successor")
        link = dependency_services.dependency_add(
            access=request.access, predecessor=predecessor, successor=successor, type=data["type"], lag=data["lag"]
        )
        return Response(self.get_serializer(link).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.DependencyUpdateInput, responses=s.DependencyOutput)
    def update(self, request, pk=None, partial=False):
        link = self.get_object()
        data = validated(s.DependencyUpdateInput, request.data, partial=partial)
        link = dependency_services.dependency_update(access=request.access, dependency=link, **data)
        return Response(self.get_serializer(link).data)

    @extend_schema(request=s.DependencyUpdateInput, responses=s.DependencyOutput)
    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    def destroy(self, request, pk=None):
        dependency_services.dependency_remove(access=request.access, dependency=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
