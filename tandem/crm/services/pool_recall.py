"""The daily recall sweep: owned accounts whose pool rules ran out go back to the pool; owners are reminded first.

The dates come from `tandem.crm.recall` (pure). The sweep is safe to run any number of times a day: an
account is recalled by a conditional update that only matches while it still has the owner, the lock state
and the last follow-up the sweep read, each recall commits on its own, and a reminder is a notification
keyed by (account, owner, recall day), which the notifications table stores once.
"""

from __future__ import annotations

import uuid
import zoneinfo
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import CharField, Exists, Max, OuterRef, Subquery
from django.db.models.functions import Cast
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction, AuditEntry
from tandem.crm.choices import DealStatus, PoolMoveKind
from tandem.crm.models import Account, Deal, Pool, PoolRule
from tandem.crm.recall import NO_FOLLOW_UP, AccountClock, Exemptions, RecallDue, RecallRule, recall_due, rule_for_tier
from tandem.crm.services.pools import home_pool, record_move

REMINDER_NAMESPACE = uuid.UUID("6f1d8a4e-2c57-4b0e-9a43-1f0c3e7d5b21")


@dataclass
class SweepResult:
    recalled: int = 0
    reminded: int = 0


def _won_at():
    won = Deal.objects.filter(account=OuterRef("pk"), status=DealStatus.WON).order_by().values("account")
    return Subquery(won.annotate(last=Max("won_at")).values("last"))


def _owner_since():
    """When the account last changed hands: a claim or assignment, and also a plain owner transfer."""
    transfers = AuditEntry.objects.filter(
        tenant_id=OuterRef("tenant_id"),
        object_type="crm.account",
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
        action=AuditAction.TRANSFER,
    ).order_by("-created_at")
    return Subquery(transfers.values("created_at")[:1])


def owned_accounts_with_clocks(tenant_id: int):
    """Rows of every owned, unlocked account with what its clocks need (one query)."""
    open_deals = Deal.objects.filter(account=OuterRef("pk"), status=DealStatus.OPEN)
    won_deals = Deal.objects.filter(account=OuterRef("pk"), status=DealStatus.WON)
    return (
        Account.objects.filter(tenant_id=tenant_id, owner__isnull=False, locked=False)
        .annotate(
            last_won_at=_won_at(),
            has_open_deal=Exists(open_deals),
            has_won_deal=Exists(won_deals),
            owner_since=_owner_since(),
        )
        .order_by("pk")
        .values(
            "pk",
            "name",
            "tier",
            "region",
            "pool_id",
            "owner_id",
            "created_at",
            "claimed_at",
            "owner_since",
            "last_activity_at",
            "last_won_at",
            "has_open_deal",
            "has_won_deal",
        )
    )


@dataclass
class TenantRules:
    """A tenant's pools and rules, read once, to find the due date of any of its accounts."""

    pools: list[Pool]
    rules: dict[int, dict[str, RecallRule]]
    zone: zoneinfo.ZoneInfo

    @classmethod
    def load(cls, tenant_id: int, zone: zoneinfo.ZoneInfo) -> TenantRules:
        pools = list(Pool.objects.filter(tenant_id=tenant_id).order_by("-is_default", "name"))
        rules: dict[int, dict[str, RecallRule]] = {p.pk: {} for p in pools}
        for rule in PoolRule.objects.filter(tenant_id=tenant_id):
            rules[rule.pool_id][rule.tier] = RecallRule(
                rule.no_follow_up_days, rule.no_won_deal_days, rule.reminder_days
            )
        return cls(pools=pools, rules=rules, zone=zone)

    def _day(self, moment: datetime | None):
        return timezone.localdate(moment, self.zone) if moment is not None else None

    def due(self, row: dict) -> tuple[Pool, RecallDue] | None:
        pool = home_pool(self.pools, pool_id=row["pool_id"], region=row["region"])
        if pool is None:
            return None
        clock = AccountClock(
            created_on=self._day(row["created_at"]),
            claimed_on=self._day(max((m for m in (row["claimed_at"], row["owner_since"]) if m), default=None)),
            last_follow_up_on=self._day(row["last_activity_at"]),
            last_won_on=self._day(row["last_won_at"]),
            has_won_deal=row["has_won_deal"],
            has_open_deal=row["has_open_deal"],
        )
        exemptions = Exemptions(won_customers=pool.won_customers_exempt, open_deals=pool.open_deals_exempt)
        due = recall_due(clock, rule_for_tier(self.rules.get(pool.pk, {}), row["tier"]), exemptions)
        return (pool, due) if due is not None else None


def _reason(due: RecallDue) -> str:
    if due.reason == NO_FOLLOW_UP:
        return _("No follow-up for %(days)d days") % {"days": due.days}
    return _("No won deal for %(days)d days") % {"days": due.days}


def _url(name: str, pk: int) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def _recall(tenant, row: dict, pool: Pool, due: RecallDue, now) -> bool:
    from tandem.notifications.services.notifications import notification_send

    with transaction.atomic():
        unchanged = Account.objects.filter(
            pk=row["pk"], owner_id=row["owner_id"], locked=False, last_activity_at=row["last_activity_at"]
        )
        if row["last_activity_at"] is None:
            unchanged = Account.objects.filter(
                pk=row["pk"], owner_id=row["owner_id"], locked=False, last_activity_at__isnull=True
            )
        if not unchanged.update(owner=None, pool=pool, claimed_at=None, updated_at=now):
            return False
        account = Account.objects.get(pk=row["pk"])
        reason = _reason(due)
        record_move(
            account=account,
            kind=PoolMoveKind.RECALL,
            pool=pool,
            from_user_id=row["owner_id"],
            to_user_id=None,
            actor=None,
            reason=reason,
            tenant=tenant,
        )
        notification_send(
            tenant_id=tenant.pk,
            recipient_id=row["owner_id"],
            title=_("%(name)s went back to the pool %(pool)s") % {"name": row["name"], "pool": pool.name},
            body=reason,
            url=_url("crm:pool_detail", pool.pk),
        )
    return True


def _remind(tenant, row: dict, pool: Pool, due: RecallDue) -> bool:
    from tandem.notifications.models import Notification
    from tandem.notifications.services.notifications import notification_send

    key = uuid.uuid5(REMINDER_NAMESPACE, f"{tenant.pk}:{row['pk']}:{row['owner_id']}:{due.on.isoformat()}")
    if Notification.objects.filter(tenant_id=tenant.pk, recipient_id=row["owner_id"], event_id=key).exists():
        return False
    notification_send(
        tenant_id=tenant.pk,
        recipient_id=row["owner_id"],
        title=_("%(name)s goes back to the pool %(pool)s on %(day)s")
        % {"name": row["name"], "pool": pool.name, "day": due.on.isoformat()},
        body=_("%(reason)s. Log a follow-up or lock the account to keep it.") % {"reason": _reason(due)},
        url=_url("crm:account_detail", row["pk"]),
        event_id=key,
    )
    return True


def recall_sweep(*, now: datetime | None = None, tenant_ids: list[int] | None = None) -> SweepResult:
    """Recall every owned account whose rules ran out and remind owners whose accounts go back soon."""
    from tandem.accounts.models import Tenant

    now = now or timezone.now()
    result = SweepResult()
    with_rules = PoolRule.objects.values("tenant_id")
    tenants = Tenant.objects.filter(is_active=True, pk__in=with_rules).order_by("pk")
    if tenant_ids is not None:
        tenants = tenants.filter(pk__in=tenant_ids)
    for tenant in tenants:
        zone = zoneinfo.ZoneInfo(tenant.timezone)
        today = timezone.localdate(now, zone)
        rules = TenantRules.load(tenant.pk, zone)
        # Decide first, then act: the writes never interleave with the open read cursor.
        actions = []
        for row in owned_accounts_with_clocks(tenant.pk).iterator(chunk_size=2000):
            found = rules.due(row)
            if found is not None and today >= found[1].remind_on:
                actions.append((row, *found))
        with translation.override(tenant.locale):
            for row, pool, due in actions:
                if today >= due.on:
                    result.recalled += _recall(tenant, row, pool, due, now)
                else:
                    result.reminded += _remind(tenant, row, pool, due)
    return result
