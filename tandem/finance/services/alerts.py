"""Cost alerts (成本预警): a budget line over budget, the margin below the tenant's threshold, CPI below its
threshold. `cost_alerts_refresh` runs at the end of every service that moves money (and after the approvals
handler decides a change order); it opens the alerts whose condition now holds (emitting
`finance.cost.alert_opened` once per opening), keeps the value of the open ones current and closes the others.

The refresh reads a project's figures with `project_cost_figures`, a small internal reader of its own (the pages'
selectors build the full budget view and earned value for display; this one only needs the totals the rules
test and the snapshot stores).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from tandem.core.events import emit
from tandem.finance import costing, evm
from tandem.finance import events as finance_events
from tandem.finance.choices import (
    COMMITTED_STATUSES,
    DIRECT_COST_KINDS,
    PENDING_COST_STATUSES,
    ChangeOrderKind,
    ChangeOrderStatus,
    CostAlertKind,
)
from tandem.finance.models import (
    BudgetLine,
    BudgetModification,
    ChangeOrder,
    ChangeOrderLine,
    CommitmentLine,
    CostAlert,
    CostRecord,
    CostSettings,
    ProjectBudget,
)
from tandem.projects.models import Project, Task

ZERO = Decimal("0.00")


# --- the internal figures reader ----------------------------------------------------------------------------


@dataclass
class ProjectFigures:
    """A project's budget columns per line and in total, its margin, actual cost and earned value."""

    lines: dict[int, costing.Figures] = field(default_factory=dict)
    total: costing.Figures = field(default_factory=costing.Figures)
    margin: costing.Margin | None = None
    actual_cost: Decimal = ZERO
    earned_value: evm.EarnedValue | None = None


def _sums(qs, key: str, value: str = "amount") -> dict:
    return {row[key]: row["s"] or ZERO for row in qs.values(key).annotate(s=Sum(value)).order_by()}


def _local_date(value) -> date | None:
    return timezone.localtime(value).date() if value is not None else None


def project_cost_figures(*, tenant_id: int, project_id: int, as_of: date | None = None) -> ProjectFigures:
    """The budget columns (costing), margin and earned value (evm) of one project, in a fixed number of grouped
    queries; costs dated after `as_of` (default today) are left out of AC and the direct column."""
    from tandem.projects.selectors import primary_baselines

    as_of = as_of or timezone.localdate()
    budget = ProjectBudget.objects.filter(tenant_id=tenant_id, project_id=project_id).first()
    out = ProjectFigures()
    if budget is None:
        return out
    lines = list(
        BudgetLine.objects.filter(tenant_id=tenant_id, budget=budget).values(
            "id", "original_amount", "forecast_method", "forecast_amount", "task_id"
        )
    )
    mods = BudgetModification.objects.filter(tenant_id=tenant_id, budget=budget)
    moved_in, moved_out = _sums(mods, "to_line_id"), _sums(mods, "from_line_id")
    changes: dict[str, dict] = defaultdict(dict)
    for row in (
        ChangeOrderLine.objects.filter(
            tenant_id=tenant_id,
            change_order__budget=budget,
            change_order__status__in=(ChangeOrderStatus.APPROVED, ChangeOrderStatus.PENDING),
        )
        .values("budget_line_id", "change_order__status")
        .annotate(s=Sum("amount"))
        .order_by()
    ):
        changes[row["change_order__status"]][row["budget_line_id"]] = row["s"] or ZERO
    committed: dict[str, dict] = defaultdict(dict)
    for row in (
        CommitmentLine.objects.filter(
            tenant_id=tenant_id,
            commitment__project_id=project_id,
            commitment__status__in=(*COMMITTED_STATUSES, *PENDING_COST_STATUSES),
        )
        .values("budget_line_id", "commitment__status")
        .annotate(s=Sum("amount"))
        .order_by()
    ):
        bucket = "committed" if row["commitment__status"] in COMMITTED_STATUSES else "pending"
        committed[bucket][row["budget_line_id"]] = committed[bucket].get(row["budget_line_id"], ZERO) + row["s"]
    direct: dict[int, Decimal] = defaultdict(lambda: ZERO)
    actual = ZERO
    for row in (
        CostRecord.objects.filter(tenant_id=tenant_id, project_id=project_id, date__lte=as_of)
        .values("budget_line_id", "kind")
        .annotate(s=Sum("amount"))
        .order_by()
    ):
        actual += row["s"]
        if row["kind"] in DIRECT_COST_KINDS:
            direct[row["budget_line_id"]] += row["s"]
    for line in lines:
        pk = line["id"]
        out.lines[pk] = costing.line_figures(
            costing.LineInputs(
                original=line["original_amount"],
                modifications=moved_in.get(pk, ZERO) - moved_out.get(pk, ZERO),
                approved_changes=changes[ChangeOrderStatus.APPROVED].get(pk, ZERO),
                pending_changes=changes[ChangeOrderStatus.PENDING].get(pk, ZERO),
                committed=committed["committed"].get(pk, ZERO),
                direct=direct.get(pk, ZERO),
                pending_cost=committed["pending"].get(pk, ZERO),
                forecast_method=line["forecast_method"],
                forecast_amount=line["forecast_amount"],
            )
        )
    out.total = costing.total(out.lines.values())
    contract_changes = (
        ChangeOrder.objects.filter(
            tenant_id=tenant_id, budget=budget, status=ChangeOrderStatus.APPROVED, kind=ChangeOrderKind.PRIME
        ).aggregate(s=Sum("contract_amount"))["s"]
        or ZERO
    )
    out.margin = costing.margin(
        original_contract_value=budget.original_contract_value,
        approved_contract_changes=contract_changes,
        ecac=out.total.ecac,
    )
    out.actual_cost = actual
    # Earned value: lines on a task earn its % complete and are planned over its baseline dates; the others earn
    # the project's duration-weighted % complete over the baseline's whole span.
    tasks = {
        t["id"]: t
        for t in Task.objects.filter(tenant_id=tenant_id, project_id=project_id).values(
            "id", "percent_complete", "duration", "is_summary"
        )
    }
    leaves = [t for t in tasks.values() if not t["is_summary"]]
    weight = sum(t["duration"] for t in leaves)
    if weight:
        project_percent = Decimal(sum(t["duration"] * t["percent_complete"] for t in leaves)) / weight
    elif leaves:
        project_percent = Decimal(sum(t["percent_complete"] for t in leaves)) / len(leaves)
    else:
        project_percent = Decimal(0)
    rows = primary_baselines([project_id]).get(project_id, {})
    starts = [_local_date(r.start) for r in rows.values() if r.start]
    finishes = [_local_date(r.finish) for r in rows.values() if r.finish]
    span = (min(starts), max(finishes)) if starts and finishes else (None, None)
    planned = []
    for line in lines:
        revised = out.lines[line["id"]].revised
        task, row = tasks.get(line["task_id"]), rows.get(line["task_id"])
        percent = Decimal(task["percent_complete"]) if task is not None else project_percent
        if row is not None and row.start and row.finish:
            start, finish = _local_date(row.start), _local_date(row.finish)
        else:
            start, finish = span
        planned.append(evm.Planned(amount=revised, start=start, finish=finish, percent_complete=percent))
    out.earned_value = evm.indices(
        bac=out.total.revised, pv=evm.planned_value(planned, as_of), ev=evm.earned_value(planned), ac=actual
    )
    return out


# --- the alerts ---------------------------------------------------------------------------------------------


def cost_settings_for(tenant_id: int) -> CostSettings:
    """The tenant's thresholds, created with the defaults on first use."""
    found = CostSettings.objects.filter(tenant_id=tenant_id).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            created = CostSettings.objects.create(tenant_id=tenant_id)
        created.refresh_from_db()  # the model's default "0.90" is a str until read back
        return created
    except IntegrityError:
        return CostSettings.objects.get(tenant_id=tenant_id)


def _project_url(project_id: int) -> str:
    for name in ("finance:budget", "finance:project_budget"):
        try:
            return reverse(name, args=[project_id])
        except NoReverseMatch:
            continue
    return reverse("projects:detail", args=[project_id])


def wanted_alerts(figures: ProjectFigures, settings: CostSettings) -> dict[tuple[str, int | None], tuple]:
    """(kind, line id) → (value, threshold) of every alert whose condition holds."""
    wanted: dict[tuple[str, int | None], tuple] = {}
    if settings.line_over_budget_alert:
        for pk, line in figures.lines.items():
            if line.over_under < 0:
                wanted[(CostAlertKind.LINE_OVER_BUDGET, pk)] = (line.over_under, ZERO)
    margin = figures.margin
    if margin is not None and margin.percent is not None and margin.percent < settings.margin_alert_percent:
        wanted[(CostAlertKind.MARGIN_LOW, None)] = (margin.percent, settings.margin_alert_percent)
    ev = figures.earned_value
    if ev is not None and ev.cpi is not None and ev.cpi < settings.cpi_alert_below:
        wanted[(CostAlertKind.CPI_LOW, None)] = (ev.cpi, settings.cpi_alert_below)
    return wanted


@transaction.atomic
def cost_alerts_refresh(*, tenant_id: int, project_id: int) -> list[CostAlert]:
    """Open, update and close the project's cost alerts; returns the alerts opened now."""
    project = Project.all_objects.filter(tenant_id=tenant_id, pk=project_id).first()
    if project is None:
        return []
    figures = project_cost_figures(tenant_id=tenant_id, project_id=project_id)
    wanted = wanted_alerts(figures, cost_settings_for(tenant_id))
    now = timezone.now()
    open_alerts = {
        (a.kind, a.budget_line_id): a
        for a in CostAlert.objects.select_for_update().filter(
            tenant_id=tenant_id, project_id=project_id, closed_at__isnull=True
        )
    }
    for key, alert in open_alerts.items():
        if key not in wanted:
            alert.closed_at = now
            alert.save(update_fields=["closed_at", "updated_at"])
            emit(
                finance_events.COST_ALERT_CLOSED,
                tenant=tenant_id,
                payload={
                    "alert_id": alert.pk,
                    "project_id": project_id,
                    "kind": alert.kind,
                    "budget_line_id": alert.budget_line_id,
                },
            )
        else:
            value, threshold = wanted[key]
            if alert.value != value or alert.threshold != threshold:
                alert.value, alert.threshold = value, threshold
                alert.save(update_fields=["value", "threshold", "updated_at"])
    opened = []
    for key, (value, threshold) in wanted.items():
        if key in open_alerts:
            continue
        kind, line_id = key
        try:
            with transaction.atomic():
                alert = CostAlert.objects.create(
                    tenant_id=tenant_id,
                    project_id=project_id,
                    kind=kind,
                    budget_line_id=line_id,
                    value=value,
                    threshold=threshold,
                    opened_at=now,
                )
        except IntegrityError:  # opened by a concurrent refresh
            continue
        opened.append(alert)
        emit(
            finance_events.COST_ALERT_OPENED,
            tenant=tenant_id,
            payload={
                "alert_id": alert.pk,
                "project_id": project_id,
                "project_name": str(project),
                "kind": kind,
                "budget_line_id": line_id,
                "value": str(value),
                "threshold": str(threshold),
                "url": _project_url(project_id),
            },
        )
    return opened
