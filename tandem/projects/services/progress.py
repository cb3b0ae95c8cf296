"""Task status for the kanban (看板): derived from % complete and actuals, and set by moving a card."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core.errors import ApplicationError
from tandem.projects.choices import TaskStatus
from tandem.projects.models import Task
from tandem.projects.services.scheduling import from_local, task_working_time, tenant_zone, to_local
from tandem.projects.services.tasks import task_update

# A finished task moved back to "in progress" is taken to be half done: its real figure is unknown.
REOPENED_PERCENT = 50


def task_status(task: Task) -> str:
    """Done when 100 % or finished; in progress when any progress or an actual start; else not started."""
    if task.percent_complete >= 100 or task.actual_finish is not None:
        return TaskStatus.DONE
    if task.percent_complete > 0 or task.actual_start is not None:
        return TaskStatus.IN_PROGRESS
    return TaskStatus.NOT_STARTED


def _not_after(value: datetime | None, now: datetime) -> datetime:
    return min(value, now) if value is not None else now


def _work_back(task: Task, finish: datetime) -> datetime:
    """When a task's work began if it took its duration and ended at `finish` (its calendar's working time)."""
    zone = tenant_zone(task.tenant_id)
    working = task_working_time(task)
    return from_local(working.subtract(to_local(finish, zone), task.duration), zone)


@transaction.atomic
def task_status_set(*, access, task: Task, status: str, now: datetime | None = None, reschedule: bool = True) -> Task:
    """Put a task in a kanban column: progress and actual dates follow, then the project is rescheduled.

    Starting records the actual start (the scheduled start if that has passed, else now); finishing records
    100 % and the actual finish the same way, and a task not started yet is taken to have worked its duration
    up to that finish; "not started" clears both.
    """
    if status not in TaskStatus.values:
        raise ApplicationError(_("Unknown status."), errors={"status": [status]})
    if task.is_summary:
        raise ApplicationError(_("A summary task's progress follows its sub-tasks."), code="summary")
    if task_status(task) == status:
        return task
    now = now or timezone.now()
    if status == TaskStatus.NOT_STARTED:
        fields = {"percent_complete": 0, "actual_start": None, "actual_finish": None}
    elif status == TaskStatus.IN_PROGRESS:
        percent = task.percent_complete if task.percent_complete < 100 else REOPENED_PERCENT
        start = task.actual_start or _not_after(task.early_start, now)
        fields = {"percent_complete": percent, "actual_start": start, "actual_finish": None}
    else:
        finish = _not_after(task.early_finish, now)
        start = task.actual_start or _not_after(task.early_start, _work_back(task, finish))
        fields = {"percent_complete": 100, "actual_start": start, "actual_finish": max(start, finish)}
    return task_update(access=access, task=task, reschedule=reschedule, **fields)
