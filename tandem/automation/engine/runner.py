"""Running: a run's steps in order, each in its own transaction with its status, as the rule's owner.

What the steps write has the rule as its author (audit entries, timeline notes: see `core.context`), with the
owner's permissions. A temporary failure is retried with backoff, a wait resumes when due, a permanent failure
fails the run unless the step continues on failure. A failed run is told to the rule's owner and the tenant's
administrators (in the bell, in the tenant's language, linking the run); K failed runs in a row disable the rule,
and that notice replaces the failure's. `resume_due` picks up what a lost task or a killed worker left behind.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, OperationalError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tandem.automation import actions as registry
from tandem.automation import catalog
from tandem.automation.actions import ActionContext, ActionFailed, RetryLater, WaitUntil
from tandem.automation.engine import watched
from tandem.automation.models import ActionRun, ActionStatus, Rule, Run, RunStatus
from tandem.core import context
from tandem.core.errors import ApplicationError

logger = logging.getLogger(__name__)

RULE_DISABLED_EVENT = "automation.rule.disabled"
STEP_RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
STEP_MAX_ATTEMPTS = len(STEP_RETRY_DELAYS) + 1
STALE_RUNNING = timedelta(minutes=15)  # a run "running" this long lost its worker
_DONE = {ActionStatus.SUCCEEDED, ActionStatus.SKIPPED, ActionStatus.FAILED}


# --- who acts --------------------------------------------------------------------------------------


def acting_access(rule: Rule):
    """The rule owner's access, or the first active owner/administrator's when the owner is gone."""
    from tandem.accounts.access import MembershipAccess
    from tandem.accounts.models import Membership

    members = Membership.objects.filter(tenant_id=rule.tenant_id, is_active=True, user__is_active=True)
    membership = members.filter(user_id=rule.owner_id).first() if rule.owner_id else None
    if membership is None:
        membership = members.filter(roles__key__in=("owner", "admin")).order_by("user_id").first()
    if membership is None:
        raise ActionFailed(_("Nobody is left to run this rule as; give it an owner."))
    return MembershipAccess(membership)


def tenant_language(tenant_id: int) -> str:
    """The language the tenant's messages and run log are written in."""
    from tandem.accounts.models import Tenant

    return Tenant.objects.filter(pk=tenant_id).values_list("locale", flat=True).first() or "zh-hans"


def enqueue(run_id: int, *, eta: datetime | None = None) -> None:
    """Hand a run to a worker now, or at `eta` (a wait or a retry)."""
    from tandem.automation.tasks import execute_run_task

    if eta is not None:
        execute_run_task.schedule(args=(run_id,), eta=eta)
    else:
        execute_run_task(run_id)


# --- running steps ---------------------------------------------------------------------------------


def _claim(run_id: int, now: datetime) -> bool:
    """Take a run for this worker; a second worker (or a duplicate task) gets False."""
    claimed = Run.objects.filter(pk=run_id, status__in=[RunStatus.QUEUED, RunStatus.WAITING]).update(
        status=RunStatus.RUNNING, updated_at=now
    )
    if claimed:
        Run.objects.filter(pk=run_id, started_at__isnull=True).update(started_at=now)
    return bool(claimed)


def execute(run_id: int, *, now: datetime | None = None) -> str | None:
    """Run a queued or waiting run's due steps; returns the run's status afterwards (None if not claimed)."""
    now = now or timezone.now()
    if not _claim(run_id, now):
        return None
    run = Run.objects.select_related("rule", "version").get(pk=run_id)
    with translation.override(tenant_language(run.tenant_id)):
        return _execute(run, now)


def _execute(run: Run, now: datetime) -> str:
    record_type = catalog.get(run.record_model)
    record = catalog.load(record_type, run.tenant_id, run.record_id, with_deleted=True) if record_type else None
    data = catalog.record_data(record_type, record) if record is not None else {}
    if run.payload:
        data["trigger"] = run.payload
    steps = list(run.steps.order_by("index"))
    try:
        access = acting_access(run.rule)
    except ActionFailed as exc:
        for step in steps:
            if step.status not in _DONE:
                _set(step, ActionStatus.SKIPPED if step.index else ActionStatus.FAILED, error=str(exc))
        return _finish(run, now)
    ctx = ActionContext(
        tenant_id=run.tenant_id,
        access=access,
        rule=run.rule,
        run=run,
        index=0,
        record_type=record_type,
        record=record,
        data=data,
        now=now,
        language=translation.get_language(),
    )
    halted, stopped_by = False, None
    for step in steps:
        if halted or stopped_by is not None:
            if step.status not in _DONE:
                reason = _("Not run: an earlier action failed.")
                if stopped_by is not None:
                    reason = _("Not needed: %(summary)s") % {"summary": (stopped_by.result or {}).get("summary", "")}
                _set(step, ActionStatus.SKIPPED, error=reason)
            continue
        if step.status == ActionStatus.SUCCEEDED:
            ctx.data.update((step.result or {}).get("data") or {})
            stopped_by = step if (step.result or {}).get("stop") else None
            continue
        if step.status in (ActionStatus.SKIPPED, ActionStatus.FAILED):
            halted = step.status == ActionStatus.FAILED and not step.continue_on_failure
            continue
        if step.status in (ActionStatus.RETRYING, ActionStatus.WAITING) and step.next_attempt_at > now:
            Run.objects.filter(pk=run.pk).update(status=RunStatus.WAITING)
            enqueue(run.pk, eta=step.next_attempt_at)
            return RunStatus.WAITING
        ctx.index, ctx.step = step.index, step
        status = _attempt(step, ctx)
        if status in (ActionStatus.RETRYING, ActionStatus.WAITING):
            Run.objects.filter(pk=run.pk).update(status=RunStatus.WAITING)
            enqueue(run.pk, eta=step.next_attempt_at)
            return RunStatus.WAITING
        if status == ActionStatus.FAILED and not step.continue_on_failure:
            halted = True
        if status == ActionStatus.SUCCEEDED and (step.result or {}).get("stop"):
            stopped_by = step
    return _finish(run, timezone.now())


def _set(step: ActionRun, status: str, **fields) -> None:
    step.status = status
    for name, value in fields.items():
        setattr(step, name, value)
    step.save()


def _attempt(step: ActionRun, ctx: ActionContext) -> str:
    action = registry.get(step.action)
    started = timezone.now()
    step.started_at = step.started_at or started
    token = context.activate(
        context.RequestContext(
            request_id=f"rule-run-{step.run_id}",
            event_depth=step.run.depth + 1,
            automation_rule_id=ctx.rule.pk,
            automation_rule_name=ctx.rule.name,
        )
    )
    try:
        if action is None:
            raise ActionFailed(_("Unknown action “%(a)s”.") % {"a": step.action})
        with transaction.atomic():
            outcome = action.run(ctx, step.params or {})
            step.attempts += 1
            _set(
                step,
                ActionStatus.SUCCEEDED,
                result={"summary": outcome.summary, "data": outcome.data, **({"stop": True} if outcome.stop else {})},
                error="",
                finished_at=timezone.now(),
                duration_ms=_ms(started),
                next_attempt_at=None,
            )
        ctx.data.update(outcome.data)
        return step.status
    except WaitUntil as wait:
        _set(step, ActionStatus.WAITING, next_attempt_at=wait.moment, result={"summary": wait.summary})
        return step.status
    except RetryLater as exc:
        step.attempts += 1
        if step.attempts >= STEP_MAX_ATTEMPTS:
            _fail(step, started, _("Gave up after %(n)s attempts: %(e)s") % {"n": step.attempts, "e": exc})
            return step.status
        delay = STEP_RETRY_DELAYS[step.attempts - 1]
        if exc.after:
            delay = max(delay, exc.after)
        _set(step, ActionStatus.RETRYING, error=str(exc)[:2000], next_attempt_at=timezone.now() + delay)
        return step.status
    except OperationalError as exc:
        step.attempts += 1
        if step.attempts >= STEP_MAX_ATTEMPTS:
            _fail(step, started, str(exc))
            return step.status
        _set(
            step,
            ActionStatus.RETRYING,
            error=str(exc)[:2000],
            next_attempt_at=timezone.now() + STEP_RETRY_DELAYS[step.attempts - 1],
        )
        return step.status
    except (ActionFailed, ApplicationError, PermissionDenied, ValidationError, DatabaseError) as exc:
        step.attempts += 1
        _fail(step, started, describe_error(exc))
        return step.status
    except Exception as exc:  # a bug in an action must not stop the engine
        logger.exception("action %s of run %s failed", step.action, step.run_id)
        step.attempts += 1
        _fail(step, started, _("Unexpected error: %(e)s") % {"e": exc})
        return step.status
    finally:
        context.deactivate(token)


def describe_error(exc: Exception) -> str:
    """A failed step's error in words for the run log (and the dry run)."""
    if isinstance(exc, ApplicationError):
        details = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in (exc.errors or {}).items())
        return f"{exc.message} {details}".strip() if hasattr(exc, "message") else str(exc)
    if isinstance(exc, PermissionDenied):
        return _("The rule's owner may not do this: %(e)s") % {"e": exc or _("permission denied")}
    return str(exc)


def _fail(step: ActionRun, started: datetime, error: str) -> None:
    _set(
        step,
        ActionStatus.FAILED,
        error=error[:2000],
        finished_at=timezone.now(),
        duration_ms=_ms(started),
        next_attempt_at=None,
    )


def _ms(started: datetime) -> int:
    return max(0, int((timezone.now() - started).total_seconds() * 1000))


@transaction.atomic
def _finish(run: Run, now: datetime) -> str:
    steps = list(run.steps.order_by("index"))
    failed = [s for s in steps if s.status == ActionStatus.FAILED]
    status = RunStatus.FAILED if failed else RunStatus.SUCCEEDED
    started = Run.objects.filter(pk=run.pk).values_list("started_at", flat=True).first() or run.created_at
    Run.objects.filter(pk=run.pk).update(
        status=status,
        finished_at=now,
        duration_ms=max(0, int((now - started).total_seconds() * 1000)),
        error=failed[0].error[:2000] if failed else "",
    )
    rule = Rule.objects.select_for_update().get(pk=run.rule_id)
    if status == RunStatus.SUCCEEDED:
        if rule.consecutive_failures:
            Rule.objects.filter(pk=rule.pk).update(consecutive_failures=0)
        return status
    rule.consecutive_failures += 1
    fields = ["consecutive_failures"]
    if rule.enabled and rule.max_failures and rule.consecutive_failures >= rule.max_failures:
        rule.enabled = False
        rule.disabled_reason = _("Disabled after %(n)s failed runs in a row; last error: %(e)s") % {
            "n": rule.consecutive_failures,
            "e": (failed[0].error or "")[:200],
        }
        fields += ["enabled", "disabled_reason"]
        _tell_disabled(rule, run)
    else:
        _tell_failed(rule, run, failed[0])
    Rule.objects.filter(pk=rule.pk).update(**{name: getattr(rule, name) for name in fields})
    if "enabled" in fields:
        watched.rules_changed(rule.tenant_id)  # a plain update, unaudited: the audit listener does not see it
    return status


def rule_watchers(rule: Rule) -> list[int]:
    """Who hears of a rule's trouble: its owner and the tenant's active owners and administrators."""
    from tandem.accounts.models import Membership

    members = Membership.objects.filter(tenant_id=rule.tenant_id, is_active=True, user__is_active=True)
    admins = members.filter(roles__key__in=("owner", "admin")).values_list("user_id", flat=True)
    owner = members.filter(user_id=rule.owner_id).values_list("user_id", flat=True) if rule.owner_id else []
    return sorted({*owner, *admins})


def _tell_failed(rule: Rule, run: Run, step: ActionRun) -> None:
    from django.urls import reverse

    from tandem.notifications.services.notifications import notification_send

    record = run.record_repr or run.event_name or "—"
    body = _("Record: %(record)s\nStep %(n)s failed: %(error)s") % {
        "record": record,
        "n": step.index + 1,
        "error": step.error,
    }
    if rule.max_failures:
        body += "\n" + _("%(n)s of %(max)s failed runs in a row; at %(max)s the rule is disabled.") % {
            "n": rule.consecutive_failures,
            "max": rule.max_failures,
        }
    for user_id in rule_watchers(rule):
        notification_send(
            tenant_id=rule.tenant_id,
            recipient_id=user_id,
            title=_("Automation rule “%(name)s” failed") % {"name": rule.name},
            body=body,
            url=reverse("automation:run_detail", args=[run.pk]),
            event_id=uuid.uuid5(uuid.NAMESPACE_URL, f"tandem:rule-failed:{run.pk}:{user_id}"),
        )


def _tell_disabled(rule: Rule, run: Run) -> None:
    from django.urls import reverse

    from tandem.core.events import emit
    from tandem.notifications.services.notifications import notification_send

    for user_id in rule_watchers(rule):
        notification_send(
            tenant_id=rule.tenant_id,
            recipient_id=user_id,
            title=_("Automation rule “%(name)s” was disabled") % {"name": rule.name},
            body=rule.disabled_reason,
            url=reverse("automation:rule_detail", args=[rule.pk]),
            event_id=uuid.uuid5(uuid.NAMESPACE_URL, f"tandem:rule-disabled:{rule.pk}:{run.pk}:{user_id}"),
        )
    emit(
        RULE_DISABLED_EVENT,
        tenant=rule.tenant_id,
        depth=0,
        payload={"rule_id": rule.pk, "name": rule.name, "run_id": run.pk, "reason": rule.disabled_reason},
    )


def resume_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """Enqueue runs whose wait or retry is due, and queued runs a lost task left behind."""
    now = now or timezone.now()
    due = set(
        ActionRun.objects.filter(
            status__in=[ActionStatus.RETRYING, ActionStatus.WAITING],
            next_attempt_at__lte=now,
            run__status=RunStatus.WAITING,
        ).values_list("run_id", flat=True)[:limit]
    )
    due |= set(
        Run.objects.filter(status=RunStatus.QUEUED, created_at__lte=now - timedelta(minutes=2)).values_list(
            "pk", flat=True
        )[:limit]
    )
    # A worker killed in the middle of a run leaves it "running": its finished steps stay done (each committed
    # with its status), the rest run again.
    stale = list(
        Run.objects.filter(status=RunStatus.RUNNING, updated_at__lte=now - STALE_RUNNING).values_list("pk", flat=True)[
            :limit
        ]
    )
    if stale:
        Run.objects.filter(pk__in=stale, status=RunStatus.RUNNING).update(status=RunStatus.QUEUED, updated_at=now)
        due |= set(stale)
    for run_id in sorted(due):
        enqueue(run_id)
    return len(due)
