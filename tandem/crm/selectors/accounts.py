"""Reads of accounts (客户) and contacts (联系人): lists, the contacts of an account, the pickers' lookups,
and the members whose accounts a manager reaches."""

from __future__ import annotations

from django.db.models import Prefetch, Q

from tandem.core.scopes import DataScope
from tandem.core.services import active_members
from tandem.crm.models import Account, AccountContact, Contact

LOOKUP_ROWS = 15


def account_related(qs):
    return qs.select_related("owner", "parent", "risk_owner")


def account_list(*, access, action: str = "view"):
    return account_related(Account.objects.restrict(access, action)).order_by("-id")


def contact_related(qs):
    links = AccountContact.objects.select_related("account").order_by("-is_primary", "id")
    # A contact reached through two visible accounts would appear twice without distinct().
    return qs.select_related("owner").prefetch_related(Prefetch("account_links", queryset=links)).distinct()


def contact_list(*, access, action: str = "view"):
    return contact_related(Contact.objects.restrict(access, action)).order_by("-id")


def contact_links(contact: Contact):
    """The accounts a contact works at (its links), oldest first."""
    return (
        AccountContact.objects.filter(tenant_id=contact.tenant_id, contact=contact)
        .select_related("account")
        .order_by("id")
    )


def account_contacts(*, access, account: Account):
    """The contacts working at one account that the caller can see."""
    return contact_related(Contact.objects.restrict(access)).filter(account_links__account=account)


def visible_account_ids(*, access, ids) -> set[int]:
    """Which of these accounts the caller may open."""
    return set(Account.objects.restrict(access).filter(pk__in=list(ids)).values_list("pk", flat=True))


def account_lookup(*, access, q: str):
    """Accounts matching a name or a credit code, for the pickers on forms."""
    qs = Account.objects.restrict(access).select_related("owner").order_by("name", "id")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(credit_code__iexact=q))
    return qs[:LOOKUP_ROWS]


def contact_lookup(*, access, q: str, account_id: int | None = None):
    """Contacts matching a name, optionally of one account, for the pickers on forms."""
    qs = Contact.objects.restrict(access).order_by("name", "id")
    if account_id is not None:
        qs = qs.filter(account_links__account_id=account_id)
    if q:
        qs = qs.filter(name__icontains=q)
    return qs.distinct()[:LOOKUP_ROWS]


def members_in_reach(access):
    """Active members whose accounts the caller sees: the people a manager may assign to or set targets for."""
    members = active_members(access.tenant_id)
    reach = access.visible_owner_ids(access.scope_for("crm.view_account") or DataScope.OWN)
    if reach is not None:
        members = members.filter(pk__in=reach)
    return members.order_by("display_name", "username")
