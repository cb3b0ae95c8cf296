"""The Gantt tab: the page, and the JSON it draws from (reloaded after every change the chart makes).

Changes go through the REST API (`PATCH /api/v1/projects/tasks/{id}/`, `POST …/dependencies/`), which
reschedules in the same transaction; the chart then reloads this data and redraws. Undo sends the same calls
with the values this data had before the edit (`duration_minutes`, `constraint_at`, `lag_minutes`: the stored
values, not the rounded ones the chart shows).
"""

from __future__ import annotations

from datetime import timedelta

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.calendars.selectors import calendar_exceptions
from tandem.calendars.workdays import Workdays
from tandem.core.views import tenant_view
from tandem.projects import selectors
from tandem.projects.choices import ConstraintType, LinkType
from tandem.projects.templatetags.projects import holiday_name
from tandem.projects.views.common import chosen_baseline, permissions_of, project_or_404, tab_context
from tandem.projects.views.schedule import ScheduleRow, finish_day, in_days, project_schedule, schedule_span

# Days of calendar shading beyond the first and last bar: the chart pads its range by up to a month.
SHADE_MARGIN = 70


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _task_json(row: ScheduleRow) -> dict:
    task = row.task
    return {
        "id": task.pk,
        "wbs": task.outline_number,
        "name": task.name,
        "level": task.outline_level,
        "parent": task.parent_id,
        "summary": task.is_summary,
        "milestone": task.is_milestone,
        "critical": task.is_critical,
        "start": _iso(row.start),
        "finish": _iso(row.finish),
        "start_at": _moment(task.early_start),
        "finish_at": _moment(task.early_finish),
        "late_finish_at": _moment(task.late_finish),
        "duration": row.duration_days,
        "minutes_per_day": row.minutes_per_day,  # a day of this task's calendar (durations, floats)
        "duration_minutes": task.duration,
        "float": row.float_days,
        "free_float": row.free_float_days,
        "progress": row.progress,
        "status": row.status,
        "started": task.actual_start is not None,
        "constraint": task.constraint_type,
        "constraint_label": str(ConstraintType(task.constraint_type).label),
        "constraint_date": _iso(timezone.localtime(task.constraint_date).date()) if task.constraint_date else None,
        "constraint_at": _iso(task.constraint_date),
        "assignees": row.assignee_names,
        "baseline_start": _iso(row.baseline_start),
        "baseline_finish": _iso(row.baseline_finish),
        "finish_variance": row.finish_variance,
    }


def _calendar_json(project, workdays: Workdays, first, last) -> dict:
    """Non-working days and named exceptions over the chart's range, for shading and for counting days."""
    first, last = first - timedelta(days=SHADE_MARGIN), last + timedelta(days=SHADE_MARGIN)
    off, day = [], first
    while day <= last:
        if not workdays.is_working(day):
            off.append(day.isoformat())
        day += timedelta(days=1)
    names = {
        e.date.isoformat(): holiday_name(e.name)
        for e in calendar_exceptions(calendar=project.calendar).filter(date__range=(first, last))
        if e.name
    }
    return {"first": first.isoformat(), "last": last.isoformat(), "off": off, "names": names}


def gantt_payload(request, project) -> dict:
    access = request.access
    baselines, baseline = chosen_baseline(request, project)
    workdays = Workdays(project.calendar)
    rows = project_schedule(access=access, project=project, baseline=baseline, workdays=workdays)
    per_day = project.calendar.minutes_per_day
    links = [
        {
            "id": link.pk,
            "from": link.predecessor_id,
            "to": link.successor_id,
            "type": link.type,
            "lag": in_days(link.lag, per_day),
            "lag_minutes": link.lag,
        }
        for link in selectors.dependency_list(access=access, project=project)
    ]
    first, last = schedule_span(rows, project)
    return {
        "project": {
            "id": project.pk,
            "name": project.name,
            "start": project.start_date.isoformat(),
            "finish": _iso(finish_day(project.scheduled_finish)),
            "contract_finish": _iso(project.contract_finish),
            "status_date": _iso(project.status_date),
            "minutes_per_day": per_day,
        },
        "today": timezone.localdate().isoformat(),
        "tasks": [_task_json(r) for r in rows],
        "links": links,
        "calendar": _calendar_json(project, workdays, first, last),
        "baselines": [{"id": b.pk, "number": b.number, "name": b.name} for b in baselines],
        "baseline": baseline.pk if baseline else None,
    }


def _strings() -> dict:
    """The chart's words, translated here so the script carries none."""
    return {
        "today": _("Today"),
        "contract": _("Contract finish"),
        "wbs": _("WBS"),
        "name": _("Task name"),
        "duration": _("Duration"),
        "start": _("Start"),
        "finish": _("Finish"),
        "days": _("%(n)s d"),
        "float": _("Total float"),
        "free_float": _("Free float"),
        "progress": _("Percent complete"),
        "assignees": _("Assignees"),
        "constraint": _("Constraint"),
        "baseline": _("Baseline"),
        "variance": _("Finish variance"),
        "critical": _("Critical"),
        "predecessors": _("Predecessors"),
        "successors": _("Successors"),
        "remove_link": _("Remove link"),
        "remove_constraint": _("Remove constraint"),
        "confirm_remove_link": _("Remove this link?"),
        "saving": _("Saving and rescheduling…"),
        "moved": _("Rescheduled: %(n)s task(s) moved. Project finish: %(finish)s."),
        "moved_none": _("Rescheduled. No other task moved."),
        "finish_changed": _("Project finish moved from %(old)s to %(new)s."),
        "started_locked": _("%(task)s has started: change its actual dates in the task list instead of dragging it."),
        "summary_locked": _("A summary task follows its sub-tasks: drag those instead."),
        "held_back": _("%(task)s cannot start before %(date)s: its predecessors hold it there."),
        "link_added": _("Link added: %(from)s → %(to)s."),
        "link_removed": _("Link removed."),
        "what_move": _("move of %(task)s"),
        "what_resize": _("new duration of %(task)s"),
        "what_constraint": _("constraint removed from %(task)s"),
        "what_link_added": _("new link %(from)s → %(to)s"),
        "what_link_removed": _("removal of the link %(from)s → %(to)s"),
        "what_task_added": _("new task %(name)s"),
        "saved": _("Saved: %(what)s."),
        "undone": _("Undone: %(what)s."),
        "redone": _("Redone: %(what)s."),
        "undo_refused": _("Refused: %(what)s. The message above the chart says why."),
        "undo": _("Undo"),
        "redo": _("Redo"),
        "nothing_to_undo": _("Nothing to undo."),
        "nothing_to_redo": _("Nothing to redo."),
        "zoom_to_resize": _("Zoom in (Day or Week) to drag its ends."),
        "task_added": _("Task added: %(name)s."),
        "error": _("Nothing was changed."),
        "network_error": _("The server could not be reached. Nothing was changed."),
        "no_tasks": _("No tasks yet. Add the first task to start the schedule."),
        "milestone": _("Milestone"),
        "summary": _("Summary task"),
        "drag_link": _("Drag to another bar to link"),
        "work_days": _("working days"),
    }


@tenant_view("projects.view_task")
def gantt(request, pk: int):
    """The interactive Gantt chart: drag to move (sets 'start no earlier than'), resize, link, add tasks."""
    project = project_or_404(request, pk)
    context = tab_context(request, project, "gantt")
    baselines, baseline = chosen_baseline(request, project)
    config = {
        "dataUrl": reverse("projects:gantt_data", kwargs={"pk": project.pk}),
        "taskUrl": reverse("api:projects-task-list"),
        "linkUrl": reverse("api:projects-dependency-list"),
        "projectId": project.pk,
        "baseline": baseline.pk if baseline else 0,
        "can": permissions_of(request.access),
        "strings": _strings(),
    }
    context.update({"config": config, "baselines": baselines, "baseline": baseline, "link_types": LinkType.choices})
    return render(request, "projects/gantt.html", context)


@tenant_view("projects.view_task")
def gantt_data(request, pk: int):
    """Everything the chart draws: tasks with local dates, links, the chosen baseline, non-working days."""
    project = project_or_404(request, pk)
    return JsonResponse(gantt_payload(request, project), json_dumps_params={"ensure_ascii": False})
