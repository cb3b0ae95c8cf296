"""Output serializers for pipelines, deals and lead conversions."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tandem.crm.api.serializers.customers import AccountOutput, ContactOutput, LeadOutput
from tandem.crm.api.serializers.fields import CENT, money
from tandem.crm.models import Deal, DealLine, Pipeline, Stage


class StageOutput(serializers.ModelSerializer):
    class Meta:
        model = Stage
        fields = ["id", "name", "order", "probability", "rotting_days", "is_won", "is_lost"]


class PipelineOutput(serializers.ModelSerializer):
    stages = StageOutput(many=True)

    class Meta:
        model = Pipeline
        fields = ["id", "name", "is_default", "sort_order", "stages"]


class DealLineOutput(serializers.ModelSerializer):
    amount = money()

    class Meta:
        model = DealLine
        fields = ["id", "product", "quantity", "unit", "unit_price", "amount"]


class DealOutput(serializers.ModelSerializer):
    owner_name = serializers.StringRelatedField(source="owner")
    account_name = serializers.CharField(source="account.name")
    contact_name = serializers.StringRelatedField(source="contact", allow_null=True)
    stage_name = serializers.CharField(source="stage.name")
    probability = serializers.IntegerField(source="stage.probability")
    weighted_amount = serializers.SerializerMethodField()
    is_stale = serializers.SerializerMethodField()
    lines = DealLineOutput(many=True)

    class Meta:
        model = Deal
        fields = [
            "id",
            "number",
            "name",
            "account",
            "account_name",
            "contact",
            "contact_name",
            "pipeline",
            "stage",
            "stage_name",
            "status",
            "probability",
            "amount",
            "weighted_amount",
            "currency",
            "expected_close_date",
            "deal_type",
            "source",
            "description",
            "owner",
            "owner_name",
            "stage_changed_at",
            "is_stale",
            "won_at",
            "lost_at",
            "close_reason",
            "lines",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(money())
    def get_weighted_amount(self, deal) -> str:
        return str((deal.amount * deal.stage.probability / 100).quantize(CENT))

    def get_is_stale(self, deal) -> bool:
        """Open and left in its stage longer than the stage's rotting days."""
        days = deal.stage.rotting_days
        if deal.status != "open" or not days or deal.stage_changed_at is None:
            return False
        return deal.stage_changed_at < timezone.now() - timedelta(days=days)


class ForecastRow(serializers.Serializer):
    month = serializers.CharField(allow_null=True, help_text="YYYY-MM of the expected close date; null when unset.")
    currency = serializers.CharField()
    deals = serializers.IntegerField()
    amount = money()
    weighted = money(help_text="Amount × stage probability.")


class ConversionOutput(serializers.Serializer):
    lead = LeadOutput()
    account = AccountOutput()
    contact = ContactOutput(allow_null=True)
    deal = DealOutput(allow_null=True)
