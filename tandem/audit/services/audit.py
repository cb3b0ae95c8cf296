"""Writing the audit trail; called by services inside their transaction."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from tandem.audit.models import AuditAction, AuditEntry, SecurityEvent, SecurityEventKind
from tandem.core import context
from tandem.core.masking import mask
from tandem.core.permissions import type_key
from tandem.core.services import actor_of

_SKIP = {"updated_at"}
_record_listeners: list[Callable] = []


def register_record_listener(listener: Callable) -> None:
    """Call `listener(obj, action, before, after)` after every change row `audit_record` writes (backdated demo
    history excepted), in the writer's transaction.

    Apps register in their `AppConfig.ready()`. Who listens: automation's record triggers
    (`tandem.automation.engine.triggers.record_changed`). Registering the same listener twice adds it once.
    """
    if listener not in _record_listeners:
        _record_listeners.append(listener)


class _Encoder(DjangoJSONEncoder):
    """ISO dates, decimals and UUIDs as DjangoJSONEncoder writes them; anything else as its text."""

    def default(self, o):
        try:
            return super().default(o)
        except TypeError:
            return str(o)


def snapshot(obj: models.Model) -> dict:
    """The audited state of a record: concrete field values, sensitive ones masked."""
    sensitive = getattr(obj, "sensitive_fields", {})
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in _SKIP:
            continue
        value = field.value_from_object(obj)
        if field.name in sensitive:
            value = mask(value, sensitive[field.name])
        data[field.attname if field.is_relation else field.name] = value
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            data[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return json.loads(json.dumps(data, cls=_Encoder))


def _diff(before: dict | None, after: dict | None) -> tuple[dict | None, dict | None]:
    """Keep only the keys that changed, so one update writes a compact row."""
    if before is None or after is None:
        return before, after
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def audit_record(
    *,
    obj: models.Model,
    action: str,
    actor=None,
    before: dict | None = None,
    after: dict | None = None,
    tenant_id: int | None = None,
    at=None,
) -> AuditEntry | None:
    """Write one change row; an update that changed nothing writes nothing.

    `at` backdates the row (demo history only): rows are append-only, so the time is set on insert.
    """
    if action == AuditAction.UPDATE:
        before, after = _diff(before, after)
        if not after:
            return None
    ctx = context.current()
    entry = AuditEntry.objects.create(
        tenant_id=tenant_id if tenant_id is not None else getattr(obj, "tenant_id", None),
        object_type=type_key(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action=action,
        before=before,
        after=after,
        actor_id=getattr(actor, "pk", None),
        actor_name=str(actor)[:150] if actor is not None else "",
        request_id=ctx.request_id,
        ip=ctx.ip,
        automation_rule_id=ctx.automation_rule_id,
        automation_rule_name=ctx.automation_rule_name[:200],
        **({"created_at": at} if at is not None else {}),
    )
    if at is None:
        for listener in _record_listeners:
            listener(obj, action, before, after)
    return entry


def security_event(
    *, kind: str, tenant_id: int | None = None, user=None, username: str = "", **detail
) -> SecurityEvent:
    """Record a security event with the request's id, address and user agent."""
    ctx = context.current()
    return SecurityEvent.objects.create(
        tenant_id=tenant_id,
        kind=kind,
        user_id=getattr(user, "pk", None),
        username=(username or getattr(user, "username", ""))[:150],
        detail=json.loads(json.dumps(detail, cls=_Encoder)),
        request_id=ctx.request_id,
        ip=ctx.ip,
        user_agent=ctx.user_agent,
    )


@transaction.atomic
def personal_data_export_record(*, access, export: str, fmt: str, filters: dict) -> SecurityEvent:
    """A page's export of personal data is a security event: which list, in which format, with which filters."""
    return security_event(
        kind=SecurityEventKind.PERSONAL_DATA_EXPORT,
        tenant_id=access.tenant_id,
        user=actor_of(access),
        export=export,
        format=fmt,
        filters={k: v for k, v in filters.items() if v},
    )
