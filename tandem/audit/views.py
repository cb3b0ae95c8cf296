"""The audit page: record changes and security events, filtered, exported to CSV."""

import csv

from django.db import transaction
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from tandem.audit import selectors
from tandem.audit.models import AuditAction, AuditEntry, SecurityEventKind
from tandem.audit.services.audit import security_event
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
    object_types = (
        AuditEntry.objects.filter(tenant_id=request.access.tenant_id).values_list("object_type", flat=True).distinct()
    )
    context = {
        "page": paginate(request, qs),
        "filters": filters,
        "security": security,
        "actions": AuditAction.choices,
        "kinds": SecurityEventKind.choices,
        "object_types": sorted(object_types),
        "querystring": request.GET.urlencode(),
    }
    return render(request, "audit/audit_list.html", context)


class _Echo:
    def write(self, value):
        return value


@tenant_view("audit.export_auditentry")
def audit_export(request):
    """Stream the filtered trail as CSV (UTF-8 with BOM so Excel shows Chinese correctly)."""
    filters = _filters(request)
    writer = csv.writer(_Echo())
    if filters["tab"] == "security":
        qs = selectors.security_event_list(access=request.access, filters=filters)
        header = ["time", "event", "user", "ip", "request_id", "user_agent", "detail"]

        def row(e):
            return [
                timezone.localtime(e.created_at).isoformat(),
                e.kind,
                e.username,
                e.ip or "",
                e.request_id,
                e.user_agent,
                e.detail,
            ]
    else:
        qs = selectors.audit_entry_list(access=request.access, filters=filters)
        header = [
            "time",
            "action",
            "object_type",
            "object_id",
            "object",
            "actor",
            "ip",
            "request_id",
            "before",
            "after",
        ]

        def row(e):
            return [
                timezone.localtime(e.created_at).isoformat(),
                e.action,
                e.object_type,
                e.object_id,
                e.object_repr,
                e.actor_name,
                e.ip or "",
                e.request_id,
                e.before,
                e.after,
            ]

    with transaction.atomic():
        security_event(
            kind=SecurityEventKind.PERSONAL_DATA_EXPORT,
            tenant_id=request.access.tenant_id,
            user=request.user,
            export="audit",
            filters={k: v for k, v in filters.items() if v},
        )

    def rows():
        yield "\ufeff"
        yield writer.writerow(header)
        for entry in qs.iterator(chunk_size=2000):
            yield writer.writerow(row(entry))

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{timezone.localdate():%Y%m%d}.csv"'
    return response
