"""The NPS page and the account's health panel in a real browser, at desktop and phone width, with screenshots."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from e2e.conftest import DESKTOP, BrowserSession
from tandem.crm.models import Contract, PaymentMilestone
from tandem.crm.tests.factories import make_account, make_contact
from tandem.feedback.choices import RecoveryStatus, RequestPriority
from tandem.feedback.models import Recovery, ServiceRequest
from tandem.feedback.services.health import health_compute
from tandem.feedback.tests.selectors.test_insights import answer, survey
from tandem.projects.models import Project
from tandem.projects.tests.factories import make_project
from tandem.testing.kit import PASSWORD, make_member, make_tenant

PHONE = {"width": 390, "height": 844}


def _seed():
    """Four quarters of answers from two PMs on three kinds of project, detractors with and without recovery."""
    tenant = make_tenant(name="华筑机电工程有限公司")
    service = make_member(tenant, "service", display_name="赵静")
    pm = make_member(tenant, "pm", display_name="周工")
    pm2 = make_member(tenant, "pm", display_name="吴工")
    account = make_account(tenant, service.user, name="上海浦东建设有限公司", tier="vip")
    contact = make_contact(tenant, service.user, account, primary=True, name="李经理", email="li@pudong.example.com")
    project = make_project(tenant, member=pm, name="浦东园区弱电改造")
    Project.objects.filter(pk=project.pk).update(
        account_id=account.pk, contract_finish=timezone.localdate() - timedelta(days=12)
    )
    project.refresh_from_db()

    crew = SimpleNamespace(tenant=tenant, account=account, contact=contact, project=project)
    today = timezone.localdate()
    start = today - timedelta(days=330)
    rows = [
        (10, pm, "installation", "vip"),
        (9, pm, "retrofit", "a"),
        (3, pm2, "installation", "b"),
        (8, pm2, "maintenance", "vip"),
        (10, pm, "retrofit", "a"),
        (6, pm2, "retrofit", "vip"),
        (9, pm, "installation", "vip"),
        (2, pm2, "maintenance", "b"),
        (10, pm, "installation", "a"),
        (7, pm, "retrofit", "vip"),
    ]
    answers = []
    for i, (score, manager, kind, tier) in enumerate(rows):
        when = timezone.make_aware(
            timezone.datetime.combine(start + timedelta(days=33 * i), timezone.datetime.min.time())
        )
        comment = (
            "<script>alert(1)</script>工期拖了两周，现场沟通不及时，希望下次能提前通知停电时间。" if score <= 6 else ""
        )
        answers.append(answer(crew, score, when, manager=manager.user, project_type=kind, tier=tier, comment=comment))
    survey(crew, timezone.now() - timedelta(days=20))
    Recovery.objects.create(
        tenant=tenant,
        response=answers[2],
        account=account,
        status=RecoveryStatus.CLOSED,
        closed_at=answers[2].submitted_at + timedelta(days=6),
    )
    Recovery.objects.create(tenant=tenant, response=answers[7], account=account, status=RecoveryStatus.OPEN)
    ServiceRequest.objects.create(
        tenant=tenant,
        owner=service.user,
        account=account,
        subject="机房断电",
        priority=RequestPriority.URGENT,
        opened_at=timezone.now(),
    )
    contract = Contract.objects.create(
        tenant=tenant,
        owner=service.user,
        account=account,
        name="弱电改造合同",
        amount=Decimal("200000"),
        status="signed",
    )
    PaymentMilestone.objects.create(
        tenant=tenant,
        contract=contract,
        name="进度款",
        amount=Decimal("80000"),
        due_on=today - timedelta(days=15),
        created_by=service.user,
    )
    account.last_activity_at = timezone.now() - timedelta(days=30)
    account.save(update_fields=["last_activity_at"])
    health_compute(account)
    return service, account


def _open(browser, live_server, viewport) -> BrowserSession:
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    context.set_default_timeout(15_000)
    return BrowserSession(context, live_server.url)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_nps_page_and_the_health_panel_on_desktop_and_phone(browser, live_server):
    service, account = _seed()
    for name, viewport in (("1280", DESKTOP), ("390", PHONE)):
        web = _open(browser, live_server, viewport)
        web.page.on("dialog", lambda dialog: web.problems.append(f"dialog: {dialog.message}"))
        web.sign_in(service.user.username, PASSWORD)
        web.goto("/feedback/nps/")
        web.page.locator("#nps-chart canvas").first.wait_for()
        assert web.page.locator("#kpi-responses").inner_text().strip() == "10"
        assert web.page.locator("#detractors li").count() == 3
        assert web.page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        web.shot(f"nps-{name}")
        web.goto(f"/crm/accounts/{account.pk}/")
        web.page.locator("#health-panel #health-factors").wait_for()
        assert web.page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        web.page.locator("#health-panel").scroll_into_view_if_needed()
        target = web.shot(f"account-health-{name}")
        web.page.locator("#health-panel").screenshot(path=str(target.with_name(f"health-panel-{name}.png")))
        web.goto("/feedback/settings/")
        web.page.locator("#sla-table").wait_for()
        assert web.page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        web.shot(f"feedback-settings-{name}")
        assert web.problems == [], web.problems
        web.context.close()
