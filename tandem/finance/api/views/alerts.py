"""Cost alerts (read-only, /api/v1/finance/alerts/) and the tenant's thresholds (/api/v1/finance/settings/)."""

from __future__ import annotations

import django_filters as df
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.core.api.inputs import validated
from tandem.core.api.views import TenantReadOnlyViewSet
from tandem.finance.api.serializers.alerts import CostAlertOutput, CostSettingsInput, CostSettingsOutput
from tandem.finance.api.views.budgets import MAX_ID
from tandem.finance.models import CostAlert
from tandem.finance.services.alerts import cost_settings_for, cost_settings_update


class CostAlertFilter(df.FilterSet):
    project = df.NumberFilter(field_name="project_id", label=_("Project"), min_value=1, max_value=MAX_ID)
    kind = df.CharFilter(field_name="kind", label=_("Kind"))
    open = df.BooleanFilter(field_name="closed_at", lookup_expr="isnull", label=_("Open"))


class CostAlertViewSet(TenantReadOnlyViewSet):
    queryset = CostAlert.objects.all()
    serializer_class = CostAlertOutput
    permission_object = "finance.costalert"
    filterset_class = CostAlertFilter
    ordering = ["-opened_at", "-id"]


class CostSettingsView(APIView):
    """The tenant's alert thresholds: margin percent, CPI, line over budget."""

    def get_permission_code(self) -> str:
        return (
            "finance.view_costsettings"
            if self.request.method in ("GET", "HEAD", "OPTIONS")
            else ("finance.change_costsettings")
        )

    @extend_schema(responses=CostSettingsOutput)
    def get(self, request):
        return Response(CostSettingsOutput(cost_settings_for(request.access.tenant_id)).data)

    @extend_schema(request=CostSettingsInput, responses=CostSettingsOutput)
    def patch(self, request):
        data = validated(CostSettingsInput, request.data, partial=True)
        return Response(CostSettingsOutput(cost_settings_update(access=request.access, **data)).data)
