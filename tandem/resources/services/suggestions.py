"""Suggestions that resolve an over-allocation conflict, each with its effect on every project's finish, and
applying one.

`conflict_suggestions(access=, conflict=)` works out, for an open conflict of resource R:

* MOVE — start a non-critical, not yet started task of R later, within its total float (a start-no-earlier-than
  constraint on the first day that clears R's overload without overloading R elsewhere);
* SWAP — give one of R's tasks to a free active resource of the same kind with every skill of R at a level at
  least R's, who has the capacity on the task's days;
* SPLIT — share the task's units half and half between R and such a resource;
* REQUEST — ask the resource managers for extra staff (a `StaffRequest`) with R's main skill for the overload.

The effect of each is computed by running the project's CPM schedule in memory with the change (nothing is
saved): the finish date of every project of the conflict before and after. They are ranked: no finish delay
first, then those that clear the conflict, then the least disruption (days moved, people touched).

`suggestion_apply(access=, conflict=, key=, fingerprint=)` recomputes the suggestions, refuses when the one
asked for is gone or its fingerprint (a hash of the data it was computed from) differs, then makes the change and
reschedules in the same transaction, refreshes the conflicts of the resources touched and audits the conflict.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.calendars.selectors import engine_calendars
from tandem.core.errors import Conflict as Stale
from tandem.core.events import emit
from tandem.core.services import actor_of, check_tenant, require
from tandem.projects.choices import ConstraintType
from tandem.projects.models import Dependency, Project, Task
from tandem.projects.services.scheduling import (
    engine_project,
    from_local,
    project_reschedule,
    tenant_zone,
    to_local,
)
from tandem.projects.services.tasks import task_update
from tandem.resources import events
from tandem.resources.choices import ConflictStatus, SuggestionKind
from tandem.resources.models import Allocation, Conflict, Leave, Resource, ResourceSkill
from tandem.resources.selectors.loads import Loads, resource_calendar_ids, resource_loads
from tandem.resources.services.allocations import allocation_create, allocation_delete, allocation_update
from tandem.resources.services.conflicts import local_today, resource_settings
from tandem.scheduling.engine import model as engine
from tandem.scheduling.engine.calendar import working_time
from tandem.scheduling.engine.cpm import schedule
from tandem.scheduling.engine.loads import Booking, booking_days, daily_loads

K = SuggestionKind
MAX_MOVE_DAYS = 90  # calendar days a move is searched over at most
MAX_CANDIDATES = 2  # free people offered per task for a swap or a split
# Disruption of each kind, for ranking (a move counts its days instead).
DISRUPTION = {K.SWAP: 20, K.SPLIT: 30, K.REQUEST: 100}


@dataclass
class Effect:
    """A project's finish date before and after the change (local dates)."""

    project_id: int
    project_name: str
    before: date | None
    after: date | None

    @property
    def delay_days(self) -> int:
        if self.before is None or self.after is None:
            return 0
        return (self.after - self.before).days

    @property
    def label(self) -> str:
        days = self.delay_days
        if days == 0:
            return _("Finish date unchanged")
        if days > 0:
            return ngettext("+%(days)s day", "+%(days)s days", days) % {"days": days}
        return ngettext("%(days)s day earlier", "%(days)s days earlier", -days) % {"days": -days}

    def as_dict(self) -> dict:
        return {
            "project_id": self.project_id,
            "project_name": self.project_name,
            "finish_before": self.before.isoformat() if self.before else None,
            "finish_after": self.after.isoformat() if self.after else None,
            "delay_days": self.delay_days,
            "label": self.label,
        }


@dataclass
class LoadChange:
    """A resource's peak load (%) on the affected days before and after."""

    resource_id: int
    resource_name: str
    before: int
    after: int

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclass
class Suggestion:
    kind: str
    key: str
    title: str
    detail: str
    task_id: int | None
    task_name: str
    project_id: int | None
    resource_id: int
    other_id: int | None = None  # the resource swapped or split in
    other_name: str = ""
    start: date | None = None  # a move's new start
    start_at: datetime | None = None  # …as the naive local moment of its start-no-earlier-than constraint
    units: Decimal | None = None  # a split's share of each
    shift_days: int = 0
    clears: bool = False
    effects: list[Effect] = field(default_factory=list)
    loads: list[LoadChange] = field(default_factory=list)
    fingerprint: str = ""
    request: dict = field(default_factory=dict)  # a staff request's skill_id, hours, start, end

    @property
    def delay_days(self) -> int:
        return max([e.delay_days for e in self.effects] or [0])

    @property
    def disruption(self) -> int:
        return self.shift_days if self.kind == K.MOVE else DISRUPTION[self.kind]

    @property
    def rank(self) -> tuple:
        return (self.delay_days > 0, self.delay_days, not self.clears, self.disruption, self.key)

    def kind_label(self) -> str:
        return K(self.kind).label

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "key": self.key,
            "title": self.title,
            "detail": self.detail,
            "task_id": self.task_id,
            "task_name": self.task_name,
            "project_id": self.project_id,
            "resource_id": self.resource_id,
            "other_resource_id": self.other_id,
            "other_resource_name": self.other_name,
            "start": self.start.isoformat() if self.start else None,
            "units": str(self.units) if self.units is not None else None,
            "clears": self.clears,
            "delay_days": self.delay_days,
            "effects": [e.as_dict() for e in self.effects],
            "loads": [x.as_dict() for x in self.loads],
            "request": self.request,
            "fingerprint": self.fingerprint,
        }


def plain(value: Decimal) -> str:
    """A decimal without trailing zeros and never in exponent form: 50.00 → "50", 12.50 → "12.5"."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _hash(*parts) -> str:
    text = json.dumps(parts, default=str, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class _Plan:
    """Everything one conflict's suggestions are worked out from, read once."""

    def __init__(self, conflict: Conflict):
        self.conflict = conflict
        self.tenant_id = conflict.tenant_id
        self.zone = tenant_zone(self.tenant_id)
        self.today = local_today(self.tenant_id)
        settings = resource_settings(self.tenant_id)
        self.first = min(conflict.start, self.today)
        self.last = max(self.today + timedelta(weeks=settings.horizon_weeks), conflict.end)
        self.resource = conflict.resource
        self.loads = resource_loads(self.tenant_id, self.first, self.last, [self.resource.pk])
        self.allocations = list(
            Allocation.objects.filter(
                tenant_id=self.tenant_id, resource=self.resource, task_id__in=conflict.task_ids
            ).select_related("task", "project")
        )
        project_ids = set(conflict.project_ids) | {a.project_id for a in self.allocations}
        self.projects = {p.pk: p for p in Project.objects.filter(tenant_id=self.tenant_id, pk__in=project_ids)}
        self.tasks = {
            pid: list(Task.objects.filter(project_id=pid).order_by("sort_order", "id")) for pid in self.projects
        }
        self.links = {
            pid: list(
                Dependency.objects.filter(project_id=pid)
                .order_by("predecessor_id", "successor_id")
                .values_list("predecessor_id", "successor_id", "type", "lag")
            )
            for pid in self.projects
        }
        self._engine: dict[int, engine.Project] = {}
        self._others: dict[int, Loads | None] = {}
        self.baseline = {pid: self.simulate(pid, {}) for pid in self.projects}
        self.base_state = self._state()

    # The in-memory schedule.
    def engine(self, project_id: int) -> engine.Project:
        if project_id not in self._engine:
            project = self.projects[project_id]
            self._engine[project_id] = engine_project(
                project, self.tasks[project_id], self.links[project_id], self.zone
            )
        return self._engine[project_id]

    def simulate(self, project_id: int, overrides: dict[int, dict]) -> dict[str, engine.TaskSchedule]:
        """The project's CPM results with some task fields replaced (`{task id: {field: value}}`), nothing saved."""
        base = self.engine(project_id)
        tasks = [dataclasses.replace(t, **overrides[int(t.id)]) if int(t.id) in overrides else t for t in base.tasks]
        calendars = dict(base.calendars)
        wanted = {o["calendar"] for o in overrides.values() if o.get("calendar")} - set(calendars)
        if wanted:
            calendars.update(engine_calendars({int(c) for c in wanted}, since=date(self.first.year - 1, 1, 1)))
        try:
            return schedule(dataclasses.replace(base, tasks=tasks, calendars=calendars))
        except engine.ScheduleError:
            return {}

    def finish(self, project_id: int, results: dict) -> date | None:
        ids = {str(t.pk) for t in self.tasks[project_id] if not t.is_summary}
        finishes = [r.early_finish for tid, r in results.items() if tid in ids]
        return max(finishes).date() if finishes else None

    def effects(self, changed: dict[int, dict]) -> list[Effect]:
        """The finish of every project of the conflict, before and after; `changed` maps a project to its
        simulated results."""
        out = []
        for pid, project in sorted(self.projects.items()):
            before = self.finish(pid, self.baseline[pid])
            after = self.finish(pid, changed[pid]) if pid in changed else before
            out.append(Effect(pid, project.name, before, after))
        return out

    # Loads.
    def booking_of(self, allocation: Allocation) -> Booking | None:
        return next((b for b in self.loads.bookings if b.key == allocation.pk), None)

    def overloaded_days(self, loads: Loads, resource_id: int, bookings: list[Booking]) -> set[date]:
        load, _behind = daily_loads(bookings, self.first, self.last)
        capacity = loads.capacity.get(resource_id)
        if capacity is None:
            return set()
        return {day for day, minutes in load.get(resource_id, {}).items() if minutes > capacity.on(day)}

    def peak(self, loads: Loads, resource_id: int, bookings: list[Booking], first: date, last: date) -> int:
        load, _behind = daily_loads(bookings, first, last)
        capacity = loads.capacity.get(resource_id)
        peak = 0
        for day, minutes in load.get(resource_id, {}).items():
            cap = capacity.on(day) if capacity else 0
            peak = max(peak, 999 if cap <= 0 else round(minutes * 100 / cap))
        return min(peak, 999)

    def window(self) -> set[date]:
        days, day = set(), self.conflict.start
        while day <= self.conflict.end:
            days.add(day)
            day += timedelta(days=1)
        return days

    def clears(self, loads: Loads, resource_id: int, bookings: list[Booking]) -> bool:
        """No overload left on the conflict's days, and none where the resource had none."""
        before = self.overloaded_days(loads, resource_id, loads.bookings)
        after = self.overloaded_days(loads, resource_id, bookings)
        return not (after & self.window()) and after <= before

    def spares_others(self, project_id: int, results: dict) -> bool:
        """Whether the project's other resources are overloaded on no day they were not already (the move shifts
        the task and maybe its successors)."""
        if project_id not in self._others:
            ids = set(
                Allocation.objects.filter(tenant_id=self.tenant_id, project_id=project_id)
                .exclude(resource_id=self.resource.pk)
                .values_list("resource_id", flat=True)
            )
            self._others[project_id] = resource_loads(self.tenant_id, self.first, self.last, ids) if ids else None
        loads = self._others[project_id]
        if loads is None:
            return True
        moved = [_moved(b, results) for b in loads.bookings]
        return all(
            self.overloaded_days(loads, rid, moved) <= self.overloaded_days(loads, rid, loads.bookings)
            for rid in loads.capacity
        )

    # What a suggestion is computed from.
    def _state(self) -> list:
        c = self.conflict
        tasks = [
            (
                t.pk,
                t.early_start,
                t.early_finish,
                t.total_float,
                t.constraint_type,
                t.constraint_date,
                t.duration,
                t.actual_start,
                t.actual_finish,
                t.calendar_id,
            )
            for pid in sorted(self.tasks)
            for t in self.tasks[pid]
        ]
        return [
            (c.pk, c.status, c.start, c.end, c.peak_load, c.overload_minutes, sorted(c.task_ids)),
            tasks,
            sorted(self.links[pid] for pid in self.links),
            _resource_state(self.tenant_id, self.resource.pk),
        ]

    def fingerprint(self, key: str, other_id: int | None = None) -> str:
        extra = _resource_state(self.tenant_id, other_id) if other_id else None
        return _hash(key, self.base_state, extra)


def _resource_state(tenant_id: int, resource_id: int) -> list:
    """A resource's allocations, leave, capacity and skills: a change to any makes its suggestions stale."""
    return [
        list(
            Allocation.objects.filter(tenant_id=tenant_id, resource_id=resource_id)
            .order_by("pk")
            .values_list("pk", "task_id", "units", "hours_per_day")
        ),
        list(
            Leave.objects.filter(tenant_id=tenant_id, resource_id=resource_id)
            .order_by("pk")
            .values_list("pk", "start", "end", "hours_off")
        ),
        list(
            Resource.objects.filter(pk=resource_id).values_list(
                "is_active", "headcount", "hours_per_day", "calendar_id"
            )
        ),
        list(
            ResourceSkill.objects.filter(resource_id=resource_id).order_by("skill_id").values_list("skill_id", "level")
        ),
    ]


def qualified_resources(resource: Resource) -> list[Resource]:
    """Active resources of the same kind holding every skill of `resource` at a level at least its own."""
    needed = dict(ResourceSkill.objects.filter(resource=resource).values_list("skill_id", "level"))
    candidates = Resource.objects.filter(tenant_id=resource.tenant_id, is_active=True, kind=resource.kind).exclude(
        pk=resource.pk
    )
    if not needed:
        return list(candidates)
    levels: dict[int, dict[int, int]] = {}
    for rid, skill_id, level in ResourceSkill.objects.filter(
        tenant_id=resource.tenant_id, skill_id__in=needed, resource__in=candidates
    ).values_list("resource_id", "skill_id", "level"):
        levels.setdefault(rid, {})[skill_id] = level
    ok = {rid for rid, have in levels.items() if all(have.get(s, 0) >= lvl for s, lvl in needed.items())}
    return [r for r in candidates if r.pk in ok]


def _free_for(loads: Loads, resource_id: int, booking: Booking) -> int | None:
    """The peak load (%) of the resource with the booking added, or None when it would be overloaded."""
    capacity = loads.capacity.get(resource_id)
    if capacity is None:
        return None
    load = loads.load.get(resource_id, {})
    peak = 0
    for day, minutes in booking_days(booking, loads.first, loads.last).items():
        total, cap = load.get(day, 0) + minutes, capacity.on(day)
        if total > cap or cap <= 0:
            return None
        peak = max(peak, round(total * 100 / cap))
    return peak


def _moves(plan: _Plan) -> list[Suggestion]:
    out = []
    for allocation in plan.allocations:
        task = allocation.task
        if (
            task.is_critical
            or not task.total_float
            or task.total_float <= 0
            or task.actual_start
            or task.is_summary
            or task.constraint_type not in (ConstraintType.ASAP, ConstraintType.SNET)
            or task.early_start is None
            or task.late_start is None
        ):
            continue
        pid = task.project_id
        base = plan.engine(pid)
        etask = next(t for t in base.tasks if t.id == str(task.pk))
        calendar = working_time(base.calendars[etask.calendar or base.default_calendar])
        start = to_local(task.early_start, plan.zone)
        latest = to_local(task.late_start, plan.zone).date()
        day = start.date() + timedelta(days=1)
        while day <= min(latest, start.date() + timedelta(days=MAX_MOVE_DAYS)):
            if not calendar.is_working_day(day):
                day += timedelta(days=1)
                continue
            moment = calendar.next_working(datetime.combine(day, time.min))
            results = plan.simulate(
                pid, {task.pk: {"constraint": engine.ConstraintType.SNET, "constraint_date": moment}}
            )
            if results:
                bookings = [_moved(b, results) for b in plan.loads.bookings]
                if plan.clears(plan.loads, plan.resource.pk, bookings) and plan.spares_others(pid, results):
                    new_start = results[str(task.pk)].early_start.date()
                    shift = (new_start - start.date()).days
                    key = f"move:{task.pk}:{new_start.isoformat()}"
                    effects = plan.effects({pid: results})
                    suggestion = Suggestion(
                        kind=K.MOVE,
                        key=key,
                        title=_("Start “%(task)s” on %(date)s") % {"task": task.name, "date": new_start.isoformat()},
                        detail=ngettext(
                            "Moves the task %(days)s day later, within its float; "
                            "%(resource)s is no longer overloaded.",
                            "Moves the task %(days)s days later, within its float; "
                            "%(resource)s is no longer overloaded.",
                            shift,
                        )
                        % {"days": shift, "resource": plan.resource.name},
                        task_id=task.pk,
                        task_name=task.name,
                        project_id=pid,
                        resource_id=plan.resource.pk,
                        start=new_start,
                        start_at=moment,
                        shift_days=shift,
                        clears=True,
                        effects=effects,
                        loads=[
                            LoadChange(
                                plan.resource.pk,
                                plan.resource.name,
                                plan.conflict.peak_load,
                                plan.peak(
                                    plan.loads, plan.resource.pk, bookings, plan.conflict.start, plan.conflict.end
                                ),
                            )
                        ],
                        fingerprint=plan.fingerprint(key),
                    )
                    out.append(suggestion)
                    break
            day += timedelta(days=1)
    return out


def _moved(booking: Booking, results: dict) -> Booking:
    """The booking at its task's simulated dates (a started task keeps its start)."""
    result = results.get(str(booking.task))
    if result is None:
        return booking
    return dataclasses.replace(booking, start=result.early_start, finish=result.early_finish)


def _swaps_and_splits(plan: _Plan) -> list[Suggestion]:
    movable = [(a, plan.booking_of(a)) for a in plan.allocations]
    movable = [(a, b) for a, b in movable if b is not None and a.hours_per_day is None and a.units > 0]
    if not movable:
        return []
    candidates = {r.pk: r for r in qualified_resources(plan.resource)}
    if not candidates:
        return []
    first = min(b.start.date() for _a, b in movable)
    last = max(b.finish.date() for _a, b in movable)
    loads = resource_loads(plan.tenant_id, first, last, list(candidates))
    on_task = {
        (task_id, rid)
        for task_id, rid in Allocation.objects.filter(
            tenant_id=plan.tenant_id, task_id__in=[a.task_id for a, _b in movable]
        ).values_list("task_id", "resource_id")
    }
    _calendar_of, own_calendar = resource_calendar_ids(plan.tenant_id, list(candidates.values()))
    out = []
    for allocation, booking in movable:
        task = allocation.task
        window_first, window_last = plan.conflict.start, plan.conflict.end
        before_peak = plan.conflict.peak_load
        for kind in (K.SWAP, K.SPLIT):
            units = allocation.units if kind == K.SWAP else (allocation.units / 2).quantize(Decimal("0.01"))
            trial = dataclasses.replace(booking, units=float(units) / 100)
            offered = []
            for rid, candidate in candidates.items():
                if (task.pk, rid) in on_task:
                    continue
                peak = _free_for(loads, rid, dataclasses.replace(trial, resource=rid, key=("new", rid)))
                if peak is not None:
                    offered.append((peak, candidate.name, rid))
            for peak, name, rid in sorted(offered)[:MAX_CANDIDATES]:
                if kind == K.SWAP:
                    remaining = [b for b in plan.loads.bookings if b.key != allocation.pk]
                else:
                    remaining = [b if b.key != allocation.pk else trial for b in plan.loads.bookings]
                clears = plan.clears(plan.loads, plan.resource.pk, remaining)
                after_peak = plan.peak(plan.loads, plan.resource.pk, remaining, window_first, window_last)
                # The task moves to the swapped-in person's calendar when it has none and they have their own.
                changed = {}
                if kind == K.SWAP and not task.calendar_id and own_calendar.get(rid):
                    changed = {
                        task.project_id: plan.simulate(task.project_id, {task.pk: {"calendar": str(own_calendar[rid])}})
                    }
                key = f"{kind}:{allocation.pk}:{rid}"
                values = {"task": task.name, "resource": plan.resource.name, "other": name}
                if kind == K.SWAP:
                    title = _("Give “%(task)s” to %(other)s") % values
                    detail = (
                        _("%(other)s has the skills and is free on those days; %(resource)s comes off the task.")
                        % values
                    )
                else:
                    title = _("Share “%(task)s” between %(resource)s and %(other)s") % values
                    detail = _("Each works %(units)s %% of the day on the task.") % {"units": plain(units)}
                out.append(
                    Suggestion(
                        kind=kind,
                        key=key,
                        title=title,
                        detail=detail,
                        task_id=task.pk,
                        task_name=task.name,
                        project_id=task.project_id,
                        resource_id=plan.resource.pk,
                        other_id=rid,
                        other_name=name,
                        units=units,
                        clears=clears,
                        effects=plan.effects(changed),
                        loads=[
                            LoadChange(plan.resource.pk, plan.resource.name, before_peak, after_peak),
                            LoadChange(
                                rid,
                                name,
                                plan.peak(loads, rid, loads.bookings, booking.start.date(), booking.finish.date()),
                                peak,
                            ),
                        ],
                        fingerprint=plan.fingerprint(key, rid),
                    )
                )
    return out


def _request(plan: _Plan) -> Suggestion:
    conflict = plan.conflict
    skill = (
        ResourceSkill.objects.filter(resource=plan.resource)
        .select_related("skill")
        .order_by("-level", "skill__name")
        .first()
    )
    hours = (Decimal(conflict.overload_minutes) / 60).quantize(Decimal("0.01"))
    task = conflict.task or (plan.allocations[0].task if plan.allocations else None)
    project_id = conflict.project_id or (task.project_id if task else None) or next(iter(plan.projects), None)
    key = f"request:{conflict.pk}"
    values = {"hours": plain(hours), "skill": skill.skill.name if skill else _("any skill")}
    return Suggestion(
        kind=K.REQUEST,
        key=key,
        title=_("Request extra staff: %(skill)s, %(hours)s hours") % values,
        detail=_("The resource managers are asked for someone for %(start)s – %(end)s.")
        % {"start": conflict.start.isoformat(), "end": conflict.end.isoformat()},
        task_id=task.pk if task else None,
        task_name=task.name if task else "",
        project_id=project_id,
        resource_id=plan.resource.pk,
        effects=plan.effects({}),
        fingerprint=plan.fingerprint(key),
        request={
            "skill_id": skill.skill_id if skill else None,
            "skill_name": skill.skill.name if skill else "",
            "hours": str(hours),
            "start": conflict.start.isoformat(),
            "end": conflict.end.isoformat(),
        },
    )


def suggestions_compute(conflict: Conflict) -> list[Suggestion]:
    """The ranked suggestions for an open conflict (none for a resolved or dismissed one)."""
    if conflict.status != ConflictStatus.OPEN:
        return []
    plan = _Plan(conflict)
    found = _moves(plan) + _swaps_and_splits(plan)
    if plan.projects:
        found.append(_request(plan))
    return sorted(found, key=lambda s: s.rank)


def conflict_suggestions(*, access, conflict: Conflict) -> list[Suggestion]:
    require(access, "resources.view_conflict")
    check_tenant(access, conflict)
    return suggestions_compute(conflict)


# Applying.
@dataclass
class Applied:
    suggestion: Suggestion
    conflict: Conflict
    resolved: bool
    staff_request: object = None


def stale_message() -> str:
    return _(
        "This suggestion is out of date: the plan changed since it was worked out. "
        "Look at the new suggestions and try again."
    )


@transaction.atomic
def suggestion_apply(*, access, conflict: Conflict, key: str, fingerprint: str) -> Applied:
    """Make the change the suggestion describes, reschedule, refresh the conflicts touched, audit the conflict."""
    from tandem.resources.services.conflicts import conflicts_refresh

    require(access, "resources.change_conflict")
    check_tenant(access, conflict)
    conflict = Conflict.objects.select_for_update().select_related("resource").get(pk=conflict.pk)
    if conflict.status != ConflictStatus.OPEN:
        raise Stale(_("This conflict is no longer open."), code="stale")
    suggestion = next((s for s in suggestions_compute(conflict) if s.key == key), None)
    if suggestion is None or suggestion.fingerprint != fingerprint:
        raise Stale(stale_message(), code="stale")

    before = snapshot(conflict)
    touched = {conflict.resource_id}
    staff_request = None
    if suggestion.kind == K.MOVE:
        task = Task.objects.get(pk=suggestion.task_id)
        zone = tenant_zone(conflict.tenant_id)
        moment = from_local(suggestion.start_at, zone)
        task_update(access=access, task=task, constraint_type=ConstraintType.SNET, constraint_date=moment)
        touched |= set(
            Allocation.objects.filter(tenant_id=conflict.tenant_id, project_id=task.project_id).values_list(
                "resource_id", flat=True
            )
        )
    elif suggestion.kind in (K.SWAP, K.SPLIT):
        allocation = Allocation.objects.select_for_update().get(pk=int(key.split(":")[1]))
        other = Resource.objects.get(pk=suggestion.other_id, tenant_id=conflict.tenant_id)
        if suggestion.kind == K.SWAP:
            allocation_create(actor=access, task=allocation.task, resource=other, units=allocation.units)
            allocation_delete(actor=access, allocation=allocation)
        else:
            allocation_update(actor=access, allocation=allocation, units=suggestion.units)
            allocation_create(actor=access, task=allocation.task, resource=other, units=suggestion.units)
        # An effort-driven task keeps its duration (same total rate); a changed assignee may change its calendar.
        project_reschedule(project=allocation.project)
        touched.add(other.pk)
    else:
        from tandem.resources.services.staff_requests import staff_request_create

        request = suggestion.request
        staff_request = staff_request_create(
            access=access,
            conflict=conflict,
            project=Project.objects.get(pk=suggestion.project_id),
            task=Task.objects.filter(pk=suggestion.task_id).first(),
            skill_id=request["skill_id"],
            hours=Decimal(request["hours"]),
            start=conflict.start,
            end=conflict.end,
        )

    refresh = conflicts_refresh(tenant_id=conflict.tenant_id, resource_ids=touched)
    conflict.refresh_from_db()
    resolved = conflict.status == ConflictStatus.RESOLVED
    if resolved:
        conflict.resolution = f"{suggestion.kind}: {suggestion.title}"[:200]
        conflict.save(update_fields=["resolution"])
        emit(
            events.CONFLICT_RESOLVED,
            tenant=access.membership.tenant,
            actor=actor_of(access),
            payload={"conflict_id": conflict.pk, "resource_id": conflict.resource_id, "resolution": suggestion.kind},
        )
    after = {**snapshot(conflict), "suggestion": suggestion.key, "suggestion_title": suggestion.title}
    after["effects"] = [e.as_dict() for e in suggestion.effects]
    audit_record(
        obj=conflict,
        action=AuditAction.UPDATE,
        actor=actor_of(access),
        before={**before, "suggestion": None, "suggestion_title": None, "effects": None},
        after=after,
    )
    del refresh
    return Applied(suggestion=suggestion, conflict=conflict, resolved=resolved, staff_request=staff_request)
