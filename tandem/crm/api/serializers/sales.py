"""Serializers of pipelines, deals and lead conversions: what clients send and what they read."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tandem.crm.api.serializers.customers import AccountOutput, ContactOutput, LeadOutput
from tandem.crm.api.serializers.fields import CENT, MAX_ID, money, money_input, ref, text
from tandem.crm.choices import DealType, DedupDecision, LeadSource
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


class StageInput(serializers.Serializer):
    id = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="An existing stage; omit for a new one."
    )
    name = serializers.CharField(max_length=100)
    probability = serializers.IntegerField(min_value=0, max_value=100, default=0)
    rotting_days = serializers.IntegerField(min_value=1, max_value=3650, required=False, allow_null=True)
    is_won = serializers.BooleanField(default=False)
    is_lost = serializers.BooleanField(default=False)


class PipelineInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    is_default = serializers.BooleanField(required=False)
    sort_order = serializers.IntegerField(min_value=0, max_value=10000, required=False)
    stages = StageInput(many=True, required=False, help_text="All stages in order; replaces the current ones.")


class DealLineInput(serializers.Serializer):
    product = serializers.CharField(max_length=200)
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3, min_value=0, default=1)
    unit = text(20)
    unit_price = money_input()


class DealInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    account = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    contact = ref()
    pipeline = ref()
    stage = ref(help_text="An open stage; on create only — use /move/ afterwards.")
    amount = money_input(required=False)
    currency = serializers.RegexField(r"^[A-Z]{3}$", required=False)
    expected_close_date = serializers.DateField(required=False, allow_null=True)
    deal_type = serializers.ChoiceField(choices=DealType.choices, required=False)
    source = serializers.ChoiceField(choices=LeadSource.choices, required=False, allow_blank=True)
    description = text(5000)
    owner = ref(help_text="Owner (user id); on create only.")
    lines = DealLineInput(many=True, required=False, help_text="Line items; replace the current ones when given.")


class DealMoveInput(serializers.Serializer):
    stage = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    reason = text(300, help_text="Why the deal was won or lost, when moved into such a stage.")


class DealWinInput(serializers.Serializer):
    reason = text(300)


class DealLoseInput(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class ConvertDealInput(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    amount = money_input(required=False)
    pipeline = ref()
    expected_close_date = serializers.DateField(required=False, allow_null=True)
    deal_type = serializers.ChoiceField(choices=DealType.choices, required=False)


class LeadConvertInput(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=DedupDecision.choices,
        required=False,
        help_text="What to do about an existing account; without it, a likely duplicate answers 409 with candidates.",
    )
    account = ref(help_text="The existing account to link or merge into.")
    contact = ref(help_text="An existing contact to use instead of creating one.")
    create_deal = serializers.BooleanField(default=True)
    deal = ConvertDealInput(required=False)
