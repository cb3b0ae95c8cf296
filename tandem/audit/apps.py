from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "tandem.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from tandem.core import permissions
        from tandem.core.signals import access_denied

        access_denied.connect(_record_access_denied, dispatch_uid="audit-access-denied")

        permissions.register_type("audit", "auditentry", _("Audit trail"), actions=("view", "export"))
        from tandem.core.navigation import NavItem, register_section

        register_section(
            "settings",
            _("Settings"),
            90,
            [
                NavItem(_("Audit trail"), "audit:list", "journal-text", "audit.view_auditentry", 70),
            ],
        )


def _record_access_denied(sender, *, tenant_id, user, permission, path, method, **kwargs) -> None:
    """A refused permission code, page or API, is a security event."""
    from tandem.audit.models import SecurityEventKind
    from tandem.audit.services.audit import security_event

    security_event(
        kind=SecurityEventKind.ACCESS_DENIED,
        tenant_id=tenant_id,
        user=user,
        permission=permission,
        path=path,
        method=method,
    )
