"""Service requests in the browser, in Chinese, under the real Content-Security-Policy: the list with its late
rows in red, the board where a card dragged on moves the request (resolving asks how, a move the status machine
refuses puts the card back with the server's words), and the request page — at desktop width and on a phone.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from e2e.test_boards import count, drag, refusals_only, shown, zh
from e2e.test_csp_handlers import watch_csp
from e2e.test_phone_layout import PHONE, layout_problems, report

pytestmark = [pytest.mark.browser]

DESKTOP = {"width": 1280, "height": 860}


def seed():
    """Three requests of a demo account, opened by the service agent: one late, one new, one resolved."""
    from django.utils import timezone

    from tandem.accounts.models import Membership
    from tandem.crm.models import Account
    from tandem.feedback.services.requests import request_create, request_transition
    from tandem.projects.models import Project
    from tandem.testing.kit import access_for

    agent = Membership.objects.get(tenant__slug="demo", user__username="service")
    access = access_for(agent)
    project = Project.objects.filter(tenant=agent.tenant, account_id__isnull=False).order_by("id").first()
    account = Account.objects.get(pk=project.account_id)
    late = request_create(
        access=access,
        account=account,
        subject="机房精密空调漏水，需上门检修",
        priority="urgent",
        category="fault",
        description="客户反映三楼机房空调漏水。<script>alert('x')</script>",
        opened_at=timezone.now() - timedelta(days=6),
        owner=agent.user,
    )
    fresh = request_create(access=access, account=account, subject="门禁系统离线咨询", channel="wechat")
    done = request_create(access=access, account=account, subject="发票抬头更正", priority="low")
    request_transition(access=access, request=done, status="resolved", resolution="已重新开具发票")
    return late, fresh, done


def status_of(pk: int) -> str:
    from tandem.feedback.models import ServiceRequest

    return ServiceRequest.objects.get(pk=pk).status


def column(page, status: str):
    return page.locator(f"[data-board-column={status}]")


def move(page, pk: int, source: str, target: str) -> None:
    """Scroll the board so both columns show (six columns are wider than the screen), then drag the card."""
    page.evaluate(
        """([a, b]) => {
          const board = document.querySelector('#kanban');
          const lefts = [a, b].map(s => document.querySelector(`[data-board-column=${s}]`)
            .getBoundingClientRect().left);
          board.scrollLeft += Math.min(...lefts) - board.getBoundingClientRect().left;
        }""",
        [source, target],
    )
    card = column(page, source).locator(f"#request-card-{pk}")
    drag(page, card, column(page, target).locator("[data-board-cards]"), grip=".request-account")


def test_the_list_board_and_request_page_at_desktop_width(session_factory):
    late, fresh, done = seed()
    web = session_factory(viewport=DESKTOP)
    violations = watch_csp(web)
    page = web.page
    web.sign_in("service")

    web.goto("/feedback/requests/")
    row = page.locator(f"tr[data-request='{late.pk}']")
    expect(row).to_have_class("table-danger")
    expect(row.locator("[data-deadline=overdue]").first).to_be_visible()
    expect(page.locator(f"tr[data-request='{fresh.pk}']")).not_to_have_class("table-danger")
    page.check("#filter-overdue")
    expect(page.locator(f"tr[data-request='{fresh.pk}']")).to_have_count(0)
    expect(row).to_be_visible()
    web.shot("requests-01-list")

    web.goto("/feedback/requests/board/")
    toast = page.locator("#board-toast")
    before_new, before_working = count(column(page, "new")), count(column(page, "in_progress"))
    move(page, fresh.pk, "new", "in_progress")
    expect(toast).to_have_class(re.compile(r"\btext-bg-success\b"), timeout=15_000)
    expect(column(page, "in_progress").locator(f"#request-card-{fresh.pk}")).to_be_visible()
    expect(column(page, "new").locator("[data-board-count]")).to_have_text(str(before_new - 1))
    expect(column(page, "in_progress").locator("[data-board-count]")).to_have_text(str(before_working + 1))
    assert status_of(fresh.pk) == "in_progress"

    # Resolving asks how; the answer goes with the move.
    move(page, fresh.pk, "in_progress", "resolved")
    modal = page.locator("#resolve-modal")
    expect(modal).to_be_visible()
    page.click("#resolve-confirm")
    expect(page.locator("#board-resolution")).to_have_class(re.compile(r"\bis-invalid\b"))
    page.fill("#board-resolution", "远程重启门禁控制器后恢复")
    page.click("#resolve-confirm")
    expect(modal).to_be_hidden()
    expect(page.locator(".modal-backdrop")).to_have_count(0)  # a drag started while it fades would hit it
    expect(column(page, "resolved").locator(f"#request-card-{fresh.pk}")).to_be_visible()
    assert status_of(fresh.pk) == "resolved"

    # A resolved request is closed or reopened, not put back to wait: the server refuses, the card returns.
    move(page, done.pk, "resolved", "waiting")
    expect(toast).to_have_class(re.compile(r"\btext-bg-danger\b"), timeout=15_000)
    expect(toast).to_contain_text(zh("Waiting for customer"))
    expect(column(page, "resolved").locator(f"#request-card-{done.pk}")).to_be_visible()
    expect(column(page, "waiting").locator(f"#request-card-{done.pk}")).to_have_count(0)
    assert status_of(done.pk) == "resolved"
    shown(toast)
    web.shot("requests-02-board")

    web.goto(f"/feedback/requests/{late.pk}/")
    expect(page.locator("#overdue-badge")).to_be_visible()
    expect(page.locator("#description")).to_contain_text("<script>alert('x')</script>")
    expect(page.locator("#files [data-empty]")).to_be_visible()  # the record's files load from the API
    page.click("#to-in_progress")
    expect(page.locator(".alert-success, .toast").first).to_be_visible()
    assert status_of(late.pk) == "in_progress"
    web.shot("requests-03-detail")

    # The form's project choices follow the account picked.
    from tandem.projects.models import Project

    project = Project.objects.filter(account_id=late.account_id).order_by("id").first()
    web.goto("/feedback/requests/new/")
    expect(page.locator("#id_project option", has_text=project.name)).to_have_count(0)
    page.fill("#id_account", late.account.name[:4])
    page.locator("[data-picker-menu] .dropdown-item", has_text=late.account.name).first.click()
    expect(page.locator("#id_project option", has_text=project.name)).to_have_count(1, timeout=15_000)
    assert violations == []
    refusals_only(web, f"/feedback/requests/{done.pk}/transition/", 400)


def test_the_pages_fit_a_phone(session_factory):
    late, _fresh, _done = seed()
    web = session_factory(viewport=PHONE)
    page = web.page
    web.sign_in("service")
    problems = []
    for name, path in (
        ("list", "/feedback/requests/"),
        ("board", "/feedback/requests/board/"),
        ("detail", f"/feedback/requests/{late.pk}/"),
        ("form", "/feedback/requests/new/"),
    ):
        web.goto(path)
        page.wait_for_load_state("networkidle")
        problems += layout_problems(page, path)
        web.shot(f"requests-phone-{name}")
    assert not problems, report(problems)
    # The board scrolls sideways inside itself, not the page.
    web.goto("/feedback/requests/board/")
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.querySelector('#kanban').scrollWidth]"
    )
    assert widths[0] <= PHONE["width"] < widths[1]
