"""Account (客户) and contact (联系人) pages: lists, forms, the account page with its tabs, record lookups."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from tandem.core.views import can, form_page, list_page, members, paginate, record_or_404, tenant_view
from tandem.crm.choices import AccountTier, DealStatus, Industry, Region
from tandem.crm.filters import AccountFilter, ContactFilter
from tandem.crm.forms.accounts import AccountForm, ContactForm
from tandem.crm.forms.activities import ActivityForm
from tandem.crm.selectors import accounts as account_selectors
from tandem.crm.selectors import contracts as contract_selectors
from tandem.crm.selectors import deals as deal_selectors
from tandem.crm.selectors import timelines as timeline_selectors
from tandem.crm.services import accounts as account_services
from tandem.crm.services import contacts as contact_services
from tandem.crm.views.common import bulk_flags


@tenant_view("crm.view_account")
def account_list(request):
    """Customer companies the caller can see, with their last follow-up."""
    filterset = AccountFilter(request.GET, queryset=account_selectors.account_list(access=request.access))
    return list_page(
        request,
        key="accounts",
        template="crm/account_list.html",
        partial="crm/partials/account_rows.html",
        filterset=filterset,
        allowed_ordering=("name", "tier", "last_activity_at", "created_at"),
        extra={
            "tiers": AccountTier.choices,
            "industries": Industry.choices,
            "regions": Region.choices,
            "can": can(request.access, "crm.add_account"),
            "bulk": bulk_flags(request.access, "account"),
        },
    )


@tenant_view("crm.add_account")
def account_create(request):
    return form_page(
        request,
        form=AccountForm(request.POST or None, access=request.access),
        template="crm/account_form.html",
        save=lambda form: account_services.account_create(access=request.access, **form.service_fields()),
        message=lambda account: _("Account %(name)s created.") % {"name": account.name},
        success=lambda account: reverse("crm:account_detail", args=[account.pk]),
    )


@tenant_view("crm.change_account")
def account_edit(request, pk: int):
    account = record_or_404(request, account_selectors.account_list(access=request.access, action="change"), pk)
    return form_page(
        request,
        form=AccountForm(request.POST or None, instance=account, access=request.access),
        template="crm/account_form.html",
        save=lambda form: account_services.account_update(
            access=request.access, account=account, **form.service_fields()
        ),
        message=_("Saved."),
        success=reverse("crm:account_detail", args=[account.pk]),
        context={"account": account},
    )


@tenant_view("crm.view_account")
def account_detail(request, pk: int):
    """One customer: details, contacts, deals, contracts, follow-ups and changes, files and colleagues."""
    access = request.access
    account = record_or_404(request, account_selectors.account_list(access=access), pk)
    contacts = account_selectors.account_contacts(access=access, account=account)
    deals = (
        list(deal_selectors.deal_list(access=access).filter(account=account))
        if access.has_perm("crm.view_deal")
        else []
    )
    contracts = (
        list(contract_selectors.contract_list(access=access).filter(account=account))
        if access.has_perm("crm.view_contract")
        else []
    )
    open_deals = [d for d in deals if d.status == DealStatus.OPEN]
    page = paginate(request, timeline_selectors.account_timeline(access=access, account=account), per_page=20)
    owners = list(members(request))
    context = {
        "account": account,
        "contacts": contacts if access.has_perm("crm.view_contact") else [],
        "deals": deals,
        "contracts": contracts,
        "open_deals": {"count": len(open_deals), "total": sum(d.amount for d in open_deals)},
        "contract_totals": {
            "amount": sum(c.amount for c in contracts),
            "received": sum(c.received or 0 for c in contracts),
        },
        "page": page,
        "timeline": timeline_selectors.timeline_load(page.object_list),
        "activity_form": ActivityForm(initial={"target_type": "account", "target_id": account.pk}),
        "owners": owners,
        "members_json": {u.pk: str(u) for u in owners},
        "tab": request.GET.get("tab", "timeline"),
        "can": can(
            access,
            "crm.change_account",
            "crm.transfer_account",
            "crm.add_activity",
            "crm.add_contact",
            "crm.add_deal",
            "core.view_attachment",
            "core.add_attachment",
        ),
    }
    return render(request, "crm/account_detail.html", context)


@tenant_view("crm.view_contact")
def contact_list(request):
    """Contacts the caller can see, with the accounts they work at."""
    filterset = ContactFilter(request.GET, queryset=account_selectors.contact_list(access=request.access))
    return list_page(
        request,
        key="contacts",
        template="crm/contact_list.html",
        partial="crm/partials/contact_rows.html",
        filterset=filterset,
        allowed_ordering=("name", "created_at"),
        extra={"can": can(request.access, "crm.add_contact"), "bulk": bulk_flags(request.access, "contact")},
    )


@tenant_view("crm.add_contact")
def contact_create(request):
    initial = {}
    account_id = request.GET.get("account", "")
    if account_id.isdigit():
        initial = {"account": int(account_id), "is_primary": False}
    return form_page(
        request,
        form=ContactForm(request.POST or None, initial=initial, access=request.access),
        template="crm/contact_form.html",
        save=lambda form: contact_services.contact_create(
            access=request.access, links=form.service_links(), **form.service_fields()
        ),
        message=lambda contact: _("Contact %(name)s created.") % {"name": contact.name},
        success=lambda contact: reverse("crm:contact_detail", args=[contact.pk]),
    )


@tenant_view("crm.change_contact")
def contact_edit(request, pk: int):
    contact = record_or_404(request, account_selectors.contact_list(access=request.access, action="change"), pk)
    return form_page(
        request,
        form=ContactForm(
            request.POST or None,
            instance=contact,
            links=list(account_selectors.contact_links(contact)),
            access=request.access,
        ),
        template="crm/contact_form.html",
        save=lambda form: contact_services.contact_update(
            access=request.access, contact=contact, links=form.service_links(), **form.service_fields()
        ),
        message=_("Saved."),
        success=reverse("crm:contact_detail", args=[contact.pk]),
        context={"contact": contact},
    )


@tenant_view("crm.view_contact")
def contact_detail(request, pk: int):
    """One contact: how to reach them (as field rules allow), their accounts, deals and follow-ups."""
    access = request.access
    contact = record_or_404(request, account_selectors.contact_list(access=access), pk)
    page = paginate(request, timeline_selectors.contact_timeline(access=access, contact=contact), per_page=20)
    context = {
        "contact": contact,
        "deals": deal_selectors.deal_list(access=access).filter(contact=contact)
        if access.has_perm("crm.view_deal")
        else [],
        "page": page,
        "timeline": timeline_selectors.timeline_load(page.object_list),
        "activity_form": ActivityForm(initial={"target_type": "contact", "target_id": contact.pk}),
        "can": can(access, "crm.change_contact", "crm.add_activity"),
    }
    return render(request, "crm/contact_detail.html", context)


@tenant_view("crm.view_account")
def lookup_accounts(request):
    """Accounts matching `?q=` (name or credit code) for the pickers on forms, as JSON."""
    accounts = account_selectors.account_lookup(access=request.access, q=request.GET.get("q", "").strip()[:100])
    rows = [{"id": a.pk, "label": a.name, "hint": " · ".join(filter(None, [a.city, str(a.owner)]))} for a in accounts]
    return JsonResponse({"results": rows})


@tenant_view("crm.view_contact")
def lookup_contacts(request):
    """Contacts matching `?q=` (name), optionally of one account (`?account=`), as JSON."""
    account = request.GET.get("account", "")
    contacts = account_selectors.contact_lookup(
        access=request.access,
        q=request.GET.get("q", "").strip()[:100],
        account_id=int(account) if account.isdigit() else None,
    )
    rows = [{"id": c.pk, "label": c.name, "hint": c.title} for c in contacts]
    return JsonResponse({"results": rows})
