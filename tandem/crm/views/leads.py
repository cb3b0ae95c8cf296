"""Lead (线索) pages: list with the response deadline and last follow-up, forms, the lead page, conversion."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tandem.core.views import can, form_page, list_page, paginate, record_or_404, tenant_view
from tandem.crm.choices import DedupDecision, LeadSource, LeadStatus
from tandem.crm.filters import LeadFilter
from tandem.crm.forms.activities import ActivityForm
from tandem.crm.forms.sales import LeadConvertForm, LeadForm
from tandem.crm.selectors import accounts as account_selectors
from tandem.crm.selectors import activities as activity_selectors
from tandem.crm.selectors import leads as lead_selectors
from tandem.crm.selectors import timelines as timeline_selectors
from tandem.crm.services import leads as lead_services
from tandem.crm.services.dedup import duplicates_find
from tandem.crm.views.common import bulk_flags


@tenant_view("crm.view_lead")
def lead_list(request):
    """Leads with their first-response deadline and last follow-up; overdue ones stand out."""
    qs = activity_selectors.with_last_follow_up(lead_selectors.lead_list(access=request.access), via="lead")
    filterset = LeadFilter(request.GET, queryset=qs)
    return list_page(
        request,
        key="leads",
        template="crm/lead_list.html",
        partial="crm/partials/lead_rows.html",
        filterset=filterset,
        allowed_ordering=("company", "created_at", "response_due_at", "status", "last_follow_up_at"),
        extra={
            "statuses": LeadStatus.choices,
            "sources": LeadSource.choices,
            "can": can(request.access, "crm.add_lead"),
            "bulk": bulk_flags(request.access, "lead"),
        },
    )


@tenant_view("crm.add_lead")
def lead_create(request):
    return form_page(
        request,
        form=LeadForm(request.POST or None, access=request.access),
        template="crm/lead_form.html",
        save=lambda form: lead_services.lead_create(access=request.access, **form.service_fields()),
        message=lambda lead: _("Lead %(name)s created.") % {"name": lead},
        success=lambda lead: reverse("crm:lead_detail", args=[lead.pk]),
    )


@tenant_view("crm.change_lead")
def lead_edit(request, pk: int):
    lead = record_or_404(request, lead_selectors.lead_list(access=request.access, action="change"), pk)
    if lead.status == LeadStatus.CONVERTED:
        messages.info(request, _("A converted lead cannot be changed; work on its account and deal."))
        return redirect("crm:lead_detail", pk=lead.pk)
    return form_page(
        request,
        form=LeadForm(request.POST or None, instance=lead, access=request.access),
        template="crm/lead_form.html",
        save=lambda form: lead_services.lead_update(access=request.access, lead=lead, **form.service_fields()),
        message=_("Saved."),
        success=reverse("crm:lead_detail", args=[lead.pk]),
        context={"lead": lead},
    )


@tenant_view("crm.view_lead")
def lead_detail(request, pk: int):
    """One lead: details, response time, follow-ups and changes, and the way to convert it."""
    access = request.access
    lead = record_or_404(request, lead_selectors.lead_list(access=access), pk)
    page = paginate(request, timeline_selectors.lead_timeline(access=access, lead=lead), per_page=20)
    context = {
        "lead": lead,
        "page": page,
        "timeline": timeline_selectors.timeline_load(page.object_list),
        "activity_form": ActivityForm(initial={"target_type": "lead", "target_id": lead.pk}),
        "can": can(access, "crm.change_lead", "crm.add_activity"),
    }
    return render(request, "crm/lead_detail.html", context)


def _candidates(request, lead) -> list[dict]:
    """Accounts that may be this lead's company; a colleague's shows by name and owner only."""
    matches = duplicates_find(
        access=request.access, name=lead.company or lead.contact_name, phone=lead.phone, email=lead.email
    )
    visible = account_selectors.visible_account_ids(access=request.access, ids=[m.account.pk for m in matches])
    return [{"match": m, "visible": m.account.pk in visible} for m in matches]


@tenant_view("crm.change_lead")
def lead_convert(request, pk: int):
    """Convert a lead into an account, a contact and a deal; likely duplicates are shown to choose from."""
    lead = record_or_404(request, lead_selectors.lead_list(access=request.access, action="change"), pk)
    if lead.status == LeadStatus.CONVERTED:
        messages.info(request, _("This lead was converted already."))
        return redirect("crm:lead_detail", pk=lead.pk)
    candidates = _candidates(request, lead)
    reachable = [c for c in candidates if c["visible"]]
    initial = {
        "decision": DedupDecision.LINK if reachable else DedupDecision.CREATE,
        "account": reachable[0]["match"].account.pk if reachable else None,
        "deal_name": lead.company or lead.contact_name,
        "amount": lead.estimated_amount,
    }
    return form_page(
        request,
        form=LeadConvertForm(request.POST or None, initial=initial, access=request.access),
        template="crm/lead_convert.html",
        save=lambda form: _convert(request, lead, form),
        message=_("Lead converted."),
        success=_converted_url,
        context={"lead": lead, "candidates": candidates, "decisions": DedupDecision},
    )


def _convert(request, lead, form):
    data = form.cleaned_data
    decision = data["decision"]
    return lead_services.lead_convert(
        access=request.access,
        lead=lead,
        decision=decision,
        account=data["account"] if decision != DedupDecision.CREATE else None,
        create_deal=data["create_deal"],
        deal_fields=form.deal_fields(),
    )


def _converted_url(result) -> str:
    """The new deal, or the account when no deal was made."""
    if result.deal is not None:
        return reverse("crm:deal_detail", args=[result.deal.pk])
    return reverse("crm:account_detail", args=[result.account.pk])
