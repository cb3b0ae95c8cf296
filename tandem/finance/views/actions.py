"""Writing change orders and commitments from the pages: the create/edit forms with their lines, and the
buttons (submit, approve, reject, void a change order; move a commitment along its flow)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.core.views import form_page, post_action, record_or_404, tenant_view
from tandem.finance.choices import EDITABLE_COMMITMENT_STATUSES, CommitmentStatus
from tandem.finance.forms.records import (
    ChangeOrderForm,
    ChangeOrderLineForm,
    CommitmentForm,
    CommitmentLineForm,
    CostRecordForm,
    line_formset,
)
from tandem.finance.selectors import records as selectors
from tandem.finance.selectors.budget_view import budget_line_list, visible_budget
from tandem.finance.services import actuals as cost_services
from tandem.finance.services import change_orders as co_services
from tandem.finance.services import commitments as commitment_services
from tandem.finance.views.budget import project_of


def _co_url(obj) -> str:
    return reverse("finance:change_order_detail", args=[obj.pk])


def _commitment_url(obj) -> str:
    return reverse("finance:commitment_detail", args=[obj.pk])


@tenant_view("finance.add_changeorder")
def change_order_create(request, pk: int):
    project = project_of(request, pk)
    budget = visible_budget(access=request.access, project=project)
    if budget is None:
        raise Http404
    lines = budget_line_list(access=request.access, project=project)
    return form_page(
        request,
        form=ChangeOrderForm(request.POST or None),
        rows=line_formset(ChangeOrderLineForm, request.POST or None, budget_lines=lines),
        template="finance/records/change_order_form.html",
        save=lambda form, rows: co_services.change_order_create(
            access=request.access, budget=budget, lines=rows.lines(), **form.cleaned_data
        ),
        message=lambda co: _("Change order %(number)s saved as a draft.") % {"number": co.number},
        success=_co_url,
        context={"project": project, "title": _("New change order")},
    )


@tenant_view("finance.change_changeorder")
def change_order_update(request, pk: int):
    change_order = record_or_404(request, selectors.change_order_list(access=request.access, action="change"), pk)
    project = change_order.project
    lines = budget_line_list(access=request.access, project=project)
    initial = [
        {"budget_line": line.budget_line_id, "description": line.description, "amount": line.amount}
        for line in selectors.change_order_lines(change_order)
    ]
    return form_page(
        request,
        form=ChangeOrderForm(request.POST or None, instance=change_order),
        rows=line_formset(
            ChangeOrderLineForm, request.POST or None, budget_lines=lines, initial=None if request.POST else initial
        ),
        template="finance/records/change_order_form.html",
        save=lambda form, rows: co_services.change_order_update(
            access=request.access, change_order=change_order, lines=rows.lines(), **form.cleaned_data
        ),
        message=_("Change order saved."),
        success=_co_url,
        context={"project": project, "title": str(change_order)},
    )


def _co_action(request, pk: int, service, message: str):
    change_order = record_or_404(request, selectors.change_order_list(access=request.access), pk)
    return post_action(
        request,
        act=lambda: service(access=request.access, change_order=change_order),
        message=message,
        success=_co_url(change_order),
    )


@require_POST
@tenant_view("finance.change_changeorder")
def change_order_submit(request, pk: int):
    return _co_action(request, pk, co_services.change_order_submit, _("Change order submitted: it is pending."))


@require_POST
@tenant_view("finance.approve_changeorder")
def change_order_approve(request, pk: int):
    return _co_action(request, pk, co_services.change_order_approve, _("Change order approved."))


@require_POST
@tenant_view("finance.approve_changeorder")
def change_order_reject(request, pk: int):
    return _co_action(request, pk, co_services.change_order_reject, _("Change order rejected."))


@require_POST
@tenant_view("finance.change_changeorder")
def change_order_void(request, pk: int):
    return _co_action(request, pk, co_services.change_order_void, _("Change order voided."))


@tenant_view("finance.add_commitment")
def commitment_create(request, pk: int):
    project = project_of(request, pk)
    lines = budget_line_list(access=request.access, project=project)
    return form_page(
        request,
        form=CommitmentForm(request.POST or None),
        rows=line_formset(CommitmentLineForm, request.POST or None, budget_lines=lines),
        template="finance/records/commitment_form.html",
        save=lambda form, rows: commitment_services.commitment_create(
            access=request.access, project=project, lines=rows.lines(), **form.cleaned_data
        ),
        message=lambda c: _("Commitment %(number)s saved as a draft.") % {"number": c.number},
        success=_commitment_url,
        context={"project": project, "title": _("New commitment")},
    )


@tenant_view("finance.change_commitment")
def commitment_update(request, pk: int):
    commitment = record_or_404(request, selectors.commitment_list(access=request.access, action="change"), pk)
    if commitment.status not in EDITABLE_COMMITMENT_STATUSES:
        messages.error(request, _("Only a draft or a commitment out for bid can be edited."))
        return redirect(_commitment_url(commitment))
    project = commitment.project
    lines = budget_line_list(access=request.access, project=project)
    initial = [
        {
            "budget_line": line.budget_line_id,
            "description": line.description,
            "quantity": line.quantity,
            "unit": line.unit,
            "unit_price": line.unit_price,
        }
        for line in selectors.commitment_lines(commitment)
    ]
    form = CommitmentForm(request.POST or None, instance=commitment)
    form.fields["kind"].disabled = True
    return form_page(
        request,
        form=form,
        rows=line_formset(
            CommitmentLineForm, request.POST or None, budget_lines=lines, initial=None if request.POST else initial
        ),
        template="finance/records/commitment_form.html",
        save=lambda form, rows: commitment_services.commitment_update(
            access=request.access,
            commitment=commitment,
            lines=rows.lines(),
            **{k: v for k, v in form.cleaned_data.items() if k != "kind"},
        ),
        message=_("Commitment saved."),
        success=_commitment_url,
        context={"project": project, "title": str(commitment)},
    )


@require_POST
@tenant_view("finance.change_commitment")
def commitment_move(request, pk: int):
    commitment = record_or_404(request, selectors.commitment_list(access=request.access), pk)
    status = request.POST.get("status", "")
    if status not in CommitmentStatus.values:
        raise Http404
    return post_action(
        request,
        act=lambda: commitment_services.commitment_transition(
            access=request.access, commitment=commitment, status=status
        ),
        message=_("Commitment moved to “%(status)s”.") % {"status": CommitmentStatus(status).label},
        success=_commitment_url(commitment),
    )


def _costs_url(project) -> str:
    return reverse("finance:cost_record_list") + f"?project={project.pk}"


def _cost_form(request, project, record=None):
    commitments = selectors.commitment_list(access=request.access).filter(project=project)
    return CostRecordForm(
        request.POST or None,
        instance=record,
        budget_lines=budget_line_list(access=request.access, project=project),
        commitments=commitments,
        editing=record is not None,
    )


@tenant_view("finance.add_costrecord")
def cost_record_create(request, pk: int):
    project = project_of(request, pk)
    return form_page(
        request,
        form=_cost_form(request, project),
        template="finance/records/cost_record_form.html",
        save=lambda f: cost_services.cost_record_create(access=request.access, project=project, **f.cleaned_data),
        message=_("Cost recorded."),
        success=_costs_url(project),
        context={"project": project, "title": _("New cost record")},
    )


@tenant_view("finance.change_costrecord")
def cost_record_update(request, pk: int):
    record = record_or_404(request, selectors.cost_record_list(access=request.access, action="change"), pk)
    if record.source_type:
        messages.error(request, _("This cost was posted from another record; change it there."))
        return redirect(_costs_url(record.project))
    form = _cost_form(request, record.project, record)
    return form_page(
        request,
        form=form,
        template="finance/records/cost_record_form.html",
        save=lambda f: cost_services.cost_record_update(
            access=request.access,
            record=record,
            **{k: v for k, v in f.cleaned_data.items() if not f.fields[k].disabled},
        ),
        message=_("Cost record saved."),
        success=_costs_url(record.project),
        context={"project": record.project, "title": str(record)},
    )


@require_POST
@tenant_view("finance.delete_costrecord")
def cost_record_delete(request, pk: int):
    record = record_or_404(request, selectors.cost_record_list(access=request.access, action="delete"), pk)
    return post_action(
        request,
        act=lambda: cost_services.cost_record_delete(access=request.access, record=record),
        message=_("Cost record deleted."),
        success=_costs_url(record.project),
    )
