"""A project's budget view (thirteen columns by cost code or cost type, header cards, drill-down into any input
cell, Excel export of what is shown) and the cost panel of the project page."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tandem.core.errors import ApplicationError
from tandem.core.views import can, record_or_404, tenant_view
from tandem.finance.choices import BudgetGroup, CostType
from tandem.finance.exports import COLUMN_LABELS, budget_table, budget_workbook
from tandem.finance.models import CostCode
from tandem.finance.selectors.budget_view import (
    PERMISSION,
    budget_line_list,
    budget_view,
    cell_records,
    open_alert_list,
)
from tandem.finance.selectors.earned_value import project_earned_value
from tandem.projects.models import Project
from tandem.projects.selectors import project_list


def project_of(request, pk: int):
    """The project, if the caller may see it and its cost (the field rule hides cost from sales): else a 404."""
    project = record_or_404(request, project_list(access=request.access), pk)
    if request.access.field_rule(Project.budget_rule) == "hidden":
        raise Http404
    return project


def _group(request) -> str:
    value = request.GET.get("group", "")
    return value if value in BudgetGroup.values else BudgetGroup.CODE


@tenant_view(PERMISSION)
def budget_page(request, pk: int):
    """The budget view: header cards, the grouping toggle, the table with subtotals and the total."""
    project = project_of(request, pk)
    view = budget_view(access=request.access, project=project, group=_group(request))
    earned = project_earned_value(access=request.access, project=project, view=view)
    context = {
        "project": project,
        "view": view,
        "table": budget_table(view),
        "earned": earned.figures,
        "alerts": list(open_alert_list(access=request.access, project=project)[:20]) if view.open_alerts else [],
        "groups": BudgetGroup.choices,
        "can_export": request.access.has_perm("finance.export_projectbudget"),
        "can": can(request.access, "finance.add_changeorder", "finance.add_commitment", "finance.add_costrecord"),
    }
    return render(request, "finance/budget/view.html", context)


@tenant_view(PERMISSION)
def budget_cell(request, pk: int):
    """The records behind one cell (`?column=&line=` or `&code=` / `&type=` for a group, neither for the total):
    the modal's body for HTMX, a page of its own otherwise."""
    project = project_of(request, pk)
    column = request.GET.get("column", "")
    if column not in COLUMN_LABELS:
        raise Http404
    line = None
    if request.GET.get("line", "").isdigit():
        line = record_or_404(request, budget_line_list(access=request.access, project=project), request.GET["line"])
    code = None
    if request.GET.get("code", "").isdigit():
        code = record_or_404(request, CostCode, request.GET["code"])
    cost_type = request.GET.get("type", "")
    if cost_type and cost_type not in CostType.values:
        raise Http404
    cell = cell_records(
        access=request.access,
        project=project,
        column=column,
        line=line,
        cost_code_id=code.pk if code else None,
        cost_type=cost_type or None,
    )
    if line is not None:
        scope = str(line)
    elif code is not None:
        scope = str(code)
    elif cost_type:
        scope = str(CostType(cost_type).label)
    else:
        scope = ""
    context = {
        "project": project,
        "cell": cell,
        "column_label": COLUMN_LABELS[column],
        "scope": scope,
        "group": _group(request),
    }
    template = "finance/budget/cell.html" if request.htmx else "finance/budget/cell_page.html"
    return render(request, template, context)


@tenant_view("finance.export_projectbudget")
def budget_export(request, pk: int):
    """The budget view exactly as shown (same grouping) as an Excel sheet."""
    project = project_of(request, pk)
    view = budget_view(access=request.access, project=project, group=_group(request))
    content = budget_workbook(view, budget_table(view))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    filename = f"budget-{project.number}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def project_panel(request, project) -> dict | None:
    """The project page's 成本 panel: revised budget, ECAC, margin %, over/under, a link to the budget view."""
    if request.access.field_rule(Project.budget_rule) == "hidden":
        return None
    try:
        view = budget_view(access=request.access, project=project)
    except ApplicationError:  # a budget out of the caller's reach shows no panel
        return None
    if view.budget is None:
        return None
    return {"project": project, "cost_view": view}


def warnings_panel(request, _obj) -> dict | None:
    """The delay warnings page's cost alerts: the open ones of every project the caller can see."""
    if request.access.field_rule(Project.budget_rule) == "hidden":
        return None
    alerts = list(open_alert_list(access=request.access)[:50])
    return {"cost_alerts": alerts} if alerts else None
