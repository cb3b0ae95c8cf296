from rest_framework import serializers

from tandem.finance.choices import ChangeOrderKind
from tandem.finance.models import ChangeOrder, ChangeOrderLine

MONEY = {"max_digits": 16, "decimal_places": 2}


class ChangeOrderLineOutput(serializers.ModelSerializer):
    class Meta:
        model = ChangeOrderLine
        fields = ["id", "budget_line", "description", "amount"]


class ChangeOrderOutput(serializers.ModelSerializer):
    lines = ChangeOrderLineOutput(many=True, read_only=True)
    amount = serializers.SerializerMethodField()

    class Meta:
        model = ChangeOrder
        fields = [
            "id",
            "budget",
            "project",
            "number",
            "kind",
            "title",
            "reason",
            "contract_amount",
            "amount",
            "status",
            "submitted_at",
            "decided_at",
            "created_by",
            "created_at",
            "lines",
        ]

    def get_amount(self, obj) -> str:
        return f"{sum((line.amount for line in obj.lines.all()), 0):.2f}"


class ChangeOrderLineInput(serializers.Serializer):
    budget_line = serializers.IntegerField(min_value=1)
    amount = serializers.DecimalField(**MONEY, help_text="Negative for a deduction.")
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)


class ChangeOrderInput(serializers.Serializer):
    budget = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=ChangeOrderKind.choices, required=False)
    title = serializers.CharField(max_length=200)
    reason = serializers.CharField(required=False, allow_blank=True)
    contract_amount = serializers.DecimalField(**MONEY, required=False)
    lines = ChangeOrderLineInput(many=True)


class ChangeOrderUpdateInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ChangeOrderKind.choices, required=False)
    title = serializers.CharField(max_length=200, required=False)
    reason = serializers.CharField(required=False, allow_blank=True)
    contract_amount = serializers.DecimalField(**MONEY, required=False)
    lines = ChangeOrderLineInput(many=True, required=False)


class VoidInput(serializers.Serializer):
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True)
