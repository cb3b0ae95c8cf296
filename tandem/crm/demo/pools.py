"""Demo public pools and sales targets for the demo tenant: 公共池 and 华东区域池 with recall rules, accounts
waiting in them (given back ones with the move that put them there, and new prospects), caps, and this
year's targets.

Runs after the crm demo data; does nothing once the demo tenant has a pool with recall rules.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone, translation

from tandem.accounts.models import Department, Tenant, User
from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record
from tandem.core import demo
from tandem.crm.choices import AccountTier, DealStatus, PoolMoveKind, Region, TargetLevel, TargetMetric
from tandem.crm.demo.data import CITIES, CORES, LEGAL_FORMS, TRADES
from tandem.crm.models import Account, CrmSettings, Pool, PoolMove, PoolRule, SalesTarget
from tandem.crm.services.pools import move_note

REASONS = {
    PoolMoveKind.RECALL: "30 天未跟进，系统自动退回",
    PoolMoveKind.RELEASE: "客户预算取消，暂无需求",
}
MONTHLY_CONTRACTS = {"sales": Decimal("1200000"), "sales2": Decimal("1000000"), "salesmgr": Decimal("600000")}


def _pools(tenant, departments) -> tuple[Pool, Pool]:
    public, _ = Pool.objects.update_or_create(
        tenant=tenant,
        is_default=True,
        defaults={
            "name": "公共池",
            "description": "全公司共享；超过 30 天未跟进的客户退回此池",
            "daily_claim_limit": 5,
            "reclaim_after_days": 7,
        },
    )
    east, _ = Pool.objects.update_or_create(
        tenant=tenant,
        name="华东区域池",
        defaults={
            "description": "华东区域客户，仅销售部可见",
            "department": departments.get("销售部"),
            "regions": [Region.EAST],
            "daily_claim_limit": 3,
            "reclaim_after_days": 14,
        },
    )
    rules = [
        (public, "", 30, 180, 3),
        (public, "vip", 60, 365, 7),
        (public, "a", 45, 240, 5),
        (east, "", 20, 120, 3),
    ]
    for pool, tier, follow, won, remind in rules:
        PoolRule.objects.update_or_create(
            tenant=tenant,
            pool=pool,
            tier=tier,
            defaults={"no_follow_up_days": follow, "no_won_deal_days": won, "reminder_days": remind},
        )
    return public, east


NEW_IN_POOL = 8  # prospects bought from a list or met at a fair, never owned by anyone


def _prospects(tenant, rng: random.Random) -> list[Account]:
    taken = set(Account.all_objects.filter(tenant=tenant).values_list("name", flat=True))
    prospects = []
    while len(prospects) < NEW_IN_POOL:
        city = rng.choice(list(CITIES))
        trade, industry, _deal_type = rng.choice(TRADES)
        name = f"{city}{rng.choice(CORES)}{trade}{rng.choice(LEGAL_FORMS)}"
        if name in taken:
            continue
        taken.add(name)
        province, region, _division = CITIES[city]
        prospects.append(
            Account(
                tenant=tenant,
                name=name,
                tier=rng.choice([AccountTier.B, AccountTier.C]),
                industry=industry,
                region=region,
                province=province,
                city=city,
                tags=["展会名单"],
            )
        )
    return prospects


def _waiting_accounts(tenant, public: Pool, east: Pool, rng: random.Random) -> None:
    """Give back the accounts without open or won deals, as the sweep and the reps would have, and put some
    new prospects in the pools."""
    quiet = list(
        Account.objects.filter(tenant=tenant, owner__isnull=False)
        .exclude(deals__status__in=[DealStatus.OPEN, DealStatus.WON])
        .order_by("pk")[:6]
    )
    now = timezone.now()
    for index, account in enumerate(quiet):
        pool = east if account.region == Region.EAST else public
        kind = PoolMoveKind.RECALL if index % 3 else PoolMoveKind.RELEASE
        previous = account.owner_id
        Account.objects.filter(pk=account.pk).update(owner=None, pool=pool, claimed_at=None, locked=False)
        account.refresh_from_db()
        move = PoolMove.objects.create(
            tenant=tenant, account=account, pool=pool, kind=kind, from_user_id=previous, reason=REASONS[kind]
        )
        PoolMove.objects.filter(pk=move.pk).update(created_at=now - timedelta(days=rng.randint(1, 40)))
        audit_record(
            obj=account,
            action=AuditAction.TRANSFER,
            before={"owner": previous},
            after={"owner": None, "pool": pool.pk, "pool_move": kind, "reason": move_note(kind, pool, REASONS[kind])},
        )
    prospects = _prospects(tenant, rng)
    for account in prospects:
        account.pool = east if account.region == Region.EAST else public
    Account.objects.bulk_create(prospects)


def _recent_claims(tenant, public: Pool, rep: User | None) -> None:
    """The rep claimed a few prospects weeks ago and has not called them yet: they show as going back soon."""
    if rep is None:
        return
    now = timezone.now()
    claimable = Account.objects.filter(tenant=tenant, pool=public, owner__isnull=True, tags=["展会名单"])
    for days_ago, account in zip((26, 28, 20), claimable.order_by("pk")[:3], strict=False):
        claimed = now - timedelta(days=days_ago)
        Account.objects.filter(pk=account.pk).update(owner=rep, claimed_at=claimed)
        move = PoolMove.objects.create(
            tenant=tenant, account=account, pool=public, kind=PoolMoveKind.CLAIM, to_user=rep
        )
        PoolMove.objects.filter(pk=move.pk).update(created_at=claimed)
        note = move_note(PoolMoveKind.CLAIM, public, "")
        audit_record(
            obj=account,
            action=AuditAction.TRANSFER,
            actor=rep,
            before={"owner": None},
            after={"owner": rep.pk, "pool": public.pk, "pool_move": PoolMoveKind.CLAIM, "reason": note},
            at=claimed,
        )


def _targets(tenant, departments, users) -> None:
    year, month = timezone.localdate().year, timezone.localdate().month
    company = [(TargetMetric.CONTRACTS, Decimal("36000000")), (TargetMetric.RECEIPTS, Decimal("30000000"))]
    for metric, amount in company:
        SalesTarget.objects.get_or_create(
            tenant=tenant, level=TargetLevel.COMPANY, metric=metric, year=year, month=0, defaults={"amount": amount}
        )
    if "销售部" in departments:
        SalesTarget.objects.get_or_create(
            tenant=tenant,
            level=TargetLevel.DEPARTMENT,
            department=departments["销售部"],
            metric=TargetMetric.CONTRACTS,
            year=year,
            month=month,
            defaults={"amount": Decimal("2800000")},
        )
    for username, monthly in MONTHLY_CONTRACTS.items():
        user = users.get(username)
        if user is None:
            continue
        for metric, per_month in ((TargetMetric.CONTRACTS, monthly), (TargetMetric.RECEIPTS, monthly * 8 / 10)):
            for period, amount in ((month, per_month), (0, per_month * 12)):
                SalesTarget.objects.get_or_create(
                    tenant=tenant,
                    level=TargetLevel.PERSON,
                    user=user,
                    metric=metric,
                    year=year,
                    month=period,
                    defaults={"amount": amount},
                )


@demo.register(25, "crm pools")
def load() -> None:
    tenant = Tenant.objects.filter(slug="demo").first()
    if tenant is None or PoolRule.objects.filter(tenant=tenant).exists():
        return
    departments = {d.name: d for d in Department.objects.filter(tenant=tenant)}
    users = {u.username: u for u in User.objects.filter(username__in=list(MONTHLY_CONTRACTS))}
    CrmSettings.objects.update_or_create(
        tenant=tenant, defaults={"max_owned_accounts": 200, "max_locked_accounts": 10, "forgotten_after_days": 30}
    )
    public, east = _pools(tenant, departments)
    with translation.override(tenant.locale):
        _waiting_accounts(tenant, public, east, random.Random(25))
        _recent_claims(tenant, public, users.get("sales"))
    _targets(tenant, departments, users)
