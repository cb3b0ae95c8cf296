"""Triggering: which rules a record change or a business event fires, and the run each one writes.

Two listeners feed it (registered in `AutomationConfig.ready()`): `record_changed` hears every audited write and
emits `record.changed` when some rule watches that record type; `on_event` handles every outbox event once and
writes the runs of the rules it fires. `start_run` is also how manual, inbound-webhook and time triggers start.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.automation import catalog
from tandem.automation.engine import runner, watched
from tandem.automation.models import RECORD_TRIGGERS, ActionRun, Rule, Run, RunStatus, TriggerType
from tandem.core import conditions

MAX_DEPTH = 5
RECORD_EVENT = "record.changed"


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
    transaction.on_commit(lambda: runner.enqueue(run.pk), robust=True)
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
        watched_fields = settings_.get("fields") or []
        return not watched_fields or any(name in changes for name in watched_fields)
    name = settings_.get("field")
    if name not in changes:
        return False
    old, new = changes[name]
    if "to" in settings_ and str(new) != str(settings_["to"]):
        return False
    return not ("from" in settings_ and str(old) != str(settings_["from"]))


def on_event(event) -> int:
    """Outbox handler of every event: start the runs it fires; returns how many were written."""
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
    """Audit listener of every audited write: emit `record.changed` when an enabled rule watches the record's type.

    Whether one does comes from the tenant's watched set (`watched`), so a write nobody watches costs no query.
    A rule's own audited change (create, edit, enable, disable, delete, restore, purge) renews that set.
    """
    from tandem.core.events import emit

    tenant_id = getattr(obj, "tenant_id", None)
    if isinstance(obj, Rule):
        watched.rules_changed(tenant_id)
        return
    record_type = catalog.get(catalog.key_of(obj))
    if action == "transfer" and before and after:
        # An owner transfer is audited as its own action under the field's name ({"owner": 3}); to rules it is an
        # update of owner_id, so "owner changed" triggers and conditions see it.
        field = next(iter(before))
        before, after, action = {f"{field}_id": before[field]}, {f"{field}_id": after.get(field)}, "update"
    if record_type is None or tenant_id is None or action not in ("create", "update", "delete"):
        return
    if record_type.key not in watched.watched_types(tenant_id):
        return
    changes = {}
    if action == "update" and before is not None and after is not None:
        changes = {key: [before.get(key), after.get(key)] for key in after}
    emit(
        RECORD_EVENT,
        tenant=tenant_id,
        payload={"model": record_type.key, "id": obj.pk, "action": action, "changes": changes},
    )
