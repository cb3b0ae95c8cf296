"""Reads of the audit trail, scoped to the caller's tenant."""

from datetime import datetime, time

from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from tandem.audit.models import AuditEntry, SecurityEvent


def _date(value: str | None):
    """A filter date, or None when absent or invalid (2026-02-30 is well formed but raises)."""
    try:
        return parse_date(value or "")
    except ValueError:
        return None


def _day_bounds(filters):
    start = _date(filters.get("from"))
    end = _date(filters.get("to"))
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz) if start else None,
        timezone.make_aware(datetime.combine(end, time.max), tz) if end else None,
    )


def _filtered(qs, filters: dict, lookups: dict[str, str]):
    """Apply the filters that are set: exact or contains lookups by name, then the date range."""
    for key, lookup in lookups.items():
        if filters.get(key):
            qs = qs.filter(**{lookup: filters[key]})
    start, end = _day_bounds(filters)
    if start:
        qs = qs.filter(created_at__gte=start)
    if end:
        qs = qs.filter(created_at__lte=end)
    return qs


def audit_entry_list(*, access, filters: dict | None = None):
    qs = AuditEntry.objects.filter(tenant_id=access.tenant_id).order_by("-created_at", "-id")
    filters = dict(filters or {})
    actor = filters.pop("actor", None)
    if actor:  # a person, an automation rule by its name, or "automation" for every rule's change
        wanted = Q(actor_name__icontains=actor) | Q(automation_rule_name__icontains=actor)
        if actor.strip().casefold() in {"automation", str(_("Automation")).casefold()}:
            wanted |= Q(automation_rule_id__isnull=False)
        qs = qs.filter(wanted)
    lookups = {
        "object_type": "object_type",
        "object_id": "object_id",
        "action": "action",
        "request_id": "request_id",
    }
    return _filtered(qs, filters, lookups)


def audit_object_types(*, access) -> list[str]:
    """The object types the tenant's trail mentions, for the filter."""
    return sorted(
        AuditEntry.objects.filter(tenant_id=access.tenant_id).values_list("object_type", flat=True).distinct()
    )


def _valid_ip(value: str) -> str:
    import ipaddress

    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return ""  # an address that cannot exist matches nothing; ignore it rather than fail


def security_event_list(*, access, filters: dict | None = None):
    filters = dict(filters or {})
    if filters.get("ip"):
        filters["ip"] = _valid_ip(filters["ip"]) or "0.0.0.0"
    qs = SecurityEvent.objects.filter(tenant_id=access.tenant_id).order_by("-created_at", "-id")
    lookups = {"kind": "kind", "actor": "username__icontains", "ip": "ip"}
    return _filtered(qs, filters, lookups)
