"""The rule pages say when a time rule next looks, whether it will catch up, and what falls due next."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.automation.engine import schedules
from tandem.automation.models import Rule
from tandem.automation.services.defaults import LEAD_KEY, WON_DEAL_KEY
from tandem.automation.services.rules import rule_update
from tandem.crm.models import Lead
from tandem.crm.services.leads import lead_create
from tandem.testing.kit import access_for, page_client

pytestmark = pytest.mark.django_db


def detail(member, rule) -> str:
    return page_client(member).get(reverse("automation:rule_detail", args=[rule.pk])).content.decode()


def test_a_new_time_rule_says_it_will_catch_up_and_what_is_due_next(tenant, admin_member):
    rule = Rule.objects.get(tenant=tenant, key=LEAD_KEY)
    lead = lead_create(access=access_for(admin_member), company="宁波港务", contact_name="陈先生")
    due = timezone.now() + timedelta(hours=3)
    Lead.objects.filter(pk=lead.pk).update(response_due_at=due)

    before = timezone.now()
    html = detail(admin_member, rule)
    after = timezone.now()
    assert 'id="rule-outlook"' in html
    # The next whole minute after the page was made (the request may straddle a minute).
    checks = {
        timezone.localtime(moment.replace(second=0, microsecond=0) + timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M")
        for moment in (before, after)
    }
    assert "下次检查" in html and any(check in html for check in checks)
    assert 'id="outlook-catch-up"' not in html  # the one lead is not due yet: nothing to catch up on
    Lead.objects.filter(pk=lead.pk).update(response_due_at=timezone.now() - timedelta(days=2))
    caught = detail(admin_member, rule)
    assert 'id="outlook-catch-up"' in caught and "已过触发时间的 1 条记录（最早追溯 90 天）" in caught
    Lead.objects.filter(pk=lead.pk).update(response_due_at=due)
    assert timezone.localtime(due).strftime("%Y-%m-%d %H:%M") in html and str(lead) in html
    assert 'id="outlook-stale"' not in html  # installed a moment ago


def test_after_its_scan_the_rule_no_longer_catches_up_and_a_silent_worker_shows(tenant, admin_member):
    rule = Rule.objects.get(tenant=tenant, key=LEAD_KEY)
    lead = lead_create(access=access_for(admin_member), company="宁波港务", contact_name="陈先生")
    Lead.objects.filter(pk=lead.pk).update(response_due_at=timezone.now() - timedelta(days=2))
    assert 'id="outlook-catch-up"' in detail(admin_member, rule)
    schedules.scan_time_triggers(now=timezone.now())
    html = detail(admin_member, rule)
    assert 'id="outlook-catch-up"' not in html
    assert "暂无即将到期的记录" in html
    Rule.objects.filter(pk=rule.pk).update(scanned_until=timezone.now() - timedelta(minutes=30))
    assert "后台任务是否在运行" in detail(admin_member, rule)


def test_a_disabled_time_rule_says_it_does_not_look(tenant, admin_member):
    rule = Rule.objects.get(tenant=tenant, key=LEAD_KEY)
    rule_update(access=access_for(admin_member), rule=rule, enabled=False)
    html = detail(admin_member, rule)
    assert 'id="outlook-off"' in html and 'id="outlook-next-check"' not in html


def test_the_rule_list_shows_the_next_check_of_time_rules_only(tenant, admin_member):
    html = page_client(admin_member).get(reverse("automation:rules")).content.decode()
    lead_row = html.split(f'id="rule-{Rule.objects.get(tenant=tenant, key=LEAD_KEY).pk}"')[1].split("</tr>")[0]
    won_row = html.split(f'id="rule-{Rule.objects.get(tenant=tenant, key=WON_DEAL_KEY).pk}"')[1].split("</tr>")[0]
    assert "下次检查" in lead_row and "将补发已到期的记录" in lead_row
    assert "rule-next-check" not in won_row
    assert 'id="rule-outlook"' not in detail(admin_member, Rule.objects.get(tenant=tenant, key=WON_DEAL_KEY))


def test_the_pages_speak_english_in_the_english_tenant(db):
    from tandem.testing.kit import make_member, make_tenant

    tenant = make_tenant(locale="en")
    admin = make_member(tenant, "admin")
    client = page_client(admin)
    rule = Rule.objects.get(tenant=tenant, key=LEAD_KEY)
    lead = lead_create(access=access_for(admin), company="Harbour Authority", contact_name="Ms Lund")
    Lead.objects.filter(pk=lead.pk).update(response_due_at=timezone.now() - timedelta(days=1))
    html = client.get(reverse("automation:rule_detail", args=[rule.pk])).content.decode()
    assert "Next check" in html and "the worker looks every minute" in html
    assert "The next check also catches up on 1 record already past its moment (up to 90 days back)" in html
