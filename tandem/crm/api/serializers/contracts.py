"""Output serializers for contracts, payment periods and receipts."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tandem.crm.api.serializers.fields import CENT, money
from tandem.crm.models import Contract, PaymentMilestone, Receipt


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
            "name",
            "percent",
            "amount",
            "due_rule",
            "due_on",
            "days_after_acceptance",
            "project_milestone",
            "reminder_days",
            "is_retention",
            "is_void",
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
