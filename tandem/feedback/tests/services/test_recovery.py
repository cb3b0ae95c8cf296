"""A detractor's recovery: the account flagged with the answer, a review task for the PM due in working days, and
the flag lifted only when the review is done and the customer was followed up, or by hand with a reason."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tandem.audit.models import AuditEntry
from tandem.calendars.models import CalendarException
from tandem.core.errors import ApplicationError, PermissionDenied
from tandem.core.models import OutboxEvent
from tandem.crm.models import Account
from tandem.crm.selectors.timelines import account_timeline, timeline_load
from tandem.crm.services.activities import activity_create
from tandem.feedback import events
from tandem.feedback.choices import RecoveryStatus
from tandem.feedback.models import Recovery
from tandem.feedback.services import recovery as service
from tandem.feedback.services.surveys import response_submit, survey_send
from tandem.projects.services.tasks import task_update
from tandem.testing.kit import access_for, make_member

pytestmark = pytest.mark.django_db
ZONE = ZoneInfo("Asia/Shanghai")


def _answer(crew, score=4, comment="调试拖了两周，现场沟通不及时。", project=True):
    sent = survey_send(access=crew.access, account=crew.account, project=crew.project if project else None)
    return response_submit(token=sent.token, score=score, comment=comment)


def test_opening_flags_the_account_and_gives_the_pm_a_review_task(crew):
    response = _answer(crew)
    # Friday 2026-12-04 10:00 in Shanghai: three working days end on Wednesday 2026-12-09.
    now = datetime(2026, 12, 4, 10, 0, tzinfo=ZONE)
    recovery = service.recovery_open(access=_rule(crew), response=response, now=now)

    account = Account.objects.get(pk=crew.account.pk)
    assert account.risk_flag is True
    assert "4/10" in account.risk_reason and crew.project.name in account.risk_reason
    assert "调试拖了两周" in account.risk_reason
    assert account.risk_owner_id == crew.account.owner_id
    assert account.risk_expires_on == date(2026, 12, 4) + timedelta(days=service.FLAG_DAYS)
    task = recovery.review_task
    assert task.project_id == crew.project.pk and task.kind == "review"
    assert list(task.assignees.values_list("pk", flat=True)) == [crew.pm.user_id]
    assert "4/10" in task.notes and "调试拖了两周" in task.notes
    assert timezone.localtime(task.early_finish, ZONE).date() == date(2026, 12, 9)
    assert recovery.status == RecoveryStatus.OPEN
    assert OutboxEvent.objects.filter(name=events.RECOVERY_OPENED, payload__recovery_id=recovery.pk).exists()
    # Opening twice gives the same recovery: one flag, one task.
    assert service.recovery_open(access=_rule(crew), response=response, now=now) == recovery
    assert Recovery.objects.count() == 1 and crew.project.tasks.filter(kind="review").count() == 1


def test_the_review_due_date_skips_a_holiday_of_the_tenant_calendar(crew):
    calendar = crew.project.calendar
    CalendarException.objects.create(tenant=crew.tenant, calendar=calendar, date=date(2026, 12, 8), name="停工")
    response = _answer(crew)
    recovery = service.recovery_open(
        access=_rule(crew), response=response, now=datetime(2026, 12, 4, 10, 0, tzinfo=ZONE)
    )
    assert timezone.localtime(recovery.review_task.early_finish, ZONE).date() == date(2026, 12, 10)


def test_it_closes_only_when_the_review_is_done_and_a_follow_up_is_logged(crew):
    recovery = service.recovery_open(access=_rule(crew), response=_answer(crew))
    task = recovery.review_task

    # The follow-up alone: still open, still flagged.
    activity_create(access=crew.rep_access, subject="电话回访李经理", kind="call", account=crew.account)
    service.on_follow_up_logged(_event(crew, account_id=crew.account.pk))
    recovery.refresh_from_db()
    assert recovery.status == RecoveryStatus.OPEN
    assert Account.objects.get(pk=crew.account.pk).risk_flag is True

    # The PM finishes the review: the recovery closes by itself and the flag is lifted.
    task_update(access=crew.pm_access, task=task, percent_complete=100)
    service.on_review_task_completed(_event(crew, task_id=task.pk))
    recovery.refresh_from_db()
    assert recovery.status == RecoveryStatus.CLOSED
    assert recovery.follow_up.subject == "电话回访李经理"
    assert recovery.closed_by is None and recovery.close_reason
    account = Account.objects.get(pk=crew.account.pk)
    assert account.risk_flag is False and account.risk_reason == ""
    assert OutboxEvent.objects.filter(name=events.RECOVERY_CLOSED, payload__recovery_id=recovery.pk).exists()


def test_a_review_done_without_a_follow_up_keeps_it_open(crew):
    recovery = service.recovery_open(access=_rule(crew), response=_answer(crew))
    task_update(access=crew.pm_access, task=recovery.review_task, percent_complete=100)
    assert service.recovery_check(recovery_id=recovery.pk) is False
    # A planned call that is not done yet is not a follow-up either.
    activity_create(
        access=crew.rep_access, subject="约客户复盘", kind="task", account=crew.account, due_at=timezone.now()
    )
    assert service.recovery_check(recovery_id=recovery.pk) is False
    assert Account.objects.get(pk=crew.account.pk).risk_flag is True


def test_without_a_project_the_follow_up_alone_closes_it(crew):
    recovery = service.recovery_open(access=_rule(crew), response=_answer(crew, project=False))
    assert recovery.review_task is None
    activity_create(access=crew.rep_access, subject="上门拜访", kind="visit", account=crew.account)
    assert service.recovery_check(recovery_id=recovery.pk) is True


def test_closing_by_hand_needs_a_reason_and_the_permission(crew):
    recovery = service.recovery_open(access=_rule(crew), response=_answer(crew))
    with pytest.raises(ApplicationError) as exc:
        service.recovery_close(access=crew.access, recovery=recovery, reason="  ")
    assert "reason" in exc.value.errors
    with pytest.raises(ApplicationError):
        service.recovery_close(access=crew.access, recovery=recovery, reason="x" * 301)
    finance = access_for(make_member(crew.tenant, "finance"))
    with pytest.raises(PermissionDenied):
        service.recovery_close(access=finance, recovery=recovery, reason="客户已满意")
    recovery.refresh_from_db()
    assert recovery.status == RecoveryStatus.OPEN and Account.objects.get(pk=crew.account.pk).risk_flag

    service.recovery_close(access=crew.access, recovery=recovery, reason="总经理已致电道歉，客户接受整改方案")
    recovery.refresh_from_db()
    assert recovery.status == RecoveryStatus.CLOSED and recovery.closed_by_id == crew.service.user_id
    assert Account.objects.get(pk=crew.account.pk).risk_flag is False
    with pytest.raises(ApplicationError):
        service.recovery_close(access=crew.access, recovery=recovery, reason="again")


def test_the_flag_stays_while_another_recovery_of_the_account_is_open(crew):
    first = service.recovery_open(access=_rule(crew), response=_answer(crew))
    second_sent = survey_send(access=crew.access, account=crew.account, contact=crew.other, channel="link")
    second = service.recovery_open(access=_rule(crew), response=response_submit(token=second_sent.token, score=2))
    service.recovery_close(access=crew.access, recovery=first, reason="已整改")
    assert Account.objects.get(pk=crew.account.pk).risk_flag is True
    service.recovery_close(access=crew.access, recovery=second, reason="已整改")
    assert Account.objects.get(pk=crew.account.pk).risk_flag is False


def test_an_account_already_at_risk_keeps_its_reason(crew):
    from tandem.crm.services.accounts import account_update

    account_update(
        access=crew.rep_access,
        account=crew.account,
        risk_flag=True,
        risk_reason="回款逾期",
        risk_expires_on=timezone.localdate() + timedelta(days=10),
    )
    service.recovery_open(access=_rule(crew), response=_answer(crew))
    account = Account.objects.get(pk=crew.account.pk)
    assert account.risk_reason == "回款逾期"
    assert account.risk_expires_on == timezone.localdate() + timedelta(days=service.FLAG_DAYS)


def test_every_step_is_on_the_account_timeline(crew):
    recovery = service.recovery_open(access=_rule(crew), response=_answer(crew))
    service.recovery_close(access=crew.access, recovery=recovery, reason="客户已满意")
    items = timeline_load(list(account_timeline(access=crew.access, account=crew.account)[:50]))
    types = [(i["change"].object_type, i["change"].action) for i in items if i["change"] is not None]
    assert ("feedback.surveyresponse", "create") in types
    assert ("feedback.recovery", "create") in types and ("feedback.recovery", "update") in types
    assert types.count(("crm.account", "update")) >= 2  # flagged, then lifted
    assert AuditEntry.objects.filter(object_type="feedback.recovery", object_id=str(recovery.pk)).count() == 2


def _rule(crew):
    """Recoveries are opened by the detractor rule, acting as an administrator."""
    if not hasattr(crew, "admin_access"):
        crew.admin_access = access_for(make_member(crew.tenant, "admin"))
    return crew.admin_access


def _event(crew, **payload):
    from types import SimpleNamespace

    return SimpleNamespace(tenant_id=crew.tenant.pk, payload=payload)
