"""The task list tab: the WBS with its schedule, inline edit (HTMX), add task or sub-task, delete."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.core.errors import ApplicationError
from tandem.core.views import tenant_view
from tandem.projects import selectors
from tandem.projects.forms.tasks import TaskAddForm, TaskInlineForm
from tandem.projects.services.tasks import task_create, task_delete, task_update
from tandem.projects.views.common import chosen_baseline, posted_form, project_or_404, tab_context, task_or_404
from tandem.projects.views.schedule import project_schedule


def _minutes(days: Decimal, per_day: int) -> int:
    return int(round(days * per_day))


def _filters(request) -> dict:
    params = request.POST if request.method == "POST" else request.GET
    return {"critical": params.get("critical") == "1", "baseline": params.get("baseline", "")}


def _critical_only(rows):
    """Critical tasks with the summary tasks above them, so the WBS still reads."""
    parents = {r.task.pk: r.task.parent_id for r in rows}
    keep = set()
    for row in rows:
        if row.task.is_critical and not row.task.is_summary:
            node = row.task.pk
            while node is not None and node not in keep:
                keep.add(node)
                node = parents.get(node)
    return [r for r in rows if r.task.pk in keep]


def _rows_context(request, project) -> dict:
    filters = _filters(request)
    baselines, baseline = chosen_baseline(request, project, wanted=filters["baseline"])
    rows = project_schedule(access=request.access, project=project, baseline=baseline)
    tasks = [row.task for row in rows]
    if filters["critical"]:
        rows = _critical_only(rows)
    context = tab_context(request, project, "tasks")
    context.update({"rows": rows, "tasks": tasks, "filters": filters, "baselines": baselines, "baseline": baseline})
    return context


def _rows_response(request, project, status: int = 200):
    return render(request, "projects/partials/task_rows.html", _rows_context(request, project), status=status)


@tenant_view("projects.view_task")
def task_list(request, pk: int):
    """Tasks in WBS order with dates, floats, critical flag, progress, assignees and baseline variance."""
    project = project_or_404(request, pk)
    if request.htmx:
        return _rows_response(request, project)
    context = _rows_context(request, project)
    parent = request.GET.get("parent", "")
    context["add_form"] = TaskAddForm(
        parents=context["tasks"], initial={"parent": int(parent) if parent.isdigit() else None}
    )
    context["adding_under"] = parent.isdigit()
    return render(request, "projects/task_list.html", context)


@require_POST
@tenant_view("projects.add_task")
def task_add(request, pk: int):
    """Add a task or milestone (under a parent: a sub-task); the schedule is recalculated."""
    project = project_or_404(request, pk)
    tasks = list(selectors.task_list(access=request.access, project=project))

    def save(data):
        return task_create(
            access=request.access,
            project=project,
            name=data["name"],
            parent=next((t for t in tasks if t.pk == data["parent"]), None),
            is_milestone=data["is_milestone"],
            duration=0 if data["is_milestone"] else _minutes(data["duration_days"], project.calendar.minutes_per_day),
        )

    posted_form(
        request,
        TaskAddForm(request.POST, parents=tasks),
        save=save,
        message=lambda task: _("Task added: %(name)s.") % {"name": f"{task.outline_number} {task.name}"},
    )
    return redirect("projects:tasks", pk=project.pk)


@tenant_view("projects.change_task")
def task_edit(request, pk: int, task_id: int):
    """GET: the row as a form; POST: save name, duration and % complete, then the whole rescheduled list."""
    project = project_or_404(request, pk)
    task = task_or_404(request, project, task_id, action="change")
    # Days of the calendar the task is scheduled on, as the list shows them.
    per_day = selectors.minutes_per_day(project=project, tasks=[task])[task.pk]
    initial = {
        "name": task.name,
        "duration_days": Decimal(task.duration) / per_day,
        "percent_complete": task.percent_complete,
    }
    form = TaskInlineForm(request.POST or None, initial=initial)
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {"name": data["name"]}
        if not task.is_summary:
            if data["duration_days"] is not None and not task.is_milestone:
                fields["duration"] = _minutes(data["duration_days"], per_day)
            if data["percent_complete"] is not None:
                fields["percent_complete"] = data["percent_complete"]
        try:
            task_update(access=request.access, task=task, **fields)
        except ApplicationError as exc:
            error = exc.message
            for field, errors in (exc.errors or {}).items():
                if field in form.fields:
                    form.add_error(field, errors)
        else:
            return _rows_response(request, project)
    context = {"project": project, "task": task, "form": form, "error": error, "filters": _filters(request)}
    response = render(request, "projects/partials/task_edit_row.html", context)
    if request.method == "POST":
        # A refused edit stays in its row, with the message, instead of replacing the whole list.
        response["HX-Retarget"] = f"#task-{task.pk}"
        response["HX-Reswap"] = "outerHTML"
    return response


@require_POST
@tenant_view("projects.delete_task")
def task_remove(request, pk: int, task_id: int):
    """Delete a task with its sub-tasks and links; the list comes back rescheduled."""
    project = project_or_404(request, pk)
    task = task_or_404(request, project, task_id, action="delete")
    try:
        task_delete(access=request.access, task=task)
    except ApplicationError as exc:
        return HttpResponse(exc.message, status=400)
    if request.htmx:
        return _rows_response(request, project)
    messages.success(request, _("Task deleted."))
    return redirect("projects:tasks", pk=project.pk)
