"""The baselines tab: saved baselines, save or overwrite one, delete one, variance against the chosen one."""

from __future__ import annotations

from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.core.views import post_action, record_or_404, tenant_view
from tandem.projects import selectors
from tandem.projects.forms.baselines import BaselineSaveForm
from tandem.projects.services.baselines import baseline_delete, baseline_save
from tandem.projects.views.common import chosen_baseline, posted_form, project_or_404, tab_context
from tandem.projects.views.schedule import project_schedule


@tenant_view("projects.view_baseline")
def baselines(request, pk: int):
    """Up to ten baselines; the variance table shows every task that moved against the chosen one."""
    project = project_or_404(request, pk)
    saved, baseline = chosen_baseline(request, project)
    rows = []
    if baseline is not None and request.access.has_perm("projects.view_task"):
        rows = project_schedule(access=request.access, project=project, baseline=baseline)
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
    posted_form(
        request,
        BaselineSaveForm(request.POST),
        save=lambda data: baseline_save(access=request.access, project=project, **data),
        message=lambda baseline: _("Baseline saved: %(name)s.") % {"name": str(baseline)},
    )
    return redirect("projects:baselines", pk=project.pk)


@require_POST
@tenant_view("projects.delete_baseline")
def baseline_remove(request, pk: int, baseline_id: int):
    project = project_or_404(request, pk)
    baseline = record_or_404(
        request, selectors.baseline_list(access=request.access, project=project, action="delete"), baseline_id
    )
    return post_action(
        request,
        act=lambda: baseline_delete(access=request.access, baseline=baseline),
        message=_("Baseline deleted."),
        success=resolve_url("projects:baselines", pk=project.pk),
    )
