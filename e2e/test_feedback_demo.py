"""Seed scenario 2 on the demo tenants as their people see it: in the English tenant, on a phone, customer service
sends a survey link by hand, the customer answers 3 in English, and the account page turns high-risk with an open
recovery; in the Chinese tenant the home card, the flagged account and the NPS page show the
demo's open recovery."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser]
PHONE = {"width": 390, "height": 844}


def _askable_account(slug: str):
    """An account of the tenant with a primary contact, never surveyed."""
    from tandem.crm.models import Account, AccountContact

    primary = AccountContact.objects.filter(account__tenant__slug=slug, is_primary=True).values("account_id")
    return Account.objects.filter(tenant__slug=slug, pk__in=primary, surveys__isnull=True).order_by("id").first()


def test_the_english_tenant_answers_a_survey_on_a_phone_and_the_account_turns_high_risk(
    session_factory, browser, live_server, settings
):
    settings.TANDEM_BASE_URL = live_server.url  # the link names the server the customer can reach
    account = _askable_account("northwind")
    web = session_factory(viewport=PHONE, locale="en-GB")
    web.sign_in("olivia")
    web.goto(f"/crm/accounts/{account.pk}/")
    panel = web.page.locator("#satisfaction-panel")
    panel.locator("#survey-channel").select_option("link")
    with web.page.expect_navigation():
        panel.get_by_role("button", name="Send a satisfaction survey").click()
    flash = web.page.get_by_text(re.compile("Survey link for"))
    expect(flash).to_be_visible()
    link = re.search(r"https?://\S+/s/[^/\s]+/", flash.inner_text()).group(0)

    customer = browser.new_context(viewport=PHONE, locale="en-GB")
    page = customer.new_page()
    page.goto(link)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.click("label[for=score-3]")
    page.fill("#comment", "Commissioning ran two weeks late & <nobody> called us.")
    page.get_by_role("button", name="Send my answer").click()
    page.get_by_role("heading", name="Thank you").wait_for()
    customer.close()

    web.goto(f"/crm/accounts/{account.pk}/")
    expect(web.page.get_by_text("High risk").first).to_be_visible()
    recovery = web.page.locator("[data-recovery]")
    expect(recovery.get_by_text("Recovery open")).to_be_visible()
    # Sent from the account page, about no project: no review task, the follow-up alone will close it.
    expect(recovery.get_by_text("Closes by itself")).to_be_visible()
    expect(recovery.get_by_placeholder("Why close it by hand?")).to_be_visible()
    expect(web.page.get_by_text("Commissioning ran two weeks late & <nobody> called us.").first).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    web.shot("feedback-demo-en-account-390")
    wide = web.page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391)"
        ".map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 8)"
    )
    assert web.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], wide
    web.goto("/")
    expect(web.page.locator("#home-recoveries").get_by_text(account.name)).to_be_visible()
    web.shot("feedback-demo-en-home-390")
    assert not web.problems, web.problems


def test_the_chinese_tenant_keeps_the_open_recovery_in_sight(session_factory):
    from tandem.feedback.models import Recovery

    recovery = Recovery.objects.filter(tenant__slug="demo", status="open").select_related("account").get()
    web = session_factory(locale="zh-CN")
    web.sign_in("service")
    card = web.page.locator("#home-recoveries")
    expect(card.get_by_text(recovery.account.name)).to_be_visible()
    with web.page.expect_navigation():
        card.get_by_role("link", name=recovery.account.name).click()
    expect(web.page.get_by_text("高风险").first).to_be_visible()
    expect(web.page.locator(f'[data-recovery="{recovery.pk}"]').get_by_text("挽回中")).to_be_visible()
    web.shot("feedback-demo-zh-account-1280")
    web.goto("/feedback/nps/")
    expect(web.page.get_by_text(recovery.account.name).first).to_be_visible()
    web.shot("feedback-demo-zh-nps-1280")
    assert not web.problems, web.problems
