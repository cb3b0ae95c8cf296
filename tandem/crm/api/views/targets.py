"""Sales targets (业绩目标) with their progress from signed contracts and receipts."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from tandem.core.api.inputs import in_tenant, member, validated
from tandem.crm.api.serializers.targets import SalesTargetAmountInput, SalesTargetInput, SalesTargetOutput
from tandem.crm.api.views.common import CrmViewSet
from tandem.crm.filters import SalesTargetFilter
from tandem.crm.models import SalesTarget
from tandem.crm.selectors.sales import targets_with_progress
from tandem.crm.services import targets as target_services


class SalesTargetViewSet(CrmViewSet):
    """Sales targets (业绩目标) for the company, departments and people, by month (1–12) or year (0), with
    progress from signed contracts and receipts. Setting one for the same subject, measure and period again
    replaces it."""

    queryset = SalesTarget.objects.all()
    serializer_class = SalesTargetOutput
    filterset_class = SalesTargetFilter
    ordering_fields = ["year", "month", "amount", "id"]
    ordering = ["-year", "month", "level", "id"]

    def related(self, qs):
        return qs.select_related("department", "user")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return targets_with_progress(page, tenant_id=self.request.access.tenant_id)

    def _out(self, target):
        (loaded,) = targets_with_progress(
            SalesTarget.objects.filter(pk=target.pk).select_related("department", "user"),
            tenant_id=target.tenant_id,
        )
        return SalesTargetOutput(loaded).data

    def retrieve(self, request, pk=None):
        return Response(self._out(self.get_object()))

    @extend_schema(request=SalesTargetInput, responses={201: SalesTargetOutput})
    def create(self, request):
        from tandem.accounts.models import Department

        data = validated(SalesTargetInput, request.data)
        data["department"] = in_tenant(request.access, Department, data.get("department"), "department")
        data["user"] = member(request.access, data.get("user"), "user")
        target = target_services.target_set(access=request.access, **data)
        return Response(self._out(target), status=status.HTTP_201_CREATED)

    @extend_schema(request=SalesTargetAmountInput, responses=SalesTargetOutput)
    def partial_update(self, request, pk=None):
        data = validated(SalesTargetAmountInput, request.data)
        target = target_services.target_update(access=request.access, target=self.get_object(), amount=data["amount"])
        return Response(self._out(target))

    def destroy(self, request, pk=None):
        target_services.target_delete(access=request.access, target=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
