"""Allocations (资源分配): a resource on a task at a share of its day, and the work that comes of it.

`work` (minutes) is the allocation's rate × the task's working duration, where the rate is `units` / 100, or
`hours_per_day` over the calendar's working day when hours are fixed. It is kept in step whenever the task's
duration changes (the projects task service calls `task_duration_changed`).

Task types decide what a change of people does, as in Microsoft Project:
- effort-driven: the task's total work is kept, so adding a person shortens it and removing one lengthens it
  (new duration = total work / sum of rates), through the projects task service so the schedule is recomputed
  in the same transaction;
- fixed duration: the dates stay, the work is recomputed.

A person resource linked to a member and the task's assignees are the same fact: allocating the resource adds the
member to the assignees, and setting assignees (task form, API, bulk edit) allocates the members' resources
(`task_assignees_changed`, registered with the projects task service in `ResourcesConfig.ready`).

`actor` is the caller's access (`tandem.core.scopes.Access`), as `access` elsewhere.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.errors import ApplicationError
from tandem.core.events import emit
from tandem.core.services import actor_of, check_tenant, full_clean, require, set_fields
from tandem.projects import selectors as project_selectors
from tandem.projects.choices import TaskType
from tandem.projects.models import Task
from tandem.projects.services.tasks import task_update
from tandem.resources import events
from tandem.resources.models import Allocation, Resource
from tandem.resources.services.resources import resource_for_member

UPDATABLE = ("units", "hours_per_day")
HUNDRED = Decimal(100)
# Set while this module changes a task's assignees itself (or reacts to the task service changing them), so the
# assignees listener does not allocate the same people a second time.
_syncing: contextvars.ContextVar[bool] = contextvars.ContextVar("allocations_syncing", default=False)


# ---------------------------------------------------------------------------------------------------------------
# Arithmetic


def minutes_per_day(task: Task) -> int:
    """Working minutes of a day of the calendar the task is scheduled on (its own, its assignee's, the project's)."""
    return project_selectors.minutes_per_day(project=task.project, tasks=[task])[task.pk] or 480


def rate(allocation: Allocation, day_minutes: int) -> Decimal:
    """The share of the task's working time the allocation works: 1 = one person full time."""
    if allocation.hours_per_day is not None:
        return Decimal(allocation.hours_per_day) * 60 / Decimal(day_minutes or 480)
    return Decimal(allocation.units) / HUNDRED


def work_of(allocation: Allocation, task: Task, day_minutes: int | None = None) -> int:
    """Planned work in minutes: rate × the task's working duration."""
    day_minutes = day_minutes or minutes_per_day(task)
    value = rate(allocation, day_minutes) * Decimal(task.duration or 0)
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


def effort_duration(total_work: int, rates: Iterable[Decimal]) -> int | None:
    """The duration an effort-driven task takes for `total_work` minutes at the given rates (None: no one works)."""
    total_rate = sum(rates, Decimal(0))
    if total_rate <= 0:
        return None
    return int((Decimal(total_work) / total_rate).to_integral_value(rounding=ROUND_HALF_UP))


def _recompute_work(task: Task) -> list[Allocation]:
    day = minutes_per_day(task)
    rows = list(Allocation.objects.filter(task_id=task.pk).select_related("resource"))
    changed = []
    for allocation in rows:
        work = work_of(allocation, task, day)
        if allocation.work != work:
            allocation.work = work
            changed.append(allocation)
    if changed:
        Allocation.objects.bulk_update(changed, ["work"])
    return rows


# ---------------------------------------------------------------------------------------------------------------
# Validation


def _decimal(value, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        message = _("Give a number.")
        raise ApplicationError(message, errors={field: [message]}) from None
    if not number.is_finite():
        message = _("Give a number.")
        raise ApplicationError(message, errors={field: [message]})
    return number


def _check_task(task: Task) -> None:
    if task.is_summary:
        message = _("“%(task)s” is a summary task: allocate resources to its sub-tasks.") % {"task": task.name}
        raise ApplicationError(message, errors={"task": [message]})
    if task.is_milestone:
        message = _("“%(task)s” is a milestone: it has no work to allocate.") % {"task": task.name}
        raise ApplicationError(message, errors={"task": [message]})


def _check_resource(resource: Resource) -> None:
    if not resource.is_active:
        message = _("“%(resource)s” is inactive and cannot be allocated.") % {"resource": resource.name}
        raise ApplicationError(message, errors={"resource": [message]})


def _check_amount(resource: Resource, units: Decimal | None, hours_per_day: Decimal | None) -> None:
    headcount = resource.headcount or 1
    if units is not None and not Decimal(0) <= units <= headcount * HUNDRED:
        message = _("Give units between 0 and %(max)s %%.") % {"max": headcount * 100}
        raise ApplicationError(message, errors={"units": [message]})
    if hours_per_day is not None and not Decimal(0) < hours_per_day <= headcount * 24:
        message = _("Give hours per day above 0 and at most %(max)s.") % {"max": headcount * 24}
        raise ApplicationError(message, errors={"hours_per_day": [message]})


def _fix_units(allocation: Allocation, day_minutes: int) -> None:
    """With fixed hours the units follow them (8 h of an 8-hour day = 100 %), so loads and sums agree."""
    if allocation.hours_per_day is not None:
        units = Decimal(allocation.hours_per_day) * 60 / Decimal(day_minutes or 480) * HUNDRED
        allocation.units = units.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------------------------------------------
# The one change: rows, the task's duration and assignees, audit and event


def _apply(
    access,
    task: Task,
    *,
    add: list[tuple[Resource, Decimal | None, Decimal | None]] = (),
    update: list[tuple[Allocation, dict]] = (),
    remove: list[Allocation] = (),
) -> list[Allocation]:
    """Create, change and delete allocations of one task, then keep the task's duration (effort-driven), its
    assignees and every allocation's work in step. Returns the allocations created or updated."""
    actor = actor_of(access)
    original = task
    task = Task.objects.select_for_update().get(pk=task.pk)
    day = minutes_per_day(task)
    existing = list(Allocation.objects.filter(task_id=task.pk))
    old_work = sum(a.work for a in existing)
    touched: list[Allocation] = []
    resource_ids = set()

    for allocation in remove:
        before = snapshot(allocation)
        resource_ids.add(allocation.resource_id)
        allocation_id = allocation.pk
        allocation.delete()
        allocation.pk = allocation_id
        audit_record(obj=allocation, action=AuditAction.DELETE, actor=actor, before=before)

    taken = {a.resource_id for a in existing} - {a.resource_id for a in remove}
    for resource, units, hours in add:
        if resource.pk in taken:
            message = _("“%(resource)s” is already allocated to this task.") % {"resource": resource.name}
            raise ApplicationError(message, errors={"resource": [message]})
        taken.add(resource.pk)
        allocation = Allocation(
            tenant_id=task.tenant_id,
            resource=resource,
            task=task,
            project_id=task.project_id,
            units=HUNDRED * (resource.headcount or 1) if units is None else units,
            hours_per_day=hours,
            created_by=actor,
        )
        _fix_units(allocation, day)
        allocation.work = work_of(allocation, task, day)
        full_clean(allocation, exclude=["tenant", "task", "project", "resource", "created_by"], validate_unique=False)
        allocation.save()
        audit_record(obj=allocation, action=AuditAction.CREATE, actor=actor, after=snapshot(allocation))
        touched.append(allocation)
        resource_ids.add(resource.pk)

    for allocation, fields in update:
        before = snapshot(allocation)
        set_fields(allocation, fields, UPDATABLE)
        _fix_units(allocation, day)
        allocation.work = work_of(allocation, task, day)
        full_clean(allocation, exclude=["tenant", "task", "project", "resource", "created_by"], validate_unique=False)
        allocation.save()
        audit_record(obj=allocation, action=AuditAction.UPDATE, actor=actor, before=before, after=snapshot(allocation))
        touched.append(allocation)
        resource_ids.add(allocation.resource_id)

    current = list(Allocation.objects.filter(task_id=task.pk).select_related("resource"))
    changes: dict = {}
    if task.task_type == TaskType.EFFORT_DRIVEN and existing and old_work > 0 and current:
        duration = effort_duration(old_work, (rate(a, day) for a in current))
        if duration is not None and duration != task.duration:
            changes["duration"] = duration
    if not _syncing.get():
        assignees = set(task.assignees.values_list("pk", flat=True))
        wanted = (assignees | {a.resource.user_id for a in touched if a.resource.user_id}) - {
            a.resource.user_id for a in remove if a.resource.user_id
        }
        if wanted != assignees:
            changes["assignees"] = list(task.assignees.model.objects.filter(pk__in=wanted))
    if changes:
        token = _syncing.set(True)
        try:
            task = task_update(access=access, task=task, **changes)
        finally:
            _syncing.reset(token)
    rows = _recompute_work(task)
    if changes and original is not task:
        original.refresh_from_db()
    by_pk = {a.pk: a for a in rows}
    if resource_ids:
        if "duration" in changes:  # every resource of the task now works other days
            resource_ids |= {a.resource_id for a in rows}
        emit(
            events.ALLOCATION_CHANGED,
            tenant=task.tenant_id,
            payload={"project_id": task.project_id, "task_id": task.pk, "resource_ids": sorted(resource_ids)},
            actor=actor,
        )
    return [by_pk.get(a.pk, a) for a in touched]


# ---------------------------------------------------------------------------------------------------------------
# The API other slices call


@transaction.atomic
def allocation_create(*, actor, task: Task, resource: Resource, units=None, hours_per_day=None) -> Allocation:
    """Allocate `resource` to `task` at `units` % of its day (default 100) or a fixed `hours_per_day`."""
    require(actor, "resources.add_allocation")
    check_tenant(actor, task, resource)
    _check_task(task)
    _check_resource(resource)
    units, hours = _decimal(units, "units"), _decimal(hours_per_day, "hours_per_day")
    _check_amount(resource, units, hours)
    return _apply(actor, task, add=[(resource, units, hours)])[0]


@transaction.atomic
def allocation_update(*, actor, allocation: Allocation, **fields) -> Allocation:
    """Change an allocation's units or hours per day (`hours_per_day=None`, or units alone, go back to units)."""
    require(actor, "resources.change_allocation")
    check_tenant(actor, allocation)
    unknown = set(fields) - set(UPDATABLE)
    if unknown:
        raise ApplicationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    allocation = Allocation.objects.select_related("resource", "task").get(pk=allocation.pk)
    _check_task(allocation.task)
    values = {name: _decimal(value, name) for name, value in fields.items()}
    if "units" in values and values["units"] is None:
        message = _("Give the units.")
        raise ApplicationError(message, errors={"units": [message]})
    if "units" in values and "hours_per_day" not in values:
        values["hours_per_day"] = None  # units given: they rule again over fixed hours
    _check_amount(allocation.resource, values.get("units"), values.get("hours_per_day"))
    if not values:
        return allocation
    return _apply(actor, allocation.task, update=[(allocation, values)])[0]


@transaction.atomic
def allocation_delete(*, actor, allocation: Allocation) -> None:
    """Take a resource off a task (an effort-driven task lengthens to keep its work)."""
    require(actor, "resources.delete_allocation")
    check_tenant(actor, allocation)
    allocation = Allocation.objects.select_related("resource", "task").get(pk=allocation.pk)
    _apply(actor, allocation.task, remove=[allocation])


@transaction.atomic
def allocations_replace(*, actor, task: Task, resource_ids) -> list[Allocation]:
    """Make the task's allocations exactly these resources: new ones full time (a crew with all its people),
    the ones kept unchanged, the others removed, in one change (one duration change for an effort-driven task).
    Returns the task's allocations."""
    require(actor, "resources.change_allocation")
    check_tenant(actor, task)
    wanted = list(dict.fromkeys(int(pk) for pk in resource_ids))
    resources = {r.pk: r for r in Resource.objects.filter(tenant_id=actor.tenant_id, pk__in=wanted)}
    if len(resources) != len(wanted):
        message = _("Unknown resource.")
        raise ApplicationError(message, errors={"resource_ids": [message]})
    existing = {a.resource_id: a for a in Allocation.objects.filter(task_id=task.pk).select_related("resource")}
    add = [resources[pk] for pk in wanted if pk not in existing]
    remove = [a for pk, a in existing.items() if pk not in resources]
    if add:
        require(actor, "resources.add_allocation")
        _check_task(task)
    if remove:
        require(actor, "resources.delete_allocation")
    for resource in add:
        _check_resource(resource)
    if add or remove:
        _apply(actor, task, add=[(r, None, None) for r in add], remove=remove)
    return list(Allocation.objects.filter(task_id=task.pk).select_related("resource"))


# ---------------------------------------------------------------------------------------------------------------
# Members and their person resources; the projects task service's listeners


def task_assignees_changed(*, access, task: Task, added: list[int], removed: list[int]) -> None:
    """The projects task service changed a task's assignees: allocate the new members' person resources at 100 %
    and take the removed members' off. Milestones and summary tasks keep their assignees without allocations, as
    do inactive resources."""
    if _syncing.get() or task.is_summary or task.is_milestone:
        return
    users = {u.pk: u for u in task.assignees.model.objects.filter(pk__in=added)}
    existing = {a.resource_id: a for a in Allocation.objects.filter(task_id=task.pk).select_related("resource")}
    add = []
    for user_id in added:
        resource = resource_for_member(tenant_id=task.tenant_id, user=users[user_id], actor=actor_of(access))
        if resource.is_active and resource.pk not in existing:
            add.append((resource, None, None))
    remove = [a for a in existing.values() if a.resource.user_id in set(removed)]
    if not (add or remove):
        return
    token = _syncing.set(True)
    try:
        _apply(access, task, add=add, remove=remove)
    finally:
        _syncing.reset(token)


def tasks_assigned_in_bulk(*, project, actor, pairs: list[tuple[int, int]]) -> None:
    """A project came from a template with assignees: each member's person resource is
    allocated full time to the tasks they are assigned to, the task's duration as its work (the durations are the
    plan's, so no effort-driven task is shortened). Milestones, summary tasks and inactive resources are left out.
    The event names the project and its resources (`task_id` None: many tasks)."""
    task_ids = {task_id for task_id, _user in pairs}
    tasks = {t.pk: t for t in Task.objects.filter(pk__in=task_ids, is_summary=False, is_milestone=False)}
    if not tasks:
        return
    users = {u.pk: u for u in Task.assignees.field.related_model.objects.filter(pk__in={u for _t, u in pairs})}
    resources = {
        pk: resource_for_member(tenant_id=project.tenant_id, user=user, actor=actor) for pk, user in users.items()
    }
    taken = set(Allocation.objects.filter(task_id__in=tasks).values_list("task_id", "resource_id"))
    rows = []
    for task_id, user_id in pairs:
        task, resource = tasks.get(task_id), resources.get(user_id)
        if task is None or resource is None or not resource.is_active or (task_id, resource.pk) in taken:
            continue
        taken.add((task_id, resource.pk))
        rows.append(
            Allocation(
                tenant_id=project.tenant_id,
                resource=resource,
                task=task,
                project_id=project.pk,
                units=HUNDRED,
                work=task.duration or 0,
                created_by_id=task.created_by_id,
            )
        )
    Allocation.objects.bulk_create(rows, batch_size=500)
    # Like the template's tasks, the rows come in as a whole (the project's creation is what is audited), with one
    # event for the project, so a template of any size takes the same number of queries.
    if rows:
        emit(
            events.ALLOCATION_CHANGED,
            tenant=project.tenant_id,
            payload={
                "project_id": project.pk,
                "task_id": None,
                "resource_ids": sorted({a.resource_id for a in rows}),
            },
            actor=actor,
        )


def task_duration_changed(*, access, task: Task, old_duration: int | None) -> None:
    """The task's duration changed: its allocations' work follows (units × the new duration)."""
    rows = _recompute_work(task)
    if rows and not _syncing.get():
        emit(
            events.ALLOCATION_CHANGED,
            tenant=task.tenant_id,
            payload={
                "project_id": task.project_id,
                "task_id": task.pk,
                "resource_ids": sorted({a.resource_id for a in rows}),
            },
            actor=actor_of(access),
        )
