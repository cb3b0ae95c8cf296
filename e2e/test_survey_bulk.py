"""The survey editor, the bulk send and a batch's progress in a real browser, at desktop and phone width."""

from __future__ import annotations

import pytest

from e2e.conftest import DESKTOP, SCREENSHOTS
from tandem.automation.tests.channels_support import smtp_inbox  # noqa: F401
from tandem.crm.tests.factories import make_account, make_contact
from tandem.feedback.choices import BatchStatus, SurveyStatus
from tandem.feedback.models import Survey, SurveyBatch, SurveyOptOut
from tandem.feedback.services.templates import template_default
from tandem.testing.kit import PASSWORD, make_member, make_tenant

PHONE = {"width": 390, "height": 844}


def _sign_in(browser, live_server, viewport, username):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("#sign-in")
    return context, page, problems


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"


@pytest.mark.django_db(transaction=True)
def test_editor_bulk_send_and_batch_progress(browser, live_server, smtp_inbox, settings):  # noqa: F811
    settings.TANDEM_BASE_URL = live_server.url
    tenant = make_tenant(name="华筑机电工程有限公司")
    service = make_member(tenant, "service", username="zhaojing", display_name="赵静")
    for i in range(6):
        account = make_account(tenant, service.user, name=f"华东区客户{i}有限公司", tags=["华东"], tier="key")
        email = "" if i == 4 else f"c{i}@example.com"
        make_contact(tenant, service.user, account, primary=True, name=f"联系人{i}", email=email)
    SurveyOptOut.objects.create(tenant=tenant, address="c5@example.com")
    template = template_default(tenant_id=tenant.pk, language="zh-hans")

    for viewport, suffix in ((DESKTOP, "1280"), (PHONE, "390")):
        context, page, problems = _sign_in(browser, live_server, viewport, "zhaojing")
        # The editor: add a choice question, the preview frame follows.
        page.goto(f"{live_server.url}/feedback/templates/{template.pk}/")
        frame = page.frame_locator("#template-preview")
        frame.locator(".nps-scale").wait_for()
        page.click("#add-question")
        row = page.locator(".question-row").last
        row.locator("select").select_option("choice")
        row.locator("input[type=text]").fill("您会再次选择我们吗？")
        row.locator("textarea").fill("会\n不会\n不确定")
        frame.get_by_text("您会再次选择我们吗？").last.wait_for()
        frame.get_by_text("不确定").last.wait_for()
        page.wait_for_timeout(1500)  # the last refresh of the preview has landed
        frame.get_by_text("不确定").last.wait_for()
        _fits(page, viewport["width"])
        page.screenshot(path=str(SCREENSHOTS / f"survey-editor-{suffix}.png"), full_page=True)
        preview = page.locator("#template-preview")
        preview.scroll_into_view_if_needed()
        preview.screenshot(path=str(SCREENSHOTS / f"survey-editor-preview-{suffix}.png"))
        if suffix == "1280":
            page.click("#save")
            page.wait_for_url("**/feedback/templates/")
            template.refresh_from_db()
            assert template.questions[-1]["choices"] == ["会", "不会", "不确定"]

        # The bulk page: the count follows the filters.
        page.goto(f"{live_server.url}/feedback/surveys/bulk/")
        page.fill("input[name=tag]", "华东")
        page.locator("#bulk-count strong", has_text="6").wait_for()
        _fits(page, viewport["width"])
        page.screenshot(path=str(SCREENSHOTS / f"survey-bulk-{suffix}.png"), full_page=True)
        if suffix == "1280":
            page.once("dialog", lambda dialog: dialog.accept())
            page.click("#bulk-submit")
            page.wait_for_url("**/feedback/surveys/batches/*/")
            page.locator("#batch-status", has_text="已完成").wait_for()
            assert page.locator("#count-sent").inner_text() == "4"
            assert page.locator("#count-skipped").inner_text() == "2"
            assert len(smtp_inbox.envelopes) == 4
            page.screenshot(path=str(SCREENSHOTS / "survey-batch-done-1280.png"), full_page=True)

        # A batch still sending: the bar polls every 2 s and stops once it is done.
        running = SurveyBatch.objects.create(
            tenant=tenant, created_by=service.user, template=template, status=BatchStatus.RUNNING, total=6, sent=2
        )
        page.goto(f"{live_server.url}/feedback/surveys/batches/{running.pk}/")
        page.locator("#batch-status", has_text="发送中").wait_for()
        _fits(page, viewport["width"])
        page.screenshot(path=str(SCREENSHOTS / f"survey-batch-running-{suffix}.png"), full_page=True)
        first = Survey.objects.filter(tenant=tenant).first()
        Survey.objects.create(
            tenant=tenant,
            template=template,
            account=first.account,
            contact=first.contact,
            batch=running,
            language="zh-hans",
            status=SurveyStatus.FAILED,
            error="550 mailbox unavailable",
        )
        SurveyBatch.objects.filter(pk=running.pk).update(status=BatchStatus.DONE, sent=5, failed=1)
        page.locator("#batch-status", has_text="已完成").wait_for(timeout=6000)
        page.get_by_text("550 mailbox unavailable").wait_for()
        assert page.locator("#batch-progress[hx-trigger]").count() == 0
        page.screenshot(path=str(SCREENSHOTS / f"survey-batch-finished-{suffix}.png"), full_page=True)

        # The log: every survey, the skipped ones with their reason, no links.
        page.goto(f"{live_server.url}/feedback/surveys/")
        page.locator("#survey-log").get_by_text("该联系人已退订调查").first.wait_for()
        assert "/s/" not in page.content()
        _fits(page, viewport["width"])
        page.screenshot(path=str(SCREENSHOTS / f"survey-log-{suffix}.png"), full_page=True)
        page.goto(f"{live_server.url}/feedback/templates/")
        _fits(page, viewport["width"])
        page.screenshot(path=str(SCREENSHOTS / f"survey-templates-{suffix}.png"), full_page=True)
        assert not problems, problems
        context.close()
