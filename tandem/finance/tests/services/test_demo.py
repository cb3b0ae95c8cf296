"""The cost center demo: both demo tenants get a cost code tree and every demo project a budget with money
moved through the services; one project per tenant erodes its margin, so its cost alerts are open. Loading
twice changes nothing."""

from decimal import Decimal

import pytest

from tandem.accounts import demo as accounts_demo
from tandem.accounts.access import MembershipAccess
from tandem.accounts.models import Membership
from tandem.crm.demo import customers, northwind
from tandem.finance import demo
from tandem.finance.choices import (
    BudgetStatus,
    ChangeOrderStatus,
    CostAlertKind,
    CostKind,
)
from tandem.finance.models import (
    BudgetModification,
    ChangeOrder,
    Commitment,
    CostAlert,
    CostCode,
    CostRecord,
    CostSnapshot,
    ProjectBudget,
)
from tandem.finance.selectors.budget_view import budget_view
from tandem.finance.selectors.earned_value import project_earned_value
from tandem.projects import demo as projects_demo
from tandem.projects.models import Project


def _access(slug: str, username: str) -> MembershipAccess:
    return MembershipAccess(
        Membership.objects.select_related("tenant", "user")
        .prefetch_related("roles")
        .get(tenant__slug=slug, user__username=username)
    )


@pytest.fixture
def loaded(db):
    accounts_demo.load()
    customers.load()
    northwind.load()
    projects_demo.load()
    projects_demo.load_northwind()
    demo.load()


def _counts():
    return (
        CostCode.objects.count(),
        ProjectBudget.objects.count(),
        Commitment.objects.count(),
        ChangeOrder.objects.count(),
        CostRecord.objects.count(),
        CostSnapshot.objects.count(),
    )


def test_every_demo_project_has_a_budget_and_the_running_ones_moved_money(loaded):
    for slug, names in (("demo", {"安装工程", "暖通", "管理费用"}), ("northwind", {"MEP installation", "HVAC"})):
        tree = dict(CostCode.objects.filter(tenant__slug=slug).values_list("code", "name"))
        assert names <= set(tree.values())
        assert CostCode.objects.get(tenant__slug=slug, code="02.03").parent.code == "02"
    projects = list(Project.objects.filter(tenant__slug__in=["demo", "northwind"]))
    assert len(projects) >= 8
    for project in projects:
        budget = ProjectBudget.objects.get(project=project)
        assert budget.lines.count() == len(demo.ZH_LINES), project.name
        assert budget.original_contract_value > 0
        running = project.status in ("active", "on_hold") and budget.lines.filter(cost_records__isnull=False).exists()
        if budget.status == BudgetStatus.DRAFT:
            assert not CostRecord.objects.filter(project=project).exists()
            continue
        assert running, project.name
        statuses = set(Commitment.objects.filter(project=project).values_list("status", flat=True))
        # Approved subcontracts and orders count as committed, a submitted order as pending cost, a draft as neither.
        assert {"approved", "partially_received", "submitted", "draft"} <= statuses
        orders = dict(ChangeOrder.objects.filter(project=project).values_list("kind", "status"))
        assert orders == {"prime": ChangeOrderStatus.APPROVED, "budget": ChangeOrderStatus.PENDING}
        assert CostRecord.objects.filter(project=project, kind=CostKind.EXPENSE).exists()  # site costs every month
        assert BudgetModification.objects.filter(project=project).count() == 1
        assert CostSnapshot.objects.filter(project=project).exists()
        # Amounts that look real: whole fen, a budget below the contract value.
        view = budget_view(
            access=_access(project.tenant.slug, "pm" if project.tenant.slug == "demo" else "emily"), project=project
        )
        assert view.total.original < view.margin.contract_value
        assert view.margin.contract_value > budget.original_contract_value  # the approved prime change
        assert view.total.pending_changes > 0 and view.total.pending_cost > 0 and view.total.committed > 0
    # Across the projects, every kind of actual cost (a young project has no labour or invoices yet).
    kinds = set(CostRecord.objects.values_list("kind", flat=True))
    assert {CostKind.EXPENSE, CostKind.SUPPLIER_INVOICE, CostKind.COMMITMENT_INVOICE, CostKind.LABOR} <= kinds
    # An integrator whose work has not started yet is still out for signature somewhere.
    assert Commitment.objects.filter(status="out_for_signature").exists()


@pytest.mark.parametrize(("slug", "username"), [("demo", "pm"), ("northwind", "emily")])
def test_the_eroding_project_has_its_alerts_open_and_the_margin_below_the_threshold(loaded, slug, username):
    access = _access(slug, username)
    if slug == "demo":
        eroding = Project.objects.get(tenant__slug=slug, code=demo.COMPANIES[0].eroding)
    else:
        eroding = Project.objects.filter(tenant__slug=slug, status="active").order_by("start_date").first()
    view = budget_view(access=access, project=eroding)
    assert view.margin.percent < Decimal("10")
    over = [row for row in view.rows if row.figures.over_under < 0]
    assert len(over) >= 2  # red on some lines
    ev = project_earned_value(access=access, project=eroding).figures
    assert ev.cpi is not None and ev.cpi < Decimal("0.9")
    open_kinds = set(CostAlert.objects.filter(project=eroding, closed_at__isnull=True).values_list("kind", flat=True))
    assert {CostAlertKind.MARGIN_LOW, CostAlertKind.CPI_LOW, CostAlertKind.LINE_OVER_BUDGET} <= open_kinds
    # The other running projects of the tenant stay healthy: no margin alert, a margin above 10 %.
    others = Project.objects.filter(tenant__slug=slug, cost_budget__status=BudgetStatus.LOCKED).exclude(pk=eroding.pk)
    for project in others:
        assert budget_view(access=access, project=project).margin.percent >= Decimal("10"), project.name
        assert not CostAlert.objects.filter(
            project=project, kind=CostAlertKind.MARGIN_LOW, closed_at__isnull=True
        ).exists()


def test_loading_again_changes_nothing(loaded):
    before = _counts()
    demo.load()
    assert _counts() == before
