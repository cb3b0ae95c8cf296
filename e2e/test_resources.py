"""Resources in the browser, in Chinese, under the real Content-Security-Policy: the list as cards on a phone, the
resource form where "add skill" adds a line that is saved with the resource, and the resource page with its leave.
"""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from e2e.test_phone_layout import PHONE, layout_problems, report

pytestmark = [pytest.mark.browser]

DESKTOP = {"width": 1280, "height": 860}


def seed():
    """A person with skills and leave and a crew in the demo tenant."""
    from tandem.accounts.models import Membership
    from tandem.calendars.services.calendars import calendar_default
    from tandem.resources.tests.factories import make_leave, make_resource, make_skill

    pm = Membership.objects.get(tenant__slug="demo", user__username="pm")
    tenant = pm.tenant
    calendar_default(tenant_id=tenant.pk)
    make_skill(tenant, "监控安装")
    engineer = make_resource(
        tenant, "李工（弱电）", code="E-101", skills=[("弱电调试", 4), ("综合布线", 3)], cost_rate=90, bill_rate=180
    )
    make_leave(engineer, pm, date(2026, 5, 6), date(2026, 5, 8), note="年假")
    make_resource(tenant, "布线一班", kind="crew", headcount=6, hours_per_day=8, skills=[("综合布线", 4)])
    return engineer


def test_the_list_is_cards_on_a_phone_and_the_page_fits(session_factory):
    engineer = seed()
    phone = session_factory(viewport=PHONE)
    phone.sign_in("pm")
    phone.goto("/resources/")
    card = phone.page.locator(f'[data-resource-card="{engineer.pk}"]')
    expect(card).to_be_visible()
    expect(card).to_contain_text("弱电调试")
    expect(phone.page.locator("#resource-table")).to_be_hidden()
    problems = layout_problems(phone.page, "list")
    phone.shot("resources-list-phone")
    card.click()
    expect(phone.page.locator("#leaves")).to_contain_text("2026-05-06")
    problems += layout_problems(phone.page, "detail")
    phone.shot("resources-detail-phone")
    phone.goto(f"/resources/{engineer.pk}/edit/")
    problems += layout_problems(phone.page, "form")
    assert not problems, report(problems)
    assert not phone.problems, phone.problems


def test_a_skill_line_added_in_the_form_is_saved(session_factory):
    engineer = seed()
    web = session_factory(viewport=DESKTOP)
    web.sign_in("pm")
    web.goto(f"/resources/{engineer.pk}/edit/")
    rows = web.page.locator("[data-formset='skills'] [data-formset-body] tr:not(.d-none)")
    expect(rows).to_have_count(2)
    web.page.click("#add-skill")
    expect(rows).to_have_count(3)
    web.page.locator("select[name='skills-2-skill']").select_option(label="监控安装")
    web.page.locator("select[name='skills-2-level']").select_option("5")
    web.shot("resources-form")
    with web.page.expect_navigation():
        web.page.click("#save")
    expect(web.page.locator("#skills")).to_contain_text("监控安装")
    web.shot("resources-detail")
    levels = {row.skill.name: row.level for row in engineer.skill_levels.select_related("skill")}
    assert levels == {"弱电调试": 4, "综合布线": 3, "监控安装": 5}
    assert not web.problems, web.problems
