"""Merging a duplicate account into another: everything moves, the duplicate goes to the recycle bin."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.errors import ApplicationError
from tandem.core.services import actor_of, check_tenant, full_clean, require
from tandem.crm.models import Account, AccountContact, Activity, Contract, Deal, Lead

# Fields the surviving account takes from the duplicate when it has none of its own.
FILL_FIELDS = ("credit_code", "industry", "region", "province", "city", "address", "website", "parent_id")


@transaction.atomic
def account_merge(*, access, target: Account, source: Account) -> dict:
    """Move the source account's contacts, deals, activities, contracts and sub-accounts to the target.

    The target keeps its own values and takes the source's where it has none; tags are united.
    Both sides are audited and the source goes to the recycle bin. Returns what was moved.
    """
    require(access, "crm.change_account")
    require(access, "crm.delete_account")
    check_tenant(access, target, source)
    if target.pk == source.pk:
        raise ApplicationError(_("Choose two different accounts."), errors={"source": [_("Same account.")]})
    target = Account.objects.select_for_update().get(pk=target.pk)
    source = Account.objects.select_for_update().get(pk=source.pk)
    if target.credit_code and source.credit_code and target.credit_code != source.credit_code:
        raise ApplicationError(
            _("These accounts have different credit codes: they are different companies."),
            errors={"source": [_("Different credit code.")]},
        )
    before = snapshot(target)
    source_before = snapshot(source)

    moved = {"contacts": 0, "deals": 0, "activities": 0, "contracts": 0, "children": 0}
    target_has_primary = target.contact_links.filter(is_primary=True).exists()
    known = set(target.contact_links.values_list("contact_id", flat=True))
    for link in AccountContact.objects.filter(account=source):
        if link.contact_id in known:
            link.delete()
            continue
        link.account = target
        if link.is_primary and target_has_primary:
            link.is_primary = False
        target_has_primary = target_has_primary or link.is_primary
        link.save(update_fields=["account", "is_primary", "updated_at"])
        moved["contacts"] += 1
    moved["deals"] = Deal.all_objects.filter(account=source).update(account=target)
    moved["contracts"] = Contract.all_objects.filter(account=source).update(account=target)
    moved["activities"] = Activity.objects.filter(account=source).update(account=target)
    moved["children"] = Account.all_objects.filter(parent=source).exclude(pk=target.pk).update(parent=target)
    Lead.all_objects.filter(converted_account=source).update(converted_account=target)

    for name in FILL_FIELDS:
        if not getattr(target, name) and getattr(source, name):
            setattr(target, name, getattr(source, name))
    if target.parent_id == target.pk:
        target.parent_id = None
    target.tags = list(dict.fromkeys([*target.tags, *source.tags]))
    if source.last_activity_at and (not target.last_activity_at or source.last_activity_at > target.last_activity_at):
        target.last_activity_at, target.last_activity_summary = source.last_activity_at, source.last_activity_summary
    target.risk_flag = target.risk_flag or source.risk_flag
    if source.risk_flag and not target.risk_reason:
        target.risk_reason, target.risk_owner_id = source.risk_reason, source.risk_owner_id
    full_clean(target)
    target.save()

    source.deleted_at, source.deleted_by_id = timezone.now(), access.user_id
    source.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    actor = actor_of(access)
    audit_record(
        obj=target,
        action=AuditAction.UPDATE,
        actor=actor,
        before=before,
        after={**snapshot(target), "merged_from": source.pk, "moved": moved},
    )
    audit_record(
        obj=source, action=AuditAction.DELETE, actor=actor, before=source_before, after={"merged_into": target.pk}
    )
    return moved
