"""Delay warnings across every project the caller can see, with the person who must act."""

from __future__ import annotations

from tandem.core.views import rows_page, tenant_view
from tandem.projects import selectors
from tandem.projects.choices import WarningKind
from tandem.projects.delays import delay_warnings


@tenant_view("projects.view_project")
def warning_list(request):
    """Most severe first; filter by kind, by who must act, by project."""
    filters = {k: request.GET.get(k, "").replace("\x00", "").strip() for k in ("kind", "owner", "q")}
    projects = selectors.project_list(access=request.access, filters={"q": filters["q"]})
    warnings = delay_warnings(projects=list(projects))
    people = {w.owner.pk: w.owner for w in warnings if w.owner is not None}
    counts = {kind: 0 for kind in WarningKind.values}
    for w in warnings:
        counts[w.kind] += 1
    if filters["kind"] in WarningKind.values:
        warnings = [w for w in warnings if w.kind == filters["kind"]]
    if filters["owner"] == "me":
        warnings = [w for w in warnings if w.owner is not None and w.owner.pk == request.access.user_id]
    elif filters["owner"].isdigit():
        warnings = [w for w in warnings if w.owner is not None and w.owner.pk == int(filters["owner"])]
    return rows_page(
        request,
        rows=warnings,
        template="projects/warning_list.html",
        partial="projects/partials/warning_rows.html",
        rows_id="warning-rows",
        context={
            "filters": filters,
            "kinds": [(value, label, counts[value]) for value, label in WarningKind.choices],
            "people": sorted(people.values(), key=str),
            "total": sum(counts.values()),
        },
    )
