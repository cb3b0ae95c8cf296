"""Template helpers of the service-request pages: the state of an SLA deadline, the badges' colours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django import template
from django.utils import timezone

from tandem.feedback.choices import OPEN_REQUEST_STATUSES

register = template.Library()

PRIORITY_BADGES = {
    "urgent": "text-bg-danger",
    "high": "text-bg-warning",
    "normal": "text-bg-primary",
    "low": "text-bg-light border",
}
STATUS_BADGES = {
    "new": "text-bg-info",
    "assigned": "text-bg-primary",
    "in_progress": "text-bg-warning",
    "waiting": "text-bg-secondary",
    "resolved": "text-bg-success",
    "closed": "text-bg-light border",
}


@dataclass(frozen=True)
class Deadline:
    """One SLA deadline of a request: when it is due, when it was met, and where it stands now."""

    due: datetime | None
    done_at: datetime | None
    state: str  # "none", "running", "overdue", "met", "late", "stopped"

    @property
    def is_overdue(self) -> bool:
        return self.state == "overdue"


def deadline(item, kind: str, now: datetime | None = None) -> Deadline:
    """The first-response (`response`) or resolution (`resolution`) deadline of a request."""
    now = now or timezone.now()
    if kind == "response":
        due, done_at = item.response_due_at, item.first_response_at
    else:
        due, done_at = item.resolve_due_at, item.resolved_at
    if due is None:
        state = "none"
    elif done_at is not None:
        state = "late" if done_at > due else "met"
    elif item.status not in OPEN_REQUEST_STATUSES:
        state = "stopped"
    else:
        state = "overdue" if due < now else "running"
    return Deadline(due, done_at, state)


@register.filter
def sla(item, kind: str) -> Deadline:
    return deadline(item, kind)


@register.filter
def sla_overdue(item) -> bool:
    """A deadline of the open request has passed."""
    now = timezone.now()
    return deadline(item, "response", now).is_overdue or deadline(item, "resolution", now).is_overdue


@register.filter
def priority_badge(value: str) -> str:
    return PRIORITY_BADGES.get(value, "text-bg-light border")


@register.filter
def status_badge(value: str) -> str:
    return STATUS_BADGES.get(value, "text-bg-light border")
