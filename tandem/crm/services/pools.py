"""Public customer pools (公海池): claiming (领取), assigning (分配), releasing and locking accounts.

Permissions: `crm.view_pool` opens a pool; claiming also takes `crm.add_account` (a claimed account joins
the member's book as a new one would); assigning takes `crm.transfer_pool`; releasing and locking take
`crm.change_account` on the account. Setting pools up is in `pool_settings`.

Every move is a `PoolMove`, an audited owner transfer on the account (so it shows on its timeline) and an
event. Claim caps are checked with the member's membership row locked, so two claims at once cannot both
slip under a cap.
"""

from __future__ import annotations

import zoneinfo
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record
from tandem.core.errors import ApplicationError, Conflict, NotFound
from tandem.core.events import emit
from tandem.core.scopes import DataScope
from tandem.core.services import actor_of, check_member, check_tenant, require
from tandem.crm import events
from tandem.crm.choices import PoolMoveKind
from tandem.crm.models import Account, Pool, PoolMove
from tandem.crm.selectors.pools import pool_list
from tandem.crm.services.pipelines import crm_settings

MOVE_EVENTS = {
    PoolMoveKind.CLAIM: events.ACCOUNT_CLAIMED,
    PoolMoveKind.ASSIGN: events.ACCOUNT_ASSIGNED,
    PoolMoveKind.RELEASE: events.ACCOUNT_RELEASED,
    PoolMoveKind.RECALL: events.ACCOUNT_RECALLED,
}
MAX_ACCOUNTS_PER_MOVE = 200


# --- which pool an account belongs to ----------------------------------------------------------


def pool_default(*, tenant_id: int) -> Pool:
    """The tenant's default pool, created (without recall rules) the first time one is needed."""
    pool = Pool.objects.filter(tenant_id=tenant_id, is_default=True).first()
    if pool is None:
        pool, _created = Pool.objects.get_or_create(
            tenant_id=tenant_id, name=_("Public pool"), defaults={"is_default": True}
        )
    return pool


def home_pool(pools: list[Pool], *, pool_id: int | None, region: str) -> Pool | None:
    """The pool whose rules an owned account follows and where it goes back: its own, its region's, the default."""
    if pool_id is not None:
        return next((p for p in pools if p.pk == pool_id), None)
    regional = next((p for p in pools if region and region in (p.regions or [])), None)
    return regional or next((p for p in pools if p.is_default), None)


def _home_pool_of(account: Account) -> Pool:
    pools = list(Pool.objects.filter(tenant_id=account.tenant_id))
    return home_pool(pools, pool_id=account.pool_id, region=account.region) or pool_default(tenant_id=account.tenant_id)


# --- moves -----------------------------------------------------------------------------------------


def move_note(kind: str, pool: Pool, reason: str) -> str:
    """The sentence the account timeline shows for a move (the audit entry's reason)."""
    texts = {
        PoolMoveKind.CLAIM: _("Claimed from the pool %(pool)s"),
        PoolMoveKind.ASSIGN: _("Assigned from the pool %(pool)s"),
        PoolMoveKind.RELEASE: _("Released to the pool %(pool)s"),
        PoolMoveKind.RECALL: _("Recalled to the pool %(pool)s"),
    }
    note = texts[kind] % {"pool": pool.name}
    return f"{note}: {reason}"[:300] if reason else note


def record_move(*, account: Account, kind: str, pool: Pool, from_user_id, to_user_id, actor, reason: str, tenant):
    """Write one move: the move row, an owner transfer in the audit trail (the account timeline) and an event."""
    PoolMove.objects.create(
        tenant_id=account.tenant_id,
        account=account,
        pool=pool,
        kind=kind,
        from_user_id=from_user_id,
        to_user_id=to_user_id,
        actor=actor,
        reason=reason[:300],
    )
    audit_record(
        obj=account,
        action=AuditAction.TRANSFER,
        actor=actor,
        before={"owner": from_user_id},
        after={"owner": to_user_id, "pool": pool.pk, "pool_move": kind, "reason": move_note(kind, pool, reason)},
    )
    payload = {
        "account_id": account.pk,
        "pool_id": pool.pk,
        "from_user_id": from_user_id,
        "to_user_id": to_user_id,
        "reason": reason[:300],
    }
    emit(MOVE_EVENTS[kind], tenant=tenant, actor=actor, payload=payload)


def _zone(access) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(access.membership.tenant.timezone)


def _check_reachable(access, pool: Pool) -> None:
    require(access, "crm.view_pool")
    check_tenant(access, pool)
    if not pool_list(access=access).filter(pk=pool.pk).exists():
        raise NotFound(_("Not found."), code="not_found")


def _lock_member(tenant_id: int, user_id: int) -> None:
    """Serialise one member's claims and locks, so caps hold when two requests arrive at once."""
    from tandem.accounts.models import Membership

    list(Membership.objects.select_for_update().filter(tenant_id=tenant_id, user_id=user_id).values_list("pk"))


def _check_owned_cap(tenant_id: int, user, adding: int) -> None:
    cap = crm_settings(tenant_id=tenant_id).max_owned_accounts
    if cap is None:
        return
    owned = Account.objects.filter(tenant_id=tenant_id, owner=user).count()
    if owned + adding > cap:
        raise ApplicationError(
            _("%(user)s owns %(owned)d accounts; the limit is %(cap)d.") % {"user": user, "owned": owned, "cap": cap},
            code="owned_cap",
        )


def _check_accounts(access, pool: Pool, accounts: list[Account]) -> list[Account]:
    accounts = list({a.pk: a for a in accounts}.values())
    if not accounts:
        raise ApplicationError(_("Choose at least one account."), errors={"accounts": [_("Required.")]})
    if len(accounts) > MAX_ACCOUNTS_PER_MOVE:
        raise ApplicationError(
            _("At most %(n)d accounts at a time.") % {"n": MAX_ACCOUNTS_PER_MOVE}, errors={"accounts": ["too many"]}
        )
    check_tenant(access, *accounts)
    return accounts


def _take(account: Account, pool: Pool, owner, now) -> None:
    """Give a waiting account its owner, unless someone was quicker."""
    taken = Account.objects.filter(pk=account.pk, pool=pool, owner__isnull=True).update(
        owner=owner, claimed_at=now, updated_at=now
    )
    if not taken:
        raise Conflict(
            _("%(name)s is no longer in the pool.") % {"name": account.name}, errors={"accounts": [str(account.pk)]}
        )
    account.owner, account.claimed_at = owner, now


def _check_cool_down(access, pool: Pool, accounts: list[Account], user, now) -> None:
    if not pool.reclaim_after_days:
        return
    recent = (
        PoolMove.objects.filter(
            tenant_id=access.tenant_id,
            account__in=accounts,
            from_user=user,
            kind__in=(PoolMoveKind.RELEASE, PoolMoveKind.RECALL),
            created_at__gt=now - timedelta(days=pool.reclaim_after_days),
        )
        .select_related("account")
        .order_by("-created_at")
        .first()
    )
    if recent is not None:
        again = timezone.localtime(recent.created_at + timedelta(days=pool.reclaim_after_days), _zone(access))
        raise ApplicationError(
            _("You gave %(name)s back recently; you can claim it again from %(when)s.")
            % {"name": recent.account.name, "when": again.strftime("%Y-%m-%d %H:%M")},
            errors={"accounts": [str(recent.account_id)]},
            code="cool_down",
        )


def _check_daily_cap(access, pool: Pool, user, adding: int, now) -> None:
    if pool.daily_claim_limit is None:
        return
    day_start = timezone.localtime(now, _zone(access)).replace(hour=0, minute=0, second=0, microsecond=0)
    claimed = PoolMove.objects.filter(
        tenant_id=access.tenant_id, pool=pool, to_user=user, kind=PoolMoveKind.CLAIM, created_at__gte=day_start
    ).count()
    if claimed + adding > pool.daily_claim_limit:
        left = max(0, pool.daily_claim_limit - claimed)
        raise ApplicationError(
            _("You can claim %(left)d more accounts from this pool today (%(limit)d a day).")
            % {"left": left, "limit": pool.daily_claim_limit},
            code="daily_cap",
        )


@transaction.atomic
def pool_claim(*, access, pool: Pool, accounts: list[Account]) -> list[Account]:
    """Claim (领取) waiting accounts: the caller becomes their owner, within the daily and owned caps, and not
    while the caller's own cool-down on an account they gave back runs."""
    require(access, "crm.add_account")
    _check_reachable(access, pool)
    accounts = _check_accounts(access, pool, accounts)
    user, now = actor_of(access), timezone.now()
    _lock_member(access.tenant_id, user.pk)
    _check_cool_down(access, pool, accounts, user, now)
    _check_daily_cap(access, pool, user, len(accounts), now)
    _check_owned_cap(access.tenant_id, user, len(accounts))
    tenant = access.membership.tenant
    for account in accounts:
        _take(account, pool, user, now)
        record_move(
            account=account,
            kind=PoolMoveKind.CLAIM,
            pool=pool,
            from_user_id=None,
            to_user_id=user.pk,
            actor=user,
            reason="",
            tenant=tenant,
        )
    return accounts


@transaction.atomic
def pool_assign(*, access, pool: Pool, accounts: list[Account], owner, reason: str = "") -> list[Account]:
    """Assign (分配) waiting accounts to a member within the caller's reach; the owned cap applies to them."""
    require(access, "crm.transfer_pool")
    _check_reachable(access, pool)
    accounts = _check_accounts(access, pool, accounts)
    check_member(access, owner)
    reach = access.visible_owner_ids(access.scope_for("crm.view_account") or DataScope.OWN)
    if reach is not None and owner.pk not in reach:
        message = _("Choose a member within your reach.")
        raise ApplicationError(message, errors={"owner": [message]})
    actor, now = actor_of(access), timezone.now()
    _lock_member(access.tenant_id, owner.pk)
    _check_owned_cap(access.tenant_id, owner, len(accounts))
    tenant = access.membership.tenant
    for account in accounts:
        _take(account, pool, owner, now)
        record_move(
            account=account,
            kind=PoolMoveKind.ASSIGN,
            pool=pool,
            from_user_id=None,
            to_user_id=owner.pk,
            actor=actor,
            reason=reason.strip(),
            tenant=tenant,
        )
    if owner.pk != actor.pk:
        from tandem.notifications.services.notifications import notification_send

        notification_send(
            tenant_id=access.tenant_id,
            recipient_id=owner.pk,
            title=_("%(actor)s assigned you %(n)d accounts from %(pool)s")
            % {"actor": actor, "n": len(accounts), "pool": pool.name},
            body="\n".join(a.name for a in accounts[:20]),
        )
    return accounts


def _changeable(access, account: Account) -> None:
    require(access, "crm.change_account")
    check_tenant(access, account)
    if not Account.objects.restrict(access, "change").filter(pk=account.pk).exists():
        raise NotFound(_("Not found."), code="not_found")


@transaction.atomic
def pool_release(*, access, account: Account, reason: str, pool: Pool | None = None) -> Account:
    """Give an account back to a pool (its own by default) with a reason; a lock is lifted."""
    _changeable(access, account)
    check_tenant(access, pool)
    if not reason.strip():
        raise ApplicationError(_("Say why you give the account back."), errors={"reason": [_("Required.")]})
    account = Account.objects.select_for_update().get(pk=account.pk)
    if account.owner_id is None:
        raise Conflict(_("The account is already in a pool."))
    target = pool or _home_pool_of(account)
    previous = account.owner_id
    account.owner, account.pool, account.locked, account.claimed_at = None, target, False, None
    account.save(update_fields=["owner", "pool", "locked", "claimed_at", "updated_at"])
    record_move(
        account=account,
        kind=PoolMoveKind.RELEASE,
        pool=target,
        from_user_id=previous,
        to_user_id=None,
        actor=actor_of(access),
        reason=reason.strip(),
        tenant=access.membership.tenant,
    )
    return account


def _set_lock(access, account: Account, locked: bool) -> Account:
    _changeable(access, account)
    account = Account.objects.select_for_update().get(pk=account.pk)
    if account.locked == locked:
        return account
    if locked:
        if account.owner_id is None:
            raise ApplicationError(_("Only an owned account can be locked."))
        _lock_member(access.tenant_id, account.owner_id)
        cap = crm_settings(tenant_id=access.tenant_id).max_locked_accounts
        held = Account.objects.filter(tenant_id=access.tenant_id, owner_id=account.owner_id, locked=True).count()
        if cap is not None and held >= cap:
            raise ApplicationError(
                _("%(user)s has locked %(n)d accounts; the limit is %(cap)d.")
                % {"user": account.owner, "n": held, "cap": cap},
                code="locked_cap",
            )
    account.locked = locked
    account.save(update_fields=["locked", "updated_at"])
    audit_record(
        obj=account,
        action=AuditAction.UPDATE,
        actor=actor_of(access),
        before={"locked": not locked},
        after={"locked": locked},
    )
    return account


@transaction.atomic
def account_lock(*, access, account: Account) -> Account:
    """Lock (锁定) an owned account so it is never recalled; the owner's lock cap applies."""
    return _set_lock(access, account, True)


@transaction.atomic
def account_unlock(*, access, account: Account) -> Account:
    """Lift an account's lock; the recall rules apply to it again."""
    return _set_lock(access, account, False)
