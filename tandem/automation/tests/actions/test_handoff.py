"""Seed scenario 1 through the engine: a won deal becomes one project from its template, PM by skill and load."""

from datetime import date
from decimal import Decimal

import pytest

from tandem.automation.models import ActionStatus, Rule, Run, RunStatus
from tandem.automation.services.defaults import WON_DEAL_KEY
from tandem.automation.services.rules import rule_update
from tandem.automation.tests.factories import HandoffWorld, handoff_world
from tandem.crm.services.contracts import contract_create, contract_sign
from tandem.crm.services.deals import deal_mark_won
from tandem.notifications.models import Notification
from tandem.projects.models import Project, Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tenant) -> HandoffWorld:
    return handoff_world(tenant)


def win(world, deal, capture):
    with capture(execute=True):
        deal_mark_won(access=world.sales_access, deal=deal)


def test_won_deal_becomes_one_project_from_its_template(world, django_capture_on_commit_callbacks):
    win(world, world.deal, django_capture_on_commit_callbacks)

    project = Project.objects.get(tenant=world.tenant, deal_id=world.deal.pk)
    assert project.name == world.deal.name
    assert project.account_id == world.account.pk
    assert project.owner_id == world.pm_light.user_id  # skill 弱电 and the lighter load
    assert project.tasks.count() == 4
    assert project.scheduled_finish is not None
    assert project.budget == Decimal("880000.00")  # the contract's amount, not the deal's 900k
    assert project.contract_id == world.contract.pk
    assert world.contact.pk in project.contact_ids
    run = Run.objects.get(rule__key=WON_DEAL_KEY, record_id=str(world.deal.pk))
    assert run.status == RunStatus.SUCCEEDED
    assert run.version == Rule.objects.get(pk=run.rule_id).current_version
    assert [s.status for s in run.steps.order_by("index")] == [ActionStatus.SUCCEEDED, ActionStatus.SUCCEEDED]
    assert Notification.objects.filter(recipient=world.pm_light.user, url__contains=f"/projects/{project.pk}/").exists()


def test_contract_payment_periods_are_linked_to_the_template_milestones(world, django_capture_on_commit_callbacks):
    win(world, world.deal, django_capture_on_commit_callbacks)
    project = Project.objects.get(deal_id=world.deal.pk)
    acceptance = Task.objects.get(project=project, name="竣工验收")
    period = world.contract.milestones.get(name="验收款")
    assert acceptance.payment_milestone_id == period.pk
    assert acceptance.payment_percent == period.percent


def test_winning_twice_or_two_rules_never_make_a_second_project(world, django_capture_on_commit_callbacks):
    win(world, world.deal, django_capture_on_commit_callbacks)
    # Reopen and win again: a new crm.deal.won event, a new run, still one project.
    from tandem.crm.services.deals import deal_move_stage

    first_stage = world.deal.pipeline.stages.filter(is_won=False, is_lost=False).order_by("order").first()
    with django_capture_on_commit_callbacks(execute=True):
        deal_move_stage(access=world.sales_access, deal=world.deal, stage=first_stage)
    win(world, world.deal, django_capture_on_commit_callbacks)
    assert Project.objects.filter(deal_id=world.deal.pk).count() == 1
    runs = Run.objects.filter(rule__key=WON_DEAL_KEY, record_id=str(world.deal.pk)).order_by("id")
    assert runs.count() == 2
    assert runs.last().steps.get(index=0).result["data"]["created"] is False


def test_editing_the_rule_makes_a_new_version_and_runs_record_it(world, django_capture_on_commit_callbacks):
    rule = Rule.objects.get(tenant=world.tenant, key=WON_DEAL_KEY)
    actions = rule.actions
    actions[0]["params"]["manager"] = {"strategy": "user", "user": world.pm_busy.user_id}
    before = rule.version
    rule_update(access=world.admin_access, rule=rule, actions=actions)
    rule.refresh_from_db()
    assert rule.version == before + 1
    assert rule.versions.count() == before + 1
    win(world, world.deal, django_capture_on_commit_callbacks)
    run = Run.objects.get(rule=rule)
    assert run.version.number == before + 1
    assert run.version.actions[0]["params"]["manager"]["strategy"] == "user"
    assert Project.objects.get(deal_id=world.deal.pk).owner_id == world.pm_busy.user_id


def test_a_rolled_back_win_starts_nothing(world, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                deal_mark_won(access=world.sales_access, deal=world.deal)
                raise RuntimeError("boom")
        except RuntimeError:
            pass
    assert not Project.objects.filter(deal_id=world.deal.pk).exists()
    assert not Run.objects.exists()


def test_a_lost_template_fails_the_run_and_k_failures_disable_the_rule(world, django_capture_on_commit_callbacks):
    rule = Rule.objects.get(tenant=world.tenant, key=WON_DEAL_KEY)
    rule_update(access=world.admin_access, rule=rule, max_failures=2)
    world.template.delete()
    from tandem.projects.models import ProjectTemplate

    ProjectTemplate.objects.filter(tenant=world.tenant).delete()
    for deal in world.more_deals(2):
        win(world, deal, django_capture_on_commit_callbacks)
    runs = list(Run.objects.filter(rule=rule).order_by("id"))
    assert [r.status for r in runs] == [RunStatus.FAILED, RunStatus.FAILED]
    assert runs[0].steps.get(index=0).status == ActionStatus.FAILED
    rule.refresh_from_db()
    assert rule.enabled is False
    assert "2" in rule.disabled_reason
    assert Notification.objects.filter(recipient=world.admin.user, title__contains=rule.name).exists()
    assert not Project.objects.filter(tenant=world.tenant, deal_id__isnull=False).exists()


def test_a_deal_the_conditions_exclude_is_logged_as_skipped(world, django_capture_on_commit_callbacks):
    rule = Rule.objects.get(tenant=world.tenant, key=WON_DEAL_KEY)
    rule_update(
        access=world.admin_access,
        rule=rule,
        conditions={"field": "deal.amount", "op": "gte", "value": 1_000_000},
    )
    win(world, world.deal, django_capture_on_commit_callbacks)
    run = Run.objects.get(rule=rule)
    assert run.status == RunStatus.SKIPPED
    assert run.condition_result is False
    assert run.condition_trace["tree"]["actual"] == "900000.00"
    assert not Project.objects.filter(deal_id=world.deal.pk).exists()


def test_start_date_is_the_next_working_day(world, django_capture_on_commit_callbacks, time_machine):
    time_machine.move_to("2026-10-01 10:00:00+08:00")  # National Day holiday: work resumes 2026-10-09
    win(world, world.deal, django_capture_on_commit_callbacks)
    project = Project.objects.get(deal_id=world.deal.pk)
    assert project.start_date > date(2026, 10, 7)


def test_contract_signed_later_is_not_needed(world, django_capture_on_commit_callbacks):
    deal = world.more_deals(1)[0]
    win(world, deal, django_capture_on_commit_callbacks)
    project = Project.objects.get(deal_id=deal.pk)
    assert project.budget == deal.amount
    assert project.contract_id is None
    contract = contract_create(access=world.sales_access, deal=deal)
    contract_sign(access=world.sales_access, contract=contract)
    assert Project.objects.filter(deal_id=deal.pk).count() == 1


def test_template_roles_are_resolved(world, django_capture_on_commit_callbacks):
    from tandem.accounts.models import Membership

    foreman = Membership.objects.get(tenant=world.tenant, roles__key="foreman")
    win(world, world.deal, django_capture_on_commit_callbacks)
    project = Project.objects.get(deal_id=world.deal.pk)
    tray = Task.objects.get(project=project, name="弱电桥架安装")
    assert list(tray.assignees.values_list("pk", flat=True)) == [foreman.user_id]
    design = Task.objects.get(project=project, name="深化设计")  # the "pm" placeholder
    assert list(design.assignees.values_list("pk", flat=True)) == [world.pm_light.user_id]
    assert foreman.user_id in project.team.values_list("pk", flat=True)


def test_a_role_nobody_holds_is_reported(world, django_capture_on_commit_callbacks):
    from tandem.accounts.models import Membership

    Membership.objects.filter(tenant=world.tenant, roles__key="foreman").update(is_active=False)
    win(world, world.deal, django_capture_on_commit_callbacks)
    step = Run.objects.get(rule__key=WON_DEAL_KEY).steps.get(index=0)
    assert step.status == ActionStatus.SUCCEEDED
    assert step.result["data"]["unassigned_roles"] == ["foreman"]
    tray = Task.objects.get(project__deal_id=world.deal.pk, name="弱电桥架安装")
    assert not tray.assignees.exists()


def test_the_deal_page_links_the_project_the_rule_made(world, django_capture_on_commit_callbacks):
    from tandem.testing.kit import page_client

    win(world, world.deal, django_capture_on_commit_callbacks)
    project = Project.objects.get(deal_id=world.deal.pk)
    page = page_client(world.admin).get(f"/crm/deals/{world.deal.pk}/").content.decode()
    assert f"/projects/{project.pk}/" in page and project.number in page
    # Sales sees the deal but not projects outside its scope: no project card, no error.
    sales_page = page_client(world.sales).get(f"/crm/deals/{world.deal.pk}/")
    assert sales_page.status_code == 200
