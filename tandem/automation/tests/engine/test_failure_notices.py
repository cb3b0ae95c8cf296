"""A failed run is told to the rule's owner and the administrators, in the tenant's language, linking the run."""

import pytest
from django.urls import reverse

from tandem.automation.models import Rule, Run, RunStatus
from tandem.automation.services.defaults import WON_DEAL_KEY
from tandem.automation.services.rules import rule_update
from tandem.automation.tests.factories import handoff_world
from tandem.crm.services.deals import deal_mark_won
from tandem.notifications.models import Notification
from tandem.testing.kit import make_member

pytestmark = pytest.mark.django_db


def impossible_manager(world, *, owner=None, max_failures=5):
    """The won-deal rule asks for a PM skill nobody has, with no fallback: every run fails."""
    rule = Rule.objects.get(tenant=world.tenant, key=WON_DEAL_KEY)
    actions = rule.actions
    actions[0]["params"]["manager"] = {"strategy": "by_skill", "role": "pm", "skill": "核电"}
    fields = {"owner": owner} if owner is not None else {}
    return rule_update(access=world.admin_access, rule=rule, actions=actions, max_failures=max_failures, **fields)


def win(world, deal, capture):
    with capture(execute=True):
        deal_mark_won(access=world.sales_access, deal=deal)


def test_the_owner_and_every_administrator_hear_of_a_failed_run(tenant, django_capture_on_commit_callbacks):
    world = handoff_world(tenant)
    boss = make_member(tenant, "owner")
    rule = impossible_manager(world, owner=world.pm_busy.user)
    win(world, world.deal, django_capture_on_commit_callbacks)

    run = Run.objects.get(rule=rule)
    assert run.status == RunStatus.FAILED
    told = Notification.objects.filter(title="自动化规则“赢单 → 自动立项”运行失败")
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(
        [world.pm_busy.user_id, world.admin.user_id, boss.user_id]
    )
    notice = told.get(recipient=world.admin.user)
    assert notice.url == reverse("automation:run_detail", args=[run.pk])
    assert world.deal.name in notice.body and "没有符合条件的人" in notice.body
    assert "已连续失败 1 次（共 5 次）" in notice.body
    assert not Notification.objects.filter(recipient=world.sales.user, title__contains="运行失败").exists()


def test_the_failure_that_disables_the_rule_sends_the_disabled_notice_only(tenant, django_capture_on_commit_callbacks):
    world = handoff_world(tenant)
    rule = impossible_manager(world, max_failures=2)
    first, second = world.more_deals(2)
    win(world, first, django_capture_on_commit_callbacks)
    win(world, second, django_capture_on_commit_callbacks)

    admin_inbox = Notification.objects.filter(recipient=world.admin.user).order_by("id")
    titles = list(admin_inbox.filter(title__startswith="自动化规则").values_list("title", flat=True))
    assert titles == ["自动化规则“赢单 → 自动立项”运行失败", "自动化规则“赢单 → 自动立项”已被停用"]
    rule.refresh_from_db()
    assert rule.enabled is False


def test_a_successful_run_tells_nobody_of_trouble(tenant, django_capture_on_commit_callbacks):
    world = handoff_world(tenant)
    win(world, world.deal, django_capture_on_commit_callbacks)
    assert not Notification.objects.filter(title__startswith="自动化规则").exists()
