"""Read endpoints of the cost center: a budget's view (grouped), the records behind one of its cells, its earned
value, and the portfolio of every visible project. Sales roles hold no finance permission: 403."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.core.errors import NotFound
from tandem.finance.api.serializers.reports import (
    BudgetCellOutput,
    BudgetEarnedValueOutput,
    BudgetViewOutput,
    CostPortfolioRowOutput,
)
from tandem.finance.choices import BudgetGroup, CostType
from tandem.finance.selectors.budget_view import (
    DRILL_COLUMNS,
    PERMISSION,
    budget_get,
    budget_line_list,
    budget_view,
    cell_records,
    portfolio,
)
from tandem.finance.selectors.earned_value import project_earned_value


class _BudgetReport(APIView):
    def get_permission_code(self):
        return PERMISSION

    def budget(self, request, pk: int):
        budget = budget_get(access=request.access, pk=pk)
        if budget is None:
            raise NotFound(_("Not found."), code="not_found")
        return budget


GROUP = OpenApiParameter("group", str, enum=BudgetGroup.values, description="Group by cost code or cost type.")


class BudgetViewView(_BudgetReport):
    """A project's budget view: each line's thirteen columns, the groups with subtotals, the total, the margin."""

    @extend_schema(operation_id="finance_budget_view", parameters=[GROUP], responses={200: BudgetViewOutput})
    def get(self, request, pk: int):
        budget = self.budget(request, pk)
        view = budget_view(access=request.access, project=budget.project, group=request.query_params.get("group", ""))
        return Response(BudgetViewOutput(view).data)


class BudgetCellView(_BudgetReport):
    """The records behind one input cell: `column`, and `line` (a line), `code` / `type` (a group) or neither."""

    @extend_schema(
        operation_id="finance_budget_cell",
        parameters=[
            OpenApiParameter("column", str, enum=list(DRILL_COLUMNS), required=True),
            OpenApiParameter("line", int),
            OpenApiParameter("code", int),
            OpenApiParameter("type", str, enum=CostType.values),
        ],
        responses={200: BudgetCellOutput},
    )
    def get(self, request, pk: int):
        from tandem.core.errors import ApplicationError

        budget = self.budget(request, pk)
        params = request.query_params
        column = params.get("column", "")
        if column not in DRILL_COLUMNS:
            raise ApplicationError(_("Choose a column."), errors={"column": [_("Choose a column.")]})
        line = None
        if params.get("line"):
            if not params["line"].isdigit():
                raise ApplicationError(_("Not found."), errors={"line": [_("Not found.")]})
            line = budget_line_list(access=request.access, project=budget.project).filter(pk=params["line"]).first()
            if line is None:
                raise ApplicationError(_("Not found."), errors={"line": [_("Not found.")]})
        code = params.get("code", "")
        cost_type = params.get("type", "")
        cell = cell_records(
            access=request.access,
            project=budget.project,
            column=column,
            line=line,
            cost_code_id=int(code) if code.isdigit() else None,
            cost_type=cost_type if cost_type in CostType.values else None,
        )
        return Response(BudgetCellOutput(cell).data)


class EarnedValueView(_BudgetReport):
    """PV, EV, AC, CV, SV, CPI, SPI, the three EACs, ETC, VAC, TCPI today, and the S-curve and trend data."""

    @extend_schema(operation_id="finance_earned_value", responses={200: BudgetEarnedValueOutput})
    def get(self, request, pk: int):
        budget = self.budget(request, pk)
        report = project_earned_value(access=request.access, project=budget.project)
        return Response(BudgetEarnedValueOutput(report).data)


class PortfolioView(APIView):
    """Every visible project with a budget: totals, margin, CPI. `q`, `status`, `ordering` as on the page."""

    def get_permission_code(self):
        return PERMISSION

    @extend_schema(operation_id="finance_portfolio", responses={200: CostPortfolioRowOutput(many=True)})
    def get(self, request):
        filters = {k: request.query_params.get(k, "") for k in ("q", "status", "ordering")}
        rows = portfolio(access=request.access, filters=filters)
        return Response(CostPortfolioRowOutput(rows, many=True).data)
