"""The utilisation heatmap (resource × week, click a cell for the tasks behind it) and one resource's timeline
across projects."""

from __future__ import annotations

from datetime import date

from django.http import Http404
from django.shortcuts import render
from django.utils.http import urlencode

from tandem.core.views import record_or_404, tenant_view
from tandem.resources.choices import ConflictStatus
from tandem.resources.forms.utilisation import RangeForm, UtilisationFilterForm
from tandem.resources.models import Conflict, Resource
from tandem.resources.selectors.timeline import resource_timeline
from tandem.resources.selectors.utilisation import FULL_FROM, cell_tasks, utilisation, week_start

PERMISSION = "resources.view_allocation"


def _query(request, **changes) -> str:
    """The current query string with `changes` (None drops a key)."""
    query = {k: v for k, v in request.GET.items() if v}
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return urlencode(query)


def _navigation(request, form: RangeForm) -> dict:
    this_week = week_start(form.today)
    return {
        "previous_query": _query(request, **form.shifted(-1)),
        "next_query": _query(request, **form.shifted(1)),
        "this_week_query": _query(request, start=this_week.isoformat(), end=None),
    }


@tenant_view(PERMISSION)
def utilisation_page(request):
    """The heatmap: rows of resources grouped by department or skill, a column per ISO week."""
    form = UtilisationFilterForm(request.GET or None, access=request.access)
    first, last = form.period()
    result = utilisation(request.access, first, last, **form.filters())
    context = {
        "form": form,
        "result": result,
        "full_from": FULL_FROM,
        "today_week": week_start(form.today),
        "range_query": _query(request),
        **_navigation(request, form),
    }
    return render(request, "resources/utilisation/heatmap.html", context)


@tenant_view(PERMISSION)
def utilisation_cell(request, pk: int, week: str):
    """The tasks behind one cell (a resource, any day of the week): the modal body for HTMX, a page otherwise."""
    resource = record_or_404(request, Resource, pk)
    try:
        week = date.fromisoformat(week)
    except ValueError:
        raise Http404 from None
    detail = cell_tasks(request.access, resource, week)
    template = "resources/utilisation/cell.html" if request.htmx else "resources/utilisation/cell_page.html"
    return render(request, template, {"detail": detail, "cell": detail.cell, "resource": resource})


@tenant_view(PERMISSION)
def resource_timeline_page(request, pk: int):
    """One resource across projects: a bar per allocation by date, the load per day, leave."""
    resource = record_or_404(request, Resource, pk)
    form = RangeForm(request.GET or None)
    first, last = form.period()
    timeline = resource_timeline(request.access, resource, first, last)
    open_conflicts = 0
    if request.access.has_perm("resources.view_conflict"):
        open_conflicts = Conflict.objects.filter(
            tenant_id=request.access.tenant_id, resource=resource, status=ConflictStatus.OPEN
        ).count()
    context = {
        "form": form,
        "resource": resource,
        "timeline": timeline,
        "open_conflicts": open_conflicts,
        **_navigation(request, form),
    }
    return render(request, "resources/utilisation/timeline.html", context)
