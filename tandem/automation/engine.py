"""The rule engine: which rules an event fires, a run's conditions and steps, retries, waits and time triggers.

Flow: a committed change → outbox event → `on_event` (in the dispatcher's transaction, once per event) finds
the rules it fires and writes a `Run` per rule with its condition result and one `ActionRun` per action →
after commit `execute(run)` runs the steps in order, each in its own transaction together with its status,
as the rule's owner, one causal step deeper. A temporary failure is retried with backoff; a permanent one
fails the run unless the step continues on failure; K failed runs in a row disable the rule and tell its
owner. Runs are unique per (rule version, dedup key), which is what makes time triggers fire once even
when two workers scan at the same moment.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, OperationalError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tandem.automation import actions as registry
from tandem.automation import catalog, conditions
from tandem.automation.actions import ActionContext, ActionFailed, RetryLater, WaitUntil
from tandem.automation.models import (
    RECORD_TRIGGERS,
    ActionRun,
    ActionStatus,
    Rule,
    Run,
    RunStatus,
    TriggerType,
)
from tandem.core import context
from tandem.core.errors import ApplicationError

logger = logging.getLogger(__name__)

MAX_DEPTH = 5
RECORD_EVENT = "record.changed"
RULE_DISABLED_EVENT = "automation.rule.disabled"
STEP_RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
STEP_MAX_ATTEMPTS = len(STEP_RETRY_DELAYS) + 1
STALE_RUNNING = timedelta(minutes=15)  # a run "running" this long lost its worker
TIME_LOOKBACK = timedelta(days=2)  # after an outage, fire what fell due in the last two days, not older
MAX_FIRES_PER_SCAN = 5000
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
    from tandem.accounts.models import Tenant

    return Tenant.objects.filter(pk=tenant_id).values_list("locale", flat=True).first() or "zh-hans"


# --- starting runs ---------------------------------------------------------------------------------


@dataclass
class Trigger:
    """What fired a rule: the record (if any), its changes, the event or webhook payload and the dedup key."""

    kind: str
    dedup_key: str
    record_type: catalog.RecordType | None = None
    record: object | None = None
    changes: dict | None = None
    event_id: uuid.UUID | None = None
    event_name: str = ""
    payload: dict | None = None
    depth: int = 0
    user_id: int | None = None


def _data_for(trigger: Trigger) -> tuple[dict, dict | None]:
    data: dict = {}
    previous = None
    if trigger.record_type is not None and trigger.record is not None:
        data = catalog.record_data(trigger.record_type, trigger.record)
        if trigger.changes:
            previous = catalog.previous_data(data, trigger.record_type, trigger.changes)
    if trigger.payload:
        data["trigger"] = trigger.payload
    return data, previous


def start_run(
    rule: Rule,
    trigger: Trigger,
    *,
    now: datetime | None = None,
    seen: tuple[dict, dict | None] | None = None,
    skipped: list[Run] | None = None,
) -> Run | None:
    """Write the run of `rule`'s current version for `trigger`; None when that run exists already.

    `seen` is the record JSON (and its previous state) when the caller already built it for another rule of
    the same trigger. With `skipped`, a run whose conditions do not hold is appended there, unsaved, for the
    caller to write in one statement with the others (see `_insert_skipped`). The steps run after the
    surrounding transaction commits.
    """
    now = now or timezone.now()
    version = rule.current_version
    record = trigger.record
    base = {
        "tenant_id": rule.tenant_id,
        "rule": rule,
        "version": version,
        "trigger_type": trigger.kind,
        "event_id": trigger.event_id,
        "event_name": trigger.event_name,
        "record_model": trigger.record_type.key if trigger.record_type else "",
        "record_id": str(record.pk) if record is not None else "",
        "record_repr": str(record)[:200] if record is not None else "",
        "payload": trigger.payload or {},
        "dedup_key": trigger.dedup_key[:200],
        "depth": trigger.depth,
        "triggered_by_id": trigger.user_id,
    }
    if trigger.depth > MAX_DEPTH:
        fields = {
            **base,
            "status": RunStatus.STOPPED,
            "finished_at": now,
            "error": _("Stopped: %(d)s automation steps led here; the limit is %(m)s (a rule loop?).")
            % {"d": trigger.depth, "m": MAX_DEPTH},
        }
        return _insert(fields)
    data, previous = seen if seen is not None else _data_for(trigger)
    condition = version.conditions
    if condition:
        trace = conditions.explain(condition, data, previous=previous, now=now)
        holds = trace["result"]
    else:
        trace, holds = None, True
    if not holds:
        fields = {**base, "status": RunStatus.SKIPPED, "condition_result": False, "condition_trace": trace}
        if skipped is not None:
            skipped.append(Run(**fields, finished_at=now))
            return skipped[-1]
        return _insert({**fields, "finished_at": now})
    run = _insert({**base, "status": RunStatus.QUEUED, "condition_result": True, "condition_trace": trace})
    if run is None:
        return None
    ActionRun.objects.bulk_create(
        ActionRun(
            tenant_id=rule.tenant_id,
            run=run,
            index=index,
            action=step.get("type", ""),
            params=step.get("params") or {},
            continue_on_failure=bool(step.get("continue_on_failure")),
        )
        for index, step in enumerate(version.actions or [])
    )
    transaction.on_commit(lambda: _enqueue(run.pk), robust=True)
    return run


def _insert_skipped(runs: list[Run]) -> None:
    """Log runs whose conditions did not hold in one statement; one already logged (a re-dispatch) is kept."""
    if runs:
        Run.objects.bulk_create(runs, ignore_conflicts=True)


def _insert(fields: dict) -> Run | None:
    try:
        with transaction.atomic():
            return Run.objects.create(**fields)
    except IntegrityError:
        return None  # this version already ran for this key


def _enqueue(run_id: int, *, eta: datetime | None = None) -> None:
    from tandem.automation.tasks import execute_run_task

    if eta is not None:
        execute_run_task.schedule(args=(run_id,), eta=eta)
    else:
        execute_run_task(run_id)


# --- events ----------------------------------------------------------------------------------------


def _rules(tenant_id: int, trigger_types, **filters):
    return (
        Rule.objects.filter(
            tenant_id=tenant_id, enabled=True, trigger_type__in=trigger_types, current_version__isnull=False, **filters
        )
        .select_related("current_version")
        .order_by("id")
    )


def _record_fires(rule: Rule, action: str, changes: dict) -> bool:
    kind, settings_ = rule.current_version.trigger_type, rule.current_version.trigger or {}
    if kind == TriggerType.RECORD_CREATED:
        return action == "create"
    if kind == TriggerType.RECORD_DELETED:
        return action == "delete"
    if action != "update":
        return False
    if kind == TriggerType.RECORD_UPDATED:
        watched = settings_.get("fields") or []
        return not watched or any(name in changes for name in watched)
    name = settings_.get("field")
    if name not in changes:
        return False
    old, new = changes[name]
    if "to" in settings_ and str(new) != str(settings_["to"]):
        return False
    return not ("from" in settings_ and str(old) != str(settings_["from"]))


def on_event(event) -> int:
    """Start the runs an outbox event fires; returns how many were written."""
    if event.tenant_id is None:
        return 0
    started = 0
    if event.name == RECORD_EVENT:
        payload = event.payload
        record_type = catalog.get(payload.get("model", ""))
        if record_type is None:
            return 0
        changes = payload.get("changes") or {}
        rules = [
            r
            for r in _rules(event.tenant_id, RECORD_TRIGGERS, model=record_type.key)
            if _record_fires(r, payload.get("action"), changes)
        ]
        if not rules:
            return 0
        record = catalog.load(record_type, event.tenant_id, payload.get("id"), with_deleted=True)
        if record is None:
            return 0
        seen, skipped = None, []
        for rule in rules:
            trigger = Trigger(
                rule.trigger_type,
                f"event:{event.pk}",
                record_type,
                record,
                changes,
                event.pk,
                event.name,
                None,
                event.depth,
            )
            seen = seen or _data_for(trigger)
            started += start_run(rule, trigger, seen=seen, skipped=skipped) is not None
        _insert_skipped(skipped)
        return started
    # The record and its JSON are read once per record type for this event, however many rules listen.
    seen: dict[str, tuple[dict, dict | None]] = {}
    records: dict[str, object] = {}
    skipped: list[Run] = []
    for rule in _rules(event.tenant_id, [TriggerType.EVENT], current_version__trigger__event=event.name):
        record_type = catalog.get(rule.current_version.model)
        key = rule.current_version.model
        if key not in records:
            record_id = event.payload.get(f"{record_type.name}_id", event.payload.get("id")) if record_type else None
            records[key] = (
                catalog.load(record_type, event.tenant_id, record_id, with_deleted=True) if record_type else None
            )
        record = records[key]
        trigger = Trigger(
            TriggerType.EVENT,
            f"event:{event.pk}",
            record_type,
            record,
            None,
            event.pk,
            event.name,
            {"event": event.name, **event.payload},
            event.depth,
        )
        if key not in seen:
            seen[key] = _data_for(trigger)
        started += start_run(rule, trigger, seen=seen[key], skipped=skipped) is not None
    _insert_skipped(skipped)
    return started


def record_changed(obj, action: str, before: dict | None, after: dict | None) -> None:
    """Audit hook: emit `record.changed` for a watched record type when some enabled rule listens to it."""
    from tandem.core.events import emit

    record_type = catalog.get(catalog.key_of(obj))
    tenant_id = getattr(obj, "tenant_id", None)
    if action == "transfer" and before and after:
        # An owner transfer is audited as its own action under the field's name ({"owner": 3}); to rules it is an
        # update of owner_id, so "owner changed" triggers and conditions see it.
        field = next(iter(before))
        before, after, action = {f"{field}_id": before[field]}, {f"{field}_id": after.get(field)}, "update"
    if record_type is None or tenant_id is None or action not in ("create", "update", "delete"):
        return
    if not Rule.objects.filter(
        tenant_id=tenant_id,
        enabled=True,
        trigger_type__in=RECORD_TRIGGERS,
        model=record_type.key,
        deleted_at__isnull=True,
    ).exists():
        return
    changes = {}
    if action == "update" and before is not None and after is not None:
        changes = {key: [before.get(key), after.get(key)] for key in after}
    emit(
        RECORD_EVENT,
        tenant=tenant_id,
        payload={"model": record_type.key, "id": obj.pk, "action": action, "changes": changes},
    )


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
    halted = False
    for step in steps:
        if halted:
            if step.status not in _DONE:
                _set(step, ActionStatus.SKIPPED, error=_("Not run: an earlier action failed."))
            continue
        if step.status == ActionStatus.SUCCEEDED:
            ctx.data.update((step.result or {}).get("data") or {})
            continue
        if step.status in (ActionStatus.SKIPPED, ActionStatus.FAILED):
            halted = step.status == ActionStatus.FAILED and not step.continue_on_failure
            continue
        if step.status in (ActionStatus.RETRYING, ActionStatus.WAITING) and step.next_attempt_at > now:
            Run.objects.filter(pk=run.pk).update(status=RunStatus.WAITING)
            _enqueue(run.pk, eta=step.next_attempt_at)
            return RunStatus.WAITING
        ctx.index, ctx.step = step.index, step
        status = _attempt(step, ctx)
        if status in (ActionStatus.RETRYING, ActionStatus.WAITING):
            Run.objects.filter(pk=run.pk).update(status=RunStatus.WAITING)
            _enqueue(run.pk, eta=step.next_attempt_at)
            return RunStatus.WAITING
        if status == ActionStatus.FAILED and not step.continue_on_failure:
            halted = True
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
        context.RequestContext(request_id=f"rule-run-{step.run_id}", event_depth=step.run.depth + 1)
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
                result={"summary": outcome.summary, "data": outcome.data},
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
        _fail(step, started, _describe(exc))
        return step.status
    except Exception as exc:  # a bug in an action must not stop the engine
        logger.exception("action %s of run %s failed", step.action, step.run_id)
        step.attempts += 1
        _fail(step, started, _("Unexpected error: %(e)s") % {"e": exc})
        return step.status
    finally:
        context.deactivate(token)


def _describe(exc: Exception) -> str:
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
    Rule.objects.filter(pk=rule.pk).update(**{name: getattr(rule, name) for name in fields})
    return status


def _tell_disabled(rule: Rule, run: Run) -> None:
    from django.urls import reverse

    from tandem.accounts.models import Membership
    from tandem.core.events import emit
    from tandem.notifications.services.notifications import notification_send

    recipients = (
        [rule.owner_id]
        if rule.owner_id
        else list(
            Membership.objects.filter(tenant_id=rule.tenant_id, is_active=True, roles__key__in=("owner", "admin"))
            .values_list("user_id", flat=True)
            .distinct()
        )
    )
    for user_id in recipients:
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
        _enqueue(run_id)
    return len(due)


# --- time triggers ---------------------------------------------------------------------------------


def _zone(tenant_id: int) -> ZoneInfo:
    from tandem.projects.services.scheduling import tenant_zone

    return tenant_zone(tenant_id)


def fire_time(value, offset: int, unit: str, *, zone: ZoneInfo, workdays=None) -> datetime | None:
    """When a date-relative trigger fires for a field value: a date counts from 09:00 local time."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(9, 0), tzinfo=zone)
    if unit == "working_days":
        local = value.astimezone(zone)
        day = workdays.add(local.date(), offset) if workdays is not None else local.date() + timedelta(days=offset)
        return datetime.combine(day, local.timetz())
    return value + timedelta(**{unit: offset})


def _date_relative_fires(rule: Rule, since: datetime, now: datetime):
    version = rule.current_version
    settings_ = version.trigger or {}
    record_type = catalog.get(version.model)
    field, offset, unit = settings_.get("field"), int(settings_.get("offset", 0)), settings_.get("unit", "days")
    if record_type is None or not field:
        return
    zone = _zone(rule.tenant_id)
    workdays = None
    if unit == "working_days":
        from tandem.calendars.services.calendars import calendar_default
        from tandem.calendars.workdays import Workdays

        workdays = Workdays(calendar_default(tenant_id=rule.tenant_id))
    span = timedelta(**{("days" if unit == "working_days" else unit): abs(offset)})
    slack = timedelta(days=abs(offset) * 2 + 10) if unit == "working_days" else timedelta(days=1)
    low = since - span - slack if offset >= 0 else since + span - slack
    high = now + span + slack if offset < 0 else now - span + slack
    model_field = record_type.model._meta.get_field(field)
    bounds = (low, high)
    if not model_field.get_internal_type().startswith("DateTime"):
        bounds = (low.astimezone(zone).date(), high.astimezone(zone).date())
    rows = record_type.queryset(rule.tenant_id).filter(**{f"{field}__range": bounds}).order_by("pk")
    for record in rows[:MAX_FIRES_PER_SCAN]:
        moment = fire_time(getattr(record, field), offset, unit, zone=zone, workdays=workdays)
        if moment is not None and since < moment <= now:
            yield record_type, record, moment


def _schedule_fires(rule: Rule, since: datetime, now: datetime):
    from huey import crontab

    settings_ = rule.current_version.trigger or {}
    fields = (settings_.get("cron") or "").split()
    if len(fields) != 5:
        return
    test = crontab(*fields)
    zone = _zone(rule.tenant_id)
    minute = since.astimezone(zone).replace(second=0, microsecond=0) + timedelta(minutes=1)
    end = now.astimezone(zone)
    while minute <= end:
        if test(minute.replace(tzinfo=None)):
            yield minute
        minute += timedelta(minutes=1)


def scan_time_triggers(*, now: datetime | None = None) -> int:
    """Start the runs of date-relative and scheduled rules that fell due since the last scan."""
    now = now or timezone.now()
    started = 0
    rules = Rule.objects.filter(
        enabled=True,
        trigger_type__in=[TriggerType.DATE_RELATIVE, TriggerType.SCHEDULE],
        current_version__isnull=False,
    ).select_related("current_version")
    for rule in rules:
        since = max(rule.scanned_until or rule.current_version.created_at, now - TIME_LOOKBACK)
        if since >= now:
            continue
        with transaction.atomic():
            if rule.trigger_type == TriggerType.DATE_RELATIVE:
                for record_type, record, moment in _date_relative_fires(rule, since, now):
                    key = f"time:{record_type.key}:{record.pk}:{moment.isoformat()}"
                    trigger = Trigger(
                        TriggerType.DATE_RELATIVE, key, record_type, record, payload={"fire_at": moment.isoformat()}
                    )
                    started += start_run(rule, trigger, now=now) is not None
            else:
                for moment in _schedule_fires(rule, since, now):
                    trigger = Trigger(
                        TriggerType.SCHEDULE, f"cron:{moment.isoformat()}", payload={"fire_at": moment.isoformat()}
                    )
                    started += start_run(rule, trigger, now=now) is not None
            Rule.objects.filter(pk=rule.pk).exclude(scanned_until__gte=now).update(scanned_until=now)
    return started
