"""Django admin for superusers: tenants and people (day-to-day work uses the app's own pages)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from tandem.accounts.models import ApiToken, Department, Membership, Role, Tenant, User


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "locale", "timezone", "currency", "password_profile", "is_active"]
    search_fields = ["slug", "name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "email", "is_active", "is_superuser", "last_login"]
    fieldsets = (*BaseUserAdmin.fieldsets, ("Tandem", {"fields": ("display_name", "phone", "preferred_language")}))


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "tenant", "department", "manager", "is_active"]
    list_filter = ["tenant", "is_active"]
    raw_id_fields = ["user", "manager", "department"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "tenant", "data_scope", "is_system"]
    list_filter = ["tenant"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "tenant", "parent", "head"]
    list_filter = ["tenant"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "user", "tenant", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = ["token_hash", "prefix"]
