"""Keeping a tenant's over-allocation conflicts in step with its loads.

`conflicts_refresh(tenant_id=, resource_ids=)` recomputes the loads of the resources named (all active ones when
None) from today to the tenant's look-ahead horizon, and reconciles the stored conflicts with the overload runs
found: a run overlapping an open conflict of the same resource updates it, a new run opens a conflict, an open
conflict with no run left is resolved. Only the resources named are touched, so the refresh after one change
costs one resource's loads. The score and its parts are stored with each conflict (`tandem.resources.scoring`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.db.models.base import ModelState
from django.utils import timezone

from tandem.crm.models import Account
from tandem.projects.services.scheduling import tenant_zone
from tandem.resources import scoring
from tandem.resources.choices import ConflictStatus
from tandem.resources.models import Conflict, ResourceSettings
from tandem.resources.selectors.loads import resource_loads
from tandem.scheduling.engine.loads import Overload, overloads

MINUTES_PER_DAY = 480  # float is stored in working minutes; a working day of the standard calendar


@dataclass
class Refresh:
    """What a refresh changed."""

    opened: list[Conflict] = field(default_factory=list)
    updated: list[Conflict] = field(default_factory=list)
    resolved: list[Conflict] = field(default_factory=list)

    @property
    def open(self) -> list[Conflict]:
        return self.opened + self.updated


def resource_settings(tenant_id: int) -> ResourceSettings:
    """The tenant's resource settings; the defaults (unsaved) when it has none yet."""
    found = ResourceSettings.objects.filter(tenant_id=tenant_id).first()
    return found or ResourceSettings(tenant_id=tenant_id)


def local_today(tenant_id: int) -> date:
    return timezone.now().astimezone(tenant_zone(tenant_id)).date()


@transaction.atomic
def conflicts_refresh(
    *, tenant_id: int, resource_ids: Iterable[int] | None = None, today: date | None = None
) -> Refresh:
    today = today or local_today(tenant_id)
    settings = resource_settings(tenant_id)
    last = today + timedelta(weeks=settings.horizon_weeks)
    ids = None if resource_ids is None else set(resource_ids)
    if ids is not None and not ids:
        return Refresh()
    loads = resource_loads(tenant_id, today, last, ids)
    runs = [
        run
        for pk, capacity in loads.capacity.items()
        for run in overloads(loads.load.get(pk, {}), loads.behind.get(pk, {}), capacity)
    ]
    exposures = _exposures(tenant_id, loads, {task for run in runs for task in run.tasks}, today)
    fixed = _fixed_parts(settings)

    # Open conflicts, and the dismissed ones not yet over: a run overlapping a dismissed conflict stays dismissed
    # (the user accepted that overload) instead of opening it again.
    existing = (
        Conflict.objects.select_for_update()
        .filter(tenant_id=tenant_id)
        .filter(Q(status=ConflictStatus.OPEN) | Q(status=ConflictStatus.DISMISSED, end__gte=today))
    )
    if ids is not None:
        existing = existing.filter(resource_id__in=ids)  # a full refresh also resolves inactive resources' conflicts
    # Read as plain rows (no timestamps but the warning's, no model instances yet): a full refresh reads every
    # stored conflict back, and most come out unchanged.
    by_resource: dict[int, list[tuple]] = {}
    for row in existing.order_by("start", "id").values_list(*READ):
        by_resource.setdefault(row[2], []).append(row)

    result = Refresh()
    now = timezone.now()
    changed: list[Conflict] = []
    db = existing.db
    for run in runs:
        candidates = by_resource.get(run.resource, [])
        overlapping = [c for c in candidates if c[4] <= run.end and run.start <= c[5]]
        match = next((c for c in overlapping if c[3] == ConflictStatus.OPEN), None) or next(iter(overlapping), None)
        values = _values(run, exposures, today, settings, fixed)
        if match is not None:
            candidates.remove(match)
            conflict = _instance(db, match[:4] + values + match[-1:])
            if match[3] == ConflictStatus.OPEN:
                result.updated.append(conflict)
            if _changed(match[4:-1], values):
                changed.append(conflict)
        else:
            conflict = Conflict(tenant_id=tenant_id, resource_id=run.resource)
            for name, value in zip(FILLED_ATTNAMES, values, strict=True):
                setattr(conflict, name, value)
            result.opened.append(conflict)
    for leftovers in by_resource.values():
        for row in leftovers:
            if row[3] != ConflictStatus.OPEN:
                continue
            conflict = _instance(db, row)
            conflict.status, conflict.resolved_at = ConflictStatus.RESOLVED, now
            conflict.resolution = "ended" if conflict.end < today else "cleared"
            result.resolved.append(conflict)

    if result.opened:
        Conflict.objects.bulk_create(result.opened)
    if changed:
        Conflict.objects.bulk_update(changed, FILLED)
    if result.resolved:
        Conflict.objects.bulk_update(result.resolved, ["status", "resolved_at", "resolution"])
    from tandem.resources.services import warnings

    warnings.conflicts_warn(
        tenant_id=tenant_id, conflicts=result.open, loads=loads, today=today, settings=settings, now=now
    )
    warnings.conflicts_resolved(tenant_id=tenant_id, conflicts=result.resolved)
    return result


FILLED = [
    "start",
    "end",
    "peak_load",
    "overload_minutes",
    "task",
    "project",
    "task_ids",
    "project_ids",
    "score",
    "factors",
]
FILLED_ATTNAMES = [f"{name}_id" if name in ("task", "project") else name for name in FILLED]
# What a refresh reads of a stored conflict: who and what it is, what a run fills, whether it was warned.
READ = ["id", "tenant_id", "resource_id", "status", *FILLED_ATTNAMES, "warned_at"]


def _instance(db: str, row: tuple) -> Conflict:
    """The stored conflict of a READ row, as `Model.from_db` gives it (the columns not read are deferred), without
    `Model.__init__`'s pass over every field: a full refresh makes one for each of thousands of conflicts, and
    nothing listens to a conflict's init signals."""
    conflict = Conflict.__new__(Conflict)
    conflict.__dict__.update(zip(READ, row, strict=True))
    state = conflict._state = ModelState()
    state.adding, state.db = False, db
    return conflict


_CENT = Decimal("0.01")


def _changed(stored: tuple, values: tuple) -> bool:
    """Whether a stored conflict's filled columns differ from a run's (the score compared as stored, in cents)."""
    score = FILLED_ATTNAMES.index("score")
    for i, (old, new) in enumerate(zip(stored, values, strict=True)):
        if i == score:
            if old is None or Decimal(str(old)).quantize(_CENT) != Decimal(str(new)).quantize(_CENT):
                return True
        elif old != new:
            return True
    return False


def _fixed_parts(settings: ResourceSettings) -> dict:
    """What every conflict's factors share: the weights and the formula, worked out once a refresh."""
    return {
        "weights": {k: settings.score_weights.get(k, 0) for k in scoring.SCORE_FACTORS},
        "formula": scoring.formula(settings.score_weights),
    }


def _values(run: Overload, exposures: dict, today: date, settings: ResourceSettings, fixed: dict) -> tuple:
    """The values of the FILLED columns for `run`, in that order."""
    peak_load = min(run.peak_percent, 999)
    tasks = sorted(run.tasks)
    project_ids = sorted({exposures[t][1] for t in tasks if t in exposures})
    candidates = []
    for t in tasks:
        found = exposures.get(t)
        if found is not None:
            e = found[0]
            candidates.append(
                e if e.starts > run.start else scoring.Exposure(t, e.tier, e.priority, e.float_days, run.start)
            )
    best = scoring.most_exposed(candidates, peak_load, today, settings.tier_weights, settings.score_weights)
    if best is None:
        return (run.start, run.end, peak_load, run.overload_minutes, None, None, tasks, project_ids, 0, {})
    exposure, parts, value = best
    factors = {
        "parts": parts,
        "weights": dict(fixed["weights"]),
        "formula": fixed["formula"],
        "tier": exposure.tier,
        "priority": exposure.priority,
        "float_days": exposure.float_days,
        "starts": exposure.starts.isoformat(),
    }
    project_id = exposures[exposure.task_id][1]
    return (
        run.start,
        run.end,
        peak_load,
        run.overload_minutes,
        exposure.task_id,
        project_id,
        tasks,
        project_ids,
        value,
        factors,
    )


def _exposures(tenant_id: int, loads, task_ids: set[int], today: date) -> dict[int, tuple[scoring.Exposure, int]]:
    """Task id → (its exposure, its project id): from what the loads read with the allocations, and the
    customers' tiers in one query."""
    if not task_ids:
        return {}
    rows = {pk: loads.tasks[pk] for pk in task_ids if pk in loads.tasks}
    tiers = dict(
        Account.objects.filter(tenant_id=tenant_id, pk__in={r[2] for r in rows.values() if r[2]}).values_list(
            "pk", "tier"
        )
    )
    out = {}
    for pk, (project_id, priority, account_id, total_float, starts) in rows.items():
        float_days = None if total_float is None else total_float / MINUTES_PER_DAY
        out[pk] = (scoring.Exposure(pk, tiers.get(account_id, ""), priority, float_days, starts or today), project_id)
    return out


def conflicts_refresh_all(*, today: date | None = None) -> int:
    """Every active tenant's conflicts, each tenant in its own transaction; the conflicts open afterwards."""
    from tandem.accounts.models import Tenant

    total = 0
    for pk in Tenant.objects.filter(is_active=True).values_list("pk", flat=True).order_by("pk"):
        total += len(conflicts_refresh(tenant_id=pk, today=today).open)
    return total
