"""Activity services: a follow-up updates the account's last follow-up and the lead's first response."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tandem.audit.models import AuditEntry
from tandem.core.errors import ApplicationError
from tandem.crm.choices import ActivityKind, LeadStatus
from tandem.crm.models import Activity
from tandem.crm.services.activities import activity_create, activity_delete, activity_update
from tandem.crm.tests.factories import make_account, make_contact, make_deal, make_lead


def test_a_call_on_a_deal_lands_on_the_account_as_its_last_follow_up(team):
    deal = make_deal(team.tenant, team.rep.user)
    activity = activity_create(
        access=team.rep_access, kind=ActivityKind.CALL, subject="确认设备参数", deal=deal, content="客户要求加急"
    )
    assert activity.account_id == deal.account_id
    account = deal.account
    account.refresh_from_db()
    assert account.last_activity_at == activity.occurred_at
    assert account.last_activity_summary == "Call: 确认设备参数"
    assert AuditEntry.objects.filter(object_type="crm.activity", action="create").count() == 1


def test_an_older_follow_up_does_not_replace_a_newer_one(team):
    account = make_account(team.tenant, team.rep.user)
    activity_create(access=team.rep_access, kind=ActivityKind.VISIT, subject="现场踏勘", account=account)
    activity_create(
        access=team.rep_access,
        kind=ActivityKind.NOTE,
        subject="补录上周电话",
        account=account,
        occurred_at=timezone.now() - timedelta(days=7),
    )
    account.refresh_from_db()
    assert account.last_activity_summary == "Visit: 现场踏勘"


def test_a_contact_activity_belongs_to_the_contacts_primary_account(team):
    account = make_account(team.tenant, team.rep.user)
    contact = make_contact(team.tenant, team.rep.user, account, primary=True)
    activity = activity_create(access=team.rep_access, kind=ActivityKind.WECHAT, subject="发送资料", contact=contact)
    assert activity.account == account


def test_a_planned_task_is_not_a_follow_up_until_done(team):
    account = make_account(team.tenant, team.rep.user)
    task = activity_create(
        access=team.rep_access,
        kind=ActivityKind.TASK,
        subject="准备投标文件",
        account=account,
        due_at=timezone.now() + timedelta(days=3),
    )
    account.refresh_from_db()
    assert account.last_activity_at is None
    activity_update(access=team.rep_access, activity=task, done=True)
    account.refresh_from_db()
    assert task.done_at is not None and account.last_activity_at == task.done_at
    assert account.last_activity_summary == "Task: 准备投标文件"


def test_the_first_follow_up_on_a_new_lead_is_its_first_response(team):
    lead = make_lead(team.tenant, team.rep.user)
    activity = activity_create(access=team.rep_access, kind=ActivityKind.CALL, subject="首次电话", lead=lead)
    lead.refresh_from_db()
    assert lead.first_response_at == activity.occurred_at and lead.status == LeadStatus.CONTACTED


def test_an_activity_must_concern_something_and_only_tasks_are_due(team):
    with pytest.raises(ApplicationError):
        activity_create(access=team.rep_access, subject="无关联")
    account = make_account(team.tenant, team.rep.user)
    with pytest.raises(ApplicationError) as exc:
        activity_create(access=team.rep_access, subject="电话", account=account, due_at=timezone.now())
    assert "due_at" in exc.value.errors
    assert not Activity.objects.exists()


def test_a_colleague_can_log_on_my_account_and_delete_is_audited(team):
    account = make_account(team.tenant, team.rep.user)
    activity = activity_create(access=team.manager_access, kind=ActivityKind.VISIT, subject="拜访", account=account)
    assert activity.owner == team.manager.user
    activity_delete(access=team.manager_access, activity=activity)
    assert not Activity.objects.exists()
    assert AuditEntry.objects.filter(object_type="crm.activity", action="delete").count() == 1


def test_a_follow_up_may_name_only_a_project_of_the_same_tenant(team, other_tenant):
    from tandem.projects.tests.factories import make_project

    mine = make_project(team.tenant)
    theirs = make_project(other_tenant)
    activity = activity_create(access=team.rep_access, subject="现场协调会", project_id=mine.pk)
    assert activity.project_id == mine.pk
    with pytest.raises(ApplicationError) as refused:
        activity_create(access=team.rep_access, subject="越权", project_id=theirs.pk)
    assert "project_id" in refused.value.errors
    with pytest.raises(ApplicationError):
        activity_update(access=team.rep_access, activity=activity, project_id=theirs.pk)
    activity.refresh_from_db()
    assert activity.project_id == mine.pk
    assert not Activity.objects.filter(subject="越权").exists()
