"""Delay warnings (延误预警): late starts, negative float, milestones past baseline, finish past contract.

Each warning names the person who must act: a task's first assignee, else the project's PM.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.projects.choices import ProjectStatus, WarningKind
from tandem.projects.models import Project, Task
from tandem.projects.selectors import primary_baselines

OPEN_STATUSES = (ProjectStatus.PLANNING, ProjectStatus.ACTIVE, ProjectStatus.ON_HOLD)
SEVERITY = {
    WarningKind.PROJECT_LATE: 0,
    WarningKind.NEGATIVE_FLOAT: 1,
    WarningKind.MILESTONE_LATE: 2,
    WarningKind.NOT_STARTED: 3,
    WarningKind.LATE_START: 4,
}


@dataclass(frozen=True)
class DelayWarning:
    kind: str
    project: Project
    task: Task | None
    owner: object  # the user who must act
    due: date | None  # the date that was missed (or is threatened)
    days_late: int  # calendar days past `due`
    message: str

    @property
    def kind_label(self) -> str:
        return str(WarningKind(self.kind).label)


def _local(value: datetime | None) -> date | None:
    return timezone.localtime(value).date() if value else None


def delay_warnings(*, projects, today: date | None = None) -> list[DelayWarning]:
    """Warnings for the given (already permission-scoped) projects, most severe first."""
    today = today or timezone.localdate()
    projects = [p for p in projects if p.status in OPEN_STATUSES]
    if not projects:
        return []
    by_id = {p.pk: p for p in projects}
    start_of_today = timezone.make_aware(datetime.combine(today, time.min))
    tasks = (
        Task.objects.filter(project_id__in=by_id, is_summary=False, actual_finish__isnull=True)
        .filter(
            Q(total_float__lt=0)
            | Q(actual_start__isnull=True, percent_complete=0, early_start__lt=start_of_today)
            | Q(is_milestone=True)
            | Q(actual_start__isnull=False)
        )
        .prefetch_related("assignees")
        .order_by("project_id", "sort_order")
    )
    baselines = primary_baselines(list(by_id))
    out: list[DelayWarning] = []
    for project in projects:
        finish = _local(project.scheduled_finish)
        if project.contract_finish and finish and finish > project.contract_finish:
            out.append(
                DelayWarning(
                    WarningKind.PROJECT_LATE,
                    project,
                    None,
                    project.owner,
                    project.contract_finish,
                    (finish - project.contract_finish).days,
                    _("The schedule finishes on %(finish)s, after the contract date %(due)s.")
                    % {"finish": finish, "due": project.contract_finish},
                )
            )
    for task in tasks:
        project = by_id[task.project_id]
        assignee = next(iter(task.assignees.all()), None) or project.owner
        base = baselines.get(project.pk, {}).get(task.pk)
        if task.total_float is not None and task.total_float < 0:
            out.append(
                DelayWarning(
                    WarningKind.NEGATIVE_FLOAT,
                    project,
                    task,
                    project.owner,
                    _local(task.late_finish),
                    max(0, (_local(task.early_finish) - _local(task.late_finish)).days)
                    if task.early_finish and task.late_finish
                    else 0,
                    _("%(task)s cannot meet its constraints: %(minutes)d working minutes short.")
                    % {"task": task.name, "minutes": -task.total_float},
                )
            )
        if task.actual_start is None and task.percent_complete == 0 and task.early_start is not None:
            planned = _local(task.early_start)
            if planned < today:
                out.append(
                    DelayWarning(
                        WarningKind.NOT_STARTED,
                        project,
                        task,
                        assignee,
                        planned,
                        (today - planned).days,
                        _("%(task)s should have started on %(date)s.") % {"task": task.name, "date": planned},
                    )
                )
        if task.actual_start is not None and base is not None and base.start is not None:
            actual, planned = _local(task.actual_start), _local(base.start)
            if actual > planned:
                out.append(
                    DelayWarning(
                        WarningKind.LATE_START,
                        project,
                        task,
                        assignee,
                        planned,
                        (actual - planned).days,
                        _("%(task)s started on %(actual)s, planned for %(date)s.")
                        % {"task": task.name, "actual": actual, "date": planned},
                    )
                )
        if task.is_milestone and base is not None and base.finish is not None and task.early_finish is not None:
            current, planned = _local(task.early_finish), _local(base.finish)
            if current > planned:
                out.append(
                    DelayWarning(
                        WarningKind.MILESTONE_LATE,
                        project,
                        task,
                        project.owner,
                        planned,
                        (current - planned).days,
                        _("Milestone %(task)s is now due %(current)s, baseline %(date)s.")
                        % {"task": task.name, "current": current, "date": planned},
                    )
                )
    out.sort(key=lambda w: (SEVERITY[w.kind], -w.days_late, w.project.pk))
    return out
