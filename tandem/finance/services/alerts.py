"""Cost alerts (成本预警): a budget line over budget, the margin below the tenant's threshold, CPI below its
threshold. `cost_alerts_refresh` runs at the end of every service that moves money (and after the approvals
handler decides a change order); it opens the alerts whose condition now holds (emitting
`finance.cost.alert_opened` once per opening), keeps the value of the open ones current and closes the others.

The refresh reads a project's figures with `project_cost_figures`, through the selectors the budget and earned-value
pages use, so an alert and the page it links to always show the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from tandem.core.events import emit
from tandem.finance import costing, evm
from tandem.finance import events as finance_events
from tandem.finance.choices import CostAlertKind
from tandem.finance.models import CostAlert, CostSettings, ProjectBudget
from tandem.finance.selectors.budget_view import budget_view_of
from tandem.finance.selectors.earned_value import earned_value_of
from tandem.projects.models import Project

ZERO = Decimal("0.00")


# --- the figures the rules test ------------------------------------------------------------------------------


@dataclass
class ProjectFigures:
    """A project's budget columns per line and in total, its margin, actual cost and earned value."""

    lines: dict[int, costing.Figures] = field(default_factory=dict)
    total: costing.Figures = field(default_factory=costing.Figures)
    margin: costing.Margin | None = None
    actual_cost: Decimal = ZERO
    earned_value: evm.EarnedValue | None = None


def project_cost_figures(*, tenant_id: int, project_id: int, as_of: date | None = None) -> ProjectFigures:
    """The figures of the budget page and the earned-value page (the same selectors, unscoped) at `as_of`
    (default today): costs dated after it are left out of the direct column and of AC."""
    as_of = as_of or timezone.localdate()
    budget = ProjectBudget.objects.filter(tenant_id=tenant_id, project_id=project_id).select_related("project").first()
    if budget is None:
        return ProjectFigures()
    view = budget_view_of(tenant_id=tenant_id, project=budget.project, budget=budget, as_of=as_of)
    earned = earned_value_of(tenant_id=tenant_id, project=budget.project, view=view, as_of=as_of).figures
    return ProjectFigures(
        lines={row.line.pk: row.figures for row in view.rows},
        total=view.total,
        margin=view.margin,
        actual_cost=earned.ac,
        earned_value=earned,
    )


# --- the alerts ---------------------------------------------------------------------------------------------


def cost_settings_for(tenant_id: int) -> CostSettings:
    """The tenant's thresholds, created with the defaults on first use."""
    found = CostSettings.objects.filter(tenant_id=tenant_id).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return CostSettings.objects.create(tenant_id=tenant_id)
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
