from rest_framework import serializers

from tandem.audit.models import AuditEntry, SecurityEvent


class AuditEntryOutput(serializers.ModelSerializer):
    author = serializers.CharField(
        read_only=True, help_text="Who made the change: “Automation: <rule>” for a rule's change, else the person."
    )

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
            "automation_rule_id",
            "automation_rule_name",
            "author",
            "ip",
            "request_id",
            "before",
            "after",
        ]


class SecurityEventOutput(serializers.ModelSerializer):
    class Meta:
        model = SecurityEvent
        fields = ["id", "created_at", "kind", "user_id", "username", "ip", "user_agent", "request_id", "detail"]
