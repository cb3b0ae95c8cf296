"""Output of the cost center's read endpoints: the budget view, the records behind a cell, earned value, the
portfolio. Money is a decimal string with two places."""

from __future__ import annotations

from rest_framework import serializers


def _money(**kw):
    return serializers.DecimalField(max_digits=18, decimal_places=2, **kw)


class BudgetFiguresOutput(serializers.Serializer):
    original = _money()
    modifications = _money()
    approved_changes = _money()
    revised = _money()
    pending_changes = _money()
    projected_budget = _money()
    committed = _money()
    direct = _money()
    pending_cost = _money()
    projected_cost = _money()
    forecast_to_complete = _money()
    ecac = _money()
    over_under = _money()


class BudgetMarginOutput(serializers.Serializer):
    contract_value = _money()
    ecac = _money()
    amount = _money()
    percent = _money(allow_null=True)


class BudgetLineFiguresOutput(serializers.Serializer):
    id = serializers.IntegerField(source="line.pk")
    cost_code = serializers.CharField(source="line.cost_code.code")
    cost_type = serializers.CharField(source="line.cost_type")
    task = serializers.IntegerField(source="line.task_id", allow_null=True)
    description = serializers.CharField(source="line.description")
    figures = BudgetFiguresOutput()


class BudgetGroupOutput(serializers.Serializer):
    key = serializers.SerializerMethodField()
    label = serializers.SerializerMethodField()
    lines = serializers.SerializerMethodField()
    figures = BudgetFiguresOutput()

    def get_key(self, group) -> str:
        return str(getattr(group.key, "code", group.key))

    def get_label(self, group) -> str:
        return getattr(group.key, "name", "") or str(group.key)

    def get_lines(self, group) -> list[int]:
        return [row.line.pk for row in group.lines]


class BudgetViewOutput(serializers.Serializer):
    budget = serializers.IntegerField(source="budget.pk")
    project = serializers.IntegerField(source="project.pk")
    status = serializers.CharField(source="budget.status")
    group = serializers.CharField()
    lines = BudgetLineFiguresOutput(many=True, source="rows")
    groups = BudgetGroupOutput(many=True)
    total = BudgetFiguresOutput()
    margin = BudgetMarginOutput()
    open_alerts = serializers.IntegerField()


class BudgetCellItemOutput(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField(source="record.pk")
    date = serializers.SerializerMethodField()
    reference = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    budget_line = serializers.IntegerField(source="line.pk")
    amount = _money()

    def get_date(self, item) -> str:
        value = item.date
        return value.date().isoformat() if hasattr(value, "date") and callable(value.date) else value.isoformat()


class BudgetCellOutput(serializers.Serializer):
    column = serializers.CharField()
    items = BudgetCellItemOutput(many=True)
    total = _money()


class BudgetEarnedValueOutput(serializers.Serializer):
    as_of = serializers.DateField()
    percent_complete = _money()
    has_baseline = serializers.BooleanField()
    figures = serializers.SerializerMethodField()
    chart = serializers.SerializerMethodField()

    def get_figures(self, report) -> dict:
        return report.figures.as_dict()

    def get_chart(self, report) -> dict:
        return report.chart_data()


class CostPortfolioRowOutput(serializers.Serializer):
    project = serializers.IntegerField(source="project.pk")
    number = serializers.CharField(source="project.number")
    name = serializers.CharField(source="project.name")
    budget = serializers.IntegerField(source="budget.pk")
    total = BudgetFiguresOutput()
    margin = BudgetMarginOutput()
    cpi = serializers.DecimalField(max_digits=10, decimal_places=4, allow_null=True)
    open_alerts = serializers.IntegerField()
