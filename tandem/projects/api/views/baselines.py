"""Baselines API: save the schedule as a baseline, delete one, the variance against one."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from tandem.core.api.inputs import lookup, validated
from tandem.core.api.views import TenantViewSet
from tandem.projects import selectors
from tandem.projects.api import serializers as s
from tandem.projects.filters import BaselineFilter
from tandem.projects.models import Baseline
from tandem.projects.services import baselines as baseline_services


class BaselineViewSet(TenantViewSet):
    """Saved baselines (at most 10 per project) and the variance of the current schedule against one."""

    queryset = Baseline.objects.all()
    serializer_class = s.BaselineOutput
    permission_object = "projects.baseline"
    action_permissions = {"variance": "view"}
    filterset_class = BaselineFilter
    ordering_fields = ["id", "number", "taken_at"]
    ordering = ["project_id", "number"]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.baseline_list(access=self.request.access, action=self.restrict_action())

    @extend_schema(request=s.BaselineInput, responses={201: s.BaselineOutput})
    def create(self, request):
        """Save the project's current schedule as the next free baseline (or over `number`)."""
        data = validated(s.BaselineInput, request.data)
        project = lookup(selectors.project_list(access=request.access), data["project"], "project")
        baseline = baseline_services.baseline_save(
            access=request.access, project=project, name=data["name"], number=data.get("number")
        )
        return Response(self.get_serializer(baseline).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        baseline_services.baseline_delete(access=request.access, baseline=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=s.VarianceOutput(many=True))
    @action(detail=True, methods=["get"])
    def variance(self, request, pk=None):
        """Start/finish variance in working days and duration variance in working minutes, per task."""
        baseline = self.get_object()
        rows = selectors.baseline_variance(project=baseline.project, baseline=baseline)
        return Response(s.VarianceOutput(rows, many=True).data)
