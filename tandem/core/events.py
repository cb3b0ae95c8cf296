"""Domain events through a transactional outbox.

`emit()` writes an `OutboxEvent` row in the caller's transaction and asks for dispatch on
commit; a periodic sweep catches anything a crash left behind. Each handler runs in its own
transaction together with an `EventHandling` row, so a handler's effect is applied exactly once
per event even when dispatch is repeated (at-least-once delivery, idempotent handlers).
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone

from tandem.core import context

logger = logging.getLogger(__name__)

# A safety net for every handler; automation stops (and logs) its own chains at depth 5, before this.
MAX_DEPTH = 10
Handler = Callable[["OutboxEvent"], None]  # noqa: F821
_handlers: dict[str, list[tuple[str, Handler]]] = defaultdict(list)


def on(*names: str):
    """Register a handler for event names ("*" for every event). Handlers must be idempotent in effect."""

    def decorator(func: Handler) -> Handler:
        handler_id = f"{func.__module__}.{func.__qualname__}"
        for name in names:
            if handler_id not in {h for h, _ in _handlers[name]}:
                _handlers[name].append((handler_id, func))
        return func

    return decorator


def handlers_for(name: str) -> list[tuple[str, Handler]]:
    return [*_handlers.get(name, []), *_handlers.get("*", [])]


def json_safe(payload: dict) -> dict:
    """Round-trip through JSON so payloads hold only JSON types (dates become ISO strings)."""
    return json.loads(json.dumps(payload, cls=DjangoJSONEncoder))


def emit(name: str, *, tenant, payload: dict, actor=None, depth: int | None = None):
    """Record an event in the current transaction; it is dispatched only if the transaction commits.

    `depth` defaults to the context's: an event caused by an automation action is one step deeper.
    """
    from tandem.core.models import OutboxEvent

    if depth is None:
        depth = context.current().event_depth
    event = OutboxEvent.objects.create(
        tenant_id=getattr(tenant, "pk", tenant),
        name=name,
        payload=json_safe(payload),
        actor_id=getattr(actor, "pk", actor),
        request_id=context.current().request_id,
        depth=depth,
    )
    transaction.on_commit(lambda: _enqueue(event.pk), robust=True)
    return event


def _enqueue(event_id) -> None:
    from tandem.core.tasks import dispatch_event_task

    dispatch_event_task(str(event_id))


def dispatch(event_id) -> bool:
    """Run every pending handler of one event; True when the event is fully handled."""
    from tandem.core.models import EventHandling, OutboxEvent

    event = OutboxEvent.objects.filter(pk=event_id).first()
    if event is None or event.dispatched_at is not None:
        return True
    failed = False
    for handler_id, func in handlers_for(event.name):
        if event.depth > MAX_DEPTH:
            logger.warning("event %s at depth %s: chain stopped", event.pk, event.depth)
            break
        try:
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        EventHandling.objects.create(event=event, handler=handler_id)
                except IntegrityError:
                    continue  # applied by an earlier dispatch
                func(event)
        except Exception as exc:  # a failing handler must not block the others
            failed = True
            logger.exception("handler %s failed on event %s", handler_id, event.pk)
            OutboxEvent.objects.filter(pk=event.pk).update(last_error=f"{handler_id}: {exc}"[:2000])
    OutboxEvent.objects.filter(pk=event.pk).update(
        attempts=event.attempts + 1, dispatched_at=None if failed else timezone.now()
    )
    return not failed


def sweep(*, older_than: timedelta = timedelta(seconds=30), limit: int = 500, max_attempts: int = 20) -> int:
    """Dispatch events a crash or a failing handler left pending; returns how many were tried."""
    from tandem.core.models import OutboxEvent

    cutoff = timezone.now() - older_than
    pending = list(
        OutboxEvent.objects.filter(dispatched_at__isnull=True, created_at__lte=cutoff, attempts__lt=max_attempts)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for event_id in pending:
        dispatch(event_id)
    return len(pending)
