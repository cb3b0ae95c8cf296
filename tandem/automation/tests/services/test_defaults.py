"""The default rules in a new tenant: the won-deal rule works before any PM or template exists."""

from decimal import Decimal

import pytest

from tandem.automation.models import Rule, Run, RunStatus
from tandem.automation.services.defaults import WON_DEAL_KEY, rules_install_defaults
from tandem.automation.services.rules import rule_update
from tandem.crm.services.accounts import account_create
from tandem.crm.services.deals import deal_create, deal_mark_won
from tandem.notifications.models import Notification
from tandem.projects.models import Project, ProjectTemplate
from tandem.testing.kit import access_for, make_member, make_tenant

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_tenant(db):
    """An English tenant as a signup leaves it: the boss and one salesperson, no PM, no project template."""
    tenant = make_tenant(locale="en", name="Fjord Controls Ltd.")
    boss = make_member(tenant, "owner", display_name="Astrid")
    sales = make_member(tenant, "sales", display_name="Bjorn")
    account = account_create(access=access_for(sales), name="Harbour Authority")
    deal = deal_create(access=access_for(sales), name="Quay lighting", account=account, amount=Decimal("250000"))
    return tenant, boss, sales, deal


def win(sales, deal, capture):
    with capture(execute=True):
        deal_mark_won(access=access_for(sales), deal=deal)


def test_a_won_deal_in_a_new_tenant_becomes_a_planned_project(new_tenant, django_capture_on_commit_callbacks):
    tenant, boss, sales, deal = new_tenant
    assert not ProjectTemplate.objects.filter(tenant=tenant).exists()
    win(sales, deal, django_capture_on_commit_callbacks)

    run = Run.objects.get(rule__tenant=tenant, rule__key=WON_DEAL_KEY)
    assert run.status == RunStatus.SUCCEEDED, run.error
    project = Project.objects.get(deal_id=deal.pk)
    assert project.owner_id == boss.user_id  # no PM yet: the first administrator
    assert ProjectTemplate.objects.get(tenant=tenant).name == "Starter project template"
    assert list(project.tasks.order_by("sort_order").values_list("name", flat=True)) == [
        "Kick-off",
        "Detailed design",
        "Procurement",
        "Installation",
        "Commissioning",
        "Handover",
    ]
    summary = run.steps.get(index=0).result["summary"]
    assert "nobody qualified: the first administrator instead" in summary
    notice = Notification.objects.get(recipient=sales.user, title__startswith="[Won → project]")
    assert "Deal amount: ¥250,000.00 (no contract signed yet)." in notice.body


def test_once_a_pm_joins_the_rule_picks_the_pm(new_tenant, django_capture_on_commit_callbacks):
    tenant, _boss, sales, deal = new_tenant
    pm = make_member(tenant, "pm")
    win(sales, deal, django_capture_on_commit_callbacks)
    assert Project.objects.get(deal_id=deal.pk).owner_id == pm.user_id


def test_a_failure_in_the_english_tenant_is_told_in_english(new_tenant, django_capture_on_commit_callbacks):
    tenant, boss, sales, deal = new_tenant
    rule = Rule.objects.get(tenant=tenant, key=WON_DEAL_KEY)
    actions = rule.actions
    actions[0]["params"]["manager"] = {"strategy": "least_loaded", "role": "pm"}  # no fallback
    rule_update(access=access_for(boss), rule=rule, actions=actions)
    win(sales, deal, django_capture_on_commit_callbacks)

    notice = Notification.objects.get(recipient=boss.user, title__contains="failed")
    assert notice.title == "Automation rule “Won deal → project” failed"
    assert "Nobody qualifies to be picked" in notice.body
    assert notice.url.endswith(f"/runs/{Run.objects.get(rule=rule).pk}/")


def test_installing_the_defaults_with_an_administrator_adds_the_starter_template_once(db):
    tenant = make_tenant()  # zh-hans; no member yet, so no template at creation
    assert not ProjectTemplate.objects.filter(tenant=tenant).exists()
    make_member(tenant, "admin")
    rules_install_defaults(tenant=tenant)
    rules_install_defaults(tenant=tenant)
    template = ProjectTemplate.objects.get(tenant=tenant)
    assert template.name == "标准项目模板（入门）"
    assert template.tasks.filter(is_milestone=True).values_list("name", flat=True).get() == "竣工验收"
