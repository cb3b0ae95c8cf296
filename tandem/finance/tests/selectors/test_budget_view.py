"""The budget view against the hand-computed project of `view_fixtures`: every column of every line, the groups,
the total and the margin; a constant number of queries; the portfolio; and the records behind a cell."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.finance import costing
from tandem.finance.choices import BudgetGroup, CostKind, CostType
from tandem.finance.selectors.budget_view import budget_view, cell_records, portfolio
from tandem.finance.tests.view_fixtures import (
    CONTRACT_VALUE,
    EXPECTED,
    MARGIN,
    MARGIN_PERCENT,
    make_budget,
    make_cost,
    make_cost_code,
    make_line,
    seed_budget,
)
from tandem.projects.tests.factories import make_project, pm_member
from tandem.testing.kit import access_for, make_member

pytestmark = pytest.mark.django_db


def _columns(figures) -> tuple[str, ...]:
    return tuple(str(getattr(figures, c)) for c in costing.COLUMNS)


@pytest.fixture
def seeded(tenant):
    member = pm_member(tenant)
    project = make_project(tenant, member=member, name="浦东园区弱电改造")
    return member, seed_budget(project, member)


def test_every_column_of_every_line_and_the_total_is_the_hand_computed_one(seeded):
    member, s = seeded
    view = budget_view(access=access_for(member), project=s.project)
    by_line = {row.line.pk: row.figures for row in view.rows}
    assert _columns(by_line[s.l1.pk]) == EXPECTED["l1"]
    assert _columns(by_line[s.l2.pk]) == EXPECTED["l2"]
    assert _columns(by_line[s.l3.pk]) == EXPECTED["l3"]
    assert _columns(view.total) == EXPECTED["total"]
    assert by_line[s.l1.pk].is_over and not by_line[s.l3.pk].is_over
    # Revised contract value: 50,000 + the approved prime change (the pending one does not count).
    assert view.margin.contract_value == CONTRACT_VALUE
    assert view.margin.amount == MARGIN and view.margin.percent == MARGIN_PERCENT


def test_grouping_by_cost_code_and_by_cost_type_gives_subtotals_that_add_to_the_total(seeded):
    member, s = seeded
    access = access_for(member)
    by_code = budget_view(access=access, project=s.project, group=BudgetGroup.CODE)
    assert [g.key.code for g in by_code.groups] == ["01", "02"]
    civil = by_code.groups[0]
    assert [r.line.pk for r in civil.lines] == [s.l1.pk, s.l2.pk]
    assert civil.figures.original == Decimal("15550.00") and civil.figures.over_under == Decimal("-700.00")
    by_type = budget_view(access=access, project=s.project, group=BudgetGroup.TYPE)
    assert [g.key for g in by_type.groups] == [CostType.LABOR, CostType.MATERIAL, CostType.SUBCONTRACT]
    for view in (by_code, by_type):
        assert costing.total(g.figures for g in view.groups) == view.total


def _queries(access, project) -> int:
    with CaptureQueriesContext(connection) as ctx:
        budget_view(access=access, project=project)
    return len(ctx.captured_queries)


def _project_with_lines(tenant, member, n: int):
    project = make_project(tenant, member=member)
    budget = make_budget(project, contract_value="1000000")
    code = make_cost_code(tenant, "09", "其他")
    for i in range(n):
        line = make_line(budget, code, CostType.MATERIAL, "2", f"{100 + i}.00")
        make_cost(line, member.user, CostKind.EXPENSE, "10.00", date(2025, 3, 5))
    return project


def test_the_budget_view_costs_the_same_queries_for_3_lines_as_for_30(tenant):
    member = pm_member(tenant)
    access = access_for(member)
    small, large = _project_with_lines(tenant, member, 3), _project_with_lines(tenant, member, 30)
    budget_view(access=access, project=small)  # warm the content-type and permission caches
    assert _queries(access, small) == _queries(access, large)
    assert len(budget_view(access=access, project=large).rows) == 30


def test_the_portfolio_gives_each_visible_project_its_totals_and_margin(tenant, seeded):
    member, s = seeded
    other = _project_with_lines(tenant, member, 2)
    rows = {r.project.pk: r for r in portfolio(access=access_for(member), filters={})}
    assert set(rows) == {s.project.pk, other.pk}
    assert _columns(rows[s.project.pk].total) == EXPECTED["total"]
    assert rows[s.project.pk].margin.percent == MARGIN_PERCENT
    # EV 11,000×50% + 7,550×25% + 20,500×33.33% = 14,220.15 over AC 2,500+6,000+400.50+99.50+6,000 = 15,000.
    assert rows[s.project.pk].cpi == Decimal("0.9480")
    ordered = portfolio(access=access_for(member), filters={"ordering": "-revised"})
    assert [r.project.pk for r in ordered] == [s.project.pk, other.pk]


def test_the_portfolio_and_the_budget_view_are_refused_without_the_permission(tenant, seeded):
    from tandem.core.errors import PermissionDenied

    _member, s = seeded
    sales = make_member(tenant, "sales")
    with pytest.raises(PermissionDenied):
        portfolio(access=access_for(sales), filters={})
    with pytest.raises(PermissionDenied):
        budget_view(access=access_for(sales), project=s.project)


def test_a_cells_records_are_the_ones_behind_it_and_add_up_to_it(seeded):
    member, s = seeded
    access = access_for(member)
    view = budget_view(access=access, project=s.project)
    by_line = {row.line.pk: row.figures for row in view.rows}
    for line in (s.l1, s.l2, s.l3):
        for column in costing.INPUT_COLUMNS:
            cell = cell_records(access=access, project=s.project, line=line, column=column)
            assert cell.total == getattr(by_line[line.pk], column), (line, column)
    for column in costing.INPUT_COLUMNS:
        assert cell_records(access=access, project=s.project, column=column).total == getattr(view.total, column)
    approved = cell_records(access=access, project=s.project, line=s.l2, column="approved_changes")
    assert [i.record for i in approved.items] == [s.co_approved]
    pending_cost = cell_records(access=access, project=s.project, column="pending_cost")
    assert [i.record for i in pending_cost.items] == [s.po_pending]
    direct = cell_records(access=access, project=s.project, line=s.l3, column="direct")
    assert direct.items == []  # the invoice against the subcontract is not a direct cost
    # A transfer between two lines of the same group adds nothing to it; out of a group it does.
    civil = cell_records(access=access, project=s.project, column="modifications", cost_code_id=s.l1.cost_code_id)
    assert civil.total == Decimal("1000.00")
    assert cell_records(access=access, project=s.project, column="modifications").total == 0
