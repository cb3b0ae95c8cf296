"""Monthly cost snapshots (成本快照): a project's budget-view totals and earned-value figures at a month's end,
for the trend and the S-curve. Taken again for the same month, the snapshot is replaced."""

from __future__ import annotations

import calendar
from datetime import date

from django.db import transaction
from django.utils import timezone

from tandem.finance.models import CostSnapshot, ProjectBudget
from tandem.finance.services.alerts import project_cost_figures


def month_end(month: date) -> date:
    return date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])


@transaction.atomic
def cost_snapshot_take(*, tenant_id: int, project_id: int, month: date) -> CostSnapshot:
    """The project's figures as of the end of `month` (or today, for the current month)."""
    first = month.replace(day=1)
    as_of = min(month_end(first), timezone.localdate())
    figures = project_cost_figures(tenant_id=tenant_id, project_id=project_id, as_of=as_of)
    totals = {name: str(value) for name, value in figures.total.as_dict().items()}
    if figures.margin is not None:
        totals["contract_value"] = str(figures.margin.contract_value)
        totals["margin"] = str(figures.margin.amount)
        totals["margin_percent"] = None if figures.margin.percent is None else str(figures.margin.percent)
    earned = figures.earned_value.as_dict() if figures.earned_value is not None else {}
    snapshot, _created = CostSnapshot.objects.update_or_create(
        tenant_id=tenant_id,
        project_id=project_id,
        month=first,
        defaults={"totals": totals, "earned_value": earned, "taken_at": timezone.now()},
    )
    return snapshot


def cost_snapshots_take_all(*, month: date) -> int:
    """A snapshot of every project with a budget, in every tenant; how many were taken."""
    count = 0
    for tenant_id, project_id in (
        ProjectBudget.objects.filter(project__deleted_at__isnull=True)
        .order_by("tenant_id", "project_id")
        .values_list("tenant_id", "project_id")
    ):
        cost_snapshot_take(tenant_id=tenant_id, project_id=project_id, month=month)
        count += 1
    return count
