from rest_framework import serializers

from tandem.finance.choices import CostType
from tandem.finance.models import TemplateBudgetLine


class TemplateBudgetLineOutput(serializers.ModelSerializer):
    class Meta:
        model = TemplateBudgetLine
        fields = [
            "id",
            "template",
            "template_task",
            "cost_code",
            "cost_type",
            "description",
            "quantity",
            "unit",
            "unit_price",
            "sort_order",
        ]


class TemplateBudgetLineInput(serializers.Serializer):
    template = serializers.IntegerField(min_value=1)
    template_task = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    cost_code = serializers.IntegerField(min_value=1)
    cost_type = serializers.ChoiceField(choices=CostType.choices)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)
    quantity = serializers.DecimalField(max_digits=16, decimal_places=3, min_value=0, required=False)
    unit = serializers.CharField(max_length=20, required=False, allow_blank=True)
    unit_price = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, required=False)
