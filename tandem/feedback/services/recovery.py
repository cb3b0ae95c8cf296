"""Closing the loop on a detractor (挽回): flag the account, give the PM a review (复盘) task, track it to the end.

A recovery opens on a low score: the account is flagged high-risk with the answer as the reason, and the
project's PM gets a task of kind `review`, due in a few working days of the project's calendar, with the answer
in its notes. It closes on its own when the review task is done and someone has followed up with the customer
since the answer, or by hand with a reason; the risk flag is lifted when the account's last open recovery closes.
Every step is audited, so it shows on the account's timeline (and through it on the project page).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.calendars.workdays import Workdays
from tandem.core.errors import ApplicationError
from tandem.core.events import emit
from tandem.core.services import actor_of, check_tenant, require
from tandem.crm.choices import ActivityKind
from tandem.crm.models import Account, Activity
from tandem.crm.services.accounts import account_risk_lift, account_update
from tandem.feedback import events
from tandem.feedback.choices import RecoveryStatus
from tandem.feedback.models import Recovery, SurveyResponse
from tandem.projects.models import Task
from tandem.projects.services.scheduling import tenant_zone
from tandem.projects.services.tasks import planned_work, task_create

REVIEW_DAYS = 3  # working days the PM has for the review
FLAG_DAYS = 90  # the risk flag's expiry, a safety net: the recovery lifts it when it closes
MAX_REASON = 300


def _risk_reason(response: SurveyResponse) -> str:
    project = f"{response.project.number} {response.project.name}".strip() if response.project_id else ""
    reason = _("Survey score %(score)s/10") % {"score": response.score}
    if project:
        reason += f" · {project}"
    if response.comment:
        reason += f" · “{response.comment[:120]}”"
    return reason[:MAX_REASON]


def _review_notes(response: SurveyResponse) -> str:
    lines = [_("Recommendation score: %(score)s/10") % {"score": response.score}]
    if response.contact_id:
        lines.append(_("Answered by: %(name)s") % {"name": response.contact})
    lines.append(_("Comment: %(text)s") % {"text": response.comment or "—"})
    questions = {q.get("key"): q.get("label", q.get("key")) for q in response.survey.template.questions or []}
    for key, value in (response.answers or {}).items():
        lines.append(f"{questions.get(key, key)}: {value}")
    lines.append(_("Find out what went wrong, agree the fix with the customer and log the follow-up on the account."))
    return "\n".join(lines)


def _review_task(access, response: SurveyResponse, review_days: int, now: datetime) -> Task | None:
    project = response.project
    if project is None or project.deleted_at is not None:
        return None
    zone = tenant_zone(project.tenant_id)
    # Due in N working days: the review starts on the next working day and takes N of them.
    start = Workdays(project.calendar).add(now.astimezone(zone).date(), 1)
    return task_create(
        access=access,
        project=project,
        name=(_("Review: customer score %(score)s/10") % {"score": response.score})[:300],
        kind="review",
        assignees=[project.owner] if project.owner_id else [],
        notes=_review_notes(response),
        **planned_work(start=start, working_days=review_days, tzinfo=zone),
    )


def _payload(recovery: Recovery, **extra) -> dict:
    return {
        "recovery_id": recovery.pk,
        "response_id": recovery.response_id,
        "account_id": recovery.account_id,
        "project_id": recovery.project_id,
        "task_id": recovery.review_task_id,
        "score": recovery.response.score,
        **extra,
    }


@transaction.atomic
def recovery_open(
    *,
    access,
    response: SurveyResponse,
    review_days: int = REVIEW_DAYS,
    flag_days: int = FLAG_DAYS,
    now: datetime | None = None,
) -> Recovery:
    """Open the recovery of a detractor's answer (once: a second call returns the first recovery)."""
    require(access, "feedback.change_recovery")
    check_tenant(access, response)
    existing = Recovery.objects.filter(response=response).first()
    if existing is not None:
        return existing
    if not 1 <= review_days <= 60 or not 1 <= flag_days <= 730:
        raise ApplicationError(_("The review takes 1 to 60 working days and the flag lasts 1 to 730 days."))
    now = now or timezone.now()
    tenant = access.membership.tenant
    account = Account.objects.select_for_update().get(pk=response.account_id)
    with translation.override(tenant.locale):
        expires = timezone.localdate(now) + timedelta(days=flag_days)
        if account.risk_flag:  # already at risk: keep the first reason, keep the flag at least until then
            later = max(account.risk_expires_on or expires, expires)
            account = account_update(access=access, account=account, risk_expires_on=later)
        else:
            account = account_update(
                access=access,
                account=account,
                risk_flag=True,
                risk_reason=_risk_reason(response),
                risk_owner=account.owner,
                risk_expires_on=expires,
            )
        task = _review_task(access, response, review_days, now)
    recovery = Recovery.objects.create(
        tenant_id=response.tenant_id,
        response=response,
        account=account,
        project=response.project,
        review_task=task,
    )
    audit_record(obj=recovery, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(recovery))
    payload = _payload(
        recovery, account_owner_id=account.owner_id, manager_id=getattr(response.project, "owner_id", None)
    )
    emit(events.RECOVERY_OPENED, tenant=tenant, payload=payload, actor=actor_of(access))
    return recovery


def _close(recovery: Recovery, *, actor, reason: str, follow_up: Activity | None, now: datetime) -> Recovery:
    before = snapshot(recovery)
    recovery.status = RecoveryStatus.CLOSED
    recovery.closed_at = now
    recovery.closed_by = actor
    recovery.close_reason = reason[:MAX_REASON]
    if follow_up is not None:
        recovery.follow_up = follow_up
    recovery.save(update_fields=["status", "closed_at", "closed_by", "close_reason", "follow_up", "updated_at"])
    audit_record(obj=recovery, action=AuditAction.UPDATE, actor=actor, before=before, after=snapshot(recovery))
    still_open = Recovery.objects.filter(account_id=recovery.account_id, status=RecoveryStatus.OPEN).exists()
    if not still_open:
        account_risk_lift(account=recovery.account, actor=actor)
    emit(
        events.RECOVERY_CLOSED,
        tenant=recovery.tenant_id,
        payload=_payload(recovery, reason=recovery.close_reason, automatic=follow_up is not None),
        actor=actor,
    )
    return recovery


def _locked(recovery: Recovery) -> Recovery:
    return Recovery.objects.select_for_update().select_related("response", "account").get(pk=recovery.pk)


@transaction.atomic
def recovery_close(*, access, recovery: Recovery, reason: str, now: datetime | None = None) -> Recovery:
    """Close a recovery by hand, saying why (the customer was called and is satisfied, the project is void…)."""
    require(access, "feedback.change_recovery")
    check_tenant(access, recovery)
    recovery = _locked(recovery)
    if recovery.status == RecoveryStatus.CLOSED:
        raise ApplicationError(_("This recovery is already closed."))
    reason = (reason or "").strip()
    if not reason:
        message = _("Say why the recovery is closed.")
        raise ApplicationError(message, errors={"reason": [message]})
    if len(reason) > MAX_REASON:
        message = _("Please keep the reason under %(n)s characters.") % {"n": MAX_REASON}
        raise ApplicationError(message, errors={"reason": [message]})
    return _close(recovery, actor=actor_of(access), reason=reason, follow_up=None, now=now or timezone.now())


def _follow_up_since(recovery: Recovery) -> Activity | None:
    """The first follow-up with the customer a person logged on the account since the answer."""
    return (
        Activity.objects.filter(
            tenant_id=recovery.tenant_id,
            account_id=recovery.account_id,
            automation_rule_id__isnull=True,
            occurred_at__gte=recovery.response.submitted_at,
        )
        .exclude(kind=ActivityKind.TASK, done=False)
        .order_by("occurred_at", "id")
        .first()
    )


def _review_done(recovery: Recovery) -> bool:
    if recovery.review_task_id is None:
        return True  # no project to review in (or the task was removed): the follow-up alone closes it
    done = Task.objects.filter(pk=recovery.review_task_id).values_list("percent_complete", flat=True).first()
    return done is None or done >= 100


@transaction.atomic
def recovery_check(*, recovery_id: int, now: datetime | None = None) -> bool:
    """Close the recovery when its review task is done and a follow-up was logged since; True when it closed."""
    recovery = Recovery.objects.filter(pk=recovery_id, status=RecoveryStatus.OPEN).first()
    if recovery is None:
        return False
    recovery = _locked(recovery)
    if recovery.status != RecoveryStatus.OPEN or not _review_done(recovery):
        return False
    follow_up = _follow_up_since(recovery)
    if follow_up is None:
        return False
    with translation.override(_tenant_locale(recovery.tenant_id)):
        reason = _("Review done and the customer followed up.")
    _close(recovery, actor=None, reason=reason, follow_up=follow_up, now=now or timezone.now())
    return True


def _tenant_locale(tenant_id: int) -> str:
    from tandem.accounts.models import Tenant

    return Tenant.objects.filter(pk=tenant_id).values_list("locale", flat=True).first() or "zh-hans"


def on_review_task_completed(event) -> None:
    """projects.task.completed: the review may have been the last thing a recovery waited for."""
    task_id = event.payload.get("task_id")
    for recovery_id in Recovery.objects.filter(
        tenant_id=event.tenant_id, review_task_id=task_id, status=RecoveryStatus.OPEN
    ).values_list("pk", flat=True):
        recovery_check(recovery_id=recovery_id)


def on_follow_up_logged(event) -> None:
    """crm.activity.follow_up: a follow-up on an account with an open recovery may close it."""
    account_id = event.payload.get("account_id")
    for recovery_id in Recovery.objects.filter(
        tenant_id=event.tenant_id, account_id=account_id, status=RecoveryStatus.OPEN
    ).values_list("pk", flat=True):
        recovery_check(recovery_id=recovery_id)
