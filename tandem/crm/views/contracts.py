"""Contract (合同) pages: list with what was collected, the contract from a won deal with its payment plan
(回款计划), the contract page with periods, receipts (回款) and signing."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.core.errors import ApplicationError
from tandem.core.views import (
    can,
    form_page,
    list_page,
    paginate,
    post_action,
    record_or_404,
    service_errors,
    tenant_view,
)
from tandem.crm.choices import ContractStatus, ContractType, DealStatus, DealType, DueRule, MilestoneStatus
from tandem.crm.filters import ContractFilter
from tandem.crm.forms.contracts import ContractForm, PeriodFormSet, ReceiptForm, default_periods
from tandem.crm.models.contracts import PERIOD_FIELDS
from tandem.crm.selectors import contracts as contract_selectors
from tandem.crm.selectors import deals as deal_selectors
from tandem.crm.selectors import timelines as timeline_selectors
from tandem.crm.services import contracts as contract_services
from tandem.crm.services import receipts as receipt_services

CONTRACT_TYPE_OF_DEAL = {
    DealType.INSTALLATION: ContractType.CONSTRUCTION,
    DealType.RETROFIT: ContractType.CONSTRUCTION,
    DealType.MAINTENANCE: ContractType.MAINTENANCE,
    DealType.DESIGN: ContractType.DESIGN,
    DealType.SUPPLY: ContractType.SUPPLY,
    DealType.CONSULTING: ContractType.SERVICE,
}
CENT = Decimal("0.01")


def collected(contract) -> dict:
    """Received, outstanding and % collected, from the contract's annotated `received`."""
    received = (contract.received or Decimal("0")).quantize(CENT)
    outstanding = max(contract.amount - received, Decimal("0"))
    percent = (received * 100 / contract.amount).quantize(Decimal("0.1")) if contract.amount else Decimal("0")
    return {"received": received, "outstanding": outstanding, "percent": percent}


@tenant_view("crm.view_contract")
def contract_list(request):
    """Contracts with their amount, what was received and what is outstanding."""
    filterset = ContractFilter(request.GET, queryset=contract_selectors.contract_list(access=request.access))
    return list_page(
        request,
        key="contracts",
        template="crm/contract_list.html",
        partial="crm/partials/contract_rows.html",
        filterset=filterset,
        allowed_ordering=("number", "amount", "signed_on", "end_on", "created_at"),
        extra={"statuses": ContractStatus.choices, "types": ContractType.choices, "can": {}},
    )


@tenant_view("crm.add_contract")
def contract_create(request, pk: int):
    """A contract from a won deal: the deal's customer, name and amount, and a payment plan to adjust."""
    access = request.access
    deal = record_or_404(request, deal_selectors.deal_list(access=access), pk)
    if deal.status == DealStatus.LOST:
        messages.error(request, _("A lost deal cannot get a contract."))
        return redirect("crm:deal_detail", pk=deal.pk)
    initial = {
        "name": deal.name,
        "amount": deal.amount,
        "contract_type": CONTRACT_TYPE_OF_DEAL.get(deal.deal_type, ContractType.OTHER),
        "customer_signatory": deal.contact.name if deal.contact else "",
        "company_signatory": access.user_id,
    }
    return form_page(
        request,
        form=ContractForm(request.POST or None, initial=initial, access=access),
        rows=PeriodFormSet(request.POST or None, initial=None if request.POST else default_periods(), prefix="periods"),
        template="crm/contract_form.html",
        save=lambda form, periods: contract_services.contract_create(
            access=access, deal=deal, periods=periods.periods(), **form.cleaned_data
        ),
        message=lambda contract: _("Contract %(number)s created.") % {"number": contract.number},
        success=lambda contract: reverse("crm:contract_detail", args=[contract.pk]),
        context={"rules": DueRule, "deal": deal},
    )


@tenant_view("crm.change_contract")
def contract_edit(request, pk: int):
    """Change a contract and its payment plan; the periods must still add up to the amount."""
    access = request.access
    contract = record_or_404(request, contract_selectors.contract_list(access=access, action="change"), pk)
    initial = [{"id": m.pk, **{f: getattr(m, f) for f in PERIOD_FIELDS}} for m in contract.milestones.all()]
    return form_page(
        request,
        form=ContractForm(request.POST or None, instance=contract, access=access),
        rows=PeriodFormSet(request.POST or None, initial=initial, prefix="periods"),
        template="crm/contract_form.html",
        save=lambda form, periods: contract_services.contract_update(
            access=access, contract=contract, periods=periods.periods(), **form.cleaned_data
        ),
        message=_("Saved."),
        success=lambda _contract: reverse("crm:contract_detail", args=[contract.pk]),
        context={"rules": DueRule, "contract": contract},
    )


def _detail(request, contract, receipt_form=None):
    access = request.access
    milestones = list(contract.milestones.all())
    open_periods = contract_selectors.milestone_list(access=access).filter(contract=contract, is_void=False)
    next_due = next(
        (m.pk for m in milestones if m.status not in (MilestoneStatus.RECEIVED, MilestoneStatus.VOID)), None
    )
    page = paginate(request, timeline_selectors.contract_timeline(access=access, contract=contract), per_page=20)
    context = {
        "contract": contract,
        "milestones": milestones,
        "collected": collected(contract),
        "receipts": contract_selectors.receipt_list(access=access).filter(contract=contract),
        "receipt_form": receipt_form or ReceiptForm(milestones=open_periods, initial={"milestone": next_due}),
        "page": page,
        "timeline": timeline_selectors.timeline_load(page.object_list),
        "signed": contract.status in (ContractStatus.SIGNED, ContractStatus.COMPLETED),
        "can": can(access, "crm.change_contract", "crm.add_receipt"),
    }
    return render(request, "crm/contract_detail.html", context)


@tenant_view("crm.view_contract")
def contract_detail(request, pk: int):
    """One contract: amounts, the payment plan with each period's status, receipts, and changes."""
    return _detail(request, record_or_404(request, contract_selectors.contract_list(access=request.access), pk))


@require_POST
@tenant_view("crm.change_contract")
def contract_sign(request, pk: int):
    """Mark a draft contract signed (crm.contract.signed); receipts can be recorded from then on."""
    contract = record_or_404(request, contract_selectors.contract_list(access=request.access, action="change"), pk)
    return post_action(
        request,
        act=lambda: contract_services.contract_sign(access=request.access, contract=contract),
        message=_("Contract signed."),
        success=resolve_url("crm:contract_detail", pk=contract.pk),
    )


@require_POST
@tenant_view("crm.add_receipt")
def receipt_create(request, pk: int):
    """Record money received against one payment period of the contract."""
    access = request.access
    contract = record_or_404(request, contract_selectors.contract_list(access=access), pk)
    open_periods = contract_selectors.milestone_list(access=access).filter(contract=contract, is_void=False)
    form = ReceiptForm(request.POST, milestones=open_periods)
    if form.is_valid():
        try:
            receipt_services.receipt_record(
                access=access, milestone=form.cleaned_data["milestone"], **form.service_fields()
            )
        except ApplicationError as exc:
            service_errors(exc, form)
        else:
            messages.success(request, _("Receipt recorded."))
            return redirect("crm:contract_detail", pk=contract.pk)
    return _detail(request, contract, receipt_form=form)
