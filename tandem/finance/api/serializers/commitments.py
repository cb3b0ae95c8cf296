from rest_framework import serializers

from tandem.finance.choices import CommitmentKind, CommitmentStatus
from tandem.finance.models import Commitment, CommitmentLine

MONEY = {"max_digits": 16, "decimal_places": 2}
QUANTITY = {"max_digits": 16, "decimal_places": 3}


class CommitmentLineOutput(serializers.ModelSerializer):
    class Meta:
        model = CommitmentLine
        fields = ["id", "budget_line", "description", "quantity", "unit", "unit_price", "amount"]


class CommitmentOutput(serializers.ModelSerializer):
    lines = CommitmentLineOutput(many=True, read_only=True)
    amount = serializers.SerializerMethodField()

    class Meta:
        model = Commitment
        fields = [
            "id",
            "project",
            "kind",
            "number",
            "title",
            "vendor",
            "status",
            "retention_percent",
            "signed_on",
            "description",
            "amount",
            "created_by",
            "created_at",
            "lines",
        ]

    def get_amount(self, obj) -> str:
        return f"{sum((line.amount for line in obj.lines.all()), 0):.2f}"


class CommitmentLineInput(serializers.Serializer):
    budget_line = serializers.IntegerField(min_value=1)
    quantity = serializers.DecimalField(**QUANTITY, required=False)
    unit = serializers.CharField(max_length=20, required=False, allow_blank=True)
    unit_price = serializers.DecimalField(**MONEY, required=False)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)


class CommitmentInput(serializers.Serializer):
    project = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=CommitmentKind.choices)
    title = serializers.CharField(max_length=200)
    vendor = serializers.CharField(max_length=200)
    retention_percent = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    signed_on = serializers.DateField(required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True)
    lines = CommitmentLineInput(many=True)


class CommitmentUpdateInput(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    vendor = serializers.CharField(max_length=200, required=False)
    retention_percent = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    signed_on = serializers.DateField(required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True)
    lines = CommitmentLineInput(many=True, required=False)


class TransitionInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=CommitmentStatus.choices)
