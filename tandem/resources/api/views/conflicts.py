"""The conflict API (资源冲突): the open and past over-allocations ranked by score, one with its score's parts,
dismissing one with a reason. Conflicts are written by the refresh only; dismissing goes through the service."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from tandem.core.api.inputs import validated
from tandem.core.api.views import TenantReadOnlyViewSet
from tandem.resources.api.serializers.conflicts import (
    ConflictDetailOutput,
    ConflictOutput,
    DismissInput,
)
from tandem.resources.models import Conflict
from tandem.resources.selectors import conflicts as selectors
from tandem.resources.services.conflict_actions import conflict_dismiss


class ConflictViewSet(TenantReadOnlyViewSet):
    """Over-allocations of resources, highest score first. Filter by `status`, `resource`, `project` (involved)
    and `tier` (of the customer of the task most at risk). The detail shows the score's formula and parts;
    POST .../dismiss/ accepts an open conflict with a reason."""

    queryset = Conflict.objects.select_related("resource", "task", "project")
    filterset_class = selectors.ConflictFilter
    ordering = ["-score", "start", "id"]
    ordering_fields = ["score", "start", "peak_load"]

    def get_serializer_class(self):
        return ConflictDetailOutput if self.action in ("retrieve", "dismiss") else ConflictOutput

    @extend_schema(request=DismissInput, responses=ConflictDetailOutput)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        conflict = self.get_object()
        data = validated(DismissInput, request.data)
        conflict = conflict_dismiss(access=request.access, conflict=conflict, reason=data["reason"])
        return Response(ConflictDetailOutput(conflict, context=self.get_serializer_context()).data)
