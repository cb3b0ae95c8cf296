"""The audit page: record changes and security events, filtered, exported to CSV."""

import zoneinfo

from django.shortcuts import render
from django.utils import timezone

from tandem.audit import selectors
from tandem.audit.changes import entry_changes, object_type_label
from tandem.audit.exports import audit_entry_columns, security_event_columns
from tandem.audit.models import AuditAction, SecurityEventKind
from tandem.audit.services.audit import personal_data_export_record
from tandem.core.exports import export_response
from tandem.core.views import paginate, tenant_view

FILTER_KEYS = ("tab", "object_type", "object_id", "action", "actor", "kind", "ip", "from", "to", "request_id")


def _filters(request) -> dict:
    return {k: request.GET.get(k, "").strip()[:100] for k in FILTER_KEYS}


@tenant_view("audit.view_auditentry")
def audit_list(request):
    """The trail, in the tenant's time zone: each change as "field: old → new", the raw values a click away."""
    filters = _filters(request)
    security = filters["tab"] == "security"
    zone = zoneinfo.ZoneInfo(request.access.membership.tenant.timezone)
    if security:
        page = paginate(request, selectors.security_event_list(access=request.access, filters=filters))
    else:
        page = paginate(request, selectors.audit_entry_list(access=request.access, filters=filters))
        page.object_list = list(page.object_list)
        changes = entry_changes(page.object_list, tenant_id=request.access.tenant_id, zone=zone)
        for entry in page.object_list:
            entry.changes = changes[entry.pk]
            entry.type_label = object_type_label(entry.object_type)
    context = {
        "page": page,
        "filters": filters,
        "security": security,
        "actions": AuditAction.choices,
        "kinds": SecurityEventKind.choices,
        "object_types": [
            (value, object_type_label(value)) for value in selectors.audit_object_types(access=request.access)
        ],
        "querystring": request.GET.urlencode(),
        "zone": zone.key,
    }
    with timezone.override(zone):
        return render(request, "audit/audit_list.html", context)


@tenant_view("audit.export_auditentry")
def audit_export(request):
    """The filtered trail as CSV or XLSX (?fmt=xlsx); the export itself is a security event."""
    filters = _filters(request)
    if filters["tab"] == "security":
        rows, columns = selectors.security_event_list(access=request.access, filters=filters), security_event_columns()
    else:
        rows, columns = selectors.audit_entry_list(access=request.access, filters=filters), audit_entry_columns()
    fmt = "xlsx" if request.GET.get("fmt") == "xlsx" else "csv"
    personal_data_export_record(access=request.access, export="audit", fmt=fmt, filters=filters)
    return export_response(rows.iterator(chunk_size=2000), columns, basename="audit", fmt=fmt)
