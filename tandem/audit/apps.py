from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "tandem.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from tandem.core import permissions

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
