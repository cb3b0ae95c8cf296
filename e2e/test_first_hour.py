"""The first hour as a user meets it, in each demo tenant: the salesperson wins a deal on the kanban → the
project page shows the customer, contacts and budget to the PM → the salesperson signs the contract → the
project shows it and its value → the salesperson opens the project from their notice (links on the server's
own host and port) → winning the deal again sends nothing new."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from e2e.test_crm import WIDE, assert_clean, column, drag

pytestmark = [pytest.mark.browser]

TENANTS = {
    # tenant slug, tenant label in the switcher (None: the member's first tenant)
    "zh": ("demo", None),
    "en": ("northwind", "Northwind Engineering Ltd."),
}


def open_deal_on_the_board(tenant_slug: str):
    """An open deal of the salesperson's, in the first stage, with a customer contact."""
    from tandem.crm.models import Deal

    return (
        Deal.objects.filter(
            tenant__slug=tenant_slug,
            owner__username="sales",
            status="open",
            stage__order=1,
            contact__isnull=False,
        )
        .select_related("stage", "account", "contact")
        .order_by("id")
        .first()
    )


def move(page, deal_id: int, stage_name: str) -> None:
    """Drag the deal's card onto a stage and wait for the server to answer the move."""
    card = page.locator(f"#deal-card-{deal_id}")
    with page.expect_response(lambda r: f"/crm/deals/{deal_id}/move/" in r.url and r.request.method == "POST"):
        drag(page, card, column(page, stage_name).locator(".kanban-cards"))
    expect(column(page, stage_name).locator(f"#deal-card-{deal_id}")).to_be_visible()


def sign_in(session_factory, username: str, switch_to: str | None, locale: str):
    web = session_factory(viewport=WIDE, locale=locale)
    web.sign_in(username)
    # A member of one tenant has no switcher; a member of both starts in the first.
    if switch_to and web.page.locator("#tenant-switch").count():
        with web.page.expect_navigation():
            web.page.select_option("#tenant-switch", label=switch_to)
    return web


@pytest.mark.parametrize("language", ["zh", "en"])
def test_first_hour_from_won_deal_to_signed_contract(session_factory, live_server, language, contract_approval_off):
    from tandem.crm.models import Stage
    from tandem.notifications.models import Notification
    from tandem.projects.models import Project

    slug, label = TENANTS[language]
    locale = "zh-CN" if language == "zh" else "en-US"
    with override_settings(TANDEM_BASE_URL=live_server.url):
        deal = open_deal_on_the_board(slug)
        assert deal is not None, "the demo data has an open deal to win"
        won_stage = Stage.objects.get(pipeline_id=deal.pipeline_id, is_won=True)
        sales = sign_in(session_factory, "sales", label, locale)
        page = sales.page

        # 1. Win the deal on the kanban: the rule makes the project.
        sales.goto("/crm/deals/board/")
        move(page, deal.pk, won_stage.name)
        project = Project.objects.get(tenant__slug=slug, deal_id=deal.pk)
        assert project.budget == deal.amount and deal.contact_id in project.contact_ids
        pm = project.owner
        sales.shot(f"first-hour-{language}-01-won")

        # 2. The PM sees the customer side: account, contacts, the deal, its amount as the budget.
        pm_web = sign_in(session_factory, pm.username, label, locale)
        pm_web.goto(f"/projects/{project.pk}/")
        customer = pm_web.page.locator("#project-customer")
        expect(customer).to_contain_text(deal.account.name)
        expect(pm_web.page.locator("#customer-contacts")).to_contain_text(deal.contact.name)
        expect(pm_web.page.locator("#customer-deal")).to_contain_text(deal.number)
        expect(pm_web.page.locator("#project-budget")).to_contain_text(f"{deal.amount:,.2f}")
        expect(pm_web.page.locator("#customer-contract")).not_to_contain_text(f"{deal.amount - 10000:,.2f}")
        pm_web.shot(f"first-hour-{language}-02-pm-project")

        # 3. The salesperson writes the contract (a lower amount) and signs it: the project takes it.
        sales.goto(f"/crm/deals/{deal.pk}/")
        with page.expect_navigation():
            page.click("#new-contract")
        amount = deal.amount - 10000
        page.fill("#id_amount", str(amount))
        page.fill("#id_signed_on", "2026-12-01")
        page.fill("#id_end_on", "2027-09-30")
        with page.expect_navigation():
            page.click("#save")
        with page.expect_navigation():
            page.click("#sign")
        project.refresh_from_db()
        assert project.contract_id is not None and project.budget == amount
        pm_web.goto(f"/projects/{project.pk}/")
        expect(pm_web.page.locator("#contract-amount")).to_contain_text(f"{amount:,.2f}")
        expect(pm_web.page.locator("#project-budget")).to_contain_text(f"{amount:,.2f}")
        pm_web.shot(f"first-hour-{language}-03-contract-linked")

        # 4. The salesperson's notice links to the project on this server, and the project opens for them.
        notice = Notification.objects.filter(recipient__username="sales", url__contains=f"/projects/{project.pk}/")
        assert notice.count() == 1
        links = re.findall(r"https?://[^\s)]+", notice.get().body)
        assert links and all(link.startswith(live_server.url) for link in links), links
        page.goto(links[0])
        expect(page.locator("#project-customer")).to_contain_text(deal.account.name)
        assert "403" not in page.title()
        sales.shot(f"first-hour-{language}-04-sales-opens-project")

        # 5. Winning the same deal again (reopen, win) makes no project and sends nothing new.
        before = Notification.objects.filter(recipient__in=[pm, deal.owner]).count()
        first_stage = Stage.objects.filter(pipeline_id=deal.pipeline_id, order=1).get()
        sales.goto("/crm/deals/board/")
        move(page, deal.pk, first_stage.name)
        move(page, deal.pk, won_stage.name)
        assert Project.objects.filter(deal_id=deal.pk).count() == 1
        assert Notification.objects.filter(recipient__in=[pm, deal.owner]).count() == before
        assert_clean(sales)
        assert_clean(pm_web)
