"""A project template's default budget lines, on the template's page (panel slot `projects.template`)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.core.errors import ApplicationError
from tandem.core.views import post_action, record_or_404, tenant_view
from tandem.finance.costing import line_amount
from tandem.finance.forms.budgets import TemplateBudgetLineForm
from tandem.finance.selectors.templates import template_budget_lines
from tandem.finance.services import templates as services
from tandem.projects.models import ProjectTemplate


def template_panel(request, template) -> dict | None:
    """The lines a project made from the template starts its budget with, and a form to add one."""
    access = request.access
    lines = list(template_budget_lines(access=access, template=template))
    for line in lines:
        line.amount = line_amount(line.quantity, line.unit_price)
    can_edit = access.has_perm("finance.add_budgetline")
    form = TemplateBudgetLineForm(access=access, template=template) if can_edit else None
    return {"template": template, "lines": lines, "form": form, "can_edit": can_edit}


def _back(pk: int) -> str:
    return reverse("projects:template_detail", args=[pk]) + "#template-budget"


@require_POST
@tenant_view("finance.add_budgetline")
def template_line_create(request, pk: int):
    template = record_or_404(request, ProjectTemplate, pk)
    form = TemplateBudgetLineForm(request.POST, access=request.access, template=template)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return redirect(_back(pk))
    try:
        services.template_budget_line_create(access=request.access, template=template, **form.cleaned_data)
    except ApplicationError as exc:
        messages.error(request, " ".join(str(m) for ms in (exc.errors or {}).values() for m in ms) or exc.message)
        return redirect(_back(pk))
    messages.success(request, _("Template budget line added."))
    return redirect(_back(pk))


@require_POST
@tenant_view("finance.delete_budgetline")
def template_line_delete(request, pk: int, line_id: int):
    template = record_or_404(request, ProjectTemplate, pk)
    line = template_budget_lines(access=request.access, template=template).filter(pk=line_id).first()
    if line is None:
        raise Http404
    return post_action(
        request,
        act=lambda: services.template_budget_line_delete(access=request.access, line=line),
        message=_("Template budget line deleted."),
        success=_back(pk),
    )
