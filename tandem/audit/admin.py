"""The audit trail in the Django admin: read-only."""

from django.contrib import admin

from tandem.audit.models import AuditEntry, SecurityEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "tenant_id", "action", "object_type", "object_repr", "actor_name", "ip"]
    list_filter = ["action", "object_type"]


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "tenant_id", "kind", "username", "ip"]
    list_filter = ["kind"]
