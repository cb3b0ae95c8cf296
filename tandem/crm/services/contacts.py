"""Writing contacts (联系人) and their links to accounts."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.errors import ApplicationError, Conflict
from tandem.core.services import actor_of, check_member, check_tenant, ensure_visible, full_clean, require, set_fields
from tandem.crm.models import Account, AccountContact, Contact
from tandem.crm.validators import normalize_phone
from tandem.records.services.recycle_bin import record_soft_delete

CONTACT_FIELDS = ("name", "title", "department", "mobile", "phone", "email", "wechat", "language", "notes")

# (account, is_primary): the contact works at the account; primary makes them its first contact (首要联系人).
Link = tuple[Account, bool]


def normalise_phones(fields: dict, names=("mobile", "phone")) -> dict:
    """Phone numbers in one comparable form, or field errors saying which one is wrong."""
    fields = dict(fields)
    errors = {}
    for name in names:
        if fields.get(name):
            try:
                fields[name] = normalize_phone(fields[name])
            except ValidationError as exc:
                errors[name] = [str(m) for m in exc.messages]
    if errors:
        raise ApplicationError(_("Please correct the errors below."), errors=errors)
    if fields.get("email"):
        fields["email"] = fields["email"].strip().lower()
    return fields


def _check_mobile_unique(access, contact: Contact) -> None:
    if not contact.mobile:
        return
    existing = Contact.objects.filter(tenant_id=access.tenant_id, mobile=contact.mobile).exclude(pk=contact.pk).first()
    if existing is not None:
        raise Conflict(
            _("A contact with this mobile phone exists (#%(id)s).") % {"id": existing.pk},
            errors={"mobile": [_("Already used by contact #%(id)s.") % {"id": existing.pk}]},
            code="duplicate",
        )


def contact_link(*, access, contact: Contact, account: Account, is_primary: bool = False) -> AccountContact:
    """Link a contact to an account (idempotent); a new primary contact replaces the previous one."""
    check_tenant(access, contact, account)
    link, _created = AccountContact.objects.get_or_create(
        tenant_id=access.tenant_id, account=account, contact=contact, defaults={"is_primary": False}
    )
    if is_primary and not link.is_primary:
        AccountContact.objects.filter(tenant_id=access.tenant_id, account=account, is_primary=True).update(
            is_primary=False
        )
        link.is_primary = True
        link.save(update_fields=["is_primary", "updated_at"])
    elif not is_primary and link.is_primary:
        link.is_primary = False
        link.save(update_fields=["is_primary", "updated_at"])
    return link


def _set_links(access, contact: Contact, links: list[Link]) -> None:
    wanted = {account.pk for account, _primary in links}
    AccountContact.objects.filter(tenant_id=access.tenant_id, contact=contact).exclude(account_id__in=wanted).delete()
    for account, is_primary in links:
        contact_link(access=access, contact=contact, account=account, is_primary=is_primary)


@transaction.atomic
def contact_create(*, access, name: str, links: list[Link] = (), owner=None, **fields) -> Contact:
    """A new contact, linked to the given accounts."""
    require(access, "crm.add_contact")
    owner = owner or actor_of(access)
    check_member(access, owner)
    contact = Contact(tenant_id=access.tenant_id, owner=owner)
    set_fields(contact, normalise_phones({"name": name.strip(), **fields}), CONTACT_FIELDS)
    full_clean(contact)
    _check_mobile_unique(access, contact)
    contact.save()
    _set_links(access, contact, list(links))
    ensure_visible(access, contact)
    audit_record(obj=contact, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(contact))
    return contact


@transaction.atomic
def contact_update(*, access, contact: Contact, links: list[Link] | None = None, **fields) -> Contact:
    """Change a contact's details and, when `links` is given, the accounts they work at."""
    require(access, "crm.change_contact")
    check_tenant(access, contact)
    before = snapshot(contact)
    set_fields(contact, normalise_phones(fields), CONTACT_FIELDS)
    full_clean(contact)
    _check_mobile_unique(access, contact)
    contact.save()
    if links is not None:
        _set_links(access, contact, list(links))
    audit_record(obj=contact, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=snapshot(contact))
    return contact


@transaction.atomic
def contact_delete(*, access, contact: Contact) -> None:
    """Move a contact to the recycle bin."""
    check_tenant(access, contact)
    record_soft_delete(access=access, obj=contact)
