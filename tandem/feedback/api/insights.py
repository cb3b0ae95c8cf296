"""The feedback settings (one object per tenant) and the account health scores, read-only."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.core.api.inputs import validated
from tandem.core.api.views import IdempotentPostMixin, TenantReadOnlyViewSet
from tandem.feedback.models import FeedbackSettings, HealthScore
from tandem.feedback.services.settings import feedback_settings, feedback_settings_update

HOURS = serializers.ListField(child=serializers.FloatField(), min_length=2, max_length=2)


class FeedbackSettingsOutput(serializers.ModelSerializer):
    sla = serializers.DictField(
        child=serializers.ListField(child=serializers.FloatField()),
        help_text="Working hours to the first response and to resolution, per priority.",
    )
    health_weights = serializers.DictField(
        child=serializers.IntegerField(), help_text="The health score's weight per factor."
    )

    class Meta:
        model = FeedbackSettings
        fields = ["quiet_days", "expiry_days", "reminder_days", "sla", "health_weights", "updated_at"]


class FeedbackSettingsInput(serializers.Serializer):
    quiet_days = serializers.IntegerField(required=False)
    expiry_days = serializers.IntegerField(required=False)
    reminder_days = serializers.IntegerField(required=False)
    # Checked by the service, which names the priority or factor that is wrong: known keys only.
    sla = serializers.DictField(child=HOURS, required=False)
    health_weights = serializers.DictField(child=serializers.JSONField(), required=False)


class FeedbackSettingsView(IdempotentPostMixin, APIView):
    """The tenant's feedback settings: survey pacing, the service-request SLA, the health-score weights."""

    def get_permission_code(self):
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return "feedback.view_feedbacksettings"
        return "feedback.change_feedbacksettings"

    @extend_schema(responses=FeedbackSettingsOutput)
    def get(self, request):
        return Response(FeedbackSettingsOutput(feedback_settings(request.access.tenant_id)).data)

    @extend_schema(request=FeedbackSettingsInput, responses=FeedbackSettingsOutput)
    def patch(self, request):
        data = validated(FeedbackSettingsInput, request.data, partial=True)
        if "sla" in data:
            # PATCH semantics inside the table too: a priority left out keeps its hours.
            data["sla"] = {**feedback_settings(request.access.tenant_id).sla, **data["sla"]}
        return Response(FeedbackSettingsOutput(feedback_settings_update(access=request.access, **data)).data)


class HealthFactorOutput(serializers.Serializer):
    key = serializers.CharField()
    value = serializers.JSONField(help_text="The factor's measure: NPS, requests, money overdue, days; or null.")
    points = serializers.FloatField(help_text="0 (bad) to 1 (good).")
    weight = serializers.IntegerField()
    detail = serializers.CharField()


class HealthScoreOutput(serializers.ModelSerializer):
    account_name = serializers.CharField(source="account.name", read_only=True)
    factors = HealthFactorOutput(many=True, read_only=True)

    class Meta:
        model = HealthScore
        fields = ["id", "account", "account_name", "score", "factors", "computed_at"]


class HealthScoreViewSet(TenantReadOnlyViewSet):
    """Account health scores (健康度), 0–100, with the factors behind them; recomputed when an input changes."""

    queryset = HealthScore.objects.filter(account__deleted_at__isnull=True).select_related("account")
    serializer_class = HealthScoreOutput
    filterset_fields = ["account"]
    ordering = ["score", "id"]
