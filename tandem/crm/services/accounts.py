"""Writing accounts (客户): create, update, delete; every change audited."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.errors import ApplicationError, Conflict
from tandem.core.events import emit
from tandem.core.services import actor_of, check_member, check_tenant, ensure_visible, full_clean, require, set_fields
from tandem.crm import events
from tandem.crm.models import Account
from tandem.crm.models.accounts import ACCOUNT_FIELDS
from tandem.crm.validators import normalize_credit_code
from tandem.records.services.recycle_bin import record_soft_delete


def _normalise(fields: dict) -> dict:
    fields = dict(fields)
    if "name" in fields:
        fields["name"] = " ".join((fields["name"] or "").split())
    if "credit_code" in fields:
        fields["credit_code"] = normalize_credit_code(fields["credit_code"])
    if "tags" in fields and isinstance(fields["tags"], list):
        tags = [str(t).strip() for t in fields["tags"] if str(t).strip()]
        fields["tags"] = list(dict.fromkeys(tags))
    return fields


def _check_unique(access, account: Account) -> None:
    """The same credit code or the very same name twice is one company entered twice."""
    others = Account.objects.filter(tenant_id=access.tenant_id).exclude(pk=account.pk)
    if account.credit_code:
        existing = others.filter(credit_code=account.credit_code).first()
        if existing is not None:
            raise Conflict(
                _("An account with this credit code exists: %(name)s.") % {"name": existing.name},
                errors={
                    "credit_code": [
                        _("Already used by %(name)s (#%(id)s).") % {"name": existing.name, "id": existing.pk}
                    ]
                },
                code="duplicate",
            )
    existing = others.filter(name=account.name).first()
    if existing is not None:
        raise Conflict(
            _("An account with this name exists (#%(id)s).") % {"id": existing.pk},
            errors={"name": [_("Already used by account #%(id)s.") % {"id": existing.pk}]},
            code="duplicate",
        )


def _check_parent(account: Account) -> None:
    node, seen = account.parent, set()
    while node is not None and node.pk not in seen:
        if node.pk == account.pk:
            raise ApplicationError(_("An account cannot sit under itself."), errors={"parent": [_("Loop.")]})
        seen.add(node.pk)
        node = node.parent


@transaction.atomic
def account_create(*, access, name: str, owner=None, **fields) -> Account:
    """A new customer company, owned by the caller unless another member is named."""
    require(access, "crm.add_account")
    owner = owner or actor_of(access)
    check_member(access, owner)
    check_member(access, fields.get("risk_owner"), "risk_owner")
    account = Account(tenant_id=access.tenant_id, owner=owner)
    set_fields(account, _normalise({"name": name, **fields}), ACCOUNT_FIELDS)
    full_clean(account)
    _check_unique(access, account)
    account.save()
    ensure_visible(access, account)
    audit_record(obj=account, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(account))
    emit(
        events.ACCOUNT_CREATED,
        tenant=access.membership.tenant,
        actor=actor_of(access),
        payload={"account_id": account.pk, "name": account.name, "tier": account.tier, "owner_id": account.owner_id},
    )
    return account


@transaction.atomic
def account_update(*, access, account: Account, **fields) -> Account:
    """Change an account's details; the owner changes through a transfer or the pools, the lock through
    `account_lock` (which keeps the lock cap), not here."""
    require(access, "crm.change_account")
    check_tenant(access, account)
    if "risk_owner" in fields:
        check_member(access, fields["risk_owner"], "risk_owner")
    before = snapshot(account)
    set_fields(account, _normalise(fields), ACCOUNT_FIELDS)
    if not account.risk_flag:
        account.risk_reason, account.risk_owner, account.risk_expires_on = "", None, None
    full_clean(account)
    _check_parent(account)
    _check_unique(access, account)
    account.save()
    audit_record(obj=account, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=snapshot(account))
    return account


@transaction.atomic
def account_delete(*, access, account: Account) -> None:
    """Move an account to the recycle bin, unless open deals or running contracts still hang on it."""
    from tandem.crm.choices import ContractStatus, DealStatus

    check_tenant(access, account)
    if account.deals.filter(status=DealStatus.OPEN).exists():
        raise ApplicationError(_("This account has open deals; close or move them first."))
    if account.contracts.filter(status=ContractStatus.SIGNED).exists():
        raise ApplicationError(_("This account has running contracts; complete or terminate them first."))
    record_soft_delete(access=access, obj=account)


@transaction.atomic
def account_risk_flags_expire(*, today: date | None = None) -> int:
    """Lift risk flags whose expiry date has passed (audited, by the system); returns how many were lifted."""
    today = today or timezone.localdate()
    lifted = 0
    for account in Account.objects.select_for_update().filter(risk_flag=True, risk_expires_on__lt=today):
        lifted += account_risk_lift(account=account)
    return lifted


@transaction.atomic
def account_risk_lift(*, account: Account, actor=None) -> bool:
    """Lift an account's risk flag as the system (or `actor`) decided it, audited; False when it was not set.

    For flags that end by themselves: their expiry date passed, or what raised them was dealt with (a
    detractor's recovery closed). A person lifts a flag on the account form instead."""
    account = Account.all_objects.select_for_update().get(pk=account.pk)
    if not account.risk_flag:
        return False
    before = snapshot(account)
    account.risk_flag, account.risk_reason, account.risk_owner, account.risk_expires_on = False, "", None, None
    account.save(update_fields=["risk_flag", "risk_reason", "risk_owner", "risk_expires_on", "updated_at"])
    audit_record(obj=account, action=AuditAction.UPDATE, actor=actor, before=before, after=snapshot(account))
    return True
