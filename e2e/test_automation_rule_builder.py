"""The won-deal handoff built without code, in Chinese: the administrator builds the rule in the builder (business
event crm.deal.won on deals → create a project from a template with the least-loaded PM → tell the PM), tests it
on a deal, saves it; the salesperson drags a deal to 赢单 on the kanban; the administrator follows the run log to
the new project."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e.test_crm import assert_clean, column, drag

pytestmark = [pytest.mark.browser]

WIDE = {"width": 1600, "height": 1000}
RULE_NAME = "赢单自动建项目（界面配置）"


@pytest.fixture
def only_the_ui_rule(demo_data):
    """The demo tenant's default won-deal rule is switched off, so the rule built in the browser is the one acting."""
    from tandem.automation.models import Rule
    from tandem.automation.services.defaults import WON_DEAL_KEY

    Rule.objects.filter(tenant__slug="demo", key=WON_DEAL_KEY).update(enabled=False)


def open_deal_in(stage_name: str):
    """An open deal of the salesperson `sales` in that stage that has no project yet."""
    from tandem.crm.models import Deal
    from tandem.projects.models import Project

    with_project = Project.all_objects.exclude(deal_id=None).values("deal_id")
    deals = Deal.objects.filter(tenant__slug="demo", status="open", stage__name=stage_name, owner__username="sales")
    return deals.exclude(pk__in=with_project).order_by("id").first()


def build_rule(web) -> None:
    page = web.page
    web.goto("/automation/new/")
    expect(page.locator("#rule-form")).to_be_visible()
    page.fill("#id_name", RULE_NAME)
    page.select_option("#trigger-type", "event")
    page.select_option("#record-type", "crm.deal")
    page.select_option("#trigger-event", "crm.deal.won")

    page.select_option("#add-action", "create_project")
    first = page.locator("#action-0")
    expect(first).to_be_visible()
    first.locator("label[for^=tmode-fixed]").click()
    first.locator("select.template-fixed").select_option(index=1)
    first.locator("select.pick-strategy").select_option("least_loaded")
    first.locator("select.pick-role").select_option("pm")

    page.select_option("#add-action", "notify")
    second = page.locator("#action-1")
    second.locator("input[type=checkbox][value=project_manager]").check()
    subject = second.locator("[data-param=subject] textarea")
    subject.fill("新项目 {{ project.number }}：{{ deal.name }}")
    subject.dispatch_event("change")


def test_admin_builds_the_won_deal_rule_and_a_kanban_win_creates_the_project(session_factory, only_the_ui_rule):
    from tandem.automation.models import Rule, Run
    from tandem.projects.models import Project

    admin = session_factory(viewport=WIDE)
    page = admin.page
    admin.sign_in("admin")
    build_rule(admin)
    # The expert JSON follows the form.
    page.click("#json-toggle")
    expect(page.locator("#rule-json")).to_have_value(re.compile(r'"event": "crm\.deal\.won"'))
    expect(page.locator("#rule-json")).to_have_value(re.compile(r'"strategy": "least_loaded"'))

    deal = open_deal_in("商务谈判") or open_deal_in("方案报价")
    assert deal is not None
    page.fill("#dry-record-id", str(deal.pk))
    page.click("#dry-run")
    expect(page.locator("#dry-run-verdict")).to_be_visible()
    expect(page.locator("#dry-run-steps li")).to_have_count(2)
    admin.shot("automation-01-builder-dry-run-zh")
    assert not Project.objects.filter(deal_id=deal.pk).exists()  # the dry run wrote nothing

    with page.expect_navigation():
        page.click("#rule-save")
    rule = Rule.objects.get(tenant__slug="demo", name=RULE_NAME)
    assert admin.path() == f"/automation/{rule.pk}/"
    assert rule.trigger == {"event": "crm.deal.won"}
    assert [a["type"] for a in rule.actions] == ["create_project", "notify"]
    assert rule.actions[0]["params"]["manager"] == {"strategy": "least_loaded", "role": "pm"}
    expect(page.locator("#summary-actions li")).to_have_count(2)
    admin.shot("automation-02-rule-detail-zh")

    sales = session_factory(viewport={"width": 1920, "height": 1000})
    sales.sign_in("sales")
    sales.goto("/crm/deals/board/")
    card = sales.page.locator(f"#deal-card-{deal.pk}")
    drag(sales.page, card, column(sales.page, "赢单").locator(".kanban-cards"))
    expect(column(sales.page, "赢单").locator(f"#deal-card-{deal.pk}")).to_be_visible()
    expect(sales.page.locator("#board-toast")).to_be_visible()

    run = Run.objects.get(rule=rule, record_id=str(deal.pk))
    assert run.status == "succeeded", run.error
    project = Project.objects.get(deal_id=deal.pk)

    admin.goto("/automation/runs/")
    expect(page.locator(f"#run-{run.pk}")).to_be_visible()
    admin.shot("automation-03-run-log-zh")
    with page.expect_navigation():
        page.click(f"#run-{run.pk} a")
    expect(page.locator("#run-steps li")).to_have_count(2)
    admin.shot("automation-04-run-detail-zh")
    with page.expect_navigation():
        page.locator("#step-0 a.step-link").click()
    assert admin.path() == f"/projects/{project.pk}/"
    expect(page.locator("h1")).to_contain_text(project.name)
    assert_clean(admin)
    assert_clean(sales)
