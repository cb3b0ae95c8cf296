"""The customer's side of scenario 2 in a real browser: the emailed link opens on a phone, the answer is taken once."""

from __future__ import annotations

import re

import pytest

from e2e.conftest import SCREENSHOTS
from tandem.automation.tests.channels_support import received_email, smtp_inbox  # noqa: F401
from tandem.crm.tests.factories import make_account, make_contact
from tandem.feedback.models import SurveyResponse
from tandem.feedback.services.surveys import survey_send
from tandem.projects.tests.factories import make_project
from tandem.testing.kit import access_for, make_member, make_tenant

PHONE = {"width": 390, "height": 844}


@pytest.mark.django_db(transaction=True)
def test_the_emailed_link_is_answered_on_a_phone_once(browser, live_server, smtp_inbox, settings):  # noqa: F811
    settings.TANDEM_BASE_URL = live_server.url
    tenant = make_tenant(name="华筑机电工程有限公司")
    service = make_member(tenant, "service", display_name="赵静")
    pm = make_member(tenant, "pm", display_name="周工")
    account = make_account(tenant, service.user, name="上海浦东建设有限公司")
    make_contact(tenant, service.user, account, primary=True, name="李经理", email="li@pudong.example.com")
    project = make_project(tenant, member=pm, name="浦东园区弱电改造")
    project.account_id = account.pk
    project.save(update_fields=["account_id"])
    survey_send(access=access_for(service), account=account, project=project)
    [envelope] = smtp_inbox.envelopes
    text = received_email(envelope).get_body(("plain",)).get_content()
    link = re.search(r"https?://\S+/s/[^/\s]+/", text).group(0)
    assert link.startswith(live_server.url)

    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    page.goto(link)
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_text("浦东园区弱电改造").first.wait_for()
    # Keyboard and screen reader: the score is a labelled radio group.
    page.click("label[for=score-4]")
    nps = page.get_by_role("group", name="您有多大可能向朋友或同事推荐我们？")
    assert nps.get_by_label("4", exact=True).is_checked()
    page.fill("#comment", "<script>alert(1)</script>工期拖了两周")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "survey-answer-390.png"), full_page=True)
    page.get_by_role("button", name="提交答复").click()
    page.get_by_role("heading", name="谢谢").wait_for()
    page.screenshot(path=str(SCREENSHOTS / "survey-thanks-390.png"))
    response = SurveyResponse.objects.get()
    assert response.score == 4 and response.comment.startswith("<script>")

    page.goto(link)
    page.get_by_role("heading", name="您已经答复过了").wait_for()
    assert page.locator("form").count() == 0
    page.goto(link[:-3] + "zz/")
    page.get_by_role("heading", name="该链接无效").wait_for()
    assert SurveyResponse.objects.count() == 1
    context.close()
