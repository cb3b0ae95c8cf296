"""The audit page: record changes and security events, filtered, exported to CSV."""

from django.shortcuts import render

from tandem.audit import selectors
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
    filters = _filters(request)
    security = filters["tab"] == "security"
    if security:
        qs = selectors.security_event_list(access=request.access, filters=filters)
    else:
        qs = selectors.audit_entry_list(access=request.access, filters=filters)
    context = {
        "page": paginate(request, qs),
        "filters": filters,
        "security": security,
        "actions": AuditAction.choices,
        "kinds": SecurityEventKind.choices,
        "object_types": selectors.audit_object_types(access=request.access),
        "querystring": request.GET.urlencode(),
    }
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
