"""Reads of the audit trail, scoped to the caller's tenant."""

from datetime import datetime, time

from django.utils import timezone
from django.utils.dateparse import parse_date

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


def audit_entry_list(*, access, filters: dict | None = None):
    filters = filters or {}
    qs = AuditEntry.objects.filter(tenant_id=access.tenant_id).order_by("-created_at", "-id")
    if filters.get("object_type"):
        qs = qs.filter(object_type=filters["object_type"])
    if filters.get("object_id"):
        qs = qs.filter(object_id=filters["object_id"])
    if filters.get("action"):
        qs = qs.filter(action=filters["action"])
    if filters.get("actor"):
        qs = qs.filter(actor_name__icontains=filters["actor"])
    if filters.get("request_id"):
        qs = qs.filter(request_id=filters["request_id"])
    start, end = _day_bounds(filters)
    if start:
        qs = qs.filter(created_at__gte=start)
    if end:
        qs = qs.filter(created_at__lte=end)
    return qs


def security_event_list(*, access, filters: dict | None = None):
    filters = filters or {}
    qs = SecurityEvent.objects.filter(tenant_id=access.tenant_id).order_by("-created_at", "-id")
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("actor"):
        qs = qs.filter(username__icontains=filters["actor"])
    if filters.get("ip"):
        qs = qs.filter(ip=filters["ip"])
    start, end = _day_bounds(filters)
    if start:
        qs = qs.filter(created_at__gte=start)
    if end:
        qs = qs.filter(created_at__lte=end)
    return qs
