"""Pool services: claiming with its caps and cool-down, assigning (managers only), releasing, locking, pool
settings, and what members see of accounts without an owner."""

from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from tandem.audit.models import AuditEntry
from tandem.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from tandem.core.models import OutboxEvent
from tandem.crm import events
from tandem.crm.choices import PoolMoveKind
from tandem.crm.models import Account, CrmSettings, Pool, PoolMove
from tandem.crm.selectors.accounts import account_list
from tandem.crm.selectors.pools import pool_accounts, pool_list
from tandem.crm.selectors.timelines import account_timeline, timeline_load
from tandem.crm.services.pool_settings import pool_create, pool_delete, pool_update
from tandem.crm.services.pools import account_lock, account_unlock, pool_assign, pool_claim, pool_release
from tandem.crm.tests.factories import make_account
from tandem.testing.kit import access_for, make_member


@pytest.fixture
def pool(team):
    return Pool.objects.create(tenant=team.tenant, name="公共池", is_default=True, reclaim_after_days=7)


def waiting(team, pool, n=1, **fields):
    return [make_account(team.tenant, None, pool=pool, **fields) for _ in range(n)]


def test_claiming_makes_the_rep_the_owner_audited_on_the_timeline_with_an_event(team, pool):
    (account,) = waiting(team, pool)
    pool_claim(access=team.rep_access, pool=pool, accounts=[account])
    account.refresh_from_db()
    assert account.owner == team.rep.user and account.claimed_at is not None and account.pool == pool
    move = PoolMove.objects.get(account=account)
    assert (move.kind, move.to_user, move.actor) == (PoolMoveKind.CLAIM, team.rep.user, team.rep.user)
    entry = AuditEntry.objects.get(object_type="crm.account", object_id=str(account.pk), action="transfer")
    assert entry.after["pool_move"] == "claim" and entry.after["owner"] == team.rep.user.pk
    timeline = timeline_load(account_timeline(access=team.rep_access, account=account))
    assert [item["change"].pk for item in timeline if item["change"]] == [entry.pk]
    event = OutboxEvent.objects.get(name=events.ACCOUNT_CLAIMED)
    assert event.payload["account_id"] == account.pk and event.payload["to_user_id"] == team.rep.user.pk


def test_an_account_claimed_by_someone_else_first_is_a_conflict_and_nothing_is_written(team, pool):
    first, second = waiting(team, pool, 2)
    pool_claim(access=team.rep2_access, pool=pool, accounts=[second])
    with pytest.raises(Conflict):
        pool_claim(access=team.rep_access, pool=pool, accounts=[first, second])
    first.refresh_from_db()
    assert first.owner is None
    assert not PoolMove.objects.filter(to_user=team.rep.user).exists()


def test_the_daily_claim_cap_counts_today_only(team, pool):
    pool.daily_claim_limit = 2
    pool.save()
    accounts = waiting(team, pool, 4)
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 5, 11, 9, 0)), tick=False):
        pool_claim(access=team.rep_access, pool=pool, accounts=accounts[:2])
        with pytest.raises(ApplicationError) as exc:
            pool_claim(access=team.rep_access, pool=pool, accounts=accounts[2:3])
        assert exc.value.code == "daily_cap"
        # Another rep has a cap of their own.
        pool_claim(access=team.rep2_access, pool=pool, accounts=accounts[2:3])
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 5, 12, 0, 1)), tick=False):
        pool_claim(access=team.rep_access, pool=pool, accounts=accounts[3:])
    assert Account.objects.filter(owner=team.rep.user).count() == 3


def test_a_claim_of_more_than_the_cap_at_once_is_refused_whole(team, pool):
    pool.daily_claim_limit = 2
    pool.save()
    accounts = waiting(team, pool, 3)
    with pytest.raises(ApplicationError, match="2 more"):
        pool_claim(access=team.rep_access, pool=pool, accounts=accounts)
    assert not Account.objects.filter(owner=team.rep.user).exists()


def test_the_owned_accounts_cap(team, pool):
    CrmSettings.objects.create(tenant=team.tenant, max_owned_accounts=2)
    make_account(team.tenant, team.rep.user)
    first, second = waiting(team, pool, 2)
    pool_claim(access=team.rep_access, pool=pool, accounts=[first])
    with pytest.raises(ApplicationError) as exc:
        pool_claim(access=team.rep_access, pool=pool, accounts=[second])
    assert exc.value.code == "owned_cap"
    # A manager cannot push the rep over the cap either.
    with pytest.raises(ApplicationError, match="limit is 2"):
        pool_assign(access=team.manager_access, pool=pool, accounts=[second], owner=team.rep.user)


def test_the_previous_owner_cannot_reclaim_during_the_cool_down(team, pool):
    account = make_account(team.tenant, team.rep.user, pool=pool)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        pool_release(access=team.rep_access, account=account, reason="客户暂无需求")
    with time_machine.travel(start + timedelta(days=7) - timedelta(minutes=1), tick=False):
        with pytest.raises(ApplicationError) as exc:
            pool_claim(access=team.rep_access, pool=pool, accounts=[account])
        assert exc.value.code == "cool_down"
        # Someone else may claim it meanwhile; here we check the rep can once the days are over.
    with time_machine.travel(start + timedelta(days=7, minutes=1), tick=False):
        pool_claim(access=team.rep_access, pool=pool, accounts=[account])
    account.refresh_from_db()
    assert account.owner == team.rep.user


def test_others_may_claim_during_the_previous_owners_cool_down(team, pool):
    account = make_account(team.tenant, team.rep.user, pool=pool)
    pool_release(access=team.rep_access, account=account, reason="转交公海")
    pool_claim(access=team.rep2_access, pool=pool, accounts=[account])
    account.refresh_from_db()
    assert account.owner == team.rep2.user


def test_only_managers_assign_and_only_to_members_within_their_reach(team, pool):
    (account,) = waiting(team, pool)
    with pytest.raises(PermissionDenied):
        pool_assign(access=team.rep_access, pool=pool, accounts=[account], owner=team.rep2.user)
    outsider = make_member(team.tenant, "sales")
    with pytest.raises(ApplicationError) as exc:
        pool_assign(access=team.manager_access, pool=pool, accounts=[account], owner=outsider.user)
    assert "owner" in exc.value.errors
    pool_assign(access=team.manager_access, pool=pool, accounts=[account], owner=team.rep2.user, reason="区域调整")
    account.refresh_from_db()
    assert account.owner == team.rep2.user
    move = PoolMove.objects.get(account=account)
    assert (move.kind, move.actor, move.reason) == (PoolMoveKind.ASSIGN, team.manager.user, "区域调整")
    assert team.rep2.user.notifications.filter(title__contains="公共池").exists()


def test_release_needs_a_reason_and_the_account_in_reach_and_lifts_the_lock(team, pool):
    account = make_account(team.tenant, team.rep.user, locked=True)
    with pytest.raises(ApplicationError) as exc:
        pool_release(access=team.rep_access, account=account, reason=" ")
    assert "reason" in exc.value.errors
    with pytest.raises(NotFound):
        pool_release(access=team.rep2_access, account=account, reason="不是我的")
    pool_release(access=team.rep_access, account=account, reason="客户已被集团统一采购")
    account.refresh_from_db()
    assert account.owner is None and account.pool == pool and not account.locked
    assert OutboxEvent.objects.filter(name=events.ACCOUNT_RELEASED).count() == 1
    with pytest.raises(NotFound):  # out of the rep's reach now: it belongs to nobody
        pool_release(access=team.rep_access, account=account, reason="again")


def test_release_goes_to_the_region_pool_then_the_default(team, pool):
    east = Pool.objects.create(tenant=team.tenant, name="华东区域池", regions=["east"])
    shanghai = make_account(team.tenant, team.rep.user, region="east")
    chengdu = make_account(team.tenant, team.rep.user, region="southwest")
    pool_release(access=team.rep_access, account=shanghai, reason="r")
    pool_release(access=team.rep_access, account=chengdu, reason="r")
    shanghai.refresh_from_db()
    chengdu.refresh_from_db()
    assert (shanghai.pool, chengdu.pool) == (east, pool)


def test_lock_cap_and_unlock(team):
    CrmSettings.objects.create(tenant=team.tenant, max_locked_accounts=1)
    first, second = make_account(team.tenant, team.rep.user), make_account(team.tenant, team.rep.user)
    account_lock(access=team.rep_access, account=first)
    account_lock(access=team.rep_access, account=first)  # again: nothing changes
    with pytest.raises(ApplicationError) as exc:
        account_lock(access=team.rep_access, account=second)
    assert exc.value.code == "locked_cap"
    account_unlock(access=team.rep_access, account=first)
    account_lock(access=team.rep_access, account=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.locked, second.locked) == (False, True)
    changes = AuditEntry.objects.filter(object_id=str(first.pk), object_type="crm.account", action="update")
    assert [e.after for e in changes.order_by("id")] == [{"locked": True}, {"locked": False}]


def test_the_database_refuses_an_ownerless_account_outside_a_pool_or_locked(team, pool):
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.create(tenant=team.tenant, name="无主客户", owner=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.create(tenant=team.tenant, name="锁定无主", owner=None, pool=pool, locked=True)


def test_ownerless_accounts_are_visible_in_the_pool_but_not_to_sales_elsewhere(team, pool):
    (account,) = waiting(team, pool, name="公海客户有限公司")
    assert not Account.objects.restrict(team.rep_access).filter(pk=account.pk).exists()
    assert not Account.objects.restrict(team.manager_access).filter(pk=account.pk).exists()
    assert not account_list(access=team.rep_access).filter(pk=account.pk).exists()
    # Members who see all accounts see it in the account lists, with no owner.
    assert Account.objects.restrict(team.admin_access).filter(pk=account.pk).exists()
    # Through the pool, everyone with crm.view_pool sees it.
    assert pool in pool_list(access=team.rep_access)
    assert list(pool_accounts(pool=pool)) == [account]


def test_a_pool_of_a_department_is_seen_by_that_department_only(team):
    from tandem.accounts.models import Department

    sales_dept = Department.objects.get(tenant=team.tenant, name="销售部")
    other = Department.objects.create(tenant=team.tenant, name="工程部")
    below = Pool.objects.create(tenant=team.tenant, name="销售池", department=sales_dept)
    elsewhere = Pool.objects.create(tenant=team.tenant, name="工程池", department=other)
    group = Department.objects.get(tenant=team.tenant, name="销售一组")
    group_pool = Pool.objects.create(tenant=team.tenant, name="一组池", department=group)
    # The rep sits in 销售一组 under 销售部; its head sees the group's pool too; members who see everything
    # see every pool.
    assert set(pool_list(access=team.rep_access)) == {below, group_pool}
    assert set(pool_list(access=team.rep2_access)) == {below, group_pool}
    assert set(pool_list(access=team.manager_access)) == {below, group_pool}
    assert set(pool_list(access=team.admin_access)) == {below, elsewhere, group_pool}
    (account,) = waiting(team, elsewhere)
    with pytest.raises(NotFound):
        pool_claim(access=team.rep_access, pool=elsewhere, accounts=[account])


def test_members_without_the_pool_permission_see_no_pool(team, pool):
    pm = make_member(team.tenant, "foreman")
    assert not pool_list(access=access_for(pm)).exists()


def test_pool_settings_take_the_all_scope(team, pool):
    rules = [{"tier": "", "no_follow_up_days": 30, "no_won_deal_days": None, "reminder_days": 3}]
    with pytest.raises(PermissionDenied):
        pool_create(access=team.manager_access, name="经理的池", rules=rules)
    with pytest.raises(PermissionDenied):
        pool_update(access=team.rep_access, pool=pool, daily_claim_limit=100)
    created = pool_create(access=team.admin_access, name="华南区域池", regions=["south"], rules=rules)
    assert [(r.tier, r.no_follow_up_days) for r in created.rules.all()] == [("", 30)]
    pool_update(
        access=team.admin_access,
        pool=created,
        rules=[{"tier": "vip", "no_follow_up_days": None, "no_won_deal_days": 90, "reminder_days": 10}],
    )
    assert [(r.tier, r.no_won_deal_days) for r in created.rules.all()] == [("vip", 90)]
    assert AuditEntry.objects.filter(object_type="crm.pool", object_id=str(created.pk)).count() == 2


def test_rules_are_checked(team, pool):
    with pytest.raises(ApplicationError) as exc:
        pool_update(
            access=team.admin_access,
            pool=pool,
            rules=[{"tier": "a", "no_follow_up_days": 5, "no_won_deal_days": None, "reminder_days": 5}],
        )
    assert "rules[0]" in exc.value.errors
    with pytest.raises(ApplicationError):
        pool_update(
            access=team.admin_access,
            pool=pool,
            rules=[{"tier": "a", "no_follow_up_days": None, "no_won_deal_days": None, "reminder_days": 1}],
        )
    with pytest.raises(ApplicationError, match="One rule per tier"):
        pool_update(
            access=team.admin_access,
            pool=pool,
            rules=[{"tier": "a", "no_follow_up_days": 9}, {"tier": "a", "no_follow_up_days": 10}],
        )


def test_one_default_pool_and_deleting_pools(team, pool):
    other = pool_create(access=team.admin_access, name="备用池", is_default=True)
    pool.refresh_from_db()
    assert other.is_default and not pool.is_default
    waiting(team, pool)
    with pytest.raises(ApplicationError, match="waiting"):
        pool_delete(access=team.admin_access, pool=pool)
    with pytest.raises(ApplicationError, match="default"):
        pool_delete(access=team.admin_access, pool=other)
    owned = make_account(team.tenant, team.rep.user, pool=other)
    pool_create(access=team.admin_access, name="第三个池", is_default=True)
    pool_delete(access=team.admin_access, pool=other)
    owned.refresh_from_db()
    assert owned.pool is None


def test_the_lock_is_not_an_ordinary_edit(team):
    from tandem.crm.services.accounts import account_update

    account = make_account(team.tenant, team.rep.user)
    with pytest.raises(TypeError):
        account_update(access=team.rep_access, account=account, locked=True)
