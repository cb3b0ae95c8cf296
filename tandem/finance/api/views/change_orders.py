"""Change orders (/api/v1/finance/change-orders/) with submit/, approve/, reject/ and void/."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from tandem.core.api.inputs import validated, visible
from tandem.core.api.views import TenantViewSet
from tandem.finance.api.serializers.change_orders import (
    ChangeOrderInput,
    ChangeOrderOutput,
    ChangeOrderUpdateInput,
    VoidInput,
)
from tandem.finance.api.views.budgets import ProjectFilter
from tandem.finance.models import ChangeOrder, ProjectBudget
from tandem.finance.services import change_orders as services


class ChangeOrderViewSet(TenantViewSet):
    queryset = ChangeOrder.objects.all()
    serializer_class = ChangeOrderOutput
    permission_object = "finance.changeorder"
    action_permissions = {"submit": "change", "approve": "approve", "reject": "approve", "void": "change"}
    filterset_class = ProjectFilter
    ordering = ["-id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("lines")

    def _out(self, change_order):
        return ChangeOrderOutput(ChangeOrder.objects.prefetch_related("lines").get(pk=change_order.pk)).data

    @extend_schema(request=ChangeOrderInput, responses={201: ChangeOrderOutput})
    def create(self, request):
        data = validated(ChangeOrderInput, request.data)
        budget = visible(request.access, ProjectBudget, data.pop("budget"), "budget", "change")
        data["lines"] = [dict(line) for line in data["lines"]]
        change_order = services.change_order_create(access=request.access, budget=budget, **data)
        return Response(self._out(change_order), status=status.HTTP_201_CREATED)

    @extend_schema(request=ChangeOrderUpdateInput, responses=ChangeOrderOutput)
    def partial_update(self, request, pk=None):
        change_order = self.get_object()
        data = validated(ChangeOrderUpdateInput, request.data, partial=True)
        if "lines" in data:
            data["lines"] = [dict(line) for line in data["lines"]]
        change_order = services.change_order_update(access=request.access, change_order=change_order, **data)
        return Response(self._out(change_order))

    @extend_schema(request=None, responses=ChangeOrderOutput)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        change_order = services.change_order_submit(access=request.access, change_order=self.get_object())
        return Response(self._out(change_order))

    @extend_schema(request=None, responses=ChangeOrderOutput)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        change_order = services.change_order_approve(access=request.access, change_order=self.get_object())
        return Response(self._out(change_order))

    @extend_schema(request=None, responses=ChangeOrderOutput)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        change_order = services.change_order_reject(access=request.access, change_order=self.get_object())
        return Response(self._out(change_order))

    @extend_schema(request=VoidInput, responses=ChangeOrderOutput)
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        change_order = self.get_object()
        data = validated(VoidInput, request.data)
        change_order = services.change_order_void(
            access=request.access, change_order=change_order, comment=data.get("comment", "")
        )
        return Response(self._out(change_order))
