"""The budget editor of a project: its lines (add, edit, delete while the budget is a draft; only description and
forecast once locked), the contract value, the lock, and the transfers between lines of a locked budget."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.core.views import can, form_page, post_action, record_or_404, tenant_view
from tandem.finance.forms.budgets import BudgetLineForm, ContractValueForm, LockedLineForm, ModificationForm
from tandem.finance.models import BudgetModification
from tandem.finance.selectors.budget_view import PERMISSION, budget_line_list, budget_view, visible_budget
from tandem.finance.services import budgets as services
from tandem.finance.views.budget import project_of

PERMISSIONS = (
    "finance.change_projectbudget",
    "finance.lock_projectbudget",
    "finance.add_budgetline",
    "finance.change_budgetline",
    "finance.delete_budgetline",
    "finance.add_budgetmodification",
    "finance.import_budgetline",
)


def _lines_url(project) -> str:
    return reverse("finance:budget_lines", args=[project.pk])


@tenant_view(PERMISSION)
def budget_lines(request, pk: int):
    """The lines with their original amounts and forecasts, the lock, the modifications of a locked budget."""
    project = project_of(request, pk)
    view = budget_view(access=request.access, project=project)
    budget = view.budget
    modifications = []
    if budget is not None and budget.is_locked:
        modifications = list(
            BudgetModification.objects.for_tenant(request.access.tenant_id)
            .filter(budget=budget)
            .select_related("from_line__cost_code", "to_line__cost_code", "created_by")
        )
    figures = {row.line.pk: row.figures for row in view.rows}
    rows = [
        {"line": line, "figures": figures.get(line.pk)}
        for line in budget_line_list(access=request.access, project=project)
    ]
    context = {
        "project": project,
        "budget": budget,
        "rows": rows,
        "total": view.total,
        "modifications": modifications,
        "can": can(request.access, *PERMISSIONS),
    }
    return render(request, "finance/budget/lines.html", context)


@require_POST
@tenant_view("finance.change_projectbudget")
def budget_start(request, pk: int):
    """Start the project's budget (it is also made when the project is created from a won deal)."""
    project = project_of(request, pk)
    return post_action(
        request,
        act=lambda: services.budget_for(access=request.access, project=project),
        message=_("The budget is ready: add its lines."),
        success=_lines_url(project),
    )


def _budget(request, project):
    """The project's budget; None (and the pages send the caller to start it) when it has none yet."""
    return visible_budget(access=request.access, project=project)


@tenant_view("finance.change_projectbudget")
def budget_edit(request, pk: int):
    project = project_of(request, pk)
    budget = _budget(request, project)
    if budget is None:
        return redirect(_lines_url(project))
    form = ContractValueForm(request.POST or None, instance=budget)
    if budget.is_locked:
        form.fields["original_contract_value"].disabled = True
    return form_page(
        request,
        form=form,
        template="finance/budget/form.html",
        save=lambda f: services.budget_update(
            access=request.access,
            budget=budget,
            **{k: v for k, v in f.cleaned_data.items() if not f.fields[k].disabled},
        ),
        message=_("Budget saved."),
        success=_lines_url(project),
        context={"project": project, "title": _("Contract value and notes")},
    )


@tenant_view("finance.add_budgetline")
def line_create(request, pk: int):
    project = project_of(request, pk)
    budget = _budget(request, project)
    if budget is None or budget.is_locked:
        return redirect(_lines_url(project))
    form = BudgetLineForm(request.POST or None, access=request.access, project=project)
    return form_page(
        request,
        form=form,
        template="finance/budget/form.html",
        save=lambda f: services.budget_line_create(access=request.access, budget=budget, **f.cleaned_data),
        message=_("Budget line added."),
        success=_lines_url(project),
        context={"project": project, "title": _("New budget line")},
    )


@tenant_view("finance.change_budgetline")
def line_update(request, pk: int, line_id: int):
    project = project_of(request, pk)
    line = record_or_404(request, budget_line_list(access=request.access, project=project, action="change"), line_id)
    form_class = LockedLineForm if line.budget.is_locked else BudgetLineForm
    form = form_class(request.POST or None, instance=line, access=request.access, project=project)
    return form_page(
        request,
        form=form,
        template="finance/budget/form.html",
        save=lambda f: services.budget_line_update(access=request.access, line=line, **f.cleaned_data),
        message=_("Budget line saved."),
        success=_lines_url(project),
        context={"project": project, "title": str(line), "locked": line.budget.is_locked},
    )


@require_POST
@tenant_view("finance.delete_budgetline")
def line_delete(request, pk: int, line_id: int):
    project = project_of(request, pk)
    line = record_or_404(request, budget_line_list(access=request.access, project=project, action="delete"), line_id)
    return post_action(
        request,
        act=lambda: services.budget_line_delete(access=request.access, line=line),
        message=_("Budget line deleted."),
        success=_lines_url(project),
    )


@require_POST
@tenant_view("finance.lock_projectbudget")
def budget_lock(request, pk: int):
    project = project_of(request, pk)
    budget = _budget(request, project)
    if budget is None:
        return redirect(_lines_url(project))
    return post_action(
        request,
        act=lambda: services.budget_lock(access=request.access, budget=budget),
        message=_("The budget is locked: from now on amounts move through modifications and change orders."),
        success=_lines_url(project),
    )


@tenant_view("finance.add_budgetmodification")
def modification_create(request, pk: int):
    project = project_of(request, pk)
    budget = _budget(request, project)
    if budget is None:
        return redirect(_lines_url(project))
    lines = budget_line_list(access=request.access, project=project)
    form = ModificationForm(request.POST or None, lines=lines)
    return form_page(
        request,
        form=form,
        template="finance/budget/form.html",
        save=lambda f: services.budget_modification_create(access=request.access, budget=budget, **f.cleaned_data),
        message=_("Budget transferred."),
        success=_lines_url(project),
        context={"project": project, "title": _("Budget modification")},
    )
