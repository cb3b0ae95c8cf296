"""The kanban tab (cards by status, drag to change progress) and the calendar tab (a month grid)."""

from __future__ import annotations

import calendar as month_calendar
from datetime import date, timedelta

from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.calendars.selectors import calendar_exceptions
from tandem.calendars.workdays import Workdays
from tandem.core.errors import ApplicationError
from tandem.core.views import tenant_view
from tandem.projects.choices import TaskStatus
from tandem.projects.services.progress import task_status_set
from tandem.projects.views.common import project_or_404, tab_context, task_or_404
from tandem.projects.views.schedule import project_schedule, schedule_rows

# More than this many bars in one day cell would make the month unreadable; the rest are counted.
CELL_LIMIT = 5


def _leaf_rows(request, project):
    workdays = Workdays(project.calendar)
    rows = project_schedule(access=request.access, project=project, workdays=workdays)
    return [r for r in rows if not r.task.is_summary], workdays


@tenant_view("projects.view_task")
def kanban(request, pk: int):
    """Tasks and milestones in three columns: not started, in progress, done."""
    project = project_or_404(request, pk)
    rows, _workdays = _leaf_rows(request, project)
    # Work to come and work under way read in date order; finished work, most recent first.
    columns = []
    for value, label in TaskStatus.choices:
        cards = [r for r in rows if r.status == value]
        if value == TaskStatus.DONE:
            cards.sort(key=lambda r: (r.finish or date.min, r.task.sort_order), reverse=True)
        else:
            cards.sort(key=lambda r: (r.start or date.max, r.task.sort_order))
        columns.append({"status": value, "label": label, "rows": cards})
    context = tab_context(request, project, "kanban")
    context["columns"] = columns
    return render(request, "projects/kanban.html", context)


@require_POST
@tenant_view("projects.change_task")
def kanban_move(request, pk: int, task_id: int):
    """A card dropped in another column: progress and actual dates follow, the project is rescheduled."""
    project = project_or_404(request, pk)
    task = task_or_404(request, project, task_id, action="change")
    try:
        task = task_status_set(access=request.access, task=task, status=request.POST.get("status", ""))
    except ApplicationError as exc:
        return JsonResponse({"ok": False, "message": str(exc.message)}, status=400)
    workdays = Workdays(project.calendar)
    row = schedule_rows(project=project, tasks=[task], workdays=workdays)[0]
    card = render_to_string("projects/partials/kanban_card.html", {"row": row}, request)
    message = _("%(task)s: %(status)s, %(percent)d%% complete.") % {
        "task": task.name,
        "status": TaskStatus(row.status).label,
        "percent": task.percent_complete,
    }
    return JsonResponse({"ok": True, "card": card, "message": message})


def _month(request, project, today: date) -> date:
    value = request.GET.get("month", "")
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except ValueError:
        pass
    first = project.start_date
    finish = timezone.localtime(project.scheduled_finish).date() if project.scheduled_finish else first
    anchor = today if first <= today <= finish else first
    return anchor.replace(day=1)


@tenant_view("projects.view_task")
def calendar(request, pk: int):
    """A month grid of the tasks at work each day, milestones, holidays and make-up workdays."""
    project = project_or_404(request, pk)
    today = timezone.localdate()
    month = _month(request, project, today)
    rows, workdays = _leaf_rows(request, project)
    weeks_raw = month_calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    first, last = weeks_raw[0][0], weeks_raw[-1][-1]
    names = {e.date: e for e in calendar_exceptions(calendar=project.calendar).filter(date__range=(first, last))}
    active = [r for r in rows if r.start and r.finish and r.start <= last and r.finish >= first]
    weeks = []
    for week in weeks_raw:
        days = []
        for day in week:
            items = [
                r for r in active if r.start <= day <= r.finish and (r.task.is_milestone or workdays.is_working(day))
            ]
            items.sort(key=lambda r: (not r.task.is_milestone, not r.task.is_critical, r.task.sort_order))
            exception = names.get(day)
            days.append(
                {
                    "date": day,
                    "in_month": day.month == month.month,
                    "today": day == today,
                    "working": workdays.is_working(day),
                    "exception": exception,
                    "items": items[:CELL_LIMIT],
                    "more": items[CELL_LIMIT:],
                }
            )
        weeks.append(days)
    previous = (month - timedelta(days=1)).replace(day=1)
    following = (month + timedelta(days=32)).replace(day=1)
    context = tab_context(request, project, "calendar")
    context.update(
        {
            "month": month,
            "weeks": weeks,
            "previous": f"{previous:%Y-%m}",
            "following": f"{following:%Y-%m}",
            "this_month": f"{today:%Y-%m}",
            "weekdays": [WEEKDAYS_ABBR[i] for i in range(7)],
        }
    )
    return render(request, "projects/calendar.html", context)
