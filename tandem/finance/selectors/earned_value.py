"""Earned value (挣值) of a project from its budget view, its primary baseline and its tasks' % complete, the
S-curve and the monthly CPI/SPI trend (the monthly snapshots, and the live month).

A budget line on a task is planned over that task's dates in the primary baseline (the lowest-numbered one) and
earns the task's % complete; a line without a task (or on a task missing from the baseline) is planned over the
baseline's whole span and earns the project's % complete: its leaf tasks' % complete weighted by duration.
BAC is the revised budget; AC every actual cost to the date, direct costs and commitment invoices alike.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum
from django.utils import timezone

from tandem.finance import costing, evm
from tandem.finance.models import CostRecord, CostSnapshot
from tandem.finance.selectors.budget_view import BudgetView, budget_view
from tandem.projects.models import Task
from tandem.projects.selectors import primary_baselines

ZERO = Decimal("0.00")


def _day(value) -> date | None:
    if value is None:
        return None
    return timezone.localtime(value).date() if hasattr(value, "tzinfo") else value


def project_percent(tasks) -> Decimal:
    """Leaf tasks' % complete weighted by their durations (0 without any work planned), 0–100."""
    work = done = Decimal(0)
    for task in tasks:
        if task["is_summary"]:
            continue
        weight = Decimal(task["duration"] or 0)
        work += weight
        done += weight * task["percent_complete"]
    return (done / work).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if work else Decimal(0)


def _task_rows(project_ids) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = defaultdict(list)
    for row in Task.objects.filter(project_id__in=project_ids).values(
        "id", "project_id", "percent_complete", "duration", "is_summary"
    ):
        out[row["project_id"]].append(row)
    return out


def planned_items(view: BudgetView, baseline: dict, tasks: list[dict]) -> list[evm.Planned]:
    """Each line's revised budget as planned work: its task's baseline dates (else the baseline's span) and % done."""
    spans = [(_day(r.start), _day(r.finish)) for r in baseline.values() if r.start and r.finish]
    whole = (min(s for s, _f in spans), max(f for _s, f in spans)) if spans else (None, None)
    percent = {t["id"]: Decimal(t["percent_complete"]) for t in tasks}
    overall = project_percent(tasks)
    items = []
    for row in view.rows:
        line = row.line
        start, finish = whole
        done = overall
        if line.task_id is not None:
            done = percent.get(line.task_id, overall)
            task_row = baseline.get(line.task_id)
            if task_row is not None and task_row.start and task_row.finish:
                start, finish = _day(task_row.start), _day(task_row.finish)
        items.append(evm.Planned(amount=row.figures.revised, start=start, finish=finish, percent_complete=done))
    return items


@dataclass
class TrendPoint:
    month: date  # the first day of the month
    cpi: Decimal | None
    spi: Decimal | None
    live: bool = False


@dataclass
class EarnedValueReport:
    """The figures, the S-curve (with EV per month where known) and the trend of a project."""

    as_of: date
    figures: evm.EarnedValue
    percent_complete: Decimal
    has_baseline: bool
    curve: list[evm.CurvePoint]
    earned: dict  # month end → EV (snapshots, and the live month)
    trend: list[TrendPoint]

    def chart_data(self) -> dict:
        """JSON-safe data of the two charts (strings for money, so nothing is lost on the way)."""
        return {
            "curve": [
                {
                    "month": p.month_end.strftime("%Y-%m"),
                    "planned": str(p.planned),
                    "actual": None if p.actual is None else str(p.actual),
                    "earned": None if self.earned.get(p.month_end) is None else str(self.earned[p.month_end]),
                }
                for p in self.curve
            ],
            "trend": [
                {
                    "month": t.month.strftime("%Y-%m"),
                    "cpi": None if t.cpi is None else str(t.cpi),
                    "spi": None if t.spi is None else str(t.spi),
                }
                for t in self.trend
            ],
        }


def _decimal(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


@dataclass
class Earned:
    """A project's earned-value figures at a date, with the planned items and the dated costs behind them."""

    figures: evm.EarnedValue
    items: list[evm.Planned]
    costs: list[tuple[date, Decimal]]
    tasks: list[dict]
    has_baseline: bool


def earned_value_of(*, tenant_id: int, project, view: BudgetView, as_of: date) -> Earned:
    """Earned value from a budget view already read, without a permission check (the services' alerts and
    snapshots use it, so they test the figures the page shows)."""
    baseline = primary_baselines([project.pk]).get(project.pk, {})
    tasks = _task_rows([project.pk]).get(project.pk, [])
    items = planned_items(view, baseline, tasks)
    costs = list(
        CostRecord.objects.for_tenant(tenant_id)
        .filter(project_id=project.pk, date__lte=as_of)
        .values("date")
        .annotate(total=Sum("amount"))
        .order_by("date")
        .values_list("date", "total")
    )
    costs = [(day, costing.fen(amount)) for day, amount in costs]
    ac = sum((amount for _d, amount in costs), ZERO)
    figures = evm.indices(bac=view.total.revised, pv=evm.planned_value(items, as_of), ev=evm.earned_value(items), ac=ac)
    return Earned(figures=figures, items=items, costs=costs, tasks=tasks, has_baseline=bool(baseline))


def project_earned_value(*, access, project, as_of: date | None = None, view: BudgetView | None = None):
    """The project's earned value at the end of `as_of` (today by default)."""
    today = timezone.localdate()
    as_of = as_of or today
    view = view or budget_view(access=access, project=project)
    earned_now = earned_value_of(tenant_id=access.tenant_id, project=project, view=view, as_of=as_of)
    figures, items, costs, tasks = earned_now.figures, earned_now.items, earned_now.costs, earned_now.tasks
    ac = figures.ac
    snapshots = list(
        CostSnapshot.objects.for_tenant(access.tenant_id).filter(project_id=project.pk, month__lt=as_of.replace(day=1))
    )
    earned, trend = {}, []
    for snap in snapshots:
        end = evm.month_ends(snap.month, snap.month)[0]
        values = snap.earned_value or {}
        earned[end] = _decimal(values.get("ev"))
        trend.append(TrendPoint(snap.month, _decimal(values.get("cpi")), _decimal(values.get("spi"))))
    live_end = evm.month_ends(as_of, as_of)[0]
    earned[live_end] = figures.ev
    trend.append(TrendPoint(as_of.replace(day=1), figures.cpi, figures.spi, live=True))
    curve = evm.s_curve(items, costs, today)
    if curve and curve[-1].month_end < live_end:
        # The plan and the costs ended before today's month: today's point still shows where EV stands.
        curve.append(evm.CurvePoint(live_end, figures.pv, ac))
    return EarnedValueReport(
        as_of=as_of,
        figures=figures,
        percent_complete=project_percent(tasks),
        has_baseline=earned_now.has_baseline,
        curve=curve,
        earned=earned,
        trend=trend,
    )


def portfolio_indices(tenant_id: int, project_ids, lines, figures_by_line) -> dict[int, Decimal | None]:
    """CPI per project for the portfolio: EV from each line's revised budget × its task's (or the project's) %
    complete, over AC to today. Two queries for all the projects."""
    tasks = _task_rows(project_ids)
    percent = {t["id"]: Decimal(t["percent_complete"]) for rows in tasks.values() for t in rows}
    overall = {pid: project_percent(rows) for pid, rows in tasks.items()}
    earned: dict[int, Decimal] = defaultdict(Decimal)
    for line in lines:
        done = percent.get(line.task_id, overall.get(line.project_id, Decimal(0)))
        earned[line.project_id] += figures_by_line[line.pk].revised * done / 100
    actual = {
        row["project_id"]: costing.fen(row["total"])
        for row in CostRecord.objects.for_tenant(tenant_id)
        .filter(project_id__in=project_ids, date__lte=timezone.localdate())
        .values("project_id")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    out = {}
    for pid in project_ids:
        ev = earned.get(pid, Decimal(0)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        out[pid] = evm.indices(bac=ZERO, pv=ZERO, ev=ev, ac=actual.get(pid) or ZERO).cpi
    return out
