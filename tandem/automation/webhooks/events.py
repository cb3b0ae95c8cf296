"""The event types an outbound webhook can subscribe to, and how a subscription matches an event name.

Pure: no ORM, so the matching rules can be read and tested alone.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# Sent by "send test event"; never emitted by the product, so no subscription is needed for it.
TEST_EVENT = "webhook.test"
ALL_EVENTS = "*"
# Internal and test-only families: a wildcard never reaches them, only their exact name does.
HIDDEN_PREFIXES = ("record.", "testing.")

KNOWN_EVENT_TYPES: list[tuple[str, str]] = [
    ("crm.account.created", _("Account created")),
    ("crm.account.claimed", _("Account claimed from the pool")),
    ("crm.account.assigned", _("Account assigned")),
    ("crm.account.released", _("Account released to the pool")),
    ("crm.account.recalled", _("Account recalled to the pool")),
    ("crm.lead.converted", _("Lead converted")),
    ("crm.deal.created", _("Deal created")),
    ("crm.deal.stage_changed", _("Deal stage changed")),
    ("crm.deal.won", _("Deal won")),
    ("crm.deal.lost", _("Deal lost")),
    ("crm.contract.signed", _("Contract signed")),
    ("crm.receipt.recorded", _("Receipt recorded")),
    ("crm.activity.follow_up", _("Follow-up logged")),
    ("projects.project.created", _("Project created")),
    ("projects.project.updated", _("Project updated")),
    ("projects.project.status_changed", _("Project status changed")),
    ("projects.project.completed", _("Project completed")),
    ("projects.project.deleted", _("Project deleted")),
    ("projects.project.imported", _("Project imported")),
    ("projects.baseline.saved", _("Baseline saved")),
    ("projects.task.created", _("Task created")),
    ("projects.task.updated", _("Task updated")),
    ("projects.task.moved", _("Task moved")),
    ("projects.task.completed", _("Task completed")),
    ("projects.task.deleted", _("Task deleted")),
    ("feedback.survey.sent", _("Satisfaction survey sent")),
    ("feedback.response.submitted", _("Survey answered")),
    ("feedback.recovery.opened", _("Detractor recovery opened")),
    ("feedback.recovery.closed", _("Detractor recovery closed")),
    ("feedback.request.created", _("Service request opened")),
    ("feedback.request.status_changed", _("Service request status changed")),
    ("feedback.request.overdue", _("Service request missed its SLA")),
    ("resources.conflict.detected", _("Resource conflict warned")),
    ("resources.conflict.resolved", _("Resource conflict resolved")),
    ("approvals.approval.submitted", _("Submitted for approval")),
    ("approvals.approval.approved", _("Approval passed")),
    ("approvals.approval.rejected", _("Approval rejected")),
    ("approvals.approval.withdrawn", _("Approval withdrawn")),
    ("approvals.approval.voided", _("Approval voided")),
    ("approvals.task.assigned", _("Approval task assigned")),
    ("comments.comment.created", _("Comment posted")),
    ("comments.comment.mentioned", _("Member mentioned in a comment")),
    ("integrations.import.completed", _("Import completed")),
    ("automation.rule.disabled", _("Automation rule disabled")),
]
KNOWN_NAMES = frozenset(name for name, _label in KNOWN_EVENT_TYPES)


def wildcard_choices() -> list[tuple[str, str]]:
    """``*`` and one ``<app>.*`` per app that emits events, with labels."""
    apps = sorted({name.split(".", 1)[0] for name in KNOWN_NAMES})
    labels = {
        "crm": _("All CRM events"),
        "projects": _("All project events"),
        "comments": _("All comment events"),
        "integrations": _("All import events"),
        "approvals": _("All approval events"),
        "automation": _("All automation events"),
        "resources": _("All resource events"),
    }
    return [(ALL_EVENTS, _("All events")), *((f"{app}.*", labels.get(app, f"{app}.*")) for app in apps)]


def is_valid_subscription(pattern: str) -> bool:
    """A known event name, ``*``, or ``prefix.*`` where the prefix is the start of at least one known name."""
    if pattern in KNOWN_NAMES or pattern == ALL_EVENTS:
        return True
    if not pattern.endswith(".*"):
        return False
    prefix = pattern[:-1]
    return any(name.startswith(prefix) for name in KNOWN_NAMES)


def subscribes_to(patterns: list[str], event_name: str) -> bool:
    """Whether a list of subscriptions covers an event; hidden families only by their exact name."""
    if event_name in patterns:
        return True
    if event_name.startswith(HIDDEN_PREFIXES):
        return False
    for pattern in patterns:
        if pattern == ALL_EVENTS or (pattern.endswith(".*") and event_name.startswith(pattern[:-1])):
            return True
    return False
