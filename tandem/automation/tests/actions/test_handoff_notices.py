"""The won-deal notice through the engine: the amount it names, its links, once per project, and who wrote what."""

import pytest

from tandem.audit.models import AuditEntry
from tandem.automation.models import ActionStatus, Rule, Run, RunStatus
from tandem.automation.services.defaults import WON_DEAL_KEY
from tandem.automation.tests.factories import HandoffWorld, handoff_world
from tandem.crm.models import Account, Activity
from tandem.crm.services.deals import deal_mark_won, deal_move_stage
from tandem.notifications.models import Notification
from tandem.projects.models import Project
from tandem.testing.kit import page_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tenant) -> HandoffWorld:
    return handoff_world(tenant)


def win(world, deal, capture):
    with capture(execute=True):
        deal_mark_won(access=world.sales_access, deal=deal)


def reopen(world, deal, capture):
    stage = deal.pipeline.stages.filter(is_won=False, is_lost=False).order_by("order").first()
    with capture(execute=True):
        deal_move_stage(access=world.sales_access, deal=deal, stage=stage)


def won_notices(user):
    return Notification.objects.filter(recipient=user, title__startswith="【赢单立项】")


def test_a_deal_without_contract_is_quoted_with_the_deal_amount_and_links(world, django_capture_on_commit_callbacks):
    deal = world.more_deals(1)[0]  # ¥120,000, no contract
    win(world, deal, django_capture_on_commit_callbacks)
    project = Project.objects.get(deal_id=deal.pk)
    notice = won_notices(world.sales.user).get()
    assert "商机金额 ¥120,000.00（尚未签订合同）" in notice.body
    assert "合同金额" not in notice.body
    assert f"/crm/deals/{deal.pk}/" in notice.body
    assert f"/projects/{project.pk}/" in notice.body
    # The salesperson is on the project's team, so their bell opens the project too (team members read it).
    assert notice.url == f"/projects/{project.pk}/"
    assert won_notices(world.pm_light.user).get().url == f"/projects/{project.pk}/"


def test_a_deal_with_a_contract_is_quoted_with_the_contract_amount(world, django_capture_on_commit_callbacks):
    win(world, world.deal, django_capture_on_commit_callbacks)  # deal ¥900,000, signed contract ¥880,000
    notice = won_notices(world.pm_light.user).get()
    assert f"合同金额 ¥880,000.00（合同 {world.contract.number}）" in notice.body
    assert "商机金额" not in notice.body and "900,000" not in notice.body


def test_winning_again_tells_nobody_and_writes_no_second_note(world, django_capture_on_commit_callbacks):
    win(world, world.deal, django_capture_on_commit_callbacks)
    reopen(world, world.deal, django_capture_on_commit_callbacks)
    win(world, world.deal, django_capture_on_commit_callbacks)

    for member in (world.sales, world.pm_light):
        assert won_notices(member.user).count() == 1
    assert Activity.objects.filter(deal=world.deal, automation_rule_id__isnull=False).count() == 1
    second = Run.objects.filter(rule__key=WON_DEAL_KEY, record_id=str(world.deal.pk)).order_by("id").last()
    assert second.status == RunStatus.SUCCEEDED
    create, notify = second.steps.order_by("index")
    assert create.result["stop"] is True and create.result["data"]["created"] is False
    assert notify.status == ActionStatus.SKIPPED
    assert notify.error.startswith("无需执行：")  # the run log speaks the tenant's language


def test_a_project_made_again_after_the_first_was_deleted_is_told_again(world, django_capture_on_commit_callbacks):
    from tandem.projects.services.projects import project_delete

    win(world, world.deal, django_capture_on_commit_callbacks)
    first = Project.objects.get(deal_id=world.deal.pk)
    project_delete(access=world.admin_access, project=first)
    reopen(world, world.deal, django_capture_on_commit_callbacks)
    win(world, world.deal, django_capture_on_commit_callbacks)

    second = Project.objects.get(deal_id=world.deal.pk)
    assert second.pk != first.pk
    urls = list(won_notices(world.pm_light.user).order_by("id").values_list("url", flat=True))
    assert urls == [f"/projects/{first.pk}/", f"/projects/{second.pk}/"]
    assert won_notices(world.sales.user).count() == 2


def test_carry_on_when_the_rule_says_so(world, django_capture_on_commit_callbacks):
    from tandem.automation.services.rules import rule_update

    rule = Rule.objects.get(tenant=world.tenant, key=WON_DEAL_KEY)
    actions = rule.actions
    actions[0]["params"]["if_exists"] = "continue"
    rule_update(access=world.admin_access, rule=rule, actions=actions)
    win(world, world.deal, django_capture_on_commit_callbacks)
    reopen(world, world.deal, django_capture_on_commit_callbacks)
    win(world, world.deal, django_capture_on_commit_callbacks)
    assert Project.objects.filter(deal_id=world.deal.pk).count() == 1
    assert won_notices(world.sales.user).count() == 2


def test_the_rule_is_the_author_of_its_note_and_its_audit_rows(world, django_capture_on_commit_callbacks):
    rule = Rule.objects.get(tenant=world.tenant, key=WON_DEAL_KEY)
    before = Account.objects.get(pk=world.account.pk).last_activity_at
    win(world, world.deal, django_capture_on_commit_callbacks)
    project = Project.objects.get(deal_id=world.deal.pk)

    note = Activity.objects.get(deal=world.deal, automation_rule_id=rule.pk)
    assert note.automation_rule_name == rule.name == "赢单 → 自动立项"
    assert note.automation_label == "自动化：赢单 → 自动立项"
    # Nobody talked to the customer: the note is no follow-up.
    assert Account.objects.get(pk=world.account.pk).last_activity_at == before
    created = AuditEntry.objects.get(object_type="projects.project", object_id=str(project.pk), action="create")
    assert created.automation_rule_id == rule.pk
    assert created.author == "自动化：赢单 → 自动立项"
    # The person whose permissions the rule used is still on record.
    assert created.actor_id is not None
    # The salesperson's own win is theirs.
    won = AuditEntry.objects.filter(object_type="crm.deal", object_id=str(world.deal.pk)).order_by("id").last()
    assert won.automation_rule_id is None and won.author == str(world.sales.user)


def test_timeline_and_audit_pages_show_the_rule_as_author(world, django_capture_on_commit_callbacks):
    win(world, world.deal, django_capture_on_commit_callbacks)
    admin = page_client(world.admin)
    deal_page = admin.get(f"/crm/deals/{world.deal.pk}/").content.decode()
    assert "自动化：赢单 → 自动立项" in deal_page
    audit_page = admin.get("/audit/?object_type=projects.project").content.decode()
    assert "自动化：赢单 → 自动立项" in audit_page
    filtered = admin.get("/audit/", {"actor": "自动立项"}).content.decode()
    assert "项目 #" in filtered
    every_rule = admin.get("/audit/", {"actor": "自动化"}).content.decode()
    assert "项目 #" in every_rule
    assert f"商机 #{world.deal.pk}" not in every_rule  # the salesperson's win is not the rule's
