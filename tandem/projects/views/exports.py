"""The Gantt chart out of the browser: an editable Excel sheet, and a print view the browser saves as PDF."""

from __future__ import annotations

from datetime import date, timedelta

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tandem.calendars.workdays import Workdays
from tandem.core.views import tenant_view
from tandem.projects import selectors
from tandem.projects.views.common import chosen_baseline, project_or_404
from tandem.projects.views.gantt_excel import bar_kind, gantt_workbook
from tandem.projects.views.schedule import ScheduleRow, finish_day, schedule_rows, schedule_span


def _rows(request, project, baseline=None) -> list[ScheduleRow]:
    tasks = selectors.schedule_tasks(access=request.access, project=project)
    return schedule_rows(project=project, tasks=tasks, workdays=Workdays(project.calendar), baseline=baseline)


@tenant_view("projects.export_task")
def gantt_export(request, pk: int):
    """The Gantt chart as an Excel workbook that stays editable (real dates and numbers, filled week cells)."""
    project = project_or_404(request, pk)
    body = gantt_workbook(project, _rows(request, project), timezone.localdate())
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = (
        f'attachment; filename="{project.number}-gantt-{timezone.localdate():%Y%m%d}.xlsx"'
    )
    return response


def _percent(day: date, first: date, span: int) -> float:
    return round((day - first).days * 100 / span, 3)


@tenant_view("projects.view_task")
def gantt_print(request, pk: int):
    """A print layout of the Gantt chart (A3 or A4 landscape): the browser prints it, or saves it as PDF."""
    project = project_or_404(request, pk)
    _saved, baseline = chosen_baseline(request, project)
    rows = _rows(request, project, baseline)
    first, last = schedule_span(rows, project)
    first, last = first.replace(day=1), (last.replace(day=28) + timedelta(days=4)).replace(day=1)
    span = max((last - first).days, 1)
    months, month = [], first
    while month < last:
        following = (month + timedelta(days=32)).replace(day=1)
        months.append({"date": month, "left": _percent(month, first, span), "width": _percent(following, month, span)})
        month = following
    bars = []
    for row in rows:
        bar = {"row": row, "kind": bar_kind(row)}
        if row.start and row.finish:
            bar["left"] = _percent(row.start, first, span)
            bar["width"] = max(_percent(row.finish + timedelta(days=1), row.start, span), 0.15)
        if row.baseline_start and row.baseline_finish:
            bar["base_left"] = _percent(row.baseline_start, first, span)
            bar["base_width"] = max(_percent(row.baseline_finish + timedelta(days=1), row.baseline_start, span), 0.15)
        bars.append(bar)
    today = timezone.localdate()
    paper = "a4" if request.GET.get("paper") == "a4" else "a3"
    context = {
        "project": project,
        "bars": bars,
        "months": months,
        "baseline": baseline,
        "paper": paper,
        "today": _percent(today, first, span) if first <= today < last else None,
        "contract": _percent(project.contract_finish, first, span)
        if project.contract_finish and first <= project.contract_finish < last
        else None,
        "finish": finish_day(project.scheduled_finish),
        "printed_at": timezone.localtime(),
    }
    return render(request, "projects/gantt_print.html", context)
