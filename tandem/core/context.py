"""Per-request context (request id, client IP, actor) that services read for audit rows.

Work an automation rule does runs with the rule owner's permissions, but its author is the rule: the engine puts
the rule's id and name here, and the rows written meanwhile (audit entries, timeline notes) carry them.
"""

from __future__ import annotations

import contextvars
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip: str | None = None
    user_agent: str = ""
    # How many automation steps led here: events emitted in this context carry it, so loops stop.
    event_depth: int = 0
    # The automation rule whose run is writing (None for a person's request).
    automation_rule_id: int | None = None
    automation_rule_name: str = ""


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar("tandem_request", default=None)


def current() -> RequestContext:
    """The context of the request being served, or a fresh one for background work."""
    ctx = _current.get()
    if ctx is None:
        ctx = RequestContext(request_id=uuid.uuid4().hex)
        _current.set(ctx)
    return ctx


def activate(ctx: RequestContext) -> contextvars.Token:
    return _current.set(ctx)


def deactivate(token: contextvars.Token) -> None:
    _current.reset(token)


def client_ip(request) -> str | None:
    """The client address; X-Forwarded-For is trusted only when TANDEM_TRUST_PROXY is on."""
    from django.conf import settings

    if getattr(settings, "TANDEM_TRUST_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None
