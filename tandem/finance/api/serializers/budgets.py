from rest_framework import serializers

from tandem.finance.choices import CostType, ForecastMethod
from tandem.finance.models import BudgetLine, BudgetModification, ProjectBudget

MONEY = {"max_digits": 16, "decimal_places": 2}
QUANTITY = {"max_digits": 16, "decimal_places": 3}


class BudgetOutput(serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.name", read_only=True)

    class Meta:
        model = ProjectBudget
        fields = [
            "id",
            "project",
            "project_name",
            "status",
            "original_contract_value",
            "locked_at",
            "locked_by",
            "notes",
            "created_at",
            "updated_at",
        ]


class BudgetCreateInput(serializers.Serializer):
    project = serializers.IntegerField(min_value=1, help_text="The project; its budget is returned (made if missing).")


class BudgetUpdateInput(serializers.Serializer):
    original_contract_value = serializers.DecimalField(**MONEY, required=False)
    notes = serializers.CharField(required=False, allow_blank=True)


class BudgetLineOutput(serializers.ModelSerializer):
    cost_code_code = serializers.CharField(source="cost_code.code", read_only=True)
    cost_code_name = serializers.CharField(source="cost_code.name", read_only=True)

    class Meta:
        model = BudgetLine
        fields = [
            "id",
            "budget",
            "project",
            "cost_code",
            "cost_code_code",
            "cost_code_name",
            "cost_type",
            "task",
            "description",
            "quantity",
            "unit",
            "unit_price",
            "original_amount",
            "forecast_method",
            "forecast_quantity",
            "forecast_unit_price",
            "forecast_amount",
            "sort_order",
            "created_at",
        ]


class BudgetLineInput(serializers.Serializer):
    budget = serializers.IntegerField(min_value=1)
    cost_code = serializers.IntegerField(min_value=1)
    cost_type = serializers.ChoiceField(choices=CostType.choices)
    task = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)
    quantity = serializers.DecimalField(**QUANTITY, required=False)
    unit = serializers.CharField(max_length=20, required=False, allow_blank=True)
    unit_price = serializers.DecimalField(**MONEY, required=False)
    forecast_method = serializers.ChoiceField(choices=ForecastMethod.choices, required=False)
    forecast_quantity = serializers.DecimalField(**QUANTITY, required=False, allow_null=True)
    forecast_unit_price = serializers.DecimalField(**MONEY, required=False, allow_null=True)
    forecast_amount = serializers.DecimalField(**MONEY, required=False, allow_null=True)
    sort_order = serializers.IntegerField(min_value=0, required=False)


class BudgetLineUpdateInput(BudgetLineInput):
    budget = None


class BudgetModificationOutput(serializers.ModelSerializer):
    class Meta:
        model = BudgetModification
        fields = ["id", "budget", "project", "from_line", "to_line", "amount", "reason", "created_by", "created_at"]


class BudgetModificationInput(serializers.Serializer):
    budget = serializers.IntegerField(min_value=1)
    from_line = serializers.IntegerField(min_value=1)
    to_line = serializers.IntegerField(min_value=1)
    amount = serializers.DecimalField(**MONEY)
    reason = serializers.CharField(max_length=300)
