"""Read-only API over the audit trail (append-only: there is nothing to write)."""

from rest_framework import viewsets

from tandem.audit import selectors
from tandem.audit.api.serializers import AuditEntryOutput, SecurityEventOutput
from tandem.audit.models import AuditEntry, SecurityEvent


class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = AuditEntry.objects.all()
    serializer_class = AuditEntryOutput
    permission_object = "audit.auditentry"
    filterset_fields = ["object_type", "object_id", "action", "actor_id", "request_id"]
    ordering_fields = ["created_at", "id"]

    def get_queryset(self):
        return selectors.audit_entry_list(access=self.request.access)


class SecurityEventViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = SecurityEvent.objects.all()
    serializer_class = SecurityEventOutput
    permission_object = "audit.auditentry"
    filterset_fields = ["kind", "user_id", "ip"]
    ordering_fields = ["created_at", "id"]

    def get_queryset(self):
        return selectors.security_event_list(access=self.request.access)
