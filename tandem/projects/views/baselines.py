"""The baselines tab: saved baselines, save or overwrite one, delete one, variance against the chosen one."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.calendars.workdays import Workdays
from tandem.core.errors import ApplicationError
from tandem.core.views import tenant_view
from tandem.projects import selectors
from tandem.projects.forms import BaselineSaveForm
from tandem.projects.services.baselines import baseline_delete, baseline_save
from tandem.projects.views.common import chosen_baseline, project_or_404, tab_context
from tandem.projects.views.schedule import schedule_rows


@tenant_view("projects.view_baseline")
def baselines(request, pk: int):
    """Up to ten baselines; the variance table shows every task that moved against the chosen one."""
    project = project_or_404(request, pk)
    saved, baseline = chosen_baseline(request, project)
    rows = []
    if baseline is not None and request.access.has_perm("projects.view_task"):
        tasks = selectors.schedule_tasks(access=request.access, project=project)
        rows = schedule_rows(project=project, tasks=tasks, workdays=Workdays(project.calendar), baseline=baseline)
    context = tab_context(request, project, "baselines")
    context.update(
        {
            "saved": saved,
            "baseline": baseline,
            "rows": rows,
            "slipped": [r for r in rows if r.finish_variance],
            "form": BaselineSaveForm(),
        }
    )
    return render(request, "projects/baselines.html", context)


@require_POST
@tenant_view("projects.add_baseline")
def baseline_add(request, pk: int):
    """Save the current schedule as a baseline (the next free number, or over a chosen one)."""
    project = project_or_404(request, pk)
    form = BaselineSaveForm(request.POST)
    if form.is_valid():
        try:
            baseline = baseline_save(access=request.access, project=project, **form.cleaned_data)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Baseline saved: %(name)s.") % {"name": str(baseline)})
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("projects:baselines", pk=project.pk)


@require_POST
@tenant_view("projects.delete_baseline")
def baseline_remove(request, pk: int, baseline_id: int):
    project = project_or_404(request, pk)
    baseline = (
        selectors.baseline_list(access=request.access, project=project, action="delete").filter(pk=baseline_id).first()
    )
    if baseline is None:
        raise Http404
    try:
        baseline_delete(access=request.access, baseline=baseline)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Baseline deleted."))
    return redirect("projects:baselines", pk=project.pk)
