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
    by_resource: dict[int, list[Conflict]] = {}
    for conflict in existing.order_by("start", "id"):
        by_resource.setdefault(conflict.resource_id, []).append(conflict)

    result = Refresh()
    now = timezone.now()
    changed: list[Conflict] = []
    for run in runs:
        candidates = by_resource.get(run.resource, [])
        overlapping = [c for c in candidates if c.start <= run.end and run.start <= c.end]
        match = next((c for c in overlapping if c.status == ConflictStatus.OPEN), None) or next(iter(overlapping), None)
        if match is not None:
            candidates.remove(match)
            before = _state(match)
            _fill(match, run, exposures, today, settings, fixed)
            if match.status == ConflictStatus.OPEN:
                result.updated.append(match)
            if _state(match) != before:
                changed.append(match)
        else:
            conflict = Conflict(tenant_id=tenant_id, resource_id=run.resource)
            _fill(conflict, run, exposures, today, settings, fixed)
            result.opened.append(conflict)
    for leftovers in by_resource.values():
        for conflict in leftovers:
            if conflict.status != ConflictStatus.OPEN:
                continue
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


def _state(conflict: Conflict) -> tuple:
    return tuple(
        Decimal(str(conflict.score)).quantize(Decimal("0.01")) if name == "score" else getattr(conflict, attname)
        for name, attname in FILLED_ATTNAMES
    )


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
FILLED_ATTNAMES = [(name, f"{name}_id" if name in ("task", "project") else name) for name in FILLED]


def _fixed_parts(settings: ResourceSettings) -> dict:
    """What every conflict's factors share: the weights and the formula, worked out once a refresh."""
    return {
        "weights": {k: settings.score_weights.get(k, 0) for k in scoring.SCORE_FACTORS},
        "formula": scoring.formula(settings.score_weights),
    }


def _fill(
    conflict: Conflict, run: Overload, exposures: dict, today: date, settings: ResourceSettings, fixed: dict
) -> None:
    conflict.start, conflict.end = run.start, run.end
    conflict.peak_load = min(run.peak_percent, 999)
    conflict.overload_minutes = run.overload_minutes
    tasks = sorted(run.tasks)
    conflict.task_ids = tasks
    conflict.project_ids = sorted({exposures[t][1] for t in tasks if t in exposures})
    candidates = []
    for t in tasks:
        found = exposures.get(t)
        if found is not None:
            e = found[0]
            starts = e.starts if e.starts > run.start else run.start
            candidates.append(scoring.Exposure(t, e.tier, e.priority, e.float_days, starts))
    best = scoring.most_exposed(candidates, conflict.peak_load, today, settings.tier_weights, settings.score_weights)
    if best is None:
        conflict.task_id = conflict.project_id = None
        conflict.score, conflict.factors = 0, {}
        return
    exposure, parts, value = best
    conflict.task_id = exposure.task_id
    conflict.project_id = exposures[exposure.task_id][1]
    conflict.score = value
    conflict.factors = {
        "parts": parts,
        "weights": dict(fixed["weights"]),
        "formula": fixed["formula"],
        "tier": exposure.tier,
        "priority": exposure.priority,
        "float_days": exposure.float_days,
        "starts": exposure.starts.isoformat(),
    }


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
