"""Commitments (/api/v1/finance/commitments/): subcontracts and purchase orders, moved with transition/."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from tandem.core.api.inputs import validated, visible
from tandem.core.api.views import TenantViewSet
from tandem.finance.api.serializers.commitments import (
    CommitmentInput,
    CommitmentOutput,
    CommitmentUpdateInput,
    TransitionInput,
)
from tandem.finance.api.views.budgets import ProjectFilter
from tandem.finance.models import Commitment
from tandem.finance.services import commitments as services
from tandem.projects.models import Project


class CommitmentViewSet(TenantViewSet):
    queryset = Commitment.objects.all()
    serializer_class = CommitmentOutput
    permission_object = "finance.commitment"
    action_permissions = {"transition": "change"}
    filterset_class = ProjectFilter
    ordering = ["-id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("lines")

    def _out(self, commitment):
        return CommitmentOutput(Commitment.objects.prefetch_related("lines").get(pk=commitment.pk)).data

    @extend_schema(request=CommitmentInput, responses={201: CommitmentOutput})
    def create(self, request):
        data = validated(CommitmentInput, request.data)
        project = visible(request.access, Project, data.pop("project"), "project")
        data["lines"] = [dict(line) for line in data["lines"]]
        commitment = services.commitment_create(access=request.access, project=project, **data)
        return Response(self._out(commitment), status=status.HTTP_201_CREATED)

    @extend_schema(request=CommitmentUpdateInput, responses=CommitmentOutput)
    def partial_update(self, request, pk=None):
        commitment = self.get_object()
        data = validated(CommitmentUpdateInput, request.data, partial=True)
        if "lines" in data:
            data["lines"] = [dict(line) for line in data["lines"]]
        commitment = services.commitment_update(access=request.access, commitment=commitment, **data)
        return Response(self._out(commitment))

    def destroy(self, request, pk=None):
        services.commitment_delete(access=request.access, commitment=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=TransitionInput, responses=CommitmentOutput)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        commitment = self.get_object()
        data = validated(TransitionInput, request.data)
        commitment = services.commitment_transition(access=request.access, commitment=commitment, status=data["status"])
        return Response(self._out(commitment))
