"""Input and output serializers of sales targets (业绩目标) with their progress."""

from __future__ import annotations

from rest_framework import serializers

from tandem.crm.api.serializers.fields import money_input, percent_output, ref
from tandem.crm.choices import TargetLevel, TargetMetric
from tandem.crm.models import SalesTarget


class SalesTargetOutput(serializers.ModelSerializer):
    department_name = serializers.StringRelatedField(source="department", allow_null=True)
    user_name = serializers.StringRelatedField(source="user", allow_null=True)
    amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    actual = serializers.DecimalField(
        max_digits=18, decimal_places=2, read_only=True, help_text="Signed contracts or receipts in the period."
    )
    percent = percent_output(read_only=True, help_text="Actual against target, in %.")

    class Meta:
        model = SalesTarget
        fields = [
            "id",
            "level",
            "department",
            "department_name",
            "user",
            "user_name",
            "metric",
            "year",
            "month",
            "amount",
            "actual",
            "percent",
        ]


class SalesTargetInput(serializers.Serializer):
    level = serializers.ChoiceField(choices=TargetLevel.choices)
    department = ref()
    user = ref()
    metric = serializers.ChoiceField(choices=TargetMetric.choices)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=0, max_value=12, default=0, help_text="0 means the whole year.")
    amount = money_input()


class SalesTargetAmountInput(serializers.Serializer):
    amount = money_input()
