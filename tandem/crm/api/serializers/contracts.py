"""Serializers of contracts, payment periods and receipts: what clients send and what they read."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tandem.crm.api.serializers.fields import CENT, MAX_ID, money, money_input, ref, text
from tandem.crm.choices import ContractStatus, ContractType, DueRule, PaymentMethod
from tandem.crm.models import Contract, PaymentMilestone, Receipt
from tandem.crm.models.contracts import PERIOD_FIELDS


class MilestoneOutput(serializers.ModelSerializer):
    received = money()
    outstanding = serializers.SerializerMethodField()
    status = serializers.CharField()

    class Meta:
        model = PaymentMilestone
        fields = [
            "id",
            "contract",
            "sequence",
            *PERIOD_FIELDS,
            "received",
            "outstanding",
            "status",
        ]

    @extend_schema_field(money())
    def get_outstanding(self, milestone) -> str:
        if milestone.is_void:
            return "0.00"
        return str(max(milestone.amount - milestone.received, Decimal("0.00")).quantize(CENT))


class ContractOutput(serializers.ModelSerializer):
    owner_name = serializers.StringRelatedField(source="owner")
    account_name = serializers.CharField(source="account.name")
    deal_number = serializers.CharField(source="deal.number", allow_null=True, default=None)
    company_signatory_name = serializers.StringRelatedField(source="company_signatory", allow_null=True)
    received = money()
    outstanding = serializers.SerializerMethodField()
    percent_collected = serializers.SerializerMethodField()
    milestones = MilestoneOutput(many=True)

    class Meta:
        model = Contract
        fields = [
            "id",
            "number",
            "name",
            "account",
            "account_name",
            "deal",
            "deal_number",
            "contract_type",
            "status",
            "amount",
            "currency",
            "tax_rate",
            "received",
            "outstanding",
            "percent_collected",
            "customer_signatory",
            "company_signatory",
            "company_signatory_name",
            "signed_on",
            "start_on",
            "end_on",
            "accepted_on",
            "notes",
            "owner",
            "owner_name",
            "milestones",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(money())
    def get_outstanding(self, contract) -> str:
        return str(max(contract.amount - contract.received, Decimal("0.00")).quantize(CENT))

    @extend_schema_field(serializers.DecimalField(max_digits=5, decimal_places=1))
    def get_percent_collected(self, contract) -> str:
        if not contract.amount:
            return "0.0"
        return str((Decimal(contract.received) * 100 / contract.amount).quantize(Decimal("0.1")))


class ReceiptOutput(serializers.ModelSerializer):
    contract_number = serializers.CharField(source="contract.number")
    milestone_name = serializers.CharField(source="milestone.name")
    created_by_name = serializers.StringRelatedField(source="created_by")

    class Meta:
        model = Receipt
        fields = [
            "id",
            "contract",
            "contract_number",
            "milestone",
            "milestone_name",
            "received_on",
            "amount",
            "method",
            "bank",
            "reference",
            "notes",
            "created_by",
            "created_by_name",
            "created_at",
        ]


class PeriodInput(serializers.Serializer):
    id = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="An existing period; omit for a new one."
    )
    name = serializers.CharField(max_length=100)
    percent = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False)
    amount = money_input(required=False)
    due_rule = serializers.ChoiceField(choices=DueRule.choices, default=DueRule.ON_DATE)
    due_on = serializers.DateField(required=False, allow_null=True)
    days_after_acceptance = serializers.IntegerField(min_value=0, max_value=3650, required=False, allow_null=True)
    project_milestone = text(200)
    reminder_days = serializers.IntegerField(min_value=0, max_value=365, default=7)
    is_retention = serializers.BooleanField(default=False)
    is_void = serializers.BooleanField(default=False)


class ContractInput(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    account = ref()
    deal = ref()
    contract_type = serializers.ChoiceField(choices=ContractType.choices, required=False)
    amount = money_input(required=False)
    currency = serializers.RegexField(r"^[A-Z]{3}$", required=False)
    tax_rate = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False)
    customer_signatory = text(100)
    company_signatory = ref()
    signed_on = serializers.DateField(required=False, allow_null=True)
    start_on = serializers.DateField(required=False, allow_null=True)
    end_on = serializers.DateField(required=False, allow_null=True)
    accepted_on = serializers.DateField(required=False, allow_null=True)
    notes = text(5000)
    owner = ref(help_text="Owner (user id); on create only.")
    periods = PeriodInput(many=True, required=False, help_text="The payment plan; must add up to the amount.")


class PaymentPlanInput(serializers.Serializer):
    periods = PeriodInput(many=True, help_text="All periods in order; they must add up to the contract amount.")


class ContractSignInput(serializers.Serializer):
    signed_on = serializers.DateField(required=False, allow_null=True)


class ContractCloseInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=ContractStatus.choices, help_text="`completed` or `terminated`.")


class ReceiptInput(serializers.Serializer):
    milestone = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0)
    received_on = serializers.DateField(required=False)
    method = serializers.ChoiceField(choices=PaymentMethod.choices, required=False)
    bank = text(100)
    reference = text(100)
    notes = text(300)
