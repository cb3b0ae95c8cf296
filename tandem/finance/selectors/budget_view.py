"""The budget view (预算视图): a project's budget lines with their thirteen columns, grouped by cost code or cost
type, with subtotals, the total and the margin; the same totals for every visible project (the portfolio); and
the records behind one cell (the drill-down).

Each input column is one grouped query (`values("budget_line").annotate(Sum(...))`) over the whole project (or
every project of the portfolio), never a query per line: the page costs the same number of queries for 3 lines
or 5,000. The arithmetic is `tandem.finance.costing`'s.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, CharField, Count, Q, Sum, Value, When
from django.utils.translation import gettext as _

from tandem.core.errors import NotFound
from tandem.core.memory import gc_paused
from tandem.core.services import require
from tandem.finance import costing
from tandem.finance.choices import (
    COMMITTED_STATUSES,
    DIRECT_COST_KINDS,
    PENDING_COST_STATUSES,
    BudgetGroup,
    ChangeOrderKind,
    ChangeOrderStatus,
    CostType,
)
from tandem.finance.models import (
    BudgetLine,
    BudgetModification,
    ChangeOrder,
    ChangeOrderLine,
    CommitmentLine,
    CostAlert,
    CostCode,
    CostRecord,
    ProjectBudget,
)

PERMISSION = "finance.view_projectbudget"
ZERO = costing.ZERO
COST_TYPE_ORDER = {value: i for i, value in enumerate(CostType.values)}
VIEW_LINE_FIELDS = (
    "id",
    "tenant_id",
    "budget_id",
    "project_id",
    "task_id",
    "cost_type",
    "description",
    "original_amount",
    "forecast_method",
    "forecast_amount",
    "sort_order",
    "cost_code_id",
)


@dataclass
class LineRow:
    """One budget line of the view with its columns."""

    line: BudgetLine
    figures: costing.Figures


@dataclass
class BudgetView:
    """What the budget page shows: the rows grouped (each group with its subtotal), the total, the margin."""

    project: object
    budget: ProjectBudget | None
    group: str
    rows: list[LineRow]
    groups: list[costing.Group]
    total: costing.Figures
    margin: costing.Margin
    approved_contract_changes: Decimal
    open_alerts: int = 0

    @property
    def revised_contract_value(self) -> Decimal:
        return self.margin.contract_value


def visible_budget(*, access, project) -> ProjectBudget | None:
    """The project's budget if the caller may see it; None when the project has none yet. A budget out of the
    caller's reach is a NotFound."""
    require(access, PERMISSION)
    if cost_hidden(access):
        raise NotFound(_("Not found."), code="not_found")
    budget = ProjectBudget.objects.restrict(access).filter(project_id=project.pk).first()
    if budget is None and ProjectBudget.objects.for_tenant(access.tenant_id).filter(project_id=project.pk).exists():
        raise NotFound(_("Not found."), code="not_found")
    return budget


def cost_hidden(access) -> bool:
    """The caller's field rules hide project cost (the sales roles): no budget figure reaches them."""
    from tandem.projects.models import Project

    return access.field_rule(Project.budget_rule) == "hidden"


def _sums(qs, key: str, amount: str = "amount") -> dict:
    """{key value: Σ amount} of a queryset in one grouped query."""
    return {
        row[key]: costing.fen(row["total"] or ZERO) for row in qs.values(key).annotate(total=Sum(amount)).order_by()
    }


@dataclass
class _Inputs:
    """The summed input columns of many lines, keyed by line id (one grouped query per source)."""

    transfers_in: dict = field(default_factory=dict)
    transfers_out: dict = field(default_factory=dict)
    changes: dict = field(default_factory=dict)  # (line id, status) → Σ
    commitments: dict = field(default_factory=dict)  # (line id, "committed" | "pending") → Σ
    direct: dict = field(default_factory=dict)

    def line_inputs(self, line: BudgetLine) -> costing.LineInputs:
        pk = line.pk
        return costing.LineInputs(
            original=line.original_amount,
            modifications=self.transfers_in.get(pk, ZERO) - self.transfers_out.get(pk, ZERO),
            approved_changes=self.changes.get((pk, ChangeOrderStatus.APPROVED), ZERO),
            pending_changes=self.changes.get((pk, ChangeOrderStatus.PENDING), ZERO),
            committed=self.commitments.get((pk, "committed"), ZERO),
            direct=self.direct.get(pk, ZERO),
            pending_cost=self.commitments.get((pk, "pending"), ZERO),
            forecast_method=line.forecast_method,
            forecast_amount=line.forecast_amount,
        )


def _inputs(tenant_id: int, projects: Q, *, as_of=None) -> _Inputs:
    """The input columns of every line of the projects matching `projects` (a Q on `project`): five queries;
    direct costs dated after `as_of` are left out when it is given."""
    mods = BudgetModification.objects.for_tenant(tenant_id).filter(projects)
    changes = (
        ChangeOrderLine.objects.for_tenant(tenant_id)
        .filter(_prefixed(projects, "change_order__"))
        .filter(change_order__status__in=(ChangeOrderStatus.APPROVED, ChangeOrderStatus.PENDING))
        .values("budget_line", "change_order__status")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    group = Case(
        When(commitment__status__in=COMMITTED_STATUSES, then=Value("committed")),
        When(commitment__status__in=PENDING_COST_STATUSES, then=Value("pending")),
        default=Value(""),
        output_field=CharField(),
    )
    commitments = (
        CommitmentLine.objects.for_tenant(tenant_id)
        .filter(_prefixed(projects, "commitment__"))
        .filter(commitment__status__in=(*COMMITTED_STATUSES, *PENDING_COST_STATUSES))
        .annotate(group=group)
        .values("budget_line", "group")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    direct = CostRecord.objects.for_tenant(tenant_id).filter(projects, kind__in=DIRECT_COST_KINDS)
    if as_of is not None:
        direct = direct.filter(date__lte=as_of)
    return _Inputs(
        transfers_in=_sums(mods, "to_line"),
        transfers_out=_sums(mods, "from_line"),
        changes={(r["budget_line"], r["change_order__status"]): costing.fen(r["total"]) for r in changes},
        commitments={(r["budget_line"], r["group"]): costing.fen(r["total"]) for r in commitments},
        direct=_sums(direct, "budget_line"),
    )


def _attach_cost_codes(tenant_id: int, lines: list[BudgetLine]) -> None:
    """Each line's cost code, read once per code (a budget of thousands of lines has a few dozen codes): one
    query instead of a joined copy of the code on every line."""
    codes = CostCode.objects.for_tenant(tenant_id).in_bulk({line.cost_code_id for line in lines})
    for line in lines:
        line.cost_code = codes[line.cost_code_id]


def _prefixed(q: Q, prefix: str) -> Q:
    """The same condition on a related model's project (`project_id=5` → `change_order__project_id=5`)."""
    out = Q()
    out.connector, out.negated = q.connector, q.negated
    out.children = [(prefix + k, v) for k, v in q.children]
    return out


def _group_key(group: str):
    if group == BudgetGroup.TYPE:
        return lambda row: row.line.cost_type
    return lambda row: row.line.cost_code


def _sort_key(group: str):
    if group == BudgetGroup.TYPE:
        return lambda row: (COST_TYPE_ORDER.get(row.line.cost_type, 99), row.line.sort_order, row.line.pk)
    return lambda row: (row.line.cost_code.code, row.line.sort_order, row.line.pk)


def budget_view(*, access, project, group: str = BudgetGroup.CODE) -> BudgetView:
    """The project's budget view for the caller, in a constant number of queries (nine, whatever the lines)."""
    budget = visible_budget(access=access, project=project)
    return budget_view_of(tenant_id=access.tenant_id, project=project, budget=budget, group=group)


def budget_view_of(
    *, tenant_id: int, project, budget: ProjectBudget | None, group: str = BudgetGroup.CODE, as_of=None
) -> BudgetView:
    """The budget view of a project already in hand, without a permission check: the services' alerts and
    snapshots read the same figures the page shows. `as_of` leaves out direct costs dated after it."""
    with gc_paused():  # thousands of rows at once and no cycles among them
        return _budget_view_of(tenant_id=tenant_id, project=project, budget=budget, group=group, as_of=as_of)


def _budget_view_of(*, tenant_id: int, project, budget: ProjectBudget | None, group: str, as_of) -> BudgetView:
    group = group if group in BudgetGroup.values else BudgetGroup.CODE
    tenant = tenant_id
    rows: list[LineRow] = []
    approved_contract = ZERO
    open_alerts = 0
    if budget is not None:
        # Only what the view shows: a budget of thousands of lines is mostly the cost of building its rows.
        lines = list(
            BudgetLine.objects.for_tenant(tenant)
            .filter(budget=budget)
            .only(*VIEW_LINE_FIELDS)
            .order_by("sort_order", "id")
        )
        _attach_cost_codes(tenant, lines)
        inputs = _inputs(tenant, Q(project_id=project.pk), as_of=as_of)
        rows = [LineRow(line, costing.line_figures(inputs.line_inputs(line))) for line in lines]
        rows.sort(key=_sort_key(group))
        approved_contract = (
            ChangeOrder.objects.for_tenant(tenant)
            .filter(budget=budget, kind=ChangeOrderKind.PRIME, status=ChangeOrderStatus.APPROVED)
            .aggregate(total=Sum("contract_amount"))["total"]
            or ZERO
        )
        approved_contract = costing.fen(approved_contract)
        open_alerts = CostAlert.objects.for_tenant(tenant).filter(project_id=project.pk, closed_at__isnull=True).count()
    total = costing.total(r.figures for r in rows)
    margin = costing.margin(
        original_contract_value=budget.original_contract_value if budget else ZERO,
        approved_contract_changes=approved_contract,
        ecac=total.ecac,
    )
    return BudgetView(
        project=project,
        budget=budget,
        group=group,
        rows=rows,
        groups=costing.grouped(rows, _group_key(group)),
        total=total,
        margin=margin,
        approved_contract_changes=approved_contract,
        open_alerts=open_alerts,
    )


# --- the portfolio ------------------------------------------------------------------------------------------


@dataclass
class PortfolioRow:
    """One project's totals across its lines, its margin, and its CPI (None without cost yet)."""

    project: object
    budget: ProjectBudget
    total: costing.Figures
    margin: costing.Margin
    cpi: Decimal | None = None
    open_alerts: int = 0


PORTFOLIO_ORDERING = ("name", "revised", "ecac", "over_under", "contract_value", "margin_percent", "cpi")


@gc_paused()  # every budget line of every visible project at once
def portfolio(*, access, filters: dict | None = None) -> list[PortfolioRow]:
    """Every visible project with a budget: its totals, margin and CPI, from grouped queries over all of them
    (no query per project). `filters`: `q` (name, code, number), `status`, `ordering` (PORTFOLIO_ORDERING, a
    leading '-' descending)."""
    from tandem.finance.selectors.earned_value import portfolio_indices
    from tandem.projects.selectors import project_list

    require(access, PERMISSION)
    if cost_hidden(access):
        return []
    filters = filters or {}
    tenant = access.tenant_id
    projects = project_list(access=access, filters={k: filters.get(k, "") for k in ("q", "status")})
    budgets = list(
        ProjectBudget.objects.restrict(access)
        .filter(project__in=projects.values("pk"), project__deleted_at__isnull=True)
        .select_related("project", "project__owner")
    )
    if not budgets:
        return []
    project_ids = [b.project_id for b in budgets]
    scope = Q(project_id__in=project_ids)
    lines = list(
        BudgetLine.objects.for_tenant(tenant)
        .filter(scope)
        .only("id", "project_id", "task_id", "original_amount", "forecast_method", "forecast_amount")
        .order_by()
    )
    inputs = _inputs(tenant, scope)
    totals: dict[int, costing.Figures] = defaultdict(costing.Figures)
    figures_by_line = {}
    for line in lines:
        figures_by_line[line.pk] = f = costing.line_figures(inputs.line_inputs(line))
        totals[line.project_id].add(f)
    contract_changes = _sums(
        ChangeOrder.objects.for_tenant(tenant).filter(
            scope, kind=ChangeOrderKind.PRIME, status=ChangeOrderStatus.APPROVED
        ),
        "project_id",
        "contract_amount",
    )
    alerts = {
        row["project_id"]: row["n"]
        for row in CostAlert.objects.for_tenant(tenant)
        .filter(scope, closed_at__isnull=True)
        .values("project_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    cpis = portfolio_indices(tenant, project_ids, lines, figures_by_line)
    out = []
    for budget in budgets:
        total = totals[budget.project_id]
        out.append(
            PortfolioRow(
                project=budget.project,
                budget=budget,
                total=total,
                margin=costing.margin(
                    original_contract_value=budget.original_contract_value,
                    approved_contract_changes=contract_changes.get(budget.project_id, ZERO),
                    ecac=total.ecac,
                ),
                cpi=cpis.get(budget.project_id),
                open_alerts=alerts.get(budget.project_id, 0),
            )
        )
    return sort_portfolio(out, filters.get("ordering", ""))


def sort_portfolio(rows: list[PortfolioRow], ordering: str) -> list[PortfolioRow]:
    key = ordering.lstrip("-")
    if key not in PORTFOLIO_ORDERING:
        return sorted(rows, key=lambda r: r.project.name)
    getters = {
        "name": lambda r: r.project.name,
        "revised": lambda r: r.total.revised,
        "ecac": lambda r: r.total.ecac,
        "over_under": lambda r: r.total.over_under,
        "contract_value": lambda r: r.margin.contract_value,
        "margin_percent": lambda r: r.margin.percent,
        "cpi": lambda r: r.cpi,
    }
    get = getters[key]
    present = [r for r in rows if get(r) is not None]
    missing = [r for r in rows if get(r) is None]
    return sorted(present, key=get, reverse=ordering.startswith("-")) + missing


# --- the drill-down -----------------------------------------------------------------------------------------

# The input columns a cell can open, and what lies behind each.
DRILL_COLUMNS = costing.INPUT_COLUMNS


@dataclass(frozen=True)
class CellItem:
    """One record behind a cell, in the same shape whatever its kind."""

    kind: str  # "line", "modification", "change", "commitment", "cost"
    date: object
    reference: str
    title: str
    status: str
    line: BudgetLine
    amount: Decimal
    record: object


@dataclass
class CellRecords:
    column: str
    line: BudgetLine | None
    items: list[CellItem]

    @property
    def total(self) -> Decimal:
        return sum((i.amount for i in self.items), ZERO)


def cell_records(
    *, access, project, column: str, line: BudgetLine | None = None, cost_code_id=None, cost_type=None
) -> CellRecords:
    """The records behind one input cell of the budget view: of one line, of a group (a cost code or a cost type),
    or of the whole budget (no line, no group). Their amounts add up to the cell."""
    if column not in DRILL_COLUMNS:
        raise NotFound(_("Not found."), code="not_found")
    budget = visible_budget(access=access, project=project)
    if budget is None:
        return CellRecords(column, line, [])
    tenant = access.tenant_id
    lines = BudgetLine.objects.for_tenant(tenant).filter(budget=budget)
    if line is not None:
        lines = lines.filter(pk=line.pk)
    if cost_code_id:
        lines = lines.filter(cost_code_id=cost_code_id)
    if cost_type:
        lines = lines.filter(cost_type=cost_type)
    line_ids = lines.values("pk")
    items: list[CellItem] = []
    if column == "original":
        for ln in lines.select_related("cost_code").order_by("sort_order", "id"):
            title = f"{ln.quantity.normalize():f} {ln.unit} × {ln.unit_price}".strip()
            items.append(CellItem("line", ln.created_at, ln.cost_code.code, title, "", ln, ln.original_amount, ln))
    elif column == "modifications":
        mods = (
            BudgetModification.objects.for_tenant(tenant)
            .filter(Q(to_line__in=line_ids) | Q(from_line__in=line_ids))
            .select_related("from_line__cost_code", "to_line__cost_code", "created_by")
            .order_by("created_at", "id")
        )
        ids = set(lines.values_list("pk", flat=True))
        for mod in mods:
            into, out = mod.to_line_id in ids, mod.from_line_id in ids
            if into and out:
                continue  # a transfer inside the group adds nothing to it
            amount = mod.amount if into else -mod.amount
            target = mod.to_line if into else mod.from_line
            title = f"{mod.from_line} → {mod.to_line}: {mod.reason}"
            items.append(CellItem("modification", mod.created_at, f"#{mod.pk}", title, "", target, amount, mod))
    elif column in ("approved_changes", "pending_changes"):
        status = ChangeOrderStatus.APPROVED if column == "approved_changes" else ChangeOrderStatus.PENDING
        for cl in (
            ChangeOrderLine.objects.for_tenant(tenant)
            .filter(budget_line__in=line_ids, change_order__status=status)
            .select_related("change_order", "budget_line__cost_code")
            .order_by("change_order__created_at", "id")
        ):
            co = cl.change_order
            items.append(
                CellItem(
                    "change",
                    co.decided_at or co.submitted_at or co.created_at,
                    co.number,
                    co.title + (f" · {cl.description}" if cl.description else ""),
                    co.get_status_display(),
                    cl.budget_line,
                    cl.amount,
                    co,
                )
            )
    elif column in ("committed", "pending_cost"):
        statuses = COMMITTED_STATUSES if column == "committed" else PENDING_COST_STATUSES
        for cl in (
            CommitmentLine.objects.for_tenant(tenant)
            .filter(budget_line__in=line_ids, commitment__status__in=statuses)
            .select_related("commitment", "budget_line__cost_code")
            .order_by("commitment__created_at", "id")
        ):
            c = cl.commitment
            items.append(
                CellItem(
                    "commitment",
                    c.signed_on or c.created_at,
                    c.number,
                    f"{c.title} · {c.vendor}" + (f" · {cl.description}" if cl.description else ""),
                    c.get_status_display(),
                    cl.budget_line,
                    cl.amount,
                    c,
                )
            )
    else:  # direct
        for rec in (
            CostRecord.objects.for_tenant(tenant)
            .filter(budget_line__in=line_ids, kind__in=DIRECT_COST_KINDS)
            .select_related("budget_line__cost_code")
            .order_by("date", "id")
        ):
            title = " · ".join(p for p in (rec.get_kind_display(), rec.vendor, rec.description) if p)
            items.append(CellItem("cost", rec.date, rec.reference, title, "", rec.budget_line, rec.amount, rec))
    return CellRecords(column, line, items)


def budget_line_list(*, access, project, action: str = "view"):
    """The project's budget lines the caller may `action`, in the budget's order."""
    require(access, PERMISSION)
    return (
        BudgetLine.objects.restrict(access, action)
        .filter(project_id=project.pk)
        .select_related("cost_code", "task")
        .order_by("sort_order", "id")
    )


def open_alert_list(*, access, project=None):
    """The open cost alerts of one project, or of every project the caller can see, newest first."""
    from tandem.projects.selectors import project_list

    if not access.has_perm("finance.view_costalert"):
        return CostAlert.objects.none()
    qs = CostAlert.objects.restrict(access).filter(closed_at__isnull=True)
    if project is not None:
        qs = qs.filter(project_id=project.pk)
    else:
        qs = qs.filter(project__in=project_list(access=access).order_by().values("pk"))
    return qs.select_related("project", "budget_line__cost_code").order_by("-opened_at", "-id")


def budget_get(*, access, pk: int) -> ProjectBudget | None:
    """A budget by id within the caller's reach (its project visible, cost not hidden from the caller)."""
    from tandem.projects.models import Project
    from tandem.projects.selectors import project_list

    require(access, PERMISSION)
    if access.field_rule(Project.budget_rule) == "hidden":
        return None
    return (
        ProjectBudget.objects.restrict(access)
        .filter(pk=pk, project__in=project_list(access=access).order_by().values("pk"))
        .select_related("project")
        .first()
    )
