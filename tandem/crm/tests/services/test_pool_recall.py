"""The recall sweep with frozen time: exactly N days, the won-deal clock, every exemption switch, reminders sent
once, idempotence, the timeline, and the daily task and command that run it."""

import zoneinfo
from datetime import datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from tandem.audit.models import AuditEntry
from tandem.core.errors import ApplicationError
from tandem.core.models import OutboxEvent
from tandem.crm import events
from tandem.crm.choices import PoolMoveKind
from tandem.crm.models import Account, Pool, PoolMove, PoolRule
from tandem.crm.selectors.timelines import account_timeline, timeline_load
from tandem.crm.services.activities import activity_create
from tandem.crm.services.pool_recall import recall_sweep
from tandem.crm.services.pools import pool_claim
from tandem.crm.tests.factories import make_account, make_deal, stage_named
from tandem.notifications.models import Notification

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
CLAIMED = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)  # a Monday


def at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def pool(team):
    # The sweep writes in the tenant's language; these tests read English (one below reads Chinese).
    team.tenant.locale = "en"
    team.tenant.save(update_fields=["locale"])
    pool = Pool.objects.create(
        tenant=team.tenant, name="公共池", is_default=True, won_customers_exempt=False, open_deals_exempt=False
    )
    PoolRule.objects.create(tenant=team.tenant, pool=pool, tier="", no_follow_up_days=30, reminder_days=3)
    return pool


def owned(team, **fields):
    fields.setdefault("claimed_at", CLAIMED)
    fields.setdefault("created_at", CLAIMED - timedelta(days=400))
    return make_account(team.tenant, team.rep.user, **fields)


def sweep(moment):
    with at(moment):
        return recall_sweep()


def test_recalled_at_exactly_n_days_not_the_day_before(team, pool):
    account = owned(team)
    assert sweep(CLAIMED + timedelta(days=29, hours=13, minutes=59)).recalled == 0  # 31 March, 23:59
    account.refresh_from_db()
    assert account.owner == team.rep.user

    result = sweep(CLAIMED + timedelta(days=30))  # 1 April, 10:00: exactly 30 days
    assert result.recalled == 1
    account.refresh_from_db()
    assert account.owner is None and account.pool == pool and account.claimed_at is None
    move = PoolMove.objects.get(account=account)
    assert (move.kind, move.from_user, move.actor) == (PoolMoveKind.RECALL, team.rep.user, None)
    assert move.reason == "No follow-up for 30 days"
    assert OutboxEvent.objects.filter(name=events.ACCOUNT_RECALLED, payload__account_id=account.pk).count() == 1
    notice = Notification.objects.get(recipient=team.rep.user, title__contains="went back")
    assert account.name in notice.title and notice.body == "No follow-up for 30 days"


def test_the_recall_is_on_the_account_timeline(team, pool):
    account = owned(team)
    sweep(CLAIMED + timedelta(days=31))
    items = timeline_load(account_timeline(access=team.admin_access, account=account))
    changes = [item["change"] for item in items if item["change"]]
    assert [(c.action, c.after["pool_move"], c.before["owner"]) for c in changes] == [
        ("transfer", "recall", team.rep.user.pk)
    ]


def test_the_sweep_is_idempotent(team, pool):
    owned(team)
    moment = CLAIMED + timedelta(days=30)
    assert sweep(moment).recalled == 1
    assert sweep(moment).recalled == 0
    assert sweep(moment + timedelta(days=1)).recalled == 0
    assert PoolMove.objects.count() == 1
    assert AuditEntry.objects.filter(object_type="crm.account", action="transfer").count() == 1


def test_a_follow_up_restarts_the_clock(team, pool):
    account = owned(team)
    with at(CLAIMED + timedelta(days=20)):
        activity_create(access=team.rep_access, subject="电话回访", kind="call", account=account)
    assert sweep(CLAIMED + timedelta(days=30)).recalled == 0
    assert sweep(CLAIMED + timedelta(days=49, hours=13)).recalled == 0  # 20 April, 23:00
    assert sweep(CLAIMED + timedelta(days=50)).recalled == 1


def test_m_days_without_a_won_deal_recalls_even_with_follow_ups(team, pool):
    PoolRule.objects.filter(pool=pool).update(no_follow_up_days=None, no_won_deal_days=60, reminder_days=5)
    account = owned(team, last_activity_at=CLAIMED + timedelta(days=55))
    assert sweep(CLAIMED + timedelta(days=59)).recalled == 0
    assert sweep(CLAIMED + timedelta(days=60)).recalled == 1
    assert PoolMove.objects.get(account=account).reason == "No won deal for 60 days"


def test_a_won_deal_restarts_the_won_deal_clock(team, pool):
    PoolRule.objects.filter(pool=pool).update(no_follow_up_days=None, no_won_deal_days=60)
    account = owned(team)
    make_deal(
        team.tenant, team.rep.user, account, stage=stage_named(team.tenant, 5), won_at=CLAIMED + timedelta(days=40)
    )
    assert sweep(CLAIMED + timedelta(days=60)).recalled == 0
    assert sweep(CLAIMED + timedelta(days=100)).recalled == 1


def test_locked_accounts_are_exempt(team, pool):
    account = owned(team, locked=True)
    assert sweep(CLAIMED + timedelta(days=90)).recalled == 0
    account.refresh_from_db()
    assert account.owner == team.rep.user


@pytest.mark.parametrize("exempt", [True, False])
def test_the_won_customers_switch(team, pool, exempt):
    Pool.objects.filter(pk=pool.pk).update(won_customers_exempt=exempt)
    account = owned(team)
    make_deal(
        team.tenant, team.rep.user, account, stage=stage_named(team.tenant, 5), won_at=CLAIMED - timedelta(days=5)
    )
    assert sweep(CLAIMED + timedelta(days=31)).recalled == (0 if exempt else 1)


@pytest.mark.parametrize("exempt", [True, False])
def test_the_open_deals_switch(team, pool, exempt):
    Pool.objects.filter(pk=pool.pk).update(open_deals_exempt=exempt)
    account = owned(team)
    make_deal(team.tenant, team.rep.user, account, stage=stage_named(team.tenant, 2))
    assert sweep(CLAIMED + timedelta(days=31)).recalled == (0 if exempt else 1)


def test_lost_and_deleted_deals_exempt_nothing(team, pool):
    Pool.objects.filter(pk=pool.pk).update(won_customers_exempt=True, open_deals_exempt=True)
    account = owned(team)
    make_deal(team.tenant, team.rep.user, account, stage=stage_named(team.tenant, 6))
    make_deal(team.tenant, team.rep.user, account, stage=stage_named(team.tenant, 2), deleted_at=CLAIMED)
    assert sweep(CLAIMED + timedelta(days=31)).recalled == 1


def test_the_reminder_comes_k_days_before_and_only_once(team, pool):
    account = owned(team)
    assert sweep(CLAIMED + timedelta(days=26)).reminded == 0  # 28 March: four days before
    remind_day = CLAIMED + timedelta(days=27)  # 29 March: three days before the recall on 1 April
    assert sweep(remind_day).reminded == 1
    assert sweep(remind_day + timedelta(hours=5)).reminded == 0
    assert sweep(remind_day + timedelta(days=1)).reminded == 0
    reminders = Notification.objects.filter(recipient=team.rep.user, title__contains="goes back")
    assert reminders.count() == 1
    assert "2026-04-01" in reminders.get().title and account.name in reminders.get().title
    # A follow-up moves the recall; the new date gets its own reminder.
    with at(remind_day + timedelta(days=1)):
        activity_create(access=team.rep_access, subject="上门拜访", kind="visit", account=account)
    assert sweep(remind_day + timedelta(days=28)).reminded == 1
    assert reminders.count() == 2


def test_tier_rules_and_pools_without_rules(team, pool):
    PoolRule.objects.create(tenant=team.tenant, pool=pool, tier="vip", no_follow_up_days=60, reminder_days=7)
    ordinary, vip = owned(team, tier="c"), owned(team, tier="vip")
    quiet_pool = Pool.objects.create(tenant=team.tenant, name="无规则池")
    unruled = owned(team, pool=quiet_pool)
    sweep(CLAIMED + timedelta(days=45))
    for account in (ordinary, vip, unruled):
        account.refresh_from_db()
    assert (ordinary.owner, vip.owner, unruled.owner) == (None, team.rep.user, team.rep.user)


def test_accounts_of_a_region_follow_the_region_pool(team, pool):
    east = Pool.objects.create(tenant=team.tenant, name="华东区域池", regions=["east"])
    PoolRule.objects.create(tenant=team.tenant, pool=east, tier="", no_follow_up_days=10, reminder_days=2)
    shanghai = owned(team, region="east")
    sweep(CLAIMED + timedelta(days=10))
    shanghai.refresh_from_db()
    assert shanghai.owner is None and shanghai.pool == east


def test_the_previous_owner_waits_after_a_recall(team, pool):
    account = owned(team)
    sweep(CLAIMED + timedelta(days=30))
    with at(CLAIMED + timedelta(days=31)), pytest.raises(ApplicationError, match="recently"):
        pool_claim(access=team.rep_access, pool=pool, accounts=[Account.objects.get(pk=account.pk)])


def test_other_tenants_are_untouched_and_the_sweep_can_be_limited(team, pool, other_tenant):
    from tandem.testing.kit import make_member

    foreign_rep = make_member(other_tenant, "sales").user
    foreign_pool = Pool.objects.create(tenant=other_tenant, name="公共池", is_default=True)
    PoolRule.objects.create(tenant=other_tenant, pool=foreign_pool, tier="", no_follow_up_days=5)
    foreign = make_account(other_tenant, foreign_rep, claimed_at=CLAIMED, created_at=CLAIMED)
    owned(team)
    with at(CLAIMED + timedelta(days=40)):
        assert recall_sweep(tenant_ids=[team.tenant.pk]).recalled == 1
    foreign.refresh_from_db()
    assert foreign.owner == foreign_rep and foreign.pool is None


def test_the_command_and_the_daily_task_run_the_sweep(team, pool):
    from tandem.crm.tasks import recall_sweep_task

    first, second = owned(team), owned(team)
    second.claimed_at = CLAIMED + timedelta(days=10)
    second.save()
    out = StringIO()
    with at(CLAIMED + timedelta(days=30)):
        call_command("crm_recall", stdout=out)
    assert out.getvalue().strip() == "recalled 1, reminded 0"
    with at(CLAIMED + timedelta(days=40)):
        recall_sweep_task.call_local()
    assert not Account.objects.filter(pk__in=[first.pk, second.pk], owner__isnull=False).exists()


def test_an_owner_transfer_restarts_the_clock_like_a_claim(team, pool):
    from tandem.records.services.transfer import record_transfer_owner

    account = owned(team, claimed_at=None, created_at=CLAIMED - timedelta(days=100))
    with at(CLAIMED):
        record_transfer_owner(access=team.manager_access, obj=account, new_owner=team.rep2.user, reason="交接")
    assert sweep(CLAIMED + timedelta(days=29)).recalled == 0
    assert sweep(CLAIMED + timedelta(days=30)).recalled == 1


def test_the_sweep_writes_in_the_tenants_language(team, pool):
    team.tenant.locale = "zh-hans"
    team.tenant.save(update_fields=["locale"])
    account = owned(team)
    sweep(CLAIMED + timedelta(days=27))
    sweep(CLAIMED + timedelta(days=30))
    assert PoolMove.objects.get(account=account).reason == "30 天未跟进"
    titles = list(Notification.objects.filter(recipient=team.rep.user).order_by("id").values_list("title", flat=True))
    assert titles == [f"{account.name} 将于 2026-04-01 退回公海「公共池」", f"{account.name} 已退回公海「公共池」"]
    entry = AuditEntry.objects.get(object_type="crm.account", object_id=str(account.pk), action="transfer")
    assert "公共池" in entry.after["reason"] and entry.after["reason"].endswith(": 30 天未跟进")
