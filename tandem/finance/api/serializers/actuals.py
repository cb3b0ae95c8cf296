from rest_framework import serializers

from tandem.finance.choices import CostKind
from tandem.finance.models import CostRecord

MONEY = {"max_digits": 16, "decimal_places": 2}


class CostRecordOutput(serializers.ModelSerializer):
    class Meta:
        model = CostRecord
        fields = [
            "id",
            "project",
            "budget_line",
            "kind",
            "commitment",
            "date",
            "amount",
            "vendor",
            "reference",
            "description",
            "source_type",
            "source_id",
            "created_by",
            "created_at",
        ]


class CostRecordInput(serializers.Serializer):
    project = serializers.IntegerField(min_value=1)
    budget_line = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=CostKind.choices)
    commitment = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    date = serializers.DateField()
    amount = serializers.DecimalField(**MONEY)
    vendor = serializers.CharField(max_length=200, required=False, allow_blank=True)
    reference = serializers.CharField(max_length=60, required=False, allow_blank=True)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)


class CostRecordUpdateInput(serializers.Serializer):
    budget_line = serializers.IntegerField(min_value=1, required=False)
    date = serializers.DateField(required=False)
    amount = serializers.DecimalField(**MONEY, required=False)
    vendor = serializers.CharField(max_length=200, required=False, allow_blank=True)
    reference = serializers.CharField(max_length=60, required=False, allow_blank=True)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)
