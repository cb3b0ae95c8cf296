"""GET/PATCH /api/v1/finance/settings/: the tenant's cost alert thresholds (finance.view_costsettings to read,
finance.change_costsettings to change; a change re-tests the open projects' alerts)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.core.api.inputs import validated
from tandem.finance.api.serializers.settings import CostSettingsInput, CostSettingsOutput
from tandem.finance.services.alerts import cost_settings_for
from tandem.finance.services.settings import cost_settings_update


class CostSettingsView(APIView):
    def get_permission_code(self):
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return "finance.view_costsettings"
        return "finance.change_costsettings"

    @extend_schema(operation_id="finance_settings_retrieve", responses={200: CostSettingsOutput})
    def get(self, request):
        return Response(CostSettingsOutput(cost_settings_for(request.access.tenant_id)).data)

    @extend_schema(
        operation_id="finance_settings_partial_update",
        request=CostSettingsInput,
        responses={200: CostSettingsOutput},
    )
    def patch(self, request):
        data = validated(CostSettingsInput, request.data, partial=True)
        row = cost_settings_update(access=request.access, **data)
        return Response(CostSettingsOutput(row).data)
