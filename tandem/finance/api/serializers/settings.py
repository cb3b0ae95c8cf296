"""The tenant's cost alert thresholds: read, and the fields a PATCH may change."""

from __future__ import annotations

from rest_framework import serializers

from tandem.finance.models import CostSettings


class CostSettingsOutput(serializers.ModelSerializer):
    class Meta:
        model = CostSettings
        fields = ["margin_alert_percent", "cpi_alert_below", "line_over_budget_alert", "updated_at"]


class CostSettingsInput(serializers.Serializer):
    margin_alert_percent = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    cpi_alert_below = serializers.DecimalField(max_digits=4, decimal_places=2, required=False)
    line_over_budget_alert = serializers.BooleanField(required=False)
