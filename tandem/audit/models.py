"""The append-only audit trail: record changes and security events.

Foreign keys are plain ids (no database constraint) so the trail outlives the records and
users it mentions; on PostgreSQL a trigger refuses UPDATE and DELETE on both tables.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.core.models import AutomationAuthored


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    RESTORE = "restore", _("Restored")
    PURGE = "purge", _("Purged")
    TRANSFER = "transfer", _("Owner transferred")
    SHARE = "share", _("Shared")
    EXPORT = "export", _("Exported")


class SecurityEventKind(models.TextChoices):
    LOGIN_SUCCESS = "login_success", _("Signed in")
    LOGIN_FAILURE = "login_failure", _("Sign-in failed")
    LOCKOUT = "lockout", _("Locked out")
    LOGOUT = "logout", _("Signed out")
    SESSION_EXPIRED = "session_expired", _("Session expired")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    ROLE_CHANGED = "role_changed", _("Role or permissions changed")
    MEMBER_ROLES_CHANGED = "member_roles_changed", _("Member roles changed")
    TOKEN_CREATED = "token_created", _("API token created")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    PERSONAL_DATA_EXPORT = "personal_data_export", _("Personal data exported")
    ACCESS_DENIED = "access_denied", _("Access denied")
    TENANT_SWITCHED = "tenant_switched", _("Tenant switched")


class AuditEntry(AutomationAuthored, models.Model):
    """One change to one record: who, when, from where, before and after (sensitive fields masked).

    A change an automation rule made names the rule as its author; `actor` is then the person whose
    permissions the rule ran with.
    """

    tenant_id = models.BigIntegerField(null=True, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    before = models.JSONField(_("before"), null=True)
    after = models.JSONField(_("after"), null=True)
    actor_id = models.BigIntegerField(null=True)
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["tenant_id", "-created_at"], name="audit_tenant_time_idx"),
            models.Index(fields=["tenant_id", "object_type", "object_id"], name="audit_object_idx"),
        ]

    @property
    def author(self) -> str:
        """Who made the change, as pages show it: the rule for an automation's change, else the person."""
        return self.automation_label or self.actor_name


class SecurityEvent(models.Model):
    """A security-relevant event: sign-ins, lockouts, role changes, tokens, exports, denials."""

    tenant_id = models.BigIntegerField(null=True, db_index=True)
    kind = models.CharField(_("event"), max_length=40, choices=SecurityEventKind.choices)
    user_id = models.BigIntegerField(null=True)
    username = models.CharField(_("user"), max_length=150, blank=True)
    detail = models.JSONField(_("detail"), default=dict)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        indexes = [models.Index(fields=["tenant_id", "-created_at"], name="security_tenant_time_idx")]
