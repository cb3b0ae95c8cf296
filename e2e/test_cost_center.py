"""The budget view in the browser, in Chinese: the PM opens a demo project's budget (the hand-computed lines of
`tandem/finance/tests/view_fixtures.py`), switches the grouping to cost type, drills into a committed cell (the
records open in a modal), and reads the same page on a phone (390 px), where the table scrolls sideways inside
its frame with the first column kept in view."""

from __future__ import annotations

import pytest

from e2e.test_phone_layout import PHONE, layout_problems, report

pytestmark = [pytest.mark.browser]


def _seeded_project():
    from tandem.accounts.models import Membership
    from tandem.finance.models import (
        BudgetModification,
        ChangeOrder,
        Commitment,
        CostAlert,
        CostRecord,
        CostSnapshot,
        ProjectBudget,
    )
    from tandem.finance.tests.view_fixtures import seed_budget
    from tandem.projects.models import Project

    member = Membership.objects.get(tenant__slug="demo", user__username="pm")
    project = Project.objects.filter(tenant=member.tenant, owner=member.user).order_by("id").first()
    assert project is not None, "the demo PM runs projects"
    # The demo's own money on the project gives way to the hand-computed lines.
    for model in (CostRecord, Commitment, ChangeOrder, BudgetModification, CostAlert, CostSnapshot, ProjectBudget):
        model.objects.filter(project=project).delete()
    return seed_budget(project, member)


def test_budget_view_grouping_and_drill_down_in_chinese(session_factory):
    seeded = _seeded_project()
    web = session_factory()
    web.sign_in("pm")
    web.goto(f"/finance/projects/{seeded.project.pk}/budget/")
    assert web.html_lang().lower().startswith("zh")
    table = web.page.locator("#budget-table")
    assert table.get_attribute("data-group") == "code"
    total = web.page.locator('tr[data-group="total"] td[data-column="ecac"]')
    assert total.get_attribute("data-value") == "38050.00"
    over = web.page.locator(f'tr[data-line="{seeded.l1.pk}"] td[data-column="over_under"]')
    assert "text-danger" in (over.get_attribute("class") or "")
    assert web.page.locator("#card-margin-percent").inner_text().strip() == "32.05%"
    web.shot("finance-budget-by-code")

    with web.page.expect_navigation():
        web.page.click("#group-type")
    assert web.page.locator("#budget-table").get_attribute("data-group") == "type"
    assert web.page.locator('tr[data-group="labor"]').count() == 1
    assert web.page.locator('tr[data-group="total"] td[data-column="ecac"]').get_attribute("data-value") == "38050.00"

    web.page.click(f'tr[data-line="{seeded.l3.pk}"] td[data-column="committed"] a')
    modal = web.page.locator("#cell-modal")
    modal.locator("#cell-records").wait_for(state="visible")
    rows = modal.locator("#cell-records tbody tr")
    assert rows.count() == 1
    assert rows.first.get_attribute("data-record") == f"commitment-{seeded.sc_approved.pk}"
    assert modal.locator("#cell-total").inner_text().strip() == "15,000.00"
    web.shot("finance-budget-drill-down")
    assert not web.problems, web.problems


def test_budget_view_on_a_phone_scrolls_the_table_with_the_first_column_in_view(session_factory):
    seeded = _seeded_project()
    web = session_factory(viewport=PHONE)
    web.sign_in("pm")
    web.goto(f"/finance/projects/{seeded.project.pk}/budget/")
    assert not layout_problems(web.page, "budget"), report(layout_problems(web.page, "budget"))
    wrap = web.page.locator("#budget-table-wrap")
    assert wrap.evaluate("el => el.scrollWidth > el.clientWidth + 100")
    name = web.page.locator(f'tr[data-line="{seeded.l1.pk}"] th.bv-name')
    before = name.bounding_box()["x"]
    wrap.evaluate("el => { el.scrollLeft = 600; }")
    assert wrap.evaluate("el => el.scrollLeft") > 0
    assert abs(name.bounding_box()["x"] - before) < 1  # sticky: the line's name stays where it was
    web.shot("finance-budget-phone")
    web.page.click(f'tr[data-line="{seeded.l1.pk}"] td[data-column="direct"] a')
    web.page.locator("#cell-modal #cell-records").wait_for(state="visible")
    assert web.page.locator("#cell-modal #cell-records tbody tr").count() == 2
    web.shot("finance-budget-phone-drill-down")
    # The portfolio and the project page's cost panel on the phone too.
    web.goto("/finance/")
    assert web.page.locator(f'tr[data-project="{seeded.project.pk}"]').count() == 1
    assert not layout_problems(web.page, "portfolio"), report(layout_problems(web.page, "portfolio"))
    web.shot("finance-portfolio-phone")
    web.goto(f"/projects/{seeded.project.pk}/")
    panel = web.page.locator("#cost-panel")
    assert panel.is_visible()
    assert not layout_problems(web.page, "project"), report(layout_problems(web.page, "project"))
    panel.scroll_into_view_if_needed()
    panel.screenshot(path=str(web.shot("finance-project-panel-phone")))
    assert not web.problems, web.problems


def test_earned_value_page_draws_the_s_curve_and_the_trend(session_factory):
    seeded = _seeded_project()
    web = session_factory()
    web.sign_in("pm")
    web.goto(f"/finance/projects/{seeded.project.pk}/budget/")
    with web.page.expect_navigation():
        web.page.click("#earned-value-link")
    assert web.page.locator('tr[data-figure="ev"] td[data-value]').get_attribute("data-value") == "14220.15"
    web.page.locator("#ev-curve canvas").wait_for(state="attached")
    web.page.locator("#ev-trend canvas").wait_for(state="attached")
    web.page.wait_for_timeout(1500)  # the charts animate in
    web.shot("finance-earned-value")
    assert not web.problems, web.problems


def test_change_order_lines_are_added_and_removed_on_a_phone(session_factory):
    from tandem.finance.models import ChangeOrder

    seeded = _seeded_project()
    web = session_factory(viewport=PHONE)
    web.sign_in("pm")
    web.goto(f"/finance/projects/{seeded.project.pk}/change-orders/new/")
    page = web.page
    total = page.locator("#id_lines-TOTAL_FORMS")
    rows = page.locator("#line-rows tbody tr[data-line-row]:not(.d-none)")
    start = int(total.input_value())
    assert rows.count() == start
    page.click("#add-line")
    assert int(total.input_value()) == start + 1 and rows.count() == start + 1
    new = page.locator(f'#line-rows tbody tr[data-row="{start}"]')
    new.locator("select").first.select_option(str(seeded.l1.pk))
    new.locator(f'input[name="lines-{start}-amount"]').fill("1234.50")
    page.locator("#line-rows tbody tr[data-row='0'] [data-line-remove]").click()
    assert rows.count() == start
    assert page.locator('input[name="lines-0-DELETE"]').is_checked()
    assert not layout_problems(page, "change order form"), report(layout_problems(page, "change order form"))
    web.shot("finance-change-order-lines-phone")
    page.fill("#id_title", "浏览器新增变更")
    page.fill("#id_contract_amount", "0")
    with page.expect_navigation():
        page.click("#save")
    order = ChangeOrder.objects.get(title="浏览器新增变更")
    assert [(line.budget_line_id, str(line.amount)) for line in order.lines.all()] == [(seeded.l1.pk, "1234.50")]
    assert not web.problems, web.problems
