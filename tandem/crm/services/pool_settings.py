"""Setting public pools up: name, department, regions, caps, exemption switches and the recall rules per tier.

Pools and their rules apply to everyone's accounts, so they are organisation settings: adding, changing and
deleting them takes `crm.add_pool` / `crm.change_pool` / `crm.delete_pool` with the "all" data scope.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.errors import ApplicationError, Conflict, PermissionDenied
from tandem.core.scopes import DataScope
from tandem.core.services import actor_of, check_tenant, full_clean, require, set_fields
from tandem.crm.models import Account, Pool, PoolRule

POOL_FIELDS = (
    "name",
    "description",
    "is_default",
    "department",
    "regions",
    "daily_claim_limit",
    "reclaim_after_days",
    "won_customers_exempt",
    "open_deals_exempt",
)
RULE_FIELDS = ("tier", "no_follow_up_days", "no_won_deal_days", "reminder_days")


def _require_organisation(access, code: str) -> None:
    """Pool rules apply to everyone's accounts, so changing them takes the permission with the "all" scope."""
    require(access, code)
    if access.scope_for(code) != DataScope.ALL:
        raise PermissionDenied(_("Pools are organisation settings; ask someone who sees all accounts."))


def _set_rules(access, pool: Pool, rules: list[dict]) -> None:
    tiers = [str(rule.get("tier") or "") for rule in rules]
    if len(set(tiers)) != len(tiers):
        raise ApplicationError(_("One rule per tier."), errors={"rules": [_("A tier appears twice.")]})
    pool.rules.all().delete()
    for index, data in enumerate(rules):
        rule = PoolRule(tenant_id=access.tenant_id, pool=pool)
        set_fields(rule, {**data, "tier": data.get("tier") or ""}, RULE_FIELDS)
        try:
            full_clean(rule, exclude=["tenant", "pool"])
        except ApplicationError as exc:
            raise ApplicationError(exc.message, errors={f"rules[{index}]": _flatten(exc.errors)}) from exc
        rule.save()


def _flatten(errors: dict) -> list[str]:
    return [str(message) for messages in errors.values() for message in messages]


def _pool_state(pool: Pool) -> dict:
    rules = [{f: getattr(r, f) for f in RULE_FIELDS} for r in pool.rules.order_by("tier")]
    return {**snapshot(pool), "rules": rules}


def _save_pool(access, pool: Pool, fields: dict, rules) -> Pool:
    set_fields(pool, fields, POOL_FIELDS)
    if pool.name:
        pool.name = pool.name.strip()
    check_tenant(access, pool.department)
    full_clean(pool, exclude=["tenant"])
    if Pool.objects.filter(tenant_id=access.tenant_id, name=pool.name).exclude(pk=pool.pk).exists():
        raise Conflict(_("A pool with this name exists."), errors={"name": [_("Already used.")]}, code="duplicate")
    if pool.is_default:
        Pool.objects.filter(tenant_id=access.tenant_id, is_default=True).exclude(pk=pool.pk).update(is_default=False)
    pool.save()
    if rules is not None:
        _set_rules(access, pool, rules)
    return pool


@transaction.atomic
def pool_create(*, access, name: str, rules: list[dict] = (), **fields) -> Pool:
    """A new pool with its recall rules (one per tier, or one for every tier)."""
    _require_organisation(access, "crm.add_pool")
    if not Pool.objects.filter(tenant_id=access.tenant_id).exists():
        fields.setdefault("is_default", True)  # the first pool is where accounts of no other pool go
    pool = _save_pool(access, Pool(tenant_id=access.tenant_id), {"name": name, **fields}, list(rules))
    audit_record(obj=pool, action=AuditAction.CREATE, actor=actor_of(access), after=_pool_state(pool))
    return pool


@transaction.atomic
def pool_update(*, access, pool: Pool, rules: list[dict] | None = None, **fields) -> Pool:
    """Change a pool's settings; `rules`, when given, replace all of its recall rules."""
    _require_organisation(access, "crm.change_pool")
    check_tenant(access, pool)
    if pool.is_default and fields.get("is_default") is False:
        message = _("Make another pool the default instead.")
        raise ApplicationError(message, errors={"is_default": [message]})
    before = _pool_state(pool)
    _save_pool(access, pool, fields, rules)
    audit_record(obj=pool, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=_pool_state(pool))
    return pool


@transaction.atomic
def pool_delete(*, access, pool: Pool) -> None:
    """Delete an empty pool that is not the default; accounts that belonged to it follow their region or the default."""
    _require_organisation(access, "crm.delete_pool")
    check_tenant(access, pool)
    pool = Pool.objects.select_for_update().get(pk=pool.pk)
    if pool.is_default:
        raise ApplicationError(_("Make another pool the default before deleting this one."))
    if Account.all_objects.filter(pool=pool, owner__isnull=True).exists():
        raise ApplicationError(_("Accounts are waiting in this pool; assign them or move them first."))
    Account.all_objects.filter(pool=pool).update(pool=None)
    audit_record(obj=pool, action=AuditAction.DELETE, actor=actor_of(access), before=_pool_state(pool))
    pool.delete()
