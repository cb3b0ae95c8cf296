"""Resource leveling of one project or several (a portfolio): propose, accept, discard.

`leveling_propose()` builds the engine's input from the projects' tasks, links, lags, calendars, constraints,
allocations and the resources' capacities (headcount, hours per day, leave, and what other projects already book),
runs `tandem.scheduling.engine.leveling.level()` within a budget of generated schedules, and stores a
`LevelingProposal`: per task the dates before (the stored CPM schedule) and after, which tasks moved and why (the
resource over capacity, or the predecessor that pushed them), each project's finish before and after, and a
fingerprint of the inputs. `leveling_accept()` writes the moves as start-no-earlier-than constraints through the
projects services and reschedules, in one transaction, and refuses a proposal whose inputs changed since.

What the engine cannot do is refused with a message rather than failed on: tasks already started, tasks on
different work calendars, an allocation beyond what the resource ever has.

Units: the engine counts resource use in percent of a person's day (a person is 100, a crew of five 500); an
allocation of `hours_per_day` is converted on an 8-hour day, as is a resource's `hours_per_day` cap.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.calendars.models import WorkCalendar
from tandem.core.errors import ApplicationError
from tandem.core.events import emit
from tandem.core.services import actor_of, check_tenant, require
from tandem.projects.choices import ConstraintType
from tandem.projects.models import Dependency, Project, Task
from tandem.projects.services.scheduling import engine_project, from_local, project_reschedule, tenant_zone, to_local
from tandem.projects.services.tasks import task_update
from tandem.resources import events
from tandem.resources.choices import ProposalStatus
from tandem.resources.models import Allocation, Leave, LevelingProposal, Resource
from tandem.scheduling.engine import leveling as engine_leveling
from tandem.scheduling.engine import model as engine

MAX_BUDGET = 5000
MAX_PROJECTS = 20
DAY_MINUTES = 480  # the day hours-per-day values are counted on
FULL = 100  # a person's whole day in the engine's units (percent)


@dataclasses.dataclass
class Input:
    """Everything the engine is given, with what the pages need to name it."""

    project: engine.Project
    resources: list[engine_leveling.Resource]
    demands: list[engine_leveling.Demand]
    projects: list[Project]
    tasks: dict[str, Task]
    resource_names: dict[str, str]
    fingerprint: str


def _percent(hours: Decimal | None) -> int | None:
    return None if hours is None else round(float(hours) * 60 / DAY_MINUTES * FULL)


def _canonical(value):
    """Plain, ordered JSON data of the engine's dataclasses (dates as ISO text), for the fingerprint."""
    if dataclasses.is_dataclass(value):
        return {f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in sorted(value.items(), key=lambda item: str(item[0]))}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _refuse_progress(tasks: list[Task]) -> None:
    started = [t for t in tasks if not t.is_summary and (t.actual_start or t.actual_finish or t.percent_complete)]
    if started:
        names = "、".join(t.name for t in started[:5]) + ("…" if len(started) > 5 else "")
        raise ApplicationError(
            _("Leveling plans work not yet started, and these tasks have started: %(tasks)s.") % {"tasks": names},
            code="progress",
        )


def _refuse_calendars(calendar_of: dict[int, int]) -> None:
    used = set(calendar_of.values())
    if len(used) > 1:
        names = "、".join(WorkCalendar.objects.filter(pk__in=used).order_by("name").values_list("name", flat=True))
        raise ApplicationError(
            _("Leveling needs every task on one work calendar; these tasks use several: %(calendars)s.")
            % {"calendars": names},
            code="calendar",
        )


def leveling_input(*, tenant_id: int, projects: list[Project]) -> Input:
    """The engine's input for these projects (a merged network when there are several) and its fingerprint."""
    zone = tenant_zone(tenant_id)
    project_ids = [p.pk for p in projects]
    all_tasks = list(Task.objects.filter(project_id__in=project_ids).order_by("project_id", "sort_order", "id"))
    if not [t for t in all_tasks if not t.is_summary]:
        raise ApplicationError(_("These projects have no tasks to level."), code="empty")
    _refuse_progress(all_tasks)
    links_of = defaultdict(list)
    for row in Dependency.objects.filter(project_id__in=project_ids).values_list(
        "project_id", "predecessor_id", "successor_id", "type", "lag"
    ):
        links_of[row[0]].append(row[1:])

    tasks: list[engine.Task] = []
    links: list[engine.Link] = []
    calendars: dict[str, engine.Calendar] = {}
    calendar_of: dict[int, int] = {}
    starts = {}
    for project in projects:
        own = [t for t in all_tasks if t.project_id == project.pk]
        if not own:
            continue
        part = engine_project(project, own, links_of[project.pk], zone)
        calendars.update(part.calendars)
        starts[project.pk] = part.start
        for task, row in zip(part.tasks, own, strict=True):
            task.calendar = task.calendar or part.default_calendar
            task.priority = project.priority
            if not row.is_summary:
                calendar_of[row.pk] = int(task.calendar)
        tasks.extend(part.tasks)
        links.extend(part.links)
    _refuse_calendars(calendar_of)
    calendar = next(iter(set(calendar_of.values())))
    origin = min(starts.values())
    # A later project's tasks wait for its start: a milestone at its start precedes each of them.
    for project in projects:
        if project.pk in starts and starts[project.pk] > origin:
            gate = f"start-{project.pk}"
            tasks.append(
                engine.Task(
                    id=gate,
                    calendar=str(calendar),
                    constraint=engine.ConstraintType.SNET,
                    constraint_date=starts[project.pk],
                    priority=1000,
                )
            )
            links.extend(
                engine.Link(predecessor=gate, successor=str(t.pk))
                for t in all_tasks
                if t.project_id == project.pk and not t.is_summary
            )
    network = engine.Project(
        start=origin, tasks=tasks, links=links, calendars=calendars, default_calendar=str(calendar)
    )

    by_id = {str(t.pk): t for t in all_tasks}
    leaf_ids = {str(t.pk) for t in all_tasks if not t.is_summary and t.duration > 0}
    allocations = list(
        Allocation.objects.filter(tenant_id=tenant_id, project_id__in=project_ids)
        .select_related("resource")
        .order_by("task_id", "resource_id")
    )
    demands: dict[tuple[str, str], int] = {}
    resources = {a.resource_id: a.resource for a in allocations}
    for allocation in allocations:
        task_id = str(allocation.task_id)
        units = _percent(allocation.hours_per_day) if allocation.hours_per_day is not None else round(allocation.units)
        if task_id not in leaf_ids or not units:
            continue
        key = (task_id, str(allocation.resource_id))
        demands[key] = demands.get(key, 0) + units
    engine_resources = _capacities(tenant_id, resources, project_ids, origin, zone)
    capacity = {r.id: max([r.capacity, *(units for _at, units in r.changes)]) for r in engine_resources}
    for (task_id, resource_id), units in demands.items():
        if units > capacity[resource_id]:
            raise ApplicationError(
                _("%(task)s needs %(units)s %% of %(resource)s, who never has more than %(capacity)s %%.")
                % {
                    "task": by_id[task_id].name,
                    "units": units,
                    "resource": resources[int(resource_id)].name,
                    "capacity": capacity[resource_id],
                },
                code="capacity",
            )
    engine_demands = [engine_leveling.Demand(t, r, u) for (t, r), u in sorted(demands.items())]
    stored = [(t.pk, t.early_start, t.early_finish) for t in all_tasks]
    fingerprint = hashlib.sha256(
        json.dumps(
            _canonical([network, engine_resources, engine_demands, stored, [(p.pk, p.priority) for p in projects]]),
            sort_keys=True,
        ).encode()
    ).hexdigest()
    return Input(
        network,
        engine_resources,
        engine_demands,
        projects,
        by_id,
        {str(pk): r.name for pk, r in resources.items()},
        fingerprint,
    )


def _capacities(tenant_id, resources: dict[int, Resource], project_ids, origin: datetime, zone):
    """Each resource's capacity in percent of a day, less its leave and what other live projects book of it."""
    base = {}
    for pk, resource in resources.items():
        per_person = FULL if resource.hours_per_day is None else min(FULL, _percent(resource.hours_per_day))
        base[pk] = per_person * resource.headcount
    # (instant, resource id) → change of capacity from that instant on
    deltas: dict[int, dict[datetime, int]] = defaultdict(lambda: defaultdict(int))
    first = origin.date()
    for resource_id, start, end, hours_off in Leave.objects.filter(
        tenant_id=tenant_id, resource_id__in=resources, end__gte=first
    ).values_list("resource_id", "start", "end", "hours_off"):
        person = (
            FULL if resources[resource_id].hours_per_day is None else _percent(resources[resource_id].hours_per_day)
        )
        off = min(person, _percent(hours_off)) if hours_off is not None else person
        deltas[resource_id][datetime.combine(max(start, first), time.min)] -= off
        deltas[resource_id][datetime.combine(end + timedelta(days=1), time.min)] += off
    elsewhere = (
        Allocation.objects.filter(tenant_id=tenant_id, resource_id__in=resources)
        .exclude(project_id__in=project_ids)
        .filter(
            task__actual_finish__isnull=True,
            task__is_summary=False,
            task__early_finish__gt=from_local(origin, zone),
            project__deleted_at__isnull=True,
        )
        .values_list(
            "resource_id", "units", "hours_per_day", "task__early_start", "task__actual_start", "task__early_finish"
        )
    )
    for resource_id, units, hours, start, actual_start, finish in elsewhere:
        used = _percent(hours) if hours is not None else round(units)
        begin, end = to_local(actual_start or start, zone), to_local(finish, zone)
        if not used or begin is None or end is None or end <= begin:
            continue
        deltas[resource_id][max(begin, origin)] -= used
        deltas[resource_id][end] += used
    out = []
    for pk in sorted(resources):
        level, changes = base[pk], []
        for instant in sorted(deltas.get(pk, {})):
            level += deltas[pk][instant]
            changes.append((instant, max(0, level)))
        start_level = base[pk]
        while changes and changes[0][0] <= origin:
            start_level = changes.pop(0)[1]
        out.append(engine_leveling.Resource(str(pk), start_level, tuple(changes)))
    return out


def _engine_error(exc: engine.ScheduleError) -> ApplicationError:
    messages = {
        "calendar": _("Leveling needs every task on one work calendar."),
        "progress": _("Leveling plans work not yet started; some tasks have started."),
        "capacity": _("A task needs more of a resource than it ever has."),
        "too_fine": _("The durations and lags are too fine to level; round them to whole hours."),
        "cycle": _("The dependencies form a loop."),
    }
    return ApplicationError(
        messages.get(exc.code, _("These projects cannot be leveled: %(reason)s") % {"reason": str(exc)}),
        code=f"leveling_{exc.code}",
    )


def _day(value: datetime | None) -> str | None:
    return value.isoformat(timespec="minutes") if value else None


def _result(data: Input, leveled: engine_leveling.LevelingResult, zone) -> dict:
    moves = {move.task: move for move in leveled.moves}
    names = data.resource_names
    rows = []
    finish_after: dict[int, datetime] = {}
    for task_id, task in data.tasks.items():
        before_start, before_finish = to_local(task.early_start, zone), to_local(task.early_finish, zone)
        after_start, after_finish = leveled.start.get(task_id), leveled.finish.get(task_id)
        if after_finish is not None:
            current = finish_after.get(task.project_id)
            finish_after[task.project_id] = after_finish if current is None else max(current, after_finish)
        move = moves.get(task_id)
        moved = not task.is_summary and after_start is not None and after_start != before_start
        reason, resource_name, pushed_by = "", "", ""
        if moved and move is not None:
            if move.resource is not None:
                resource_name = names.get(move.resource, move.resource)
                reason = "resource"
            elif move.predecessor is not None:
                pushed_by = data.tasks[move.predecessor].name if move.predecessor in data.tasks else ""
                reason = "predecessor" if pushed_by else "start"
        rows.append(
            {
                "id": task.pk,
                "project_id": task.project_id,
                "name": task.name,
                "wbs": task.outline_number,
                "level": task.outline_level,
                "summary": task.is_summary,
                "milestone": task.is_milestone or task.duration == 0,
                "constraint": task.constraint_type,
                "before_start": _day(before_start),
                "before_finish": _day(before_finish),
                "after_start": _day(after_start),
                "after_finish": _day(after_finish),
                "moved": moved,
                "delay_minutes": move.delay if move is not None and moved else 0,
                "reason": reason,
                "resource": resource_name,
                "pushed_by": pushed_by,
            }
        )
    projects = [
        {
            "id": p.pk,
            "name": p.name,
            "number": p.code or p.number,
            "priority": p.priority,
            "finish_before": _day(to_local(p.scheduled_finish, zone)),
            "finish_after": _day(finish_after.get(p.pk)),
        }
        for p in data.projects
    ]
    violations = [
        {
            "kind": v.kind,
            "tasks": [data.tasks[t].name for t in v.tasks if t in data.tasks],
            "message": v.message,
        }
        for v in leveled.violations
        if v.kind != "deadline"
    ]
    return {
        "projects": projects,
        "tasks": rows,
        "moved": sum(1 for row in rows if row["moved"]),
        "violations": violations,
        "makespan": leveled.makespan,
        "cpm_makespan": leveled.cpm_makespan,
        "schedules": leveled.schedules,
        "resources": [{"id": r.id, "name": names.get(r.id, r.id), "capacity": r.capacity} for r in data.resources],
    }


def _check_projects(access, projects: list[Project], action: str = "view") -> list[Project]:
    if not projects:
        raise ApplicationError(_("Choose a project to level."), errors={"projects": [_("Choose a project.")]})
    if len(projects) > MAX_PROJECTS:
        message = _("Level at most %(n)s projects at once.") % {"n": MAX_PROJECTS}
        raise ApplicationError(message, errors={"projects": [message]})
    check_tenant(access, *projects)
    visible = set(
        Project.objects.restrict(access, action).filter(pk__in=[p.pk for p in projects]).values_list("pk", flat=True)
    )
    if any(p.pk not in visible for p in projects):
        raise ApplicationError(_("Unknown project."), errors={"projects": [_("Not found.")]})
    return sorted({p.pk: p for p in projects}.values(), key=lambda p: p.pk)


@transaction.atomic
def leveling_propose(*, access, projects: list[Project], budget: int = 1000) -> LevelingProposal:
    """Level these projects together and store the proposal (nothing in the projects changes yet)."""
    require(access, "resources.add_levelingproposal")
    if isinstance(budget, bool) or not isinstance(budget, int) or not 1 <= budget <= MAX_BUDGET:
        message = _("The budget is a whole number of schedules from 1 to %(n)s.") % {"n": MAX_BUDGET}
        raise ApplicationError(message, errors={"budget": [message]})
    projects = _check_projects(access, projects)
    data = leveling_input(tenant_id=access.tenant_id, projects=projects)
    try:
        leveled = engine_leveling.level(data.project, data.resources, data.demands, budget=budget)
    except engine.ScheduleError as exc:
        raise _engine_error(exc) from exc
    zone = tenant_zone(access.tenant_id)
    proposal = LevelingProposal.objects.create(
        tenant_id=access.tenant_id,
        project_ids=[p.pk for p in projects],
        budget=budget,
        result=_result(data, leveled, zone),
        fingerprint=data.fingerprint,
        created_by=actor_of(access),
    )
    audit_record(obj=proposal, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(proposal))
    return proposal


def proposal_projects(proposal: LevelingProposal) -> list[Project]:
    return list(Project.objects.filter(tenant_id=proposal.tenant_id, pk__in=proposal.project_ids).order_by("pk"))


def proposal_is_stale(proposal: LevelingProposal) -> bool:
    """Whether the schedule, allocations or capacities changed since the proposal was made."""
    projects = proposal_projects(proposal)
    if len(projects) != len(proposal.project_ids):
        return True
    try:
        data = leveling_input(tenant_id=proposal.tenant_id, projects=projects)
    except ApplicationError:
        return True
    return data.fingerprint != proposal.fingerprint


def _check_open(access, proposal: LevelingProposal) -> None:
    require(access, "resources.change_levelingproposal")
    check_tenant(access, proposal)
    if proposal.status != ProposalStatus.PROPOSED:
        raise ApplicationError(
            _("This proposal was already %(status)s.") % {"status": proposal.get_status_display()}, code="decided"
        )


@transaction.atomic
def leveling_accept(*, access, proposal: LevelingProposal) -> LevelingProposal:
    """Write the moves as start-no-earlier-than constraints and reschedule, all or nothing; a proposal whose
    inputs changed since is refused (level again)."""
    proposal = LevelingProposal.objects.select_for_update().get(pk=proposal.pk)
    _check_open(access, proposal)
    require(access, "projects.change_task")
    projects = _check_projects(access, proposal_projects(proposal), "change")
    if len(projects) != len(proposal.project_ids) or proposal_is_stale(proposal):
        raise ApplicationError(_("The schedule changed since this proposal was made; level again."), code="stale")
    zone = tenant_zone(access.tenant_id)
    moved = [row for row in proposal.result.get("tasks", []) if row["moved"]]
    tasks = {t.pk: t for t in Task.objects.filter(pk__in=[row["id"] for row in moved]).select_related("project")}
    for row in moved:
        start = from_local(datetime.fromisoformat(row["after_start"]), zone)
        task_update(
            access=access,
            task=tasks[row["id"]],
            reschedule=False,
            constraint_type=ConstraintType.SNET,
            constraint_date=start,
        )
    for project in projects:
        project_reschedule(project=project)
    before = snapshot(proposal)
    proposal.status, proposal.decided_at = ProposalStatus.ACCEPTED, timezone.now()
    proposal.save(update_fields=["status", "decided_at"])
    audit_record(
        obj=proposal, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=snapshot(proposal)
    )
    emit(
        events.LEVELING_ACCEPTED,
        tenant=access.membership.tenant,
        actor=actor_of(access),
        payload={"proposal_id": proposal.pk, "project_ids": proposal.project_ids, "moved": len(moved)},
    )
    _refresh_conflicts(access.tenant_id, proposal.project_ids)
    return proposal


def _refresh_conflicts(tenant_id: int, project_ids: list[int]) -> None:
    from tandem.resources.services.conflicts import conflicts_refresh

    resource_ids = set(
        Allocation.objects.filter(tenant_id=tenant_id, project_id__in=project_ids).values_list("resource_id", flat=True)
    )
    if resource_ids:
        conflicts_refresh(tenant_id=tenant_id, resource_ids=resource_ids)


@transaction.atomic
def leveling_discard(*, access, proposal: LevelingProposal) -> LevelingProposal:
    """Drop the proposal; nothing in the projects changes."""
    proposal = LevelingProposal.objects.select_for_update().get(pk=proposal.pk)
    _check_open(access, proposal)
    before = snapshot(proposal)
    proposal.status, proposal.decided_at = ProposalStatus.DISCARDED, timezone.now()
    proposal.save(update_fields=["status", "decided_at"])
    audit_record(
        obj=proposal, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=snapshot(proposal)
    )
    return proposal
