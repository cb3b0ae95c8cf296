"""A project's schedule as pages show it: local dates, durations and floats in working days, baseline dates.

The Gantt data, the task list, the calendar, the Excel sheet and the print view all read these rows, so a
date means the same thing everywhere: the tenant-local day a task starts and the day it finishes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from tandem.calendars.workdays import Workdays
from tandem.projects import selectors
from tandem.projects.models import Baseline, Project, Task
from tandem.projects.selectors import VarianceRow, baseline_variance
from tandem.projects.services.progress import task_status


def local_day(value: datetime | None) -> date | None:
    return timezone.localtime(value).date() if value else None


def finish_day(value: datetime | None) -> date | None:
    """The day work finishes: a finish at midnight belongs to the day before."""
    if value is None:
        return None
    local = timezone.localtime(value)
    return local.date() - timedelta(days=1) if local.time() == time(0) else local.date()


def in_days(minutes: int | None, minutes_per_day: int) -> float | None:
    if minutes is None:
        return None
    return round(minutes / (minutes_per_day or 480), 2)


@dataclass
class ScheduleRow:
    task: Task
    start: date | None
    finish: date | None
    duration_days: float
    float_days: float | None
    free_float_days: float | None
    status: str
    progress: int  # % complete; a summary's is its sub-tasks' weighted by duration
    minutes_per_day: int = 480  # of the calendar the task is scheduled on: what its days are counted in
    baseline_start: date | None = None
    baseline_finish: date | None = None
    start_variance: int | None = None  # working days; positive = later than the baseline
    finish_variance: int | None = None

    @property
    def assignee_names(self) -> str:
        label = getattr(self.task, "assignee_label", None)
        return label if label is not None else "、".join(str(u) for u in self.task.assignees.all())


def working_days_in(workdays: Workdays, start: date, finish: date) -> int:
    """Working days from start to finish, both included."""
    if finish < start:
        return 0
    return workdays.between(start, finish) + (1 if workdays.is_working(start) else 0)


def schedule_rows(
    *, project: Project, tasks: list[Task], workdays: Workdays, baseline: Baseline | None = None
) -> list[ScheduleRow]:
    """One row per task, in WBS order: durations and floats in days of the calendar each task is scheduled on
    (a finished task's duration is its actual one, see `services.tasks`); summaries count their span in working
    days."""
    per_day_of = selectors.minutes_per_day(project=project, tasks=tasks)
    variance: dict[int, VarianceRow] = (
        {row.task.pk: row for row in baseline_variance(project=project, baseline=baseline)} if baseline else {}
    )
    rows = []
    for task in tasks:
        per_day = per_day_of[task.pk]
        start, finish = local_day(task.early_start), finish_day(task.early_finish)
        if start and finish and finish < start:
            finish = start
        if task.is_summary and start and finish:
            duration = float(working_days_in(workdays, start, finish))
        else:
            duration = in_days(task.duration, per_day) or 0.0
        row = ScheduleRow(
            task=task,
            start=start,
            finish=finish,
            duration_days=duration,
            float_days=in_days(task.total_float, per_day),
            free_float_days=in_days(task.free_float, per_day),
            status=task_status(task),
            progress=task.percent_complete,
            minutes_per_day=per_day,
        )
        base = variance.get(task.pk)
        if base is not None:
            row.baseline_start = local_day(base.baseline_start)
            row.baseline_finish = finish_day(base.baseline_finish)
            if row.baseline_start and row.baseline_finish and row.baseline_finish < row.baseline_start:
                row.baseline_finish = row.baseline_start
            row.start_variance = base.start_variance_days
            row.finish_variance = base.finish_variance_days
        rows.append(row)
    _roll_up_progress(rows)
    return rows


def project_schedule(
    *, access, project: Project, baseline: Baseline | None = None, workdays: Workdays | None = None
) -> list[ScheduleRow]:
    """The rows of every task of the project the caller may see, as the chart, boards, lists and sheets show them."""
    tasks = selectors.schedule_tasks(access=access, project=project)
    if workdays is None:
        workdays = Workdays(project.calendar)
    return schedule_rows(project=project, tasks=tasks, workdays=workdays, baseline=baseline)


def _roll_up_progress(rows: list[ScheduleRow]) -> None:
    """A summary task is as complete as its work: its leaves' % complete weighted by their durations."""
    by_id = {r.task.pk: r for r in rows}
    sums: dict[int, list[float]] = {}
    for row in rows:
        if row.task.is_summary:
            continue
        weight = row.task.duration or 1
        node = by_id.get(row.task.parent_id)
        while node is not None:
            total = sums.setdefault(node.task.pk, [0.0, 0.0])
            total[0] += weight * row.progress
            total[1] += weight
            node = by_id.get(node.task.parent_id)
    for pk, (done, weight) in sums.items():
        by_id[pk].progress = round(done / weight) if weight else 0


def schedule_span(rows: list[ScheduleRow], project: Project) -> tuple[date, date]:
    """The first and last day any bar, baseline bar or key project date needs."""
    days = [project.start_date]
    for row in rows:
        days += [d for d in (row.start, row.finish, row.baseline_start, row.baseline_finish) if d]
    days += [d for d in (project.contract_finish, project.planned_finish) if d]
    return min(days), max(days)
