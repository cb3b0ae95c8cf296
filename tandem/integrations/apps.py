from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "tandem.integrations"
    label = "integrations"
    verbose_name = _("Integrations")

    def ready(self) -> None:
        from tandem.core.navigation import NavItem, register_section

        # Under Customers, next to the lists it fills; shown to whoever may import accounts.
        register_section(
            "crm",
            _("Customers"),
            10,
            [NavItem(_("Data import"), "integrations:list", "upload", "crm.import_account", 90)],
        )
