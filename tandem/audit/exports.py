"""Columns of the audit trail exports: record changes and security events."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tandem.core.exports import Column


def security_event_columns() -> list[Column]:
    return [
        Column(_("Time"), lambda e: e.created_at),
        Column(_("Event"), lambda e: e.get_kind_display()),
        Column(_("User"), lambda e: e.username),
        Column(_("IP address"), lambda e: e.ip),
        Column(_("Request id"), lambda e: e.request_id),
        Column(_("User agent"), lambda e: e.user_agent),
        Column(_("Detail"), lambda e: e.detail),
    ]


def audit_entry_columns() -> list[Column]:
    return [
        Column(_("Time"), lambda e: e.created_at),
        Column(_("Action"), lambda e: e.get_action_display()),
        Column(_("Object type"), lambda e: e.object_type),
        Column(_("Object id"), lambda e: e.object_id),
        Column(_("Object"), lambda e: e.object_repr),
        Column(_("User"), lambda e: e.author),
        Column(_("Permissions of"), lambda e: e.actor_name if e.automation_rule_id is not None else ""),
        Column(_("IP address"), lambda e: e.ip),
        Column(_("Request id"), lambda e: e.request_id),
        Column(_("Before"), lambda e: e.before),
        Column(_("After"), lambda e: e.after),
    ]
