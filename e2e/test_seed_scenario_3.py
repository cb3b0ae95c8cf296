"""Seed scenario 3 on the demo tenants as their project managers see it on the day the demo is started: a VIP
customer's project has a critical commissioning task next week and its engineer is booked 150 % that week. The
warning is on the PM's home page before the week starts, ranked first by customer tier and float, with the score's
formula; the PM applies the best suggestion with one click, sees each project's finish date, and the warning goes.
The Chinese tenant on a desktop, the English one on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser]
PHONE = {"width": 390, "height": 844}

CASES = {
    "demo": {
        "user": "pm",
        "engineer": "李明",
        "project": "数据中心机房弱电智能化改造",
        "task": "机房弱电系统联调",
        "resolved": "资源冲突已解决",
        "unchanged": "项目完工日期不变",
        "viewport": None,
        "locale": "zh-CN",
    },
    "northwind": {
        "user": "emily",
        "engineer": "Jack Wu",
        "project": "Cleanroom BMS upgrade",
        "task": "BMS integration testing",
        "resolved": "The conflict is resolved",
        "unchanged": "Finish date unchanged",
        "viewport": PHONE,
        "locale": "en-GB",
    },
}


def _open_conflict(slug: str, engineer: str):
    from tandem.resources.models import Conflict

    return Conflict.objects.filter(tenant__slug=slug, resource__name=engineer, status="open").first()


@pytest.mark.parametrize("slug", list(CASES))
def test_seed_scenario_3_warning_suggestion_applied_warning_gone(session_factory, slug):
    case = CASES[slug]
    conflict = _open_conflict(slug, case["engineer"])
    assert conflict is not None and conflict.peak_load == 150 and conflict.warned_at is not None

    web = session_factory(viewport=case["viewport"], locale=case["locale"])
    web.sign_in(case["user"])
    web.goto("/")
    card = web.page.locator("#home-conflicts")
    first = card.locator("li").first
    expect(first).to_contain_text(case["engineer"])
    expect(first).to_contain_text(case["project"])
    expect(first).to_contain_text("150%")
    web.shot(f"scenario3-{slug}-home")

    with web.page.expect_navigation():
        first.get_by_role("link", name=case["engineer"]).click()
    assert web.path() == f"/resources/conflicts/{conflict.pk}/"
    detail = web.page.locator("#conflict-detail")
    expect(detail).to_contain_text(case["task"])
    expect(web.page.locator("#score-formula")).to_contain_text("×")
    expect(web.page.locator("#overload-days tbody tr")).to_have_count(5)
    panel = web.page.locator("#suggestions-panel")
    best = panel.locator(".suggestion").first
    # The best suggestion keeps every project's finish date, and says so for each project it touches.
    effects = best.locator(".suggestion-effects li")
    assert effects.count() >= 1
    for index in range(effects.count()):
        expect(effects.nth(index)).to_contain_text(case["unchanged"])
    web.shot(f"scenario3-{slug}-conflict")

    # Applying reloads the page: the notice comes as a message, and the conflict's own status is up to date.
    with web.page.expect_navigation():
        best.get_by_role("button").click()
    expect(web.page.locator("main > .alert-success")).to_contain_text(case["resolved"])
    expect(web.page.locator("#overload-days tbody tr")).to_have_count(1)  # "the overload is gone"
    assert web.page.evaluate("document.documentElement.scrollWidth") <= web.page.viewport_size["width"]
    web.shot(f"scenario3-{slug}-applied")

    conflict.refresh_from_db()
    assert conflict.status == "resolved" and conflict.resolution
    assert _open_conflict(slug, case["engineer"]) is None
    web.goto("/")
    expect(web.page.locator("body")).not_to_contain_text(re.compile(f"{re.escape(case['engineer'])}.*150%"))
    assert not web.problems, web.problems
