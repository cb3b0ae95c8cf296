"""Tasks of a project's WBS: create, change, move in the tree, delete. The project is rescheduled after each."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.calendars.models import ResourceCalendar, WorkCalendar
from tandem.core.errors import ApplicationError
from tandem.core.events import emit
from tandem.core.services import actor_of, check_tenant, full_clean, member_users, require
from tandem.projects import events
from tandem.projects.choices import DATED_CONSTRAINTS, ConstraintType, DurationUnit
from tandem.projects.models import Project, Task
from tandem.projects.services.scheduling import from_local, project_reschedule, task_working_time, tenant_zone, to_local

# About ten years of round-the-clock work: anything longer is a typing error, not a task.
MAX_DURATION = 10 * 365 * 24 * 60
EDITABLE = (
    "name",
    "kind",
    "is_milestone",
    "duration",
    "duration_unit",
    "percent_complete",
    "actual_start",
    "actual_finish",
    "constraint_type",
    "constraint_date",
    "notes",
    "payment_percent",
    "checklist",
)
# Changing any of these moves dates: the project is rescheduled.
SCHEDULE_FIELDS = {
    "is_milestone",
    "duration",
    "percent_complete",
    "actual_start",
    "actual_finish",
    "constraint_type",
    "constraint_date",
    "calendar_id",  # snapshots key relations by their column
}


# Hooks for apps above projects (projects imports none of them): called inside the task service's transaction.
# An assignees listener is called as fn(access=, task=, added=[user ids], removed=[user ids]) after a task's
# assignees change; a duration listener as fn(access=, task=, old_duration=minutes) after its duration changes.
# A bulk assignees listener as fn(project=, actor=, pairs=[(task id, user id)]) after a project came from a template.
_assignees_listeners: list = []
_duration_listeners: list = []
_bulk_assignees_listeners: list = []


def register_assignees_listener(fn) -> None:
    if fn not in _assignees_listeners:
        _assignees_listeners.append(fn)


def register_duration_listener(fn) -> None:
    if fn not in _duration_listeners:
        _duration_listeners.append(fn)


def register_bulk_assignees_listener(fn) -> None:
    if fn not in _bulk_assignees_listeners:
        _bulk_assignees_listeners.append(fn)


def assignees_bulk_added(project: Project, actor, pairs: list[tuple[int, int]]) -> None:
    """Tell the bulk listeners about the assignees of tasks created at once (a project from a template; the demo's
    and imports' `wbs_bulk_create` calls do not)."""
    if pairs:
        for fn in list(_bulk_assignees_listeners):
            fn(project=project, actor=actor, pairs=pairs)


def _assignees_changed(access, task: Task, before: set[int], after: set[int]) -> None:
    added, removed = sorted(after - before), sorted(before - after)
    if added or removed:
        for fn in list(_assignees_listeners):
            fn(access=access, task=task, added=added, removed=removed)


def _duration_changed(access, task: Task, old_duration: int | None) -> None:
    if task.duration != old_duration:
        for fn in list(_duration_listeners):
            fn(access=access, task=task, old_duration=old_duration)


def planned_work(*, start: date, working_days: int, tzinfo) -> dict:
    """The task fields for work planned to start on `start` and take `working_days` of its calendar: a task
    someone is given to do by a date (a rule's task, a detractor's review), not one of the planned WBS."""
    return {
        "duration": max(working_days, 1) * 480,
        "duration_unit": DurationUnit.DAYS,
        "constraint_type": ConstraintType.SNET,
        "constraint_date": datetime.combine(start, time(8, 0), tzinfo=tzinfo),
    }


def _validate(task: Task) -> None:
    errors = {}
    if task.duration is not None and not 0 <= task.duration <= MAX_DURATION:
        errors["duration"] = [_("The duration must be between 0 and ten years.")]
    if task.constraint_type in DATED_CONSTRAINTS and task.constraint_date is None:
        errors["constraint_date"] = [_("This constraint needs a date.")]
    if task.constraint_type in (ConstraintType.ASAP, ConstraintType.ALAP):
        task.constraint_date = None
    if task.actual_finish and not task.actual_start:
        errors["actual_start"] = [_("A finished task needs an actual start.")]
    if task.actual_finish and task.actual_start and task.actual_finish < task.actual_start:
        errors["actual_finish"] = [_("The actual finish is before the actual start.")]
    if task.payment_percent is not None and not Decimal(0) <= Decimal(task.payment_percent) <= Decimal(100):
        errors["payment_percent"] = [_("Give a percentage between 0 and 100.")]
    if not isinstance(task.checklist, list) or len(task.checklist) > 200:
        errors["checklist"] = [_("The checklist is a list of at most 200 items.")]
    if errors:
        raise ApplicationError(_("Please correct the errors below."), errors=errors)
    # Progress implies a start, completion a finish, as Microsoft Project records them.
    if task.percent_complete > 0 and task.actual_start is None and task.early_start is not None:
        task.actual_start = task.early_start
    if task.percent_complete >= 100 and task.actual_finish is None and task.early_finish is not None:
        task.actual_finish = task.early_finish
    if task.actual_finish is not None and task.percent_complete < 100:
        task.percent_complete = 100


def _follow_actuals(task: Task, *, duration_changed: bool, actuals_changed: bool) -> None:
    """A finished task lasted the working time between its actual start and finish on its calendar: that becomes
    its duration (as Microsoft Project records it), so the dates and the days every view shows agree. A new
    duration for a finished task moves its actual finish instead."""
    if task.is_milestone or task.is_summary or task.actual_start is None or task.actual_finish is None:
        return
    if not (duration_changed or actuals_changed):
        return
    zone = tenant_zone(task.tenant_id)
    working = task_working_time(task)
    start = to_local(task.actual_start, zone)
    if duration_changed and not actuals_changed:
        task.actual_finish = from_local(working.add(working.next_working(start), task.duration), zone)
    else:
        task.duration = max(0, working.working_minutes(start, to_local(task.actual_finish, zone)))


def _check_calendar(access, calendar: WorkCalendar | None) -> None:
    if calendar is not None:
        check_tenant(access, calendar)


def _check_parent(task: Task | None, parent: Task | None, project: Project) -> None:
    if parent is None:
        return
    if parent.project_id != project.pk:
        message = _("The parent task belongs to another project.")
        raise ApplicationError(message, errors={"parent": [message]})
    if task is not None and task.pk is not None:
        node = parent
        while node is not None:
            if node.pk == task.pk:
                message = _("A task cannot sit under itself or one of its sub-tasks.")
                raise ApplicationError(message, errors={"parent": [message]})
            node = node.parent


def wbs_renumber(*, project: Project, place: tuple[Task, Task | None, int | None] | None = None) -> None:
    """Recompute order, WBS codes, levels and summary flags from the tree, optionally placing one task.

    `place` = (task, parent, position among the parent's children; None = last).
    """
    tasks = list(Task.objects.filter(project=project).order_by("sort_order", "id"))
    children: dict[int | None, list[Task]] = defaultdict(list)
    for t in tasks:
        if place is None or t.pk != place[0].pk:
            children[t.parent_id].append(t)
    if place is not None:
        task, parent, position = place
        siblings = children[parent.pk if parent else None]
        current = next((t for t in tasks if t.pk == task.pk), task)
        siblings.insert(len(siblings) if position is None else max(0, min(position, len(siblings))), current)
    changed, counter = [], 0

    def walk(parent_id, prefix, level):
        nonlocal counter
        for index, t in enumerate(children.get(parent_id, []), start=1):
            counter += 1
            values = {
                "sort_order": counter,
                "outline_number": f"{prefix}{index}",
                "outline_level": level,
                "is_summary": bool(children.get(t.pk)),
                "parent_id": parent_id,
            }
            if any(getattr(t, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(t, k, v)
                changed.append(t)
            walk(t.pk, f"{prefix}{index}.", level + 1)

    walk(None, "", 1)
    if changed:
        Task.objects.bulk_update(
            changed, ["sort_order", "outline_number", "outline_level", "is_summary", "parent"], batch_size=500
        )
    if place is not None:
        for t in changed:
            if t.pk == place[0].pk:
                for k in ("sort_order", "outline_number", "outline_level", "is_summary", "parent_id"):
                    setattr(place[0], k, getattr(t, k))


@transaction.atomic
def task_create(
    *,
    access,
    project: Project,
    name: str,
    parent: Task | None = None,
    position: int | None = None,
    assignees=(),
    calendar: WorkCalendar | None = None,
    reschedule: bool = True,
    **fields,
) -> Task:
    """Add a task (or milestone) to the WBS under `parent` at `position`; the schedule is recalculated."""
    require(access, "projects.add_task")
    check_tenant(access, project, parent)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ApplicationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    _check_parent(None, parent, project)
    _check_calendar(access, calendar)
    if fields.get("duration") is None:
        fields["duration"] = 0 if fields.get("is_milestone") else (calendar or project.calendar).minutes_per_day
    if fields.get("is_milestone") and "duration_unit" not in fields:
        fields["duration_unit"] = DurationUnit.DAYS
    task = Task(
        tenant_id=project.tenant_id,
        project=project,
        parent=parent,
        name=name.strip(),
        calendar=calendar,
        created_by=actor_of(access),
        sort_order=10**9,
        **fields,
    )
    _validate(task)
    _follow_actuals(task, duration_changed=False, actuals_changed=True)
    full_clean(task, exclude=["created_by"])
    task.save()
    task.assignees.set(member_users(access.tenant_id, [u.pk for u in assignees], field="assignees"))
    wbs_renumber(project=project, place=(task, parent, position))
    _assignees_changed(access, task, set(), {u.pk for u in task.assignees.all()})
    audit_record(obj=task, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(task))
    emit(
        events.TASK_CREATED,
        tenant=access.membership.tenant,
        payload={"project_id": project.pk, "task_id": task.pk, "name": task.name},
        actor=actor_of(access),
    )
    if reschedule:
        project_reschedule(project=project)
        task.refresh_from_db()
    return task


@transaction.atomic
def task_update(*, access, task: Task, reschedule: bool = True, **fields) -> Task:
    """Change a task's fields, assignees or calendar; the schedule is recalculated when dates can move
    (`reschedule=False` leaves that to a caller changing several tasks in the same transaction)."""
    require(access, "projects.change_task")
    check_tenant(access, task)
    unknown = set(fields) - set(EDITABLE) - {"assignees", "calendar"}
    if unknown:
        raise ApplicationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    before = snapshot(task)
    was_complete = task.percent_complete >= 100
    old_duration, old_actuals = task.duration, (task.actual_start, task.actual_finish)
    for name in EDITABLE:
        if name in fields:
            setattr(task, name, fields[name].strip() if name == "name" else fields[name])
    if "calendar" in fields:
        _check_calendar(access, fields["calendar"])
        task.calendar = fields["calendar"]
    _validate(task)
    _follow_actuals(
        task,
        duration_changed=task.duration != old_duration,
        actuals_changed=(task.actual_start, task.actual_finish) != old_actuals or "calendar" in fields,
    )
    full_clean(task)
    task.save()
    _duration_changed(access, task, old_duration)
    if "assignees" in fields:
        old_assignees = set(task.assignees.values_list("pk", flat=True))
        task.assignees.set(member_users(access.tenant_id, [u.pk for u in fields["assignees"]], field="assignees"))
        _assignees_changed(access, task, old_assignees, set(task.assignees.values_list("pk", flat=True)))
    after = snapshot(task)
    entry = audit_record(obj=task, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=after)
    if entry is not None:
        changed = sorted(k for k in after if before.get(k) != after.get(k))
        payload = {"project_id": task.project_id, "task_id": task.pk, "changed": changed}
        emit(events.TASK_UPDATED, tenant=access.membership.tenant, payload=payload, actor=actor_of(access))
        if not was_complete and task.percent_complete >= 100:
            payload = {"project_id": task.project_id, "task_id": task.pk, "name": task.name}
            emit(events.TASK_COMPLETED, tenant=access.membership.tenant, payload=payload, actor=actor_of(access))
        moves_dates = SCHEDULE_FIELDS & set(changed) or (
            "assignees" in changed and ResourceCalendar.objects.filter(tenant_id=task.tenant_id).exists()
        )
        if moves_dates and reschedule:
            project_reschedule(project=task.project)
            task.refresh_from_db()
    return task


@transaction.atomic
def task_move(*, access, task: Task, parent: Task | None, position: int | None = None) -> Task:
    """Move a task (with its sub-tasks) under another parent or to another place among its siblings."""
    require(access, "projects.change_task")
    check_tenant(access, task, parent)
    _check_parent(task, parent, task.project)
    before = {"parent": task.parent_id, "outline_number": task.outline_number}
    wbs_renumber(project=task.project, place=(task, parent, position))
    task.refresh_from_db()
    after = {"parent": task.parent_id, "outline_number": task.outline_number}
    audit_record(obj=task, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=after)
    emit(
        events.TASK_MOVED,
        tenant=access.membership.tenant,
        payload={"project_id": task.project_id, "task_id": task.pk, "parent_id": task.parent_id, "position": position},
        actor=actor_of(access),
    )
    project_reschedule(project=task.project)
    task.refresh_from_db()
    return task


@transaction.atomic
def task_delete(*, access, task: Task) -> None:
    """Delete a task with its sub-tasks and their links; the schedule is recalculated."""
    require(access, "projects.delete_task")
    check_tenant(access, task)
    project = task.project
    audit_record(obj=task, action=AuditAction.DELETE, actor=actor_of(access), before=snapshot(task))
    payload = {"project_id": project.pk, "task_id": task.pk, "name": task.name}
    task.delete()
    emit(events.TASK_DELETED, tenant=access.membership.tenant, payload=payload, actor=actor_of(access))
    wbs_renumber(project=project)
    project_reschedule(project=project)
