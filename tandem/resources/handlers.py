"""Incremental conflict refresh: each change that can move a load or a capacity refreshes the resources it touches.

* Task and project events, allocation and leave changes are handled from the outbox, after the writer's
  transaction commits, each in its own transaction (`tandem.core.events`): the write the user made never waits
  for or fails with the refresh, a crash is caught up by the outbox sweep, and the refresh reads the committed
  state so it is idempotent however often an event is delivered.
* A calendar's working time (holidays, 调休 workdays) or people's calendars change through the calendar usage
  hook, in the calendar write's own transaction, right after the projects on it were rescheduled: the hook is how
  calendar writes reach the apps, and it carries no event to queue.

A task change reschedules its whole project, so a task or project event refreshes every resource allocated in
the project, and those with an open conflict involving it (a deleted task's allocations are gone already).
"""

from __future__ import annotations

from tandem.resources.choices import ConflictStatus
from tandem.resources.models import Allocation, Conflict, Resource
from tandem.resources.services.conflicts import conflicts_refresh


def resources_of_project(tenant_id: int, project_id) -> set[int]:
    if not project_id:
        return set()
    ids = set(
        Allocation.objects.filter(tenant_id=tenant_id, project_id=project_id).values_list("resource_id", flat=True)
    )
    for resource_id, project_ids in Conflict.objects.filter(
        tenant_id=tenant_id, status=ConflictStatus.OPEN
    ).values_list("resource_id", "project_ids"):
        if project_id in (project_ids or ()):
            ids.add(resource_id)
    return ids


def on_project_event(event) -> None:
    """A task created, updated, moved, completed or deleted, or a project updated, re-statused or deleted."""
    payload = event.payload or {}
    ids = resources_of_project(event.tenant_id, payload.get("project_id"))
    if ids:
        conflicts_refresh(tenant_id=event.tenant_id, resource_ids=ids)


def on_allocation_changed(event) -> None:
    """{project_id, task_id, resource_ids}: the resources named (one may have been taken off the task) and the
    project's, whose dates may have moved with the task's duration."""
    payload = event.payload or {}
    ids = {int(pk) for pk in payload.get("resource_ids") or ()}
    ids |= resources_of_project(event.tenant_id, payload.get("project_id"))
    if ids:
        conflicts_refresh(tenant_id=event.tenant_id, resource_ids=ids)


def on_leave_changed(event) -> None:
    resource_id = (event.payload or {}).get("resource_id")
    if resource_id:
        conflicts_refresh(tenant_id=event.tenant_id, resource_ids=[int(resource_id)])


# --- the calendar usage hook -------------------------------------------------------------------------


def calendar_in_use(*, calendar) -> bool:
    """A resource's own calendar stays."""
    return Resource.objects.filter(tenant_id=calendar.tenant_id, calendar=calendar).exists()


def on_working_time_changed(*, calendar) -> None:
    """Holidays, 调休 or hours changed: capacities on the calendar and loads of tasks on it moved; the projects
    on it were rescheduled just before. Every resource of the tenant is refreshed (calendar changes are rare,
    and the default calendar is most resources' capacity)."""
    conflicts_refresh(tenant_id=calendar.tenant_id)


def on_people_moved(*, tenant_id: int, user_ids) -> None:
    """These members' resource calendars changed: their resources' capacity, and the projects they work in."""
    conflicts_refresh(tenant_id=tenant_id)
