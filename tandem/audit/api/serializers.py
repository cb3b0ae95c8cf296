from rest_framework import serializers

from tandem.audit.models import AuditEntry, SecurityEvent


class AuditEntryOutput(serializers.ModelSerializer):
    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "created_at",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "actor_id",
            "actor_name",
            "ip",
            "request_id",
            "before",
            "after",
        ]


class SecurityEventOutput(serializers.ModelSerializer):
    class Meta:
        model = SecurityEvent
        fields = ["id", "created_at", "kind", "user_id", "username", "ip", "user_agent", "request_id", "detail"]
