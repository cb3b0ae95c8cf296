"""Bulk actions on list rows (assign an owner with a reason, move to the recycle bin) and saved filters."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.core.errors import ApplicationError
from tandem.core.services.filters import saved_filter_delete, saved_filter_save
from tandem.core.views import safe_next, scoped, tenant_view
from tandem.crm.forms.common import BulkActionForm
from tandem.crm.models import Account, Contact, Deal, Lead
from tandem.crm.services.accounts import account_delete
from tandem.crm.services.contacts import contact_delete
from tandem.crm.services.deals import deal_delete
from tandem.crm.services.leads import lead_delete
from tandem.records.services.transfer import record_transfer_owner

# list key: (model, list URL, delete service and its keyword)
LISTS = {
    "accounts": (Account, "crm:accounts", account_delete, "account"),
    "contacts": (Contact, "crm:contacts", contact_delete, "contact"),
    "leads": (Lead, "crm:leads", lead_delete, "lead"),
    "deals": (Deal, "crm:deals", deal_delete, "deal"),
}
SAVED_FILTER_LISTS = {"accounts", "contacts", "leads", "deals", "contracts"}


def _bulk(request, key: str):
    """All or nothing: one refused row (e.g. an account with open deals) leaves every row as it was."""
    model, list_url, delete, keyword = LISTS[key]
    back = safe_next(request, reverse(list_url))
    form = BulkActionForm(request.POST, access=request.access)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    data = form.cleaned_data
    action = "transfer" if data["action"] == BulkActionForm.ASSIGN else "delete"
    rows = list(scoped(request, model, "change").filter(pk__in=data["ids"]).order_by("pk"))
    if not rows:
        messages.error(request, _("Choose the rows first."))
        return redirect(back)
    try:
        with transaction.atomic():
            for row in rows:
                try:
                    if action == "transfer":
                        record_transfer_owner(
                            access=request.access, obj=row, new_owner=data["owner"], reason=data["reason"]
                        )
                    else:
                        delete(access=request.access, **{keyword: row})
                except ApplicationError as exc:
                    raise ApplicationError(f"{row}: {exc.message}", errors=exc.errors) from exc
    except ApplicationError as exc:
        messages.error(request, _("Nothing was changed. %(reason)s") % {"reason": exc.message})
        return redirect(back)
    if action == "transfer":
        message = _("%(n)d records handed to %(owner)s.") % {"n": len(rows), "owner": data["owner"]}
    else:
        message = _("%(n)d records moved to the recycle bin.") % {"n": len(rows)}
    messages.success(request, message)
    return redirect(back)


def bulk_view(key: str):
    model = LISTS[key][0]
    label = f"{model._meta.app_label}.view_{model._meta.model_name}"

    @require_POST
    @tenant_view(label)
    def view(request):
        return _bulk(request, key)

    view.__name__ = view.__qualname__ = f"{key}_bulk"
    view.__doc__ = f"Bulk owner change or deletion of {model._meta.verbose_name_plural}."
    return view


account_bulk = bulk_view("accounts")
contact_bulk = bulk_view("contacts")
lead_bulk = bulk_view("leads")
deal_bulk = bulk_view("deals")


def _saved_filters_key(request) -> str:
    key = request.POST.get("list", "")
    if key not in SAVED_FILTER_LISTS:
        raise Http404
    model = LISTS[key][0] if key in LISTS else None
    code = f"crm.view_{model._meta.model_name}" if model else "crm.view_contract"
    if not request.access.has_perm(code):
        raise PermissionDenied(code)
    return key


@require_POST
@tenant_view()
def filter_save(request):
    """Keep the list's current filters under a name, to come back to with one click (on any device)."""
    key = _saved_filters_key(request)
    name = request.POST.get("name", "")
    back = safe_next(request, reverse(f"crm:{key}"))
    try:
        saved = saved_filter_save(
            tenant_id=request.access.tenant_id,
            user_id=request.user.pk,
            list_key=key,
            name=name,
            query=request.POST.get("query", ""),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(request, _("Filter %(name)s saved.") % {"name": saved.name})
    return redirect(back)


@require_POST
@tenant_view()
def filter_delete(request):
    """Forget a saved filter."""
    key = _saved_filters_key(request)
    saved_filter_delete(
        tenant_id=request.access.tenant_id, user_id=request.user.pk, list_key=key, name=request.POST.get("name", "")
    )
    return redirect(safe_next(request, reverse(f"crm:{key}")))
