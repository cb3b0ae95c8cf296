"""Cost codes (/api/v1/finance/cost-codes/): the tenant's tree, and its import from rows."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from tandem.core.api.inputs import in_tenant, validated
from tandem.core.api.views import TenantViewSet
from tandem.finance.api.serializers.cost_codes import CostCodeImportInput, CostCodeInput, CostCodeOutput
from tandem.finance.models import CostCode
from tandem.finance.services import cost_codes as services


class CostCodeViewSet(TenantViewSet):
    queryset = CostCode.objects.all()
    serializer_class = CostCodeOutput
    permission_object = "finance.costcode"
    action_permissions = {"import_rows": "add"}
    ordering = ["code"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def _fields(self, data: dict) -> dict:
        if "parent" in data:
            data["parent"] = in_tenant(self.request.access, CostCode, data["parent"], "parent")
        return data

    @extend_schema(request=CostCodeInput, responses={201: CostCodeOutput})
    def create(self, request):
        data = self._fields(validated(CostCodeInput, request.data))
        code = services.cost_code_create(access=request.access, **data)
        return Response(CostCodeOutput(code).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CostCodeInput, responses=CostCodeOutput)
    def partial_update(self, request, pk=None):
        code = self.get_object()
        data = self._fields(validated(CostCodeInput, request.data, partial=True))
        code = services.cost_code_update(access=request.access, code=code, **data)
        return Response(CostCodeOutput(code).data)

    def destroy(self, request, pk=None):
        services.cost_code_delete(access=request.access, code=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=CostCodeImportInput, responses={200: dict})
    @action(detail=False, methods=["post"], url_path="import")
    def import_rows(self, request):
        data = validated(CostCodeImportInput, request.data)
        result = services.cost_codes_import(access=request.access, rows=[dict(r) for r in data["rows"]])
        return Response(result)
