"""The project form and the holiday import in a real browser, on the demo data, in Chinese, at desktop width and on
a phone: choosing 已完成 with open tasks opens the warning and asks why; the customer and deal are search boxes
and the deal follows the customer; a year of holidays is imported from a CSV after a preview."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.test_csp_handlers import assert_clean, watch_csp

pytestmark = [pytest.mark.browser]

PHONE = {"width": 390, "height": 844}


def demo_project():
    from tandem.projects.models import Project

    return Project.objects.filter(tenant__slug="demo").order_by("pk").first()


def account_with_deals():
    from django.db.models import Count

    from tandem.crm.models import Account

    return Account.objects.filter(tenant__slug="demo").annotate(n=Count("deals")).filter(n__gt=0).order_by("pk").first()


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_completing_asks_why_and_the_customer_and_deal_are_searched(session_factory, viewport):
    web = session_factory(viewport=viewport)
    violations = watch_csp(web)
    page = web.page
    web.sign_in("admin")
    project, account = demo_project(), account_with_deals()
    web.goto(f"/projects/{project.pk}/edit/")
    panel = page.locator("#completion-panel")
    expect(panel).to_be_hidden()
    page.select_option("#id_status", "completed")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("项任务")

    page.fill("#id_account", account.name[:4])
    option = page.locator("[data-picker-menu] .dropdown-item", has_text=account.name).first
    expect(option).to_be_visible()
    web.shot(f"projects-form-account-search-{'phone' if viewport else 'desktop'}")
    option.dispatch_event("mousedown")
    expect(page.locator("#id_account")).to_have_value(account.name)
    page.click("#id_deal")
    deals = page.locator("[data-picker-menu]").nth(1).locator(".dropdown-item")
    expect(deals.first).to_be_visible()
    assert all(account.name in hint for hint in deals.locator("small").all_inner_texts())
    deals.first.dispatch_event("mousedown")
    # The demo project's contract is the old customer's: it goes with the customer.
    page.select_option("#id_contract", "")

    with page.expect_navigation():
        page.click("#save")
    expect(page.locator("#completion-panel .invalid-feedback")).to_be_visible()
    expect(panel).to_be_visible()
    web.shot(f"projects-form-completion-refused-{'phone' if viewport else 'desktop'}")
    page.fill("#id_completion_reason", "业主要求提前移交，剩余收尾工作转入维保合同")
    with page.expect_navigation():
        page.click("#save")
    expect(page.locator("#status-updates")).to_contain_text("剩余收尾工作转入维保合同")
    project.refresh_from_db()
    assert project.status == "completed" and project.account_id == account.pk and project.deal_id is not None
    assert not violations
    assert_clean(web)


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_a_year_of_holidays_is_imported_from_a_csv_after_a_preview(session_factory, viewport, tmp_path):
    from tandem.calendars.models import CalendarException

    web = session_factory(viewport=viewport)
    page = web.page
    web.sign_in("admin")
    project = demo_project()
    web.goto(f"/projects/{project.pk}/")
    expect(page.locator("#holiday-gap")).to_contain_text("2027 年")
    page.click("#holiday-import-link")
    notice = tmp_path / "2027年节假日.csv"
    notice.write_text(
        "日期,名称,类型\n2027-01-01~2027-01-03,元旦,休\n2027-02-05~2027-02-11,春节,休\n2027-02-14,春节调休,班\n",
        encoding="utf-8",
    )
    page.set_input_files("#id_file", str(notice))
    with page.expect_navigation():
        page.click("#holiday-preview")
    expect(page.locator("#holiday-plan")).to_contain_text("2027")
    expect(page.locator("#holiday-plan-table tbody tr")).to_have_count(11)
    web.shot(f"calendars-holiday-preview-{'phone' if viewport else 'desktop'}")
    with page.expect_navigation():
        page.click("#holiday-import")
    expect(page.locator("#imported-note")).to_be_visible()
    expect(page.locator("#holiday-coverage")).to_contain_text("2027")
    assert CalendarException.objects.filter(calendar=project.calendar, date__year=2027, source="file").count() == 11
    web.goto(f"/projects/{project.pk}/")
    expect(page.locator("#key-dates")).to_be_visible()
    if project.scheduled_finish.year <= 2027:
        expect(page.locator("#holiday-gap")).to_have_count(0)
    assert_clean(web)
