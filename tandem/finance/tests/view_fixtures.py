"""Cost center records for the selector and page tests, written straight to the tables (no services, no events),
and the hand-computed project every budget-view test reads (`seed_budget`).

The project (contract 50,000.00, locked), three lines:

    L1 01 土建 · labor        10 × 1,000.00   = 10,000.00  automatic forecast   on task A
    L2 01 土建 · material    100 ×    55.50   =  5,550.00  automatic forecast   on task B
    L3 02 安装 · subcontract   1 × 20,000.00  = 20,000.00  lump sum 3,000.00     no task

    modification L3 → L1 1,000.00
    CO-1 prime approved (+6,000.00 contract): L2 +2,000.00, L3 +1,500.00
    CO-2 prime pending  (+2,000.00 contract): L1 +800.00
    CO-3 budget rejected: L1 +999.00; CO-4 draft: L2 +111.00          (neither counts)
    SC-1 subcontract approved: L3 15,000.00;  SC-2 complete: L1 4,000.00  (committed)
    PO-1 submitted: L2 100 × 30.00 = 3,000.00                         (pending cost)
    PO-2 draft: L1 777.00                                             (does not count)
    costs: L1 labor 2,500.00 (03-05), L1 expense 6,000.00 (03-20), L2 expense 400.50 (03-12),
           L2 supplier invoice 99.50 (03-14), L3 invoice against SC-1 6,000.00 (03-10, not direct)
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from tandem.finance import costing
from tandem.finance.choices import (
    BudgetStatus,
    ChangeOrderKind,
    ChangeOrderStatus,
    CommitmentKind,
    CommitmentStatus,
    CostKind,
    CostType,
    ForecastMethod,
)
from tandem.finance.models import (
    BudgetLine,
    BudgetModification,
    ChangeOrder,
    ChangeOrderLine,
    Commitment,
    CommitmentLine,
    CostCode,
    CostRecord,
    ProjectBudget,
)

_seq = itertools.count(1)
D = Decimal


def make_cost_code(tenant, code: str, name: str, parent=None) -> CostCode:
    return CostCode.objects.get_or_create(tenant=tenant, code=code, defaults={"name": name, "parent": parent})[0]


def make_budget(project, *, contract_value="0", locked=False) -> ProjectBudget:
    budget, _created = ProjectBudget.objects.get_or_create(tenant_id=project.tenant_id, project=project)
    budget.original_contract_value = D(contract_value)
    if locked:
        budget.status, budget.locked_at = BudgetStatus.LOCKED, timezone.now()
    budget.save()
    return budget


def make_line(budget, code: CostCode, cost_type=CostType.LABOR, quantity="1", unit_price="0", **fields) -> BudgetLine:
    return BudgetLine.objects.create(
        tenant_id=budget.tenant_id,
        budget=budget,
        project_id=budget.project_id,
        cost_code=code,
        cost_type=cost_type,
        quantity=D(quantity),
        unit_price=D(unit_price),
        original_amount=costing.line_amount(D(quantity), D(unit_price)),
        sort_order=fields.pop("sort_order", next(_seq)),
        **fields,
    )


def make_modification(budget, user, from_line, to_line, amount, reason="调整") -> BudgetModification:
    return BudgetModification.objects.create(
        tenant_id=budget.tenant_id,
        budget=budget,
        project_id=budget.project_id,
        from_line=from_line,
        to_line=to_line,
        amount=D(amount),
        reason=reason,
        created_by=user,
    )


def make_change_order(budget, user, status, lines, *, kind=ChangeOrderKind.PRIME, contract_amount="0", title=None):
    """A change order with `lines` [(budget line, amount)]."""
    n = next(_seq)
    co = ChangeOrder.objects.create(
        tenant_id=budget.tenant_id,
        budget=budget,
        project_id=budget.project_id,
        number=f"CO-{budget.tenant_id}-{n}",
        kind=kind,
        title=title or f"变更{n}",
        contract_amount=D(contract_amount),
        status=status,
        created_by=user,
    )
    for line, amount in lines:
        ChangeOrderLine.objects.create(tenant_id=budget.tenant_id, change_order=co, budget_line=line, amount=D(amount))
    return co


def make_commitment(project, user, kind, status, lines, *, vendor="上海弱电安装有限公司", title=None):
    """A commitment with `lines` [(budget line, quantity, unit price)]."""
    n = next(_seq)
    c = Commitment.objects.create(
        tenant_id=project.tenant_id,
        project=project,
        kind=kind,
        number=f"CM-{project.tenant_id}-{n}",
        title=title or f"合同{n}",
        vendor=vendor,
        status=status,
        created_by=user,
    )
    for line, quantity, unit_price in lines:
        CommitmentLine.objects.create(
            tenant_id=project.tenant_id,
            commitment=c,
            budget_line=line,
            quantity=D(quantity),
            unit_price=D(unit_price),
            amount=costing.line_amount(D(quantity), D(unit_price)),
        )
    return c


def make_cost(line, user, kind, amount, day: date, *, commitment=None, vendor="", description="") -> CostRecord:
    return CostRecord.objects.create(
        tenant_id=line.tenant_id,
        project_id=line.project_id,
        budget_line=line,
        kind=kind,
        commitment=commitment,
        date=day,
        amount=D(amount),
        vendor=vendor,
        description=description,
        created_by=user,
    )


@dataclass
class Seeded:
    project: object
    budget: ProjectBudget
    l1: BudgetLine
    l2: BudgetLine
    l3: BudgetLine
    task_a: object
    task_b: object
    co_approved: ChangeOrder
    co_pending: ChangeOrder
    sc_approved: Commitment
    po_pending: Commitment


def _aware(day: date, hour: int = 8):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def seed_budget(project, member) -> Seeded:
    """The hand-computed project of the module docstring on `project` (tasks A and B and baseline 1 added)."""
    from tandem.projects.models import Baseline, BaselineTask, Task
    from tandem.projects.tests.factories import make_chain

    user = member.user
    tenant = project.tenant
    task_a, task_b = make_chain(project, member, "土建施工", "材料进场", days=10)
    Task.objects.filter(pk=task_a.pk).update(percent_complete=50, duration=4800, is_summary=False)
    Task.objects.filter(pk=task_b.pk).update(percent_complete=25, duration=9600, is_summary=False)
    Task.objects.filter(project=project).exclude(pk__in=(task_a.pk, task_b.pk)).update(is_summary=True)
    number = (
        Baseline.objects.filter(project=project).order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    baseline = Baseline.objects.create(
        tenant=tenant, project=project, number=number, name=f"基线{number}", taken_at=timezone.now(), created_by=user
    )
    for task, first, last in (
        (task_a, date(2025, 3, 1), date(2025, 3, 10)),
        (task_b, date(2025, 3, 11), date(2025, 3, 30)),
    ):
        BaselineTask.objects.create(
            tenant=tenant, baseline=baseline, task=task, start=_aware(first), finish=_aware(last, 17), duration=4800
        )
    civil = make_cost_code(tenant, "01", "土建工程")
    install = make_cost_code(tenant, "02", "安装工程")
    budget = make_budget(project, contract_value="50000.00", locked=True)
    l1 = make_line(budget, civil, CostType.LABOR, "10", "1000.00", task=task_a, description="土建人工")
    l2 = make_line(budget, civil, CostType.MATERIAL, "100", "55.50", task=task_b, description="钢筋")
    l3 = make_line(
        budget,
        install,
        CostType.SUBCONTRACT,
        "1",
        "20000.00",
        description="弱电分包",
        forecast_method=ForecastMethod.LUMP_SUM,
        forecast_amount=D("3000.00"),
    )
    make_modification(budget, user, l3, l1, "1000.00")
    co_approved = make_change_order(
        budget,
        user,
        ChangeOrderStatus.APPROVED,
        [(l2, "2000.00"), (l3, "1500.00")],
        contract_amount="6000.00",
        title="增加机房",
    )
    co_pending = make_change_order(
        budget, user, ChangeOrderStatus.PENDING, [(l1, "800.00")], contract_amount="2000.00", title="追加人工"
    )
    make_change_order(budget, user, ChangeOrderStatus.REJECTED, [(l1, "999.00")], kind=ChangeOrderKind.BUDGET)
    make_change_order(budget, user, ChangeOrderStatus.DRAFT, [(l2, "111.00")])
    sc_approved = make_commitment(
        project,
        user,
        CommitmentKind.SUBCONTRACT,
        CommitmentStatus.APPROVED,
        [(l3, "1", "15000.00")],
        title="弱电分包合同",
    )
    make_commitment(project, user, CommitmentKind.SUBCONTRACT, CommitmentStatus.COMPLETE, [(l1, "1", "4000.00")])
    po_pending = make_commitment(
        project,
        user,
        CommitmentKind.PURCHASE_ORDER,
        CommitmentStatus.SUBMITTED,
        [(l2, "100", "30.00")],
        title="钢筋采购",
    )
    make_commitment(project, user, CommitmentKind.PURCHASE_ORDER, CommitmentStatus.DRAFT, [(l1, "1", "777.00")])
    make_cost(l1, user, CostKind.LABOR, "2500.00", date(2025, 3, 5), description="点工")
    make_cost(l1, user, CostKind.EXPENSE, "6000.00", date(2025, 3, 20), description="加班费")
    make_cost(l2, user, CostKind.EXPENSE, "400.50", date(2025, 3, 12), vendor="五金店")
    make_cost(l2, user, CostKind.SUPPLIER_INVOICE, "99.50", date(2025, 3, 14), vendor="钢材公司")
    make_cost(l3, user, CostKind.COMMITMENT_INVOICE, "6000.00", date(2025, 3, 10), commitment=sc_approved)
    return Seeded(project, budget, l1, l2, l3, task_a, task_b, co_approved, co_pending, sc_approved, po_pending)


# The thirteen columns of each line and the total, worked out by hand from the module docstring.
EXPECTED = {
    "l1": (
        "10000.00",
        "1000.00",
        "0.00",
        "11000.00",
        "800.00",
        "11800.00",
        "4000.00",
        "8500.00",
        "0.00",
        "12500.00",
        "0.00",
        "12500.00",
        "-700.00",
    ),
    "l2": (
        "5550.00",
        "0.00",
        "2000.00",
        "7550.00",
        "0.00",
        "7550.00",
        "0.00",
        "500.00",
        "3000.00",
        "3500.00",
        "4050.00",
        "7550.00",
        "0.00",
    ),
    "l3": (
        "20000.00",
        "-1000.00",
        "1500.00",
        "20500.00",
        "0.00",
        "20500.00",
        "15000.00",
        "0.00",
        "0.00",
        "15000.00",
        "3000.00",
        "18000.00",
        "2500.00",
    ),
    "total": (
        "35550.00",
        "0.00",
        "3500.00",
        "39050.00",
        "800.00",
        "39850.00",
        "19000.00",
        "9000.00",
        "3000.00",
        "31000.00",
        "7050.00",
        "38050.00",
        "1800.00",
    ),
}
CONTRACT_VALUE, MARGIN, MARGIN_PERCENT = D("56000.00"), D("17950.00"), D("32.05")
