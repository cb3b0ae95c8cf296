"""The behaviours that used to be inline handlers, under the real Content-Security-Policy (script-src 'self').

The CSP blocks inline ``onsubmit``/``onchange``/``onclick`` attributes, so the webhook endpoint's delete
confirmation, its delivery-log filter and the iCalendar link's copy button only work through app.js's
``data-confirm``, ``data-autosubmit`` and ``data-copy``. Each test drives one of them in Chinese and checks
that the browser reported no CSP violation.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser]

CSP = "Content Security Policy"


def assert_clean(web) -> None:
    assert not web.problems, "browser reported problems:\n" + "\n".join(web.problems)


def watch_csp(web) -> list[str]:
    """Console messages about the Content-Security-Policy (Chromium reports every refused script there)."""
    violations: list[str] = []
    web.page.on("console", lambda message: CSP in message.text and violations.append(message.text))
    return violations


def demo_admin_access():
    from tandem.accounts.models import Membership
    from tandem.testing.kit import access_for

    return access_for(Membership.objects.get(tenant__slug="demo", user__username="admin"))


@pytest.fixture
def endpoint(demo_data):
    """An endpoint of the demo tenant, made by the service as the form does."""
    from tandem.automation.webhooks import services

    return services.endpoint_create(
        access=demo_admin_access(),
        url="https://erp.example.com/hooks/tandem",
        event_types=["crm.deal.won", "projects.*"],
        description="金蝶 ERP",
    )


@pytest.fixture
def deliveries(endpoint) -> dict[str, list[int]]:
    """Five deliveries in the endpoint's log, newest first: two delivered, one failed, one retrying, one pending
    (ids by status)."""
    from datetime import timedelta

    from django.utils import timezone

    from tandem.automation.models import DeliveryStatus, WebhookDelivery
    from tandem.automation.webhooks import signing

    now = timezone.now()
    rows = [
        ("crm.deal.won", DeliveryStatus.SUCCEEDED, 1),
        ("projects.project.created", DeliveryStatus.SUCCEEDED, 1),
        ("projects.task.completed", DeliveryStatus.FAILED, 8),
        ("projects.milestone.reached", DeliveryStatus.RETRYING, 2),
        ("crm.deal.won", DeliveryStatus.PENDING, 0),
    ]
    by_status: dict[str, list[int]] = {}
    for minutes, (event_name, status, attempts) in enumerate(rows):
        delivery = WebhookDelivery.objects.create(
            tenant_id=endpoint.tenant_id,
            endpoint=endpoint,
            event_name=event_name,
            message_id=signing.new_message_id(),
            payload={"n": minutes},
            status=status,
            attempts=attempts,
            # Nothing is due: no worker picks these up while the page is open.
            next_attempt_at=now + timedelta(days=1) if status in ("pending", "retrying") else None,
            created_at=now - timedelta(minutes=minutes),
        )
        by_status.setdefault(status, []).append(delivery.pk)
    return by_status


def delivery_rows(page):
    return page.locator("#delivery-table tbody tr[id^='delivery-']")


def shown_delivery_ids(page) -> set[int]:
    ids = page.eval_on_selector_all("#delivery-table tbody tr[id^='delivery-']", "rows => rows.map(r => r.id)")
    return {int(row_id.removeprefix("delivery-")) for row_id in ids}


def test_deleting_a_webhook_endpoint_asks_first(web, endpoint, deliveries):
    from django.utils import translation

    from tandem.automation.models import WebhookDelivery, WebhookEndpoint

    with translation.override("zh-hans"):
        question = translation.gettext("Delete this endpoint and its delivery log?")
    violations = watch_csp(web)
    page = web.page
    web.sign_in("admin")
    web.goto(f"/automation/webhooks/{endpoint.pk}/")
    expect(page.locator("#webhook-url")).to_have_text(endpoint.url)
    web.shot("csp-01-webhook-detail-zh")

    # Dismissed: the form is not sent and the endpoint stays, log and all.
    asked: list[str] = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.click("#webhook-delete")
    assert asked == [question], "no confirmation was asked"
    expect(page.locator("#webhook-delete")).to_be_visible()
    assert web.path() == f"/automation/webhooks/{endpoint.pk}/"
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
    assert WebhookDelivery.objects.filter(endpoint_id=endpoint.pk).count() == 5

    # Accepted: the service deletes the endpoint with its delivery log and the list says so.
    def accept(dialog):
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    with page.expect_navigation():
        page.click("#webhook-delete")
    assert asked == [question, question]
    assert web.path() == "/automation/webhooks/"
    expect(page.locator(".alert-success")).to_contain_text(endpoint.url)
    web.shot("csp-02-webhook-deleted-zh")
    assert not WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
    assert not WebhookDelivery.objects.filter(endpoint_id=endpoint.pk).exists()
    assert violations == []
    assert_clean(web)


def test_the_delivery_log_filter_reloads_the_list(web, endpoint, deliveries):
    violations = watch_csp(web)
    page = web.page
    web.sign_in("admin")
    web.goto(f"/automation/webhooks/{endpoint.pk}/")
    expect(delivery_rows(page)).to_have_count(5)

    for status in ("failed", "succeeded", "retrying", "pending"):
        with page.expect_navigation():
            page.select_option("select[name=status]", status)
        assert web.path() == f"/automation/webhooks/{endpoint.pk}/?status={status}"
        expect(delivery_rows(page)).to_have_count(len(deliveries[status]))
        assert shown_delivery_ids(page) == set(deliveries[status])
        expect(page.locator("select[name=status]")).to_have_value(status)
        if status == "failed":
            expect(delivery_rows(page).first.locator(".badge")).to_have_text("失败")
            web.shot("csp-03-webhook-log-failed-zh")

    with page.expect_navigation():
        page.select_option("select[name=status]", "")
    assert web.path() == f"/automation/webhooks/{endpoint.pk}/?status="
    expect(delivery_rows(page)).to_have_count(5)
    assert violations == []
    assert_clean(web)


def test_the_copy_button_copies_the_calendar_feed_link(web, live_server):
    from tandem.accounts.models import Membership
    from tandem.projects.models import CalendarFeedKey, Project
    from tandem.projects.services import feeds
    from tandem.testing.kit import access_for

    project = Project.objects.get(tenant__slug="demo", code="DEMO-XM-01")
    pm = Membership.objects.get(tenant__slug="demo", user__username="pm")
    web.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    violations = watch_csp(web)
    page = web.page
    web.sign_in("pm")
    web.goto(f"/projects/{project.pk}/calendar-feed/")
    with page.expect_navigation():
        page.click("#feed-create")
    assert CalendarFeedKey.objects.filter(project=project, user__username="pm").exists()

    feed_url = page.input_value("#feed-url")
    token = feeds.calendar_feed_token(access=access_for(pm), project=project)
    assert feed_url == f"{live_server.url}/projects/{project.pk}/calendar.ics?token={token}"
    page.evaluate("navigator.clipboard.writeText('')")
    page.click("#feed-copy")
    # The clipboard icon turns into a check mark once the link is on the clipboard.
    expect(page.locator("#feed-copy i")).to_have_class(re.compile(r"\bbi-clipboard-check\b"))
    assert page.evaluate("navigator.clipboard.readText()") == feed_url
    web.shot("csp-04-calendar-link-copied-zh")
    expect(page.locator("#feed-copy i")).to_have_class(re.compile(r"\bbi-clipboard\b(?!-)"))

    # What was copied is a working feed.
    response = web.context.request.get(feed_url)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert response.text().startswith("BEGIN:VCALENDAR")
    assert violations == []
    assert_clean(web)
