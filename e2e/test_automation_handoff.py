"""The handoff as a salesperson and an administrator meet it: a deal won twice tells the team once, the timeline
names the rule as the author of its note, and the time rules say when they next look — at desktop and 390 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.test_crm import assert_clean

pytestmark = [pytest.mark.browser]

PHONE = {"width": 390, "height": 844}


def open_deal_without_contract():
    from tandem.crm.models import Contract, Deal
    from tandem.projects.models import Project

    taken = Project.all_objects.exclude(deal_id=None).values("deal_id")
    deals = Deal.objects.filter(tenant__slug="demo", status="open", owner__username="sales")
    deals = deals.exclude(pk__in=taken).exclude(pk__in=Contract.objects.exclude(deal_id=None).values("deal_id"))
    return deals.order_by("id").first()


def test_a_deal_won_twice_tells_the_salesperson_once_and_the_rule_signs_its_note(session_factory):
    from tandem.notifications.models import Notification
    from tandem.projects.models import Project

    deal = open_deal_without_contract()
    assert deal is not None
    sales = session_factory()
    sales.sign_in("sales")
    page = sales.page
    sales.goto(f"/crm/deals/{deal.pk}/")
    with page.expect_navigation():
        page.click("#mark-won")
    project = Project.objects.get(deal_id=deal.pk)
    expect(page.locator("#timeline")).to_contain_text("自动化：赢单 → 自动立项")

    # Reopen (back to the first stage) and win again: no second project, no second notice.
    with page.expect_navigation():
        page.locator("#stage-bar button").first.click()
    with page.expect_navigation():
        page.click("#mark-won")
    assert Project.objects.filter(deal_id=deal.pk).count() == 1
    notices = Notification.objects.filter(recipient__username="sales", title__startswith="【赢单立项】")
    assert notices.count() == 1

    sales.goto("/notifications/")
    notice = page.locator(".list-group-item", has_text="【赢单立项】")
    expect(notice).to_have_count(1)
    expect(notice).to_contain_text("商机金额")
    expect(notice).to_contain_text("尚未签订合同")
    expect(notice).not_to_contain_text("合同金额")
    expect(notice).to_contain_text(f"/crm/deals/{deal.pk}/")
    sales.shot("handoff-01-notice-zh")
    # The salesperson is on the project's team: the notice opens the project, which shows its customer.
    with page.expect_navigation():
        notice.locator("a").first.click()
    assert sales.path() == f"/projects/{project.pk}/"
    expect(page.locator("#project-customer")).to_contain_text(deal.account.name)
    assert_clean(sales)


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_the_time_rules_say_when_they_look_and_catch_up(session_factory, viewport):
    from tandem.automation.models import Rule
    from tandem.automation.services.defaults import LEAD_KEY

    admin = session_factory(viewport=viewport)
    admin.sign_in("admin")
    page = admin.page
    rule = Rule.objects.get(tenant__slug="demo", key=LEAD_KEY)
    admin.goto(f"/automation/{rule.pk}/")
    expect(page.locator("#outlook-next-check")).to_contain_text("后台任务每分钟检查一次")
    expect(page.locator("#outlook-catch-up")).to_contain_text("条记录")
    name = "desktop" if viewport is None else "phone"
    admin.shot(f"handoff-02-lead-rule-outlook-{name}")
    if viewport is not None:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    admin.goto("/automation/")
    expect(page.locator(f"#rule-{rule.pk} .rule-next-check")).to_contain_text("下次检查")
    assert_clean(admin)
