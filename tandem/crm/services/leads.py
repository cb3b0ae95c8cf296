"""Writing leads (线索): create, update, and convert into an account, a contact and a deal in one step."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.errors import ApplicationError, Conflict
from tandem.core.events import emit
from tandem.core.services import actor_of, check_member, check_tenant, ensure_visible, full_clean, require, set_fields
from tandem.crm import events
from tandem.crm.choices import DedupDecision, LeadStatus
from tandem.crm.models import Account, Activity, Contact, Deal, Lead
from tandem.crm.models.leads import LEAD_FIELDS
from tandem.crm.services.accounts import account_create, account_update
from tandem.crm.services.contacts import contact_create, contact_link, normalise_phones
from tandem.crm.services.deals import deal_create
from tandem.crm.services.dedup import duplicates_find
from tandem.crm.services.sla import lead_response_due
from tandem.records.services.recycle_bin import record_soft_delete

# Account fields a merge fills from the lead when the account has them empty.
MERGE_FIELDS = ("industry", "region", "province", "city", "address")


@transaction.atomic
def lead_create(*, access, owner=None, **fields) -> Lead:
    """A new lead, due for a first response within the tenant's SLA hours."""
    require(access, "crm.add_lead")
    owner = owner or actor_of(access)
    check_member(access, owner)
    if fields.get("status") == LeadStatus.CONVERTED:
        raise ApplicationError(_("Convert a lead to mark it converted."), errors={"status": [_("Not allowed.")]})
    now = timezone.now()
    due = lead_response_due(tenant_id=access.tenant_id, start=now)
    lead = Lead(tenant_id=access.tenant_id, owner=owner, created_at=now, response_due_at=due)
    set_fields(lead, normalise_phones(fields, names=("phone",)), LEAD_FIELDS)
    if lead.status not in (LeadStatus.NEW, LeadStatus.LOST):
        lead.first_response_at = now
    full_clean(lead)
    lead.save()
    ensure_visible(access, lead)
    audit_record(obj=lead, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(lead))
    return lead


@transaction.atomic
def lead_update(*, access, lead: Lead, **fields) -> Lead:
    """Change a lead; moving it past `new` counts as its first response."""
    require(access, "crm.change_lead")
    check_tenant(access, lead)
    if lead.status == LeadStatus.CONVERTED:
        raise ApplicationError(_("A converted lead cannot be changed; work on its account and deal."))
    if fields.get("status") == LeadStatus.CONVERTED:
        raise ApplicationError(_("Convert a lead to mark it converted."), errors={"status": [_("Not allowed.")]})
    before = snapshot(lead)
    set_fields(lead, normalise_phones(fields, names=("phone",)), LEAD_FIELDS)
    if lead.status in (LeadStatus.CONTACTED, LeadStatus.QUALIFIED) and lead.first_response_at is None:
        lead.first_response_at = timezone.now()
    if lead.status != LeadStatus.LOST:
        lead.lost_reason = ""
    full_clean(lead)
    lead.save()
    audit_record(obj=lead, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=snapshot(lead))
    return lead


@transaction.atomic
def lead_delete(*, access, lead: Lead) -> None:
    """Move a lead to the recycle bin."""
    check_tenant(access, lead)
    record_soft_delete(access=access, obj=lead)


@dataclass(frozen=True)
class Conversion:
    lead: Lead
    account: Account
    contact: Contact | None
    deal: Deal | None


def _candidates_message(matches) -> list[str]:
    return [
        _("#%(id)s %(name)s (%(reasons)s)")
        % {"id": m.account.pk, "name": m.account.name, "reasons": ", ".join(m.reasons)}
        for m in matches
    ]


def _account_for(access, lead: Lead, decision: str | None, account: Account | None) -> tuple[Account, str]:
    if decision in (DedupDecision.LINK, DedupDecision.MERGE):
        if account is None:
            raise ApplicationError(
                _("Choose the existing account to link or merge into."), errors={"account": [_("Required.")]}
            )
        check_tenant(access, account)
        if decision == DedupDecision.MERGE:
            blanks = {f: getattr(lead, f) for f in MERGE_FIELDS if getattr(lead, f) and not getattr(account, f)}
            if blanks:
                account = account_update(access=access, account=account, **blanks)
        return account, decision
    if decision is None:
        matches = duplicates_find(
            access=access, name=lead.company or lead.contact_name, phone=lead.phone, email=lead.email
        )
        if matches:
            raise Conflict(
                _("This company may already be a customer: choose to link, merge or create a new account."),
                errors={"decision": [_("Choose link, merge or create.")], "candidates": _candidates_message(matches)},
                code="duplicates",
            )
    elif decision != DedupDecision.CREATE:
        raise ApplicationError(_("Unknown decision."), errors={"decision": [_("Use link, merge or create.")]})
    created = account_create(
        access=access,
        name=lead.company or lead.contact_name,
        owner=lead.owner,
        **{f: getattr(lead, f) for f in MERGE_FIELDS},
    )
    return created, DedupDecision.CREATE


def _contact_for(access, lead: Lead, account: Account, contact: Contact | None) -> Contact | None:
    """The given contact, else a colleague's contact with the same mobile or email, else a new one."""
    if contact is None and (lead.phone or lead.email):
        match = Q()
        if lead.phone:
            match |= Q(mobile=lead.phone) | Q(phone=lead.phone)
        if lead.email:
            match |= Q(email=lead.email)
        contact = Contact.objects.filter(tenant_id=access.tenant_id).filter(match).order_by("id").first()
    if contact is not None:
        check_tenant(access, contact)
        primary = not account.contact_links.filter(is_primary=True).exists()
        contact_link(access=access, contact=contact, account=account, is_primary=primary)
        return contact
    if not lead.contact_name.strip():
        return None
    is_mobile = len(lead.phone) == 11 and lead.phone.startswith("1")
    primary = not account.contact_links.filter(is_primary=True).exists()
    return contact_create(
        access=access,
        name=lead.contact_name,
        title=lead.title,
        mobile=lead.phone if is_mobile else "",
        phone="" if is_mobile else lead.phone,
        email=lead.email,
        wechat=lead.wechat,
        owner=lead.owner,
        links=[(account, primary)],
    )


@transaction.atomic
def lead_convert(
    *,
    access,
    lead: Lead,
    decision: str | None = None,
    account: Account | None = None,
    contact: Contact | None = None,
    create_deal: bool = True,
    deal_fields: dict | None = None,
) -> Conversion:
    """Turn a lead into an account, a contact and a deal in one transaction.

    `decision` says what to do about an existing account: link to it, merge the lead into it
    (filling its empty fields), or create a new one. Without a decision, a likely duplicate
    stops the conversion with the candidates, so the user chooses.
    """
    require(access, "crm.change_lead")
    check_tenant(access, lead)
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if lead.status == LeadStatus.CONVERTED:
        raise Conflict(_("This lead was converted already."), code="converted")
    account, decision = _account_for(access, lead, decision, account)
    contact = _contact_for(access, lead, account, contact)
    deal = None
    if create_deal:
        values = {"name": lead.company or lead.contact_name, "source": lead.source, **(deal_fields or {})}
        if "amount" not in values and lead.estimated_amount is not None:
            values["amount"] = lead.estimated_amount
        values.setdefault("description", lead.description)
        deal = deal_create(access=access, account=account, contact=contact, owner=lead.owner, **values)
    # The lead's follow-ups become the customer's history.
    Activity.objects.filter(tenant_id=access.tenant_id, lead=lead, account__isnull=True).update(account=account)
    before = snapshot(lead)
    now = timezone.now()
    lead.status, lead.converted_at = LeadStatus.CONVERTED, now
    lead.first_response_at = lead.first_response_at or now
    lead.converted_account, lead.converted_contact, lead.converted_deal = account, contact, deal
    full_clean(lead)
    lead.save()
    audit_record(
        obj=lead,
        action=AuditAction.UPDATE,
        actor=actor_of(access),
        before=before,
        after={**snapshot(lead), "decision": decision},
    )
    emit(
        events.LEAD_CONVERTED,
        tenant=access.membership.tenant,
        actor=actor_of(access),
        payload={
            "lead_id": lead.pk,
            "decision": decision,
            "account_id": account.pk,
            "contact_id": contact.pk if contact else None,
            "deal_id": deal.pk if deal else None,
            "owner_id": lead.owner_id,
        },
    )
    return Conversion(lead=lead, account=account, contact=contact, deal=deal)
