from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "tandem.integrations"
    label = "integrations"
    verbose_name = _("Integrations")

    def ready(self) -> None:
        from tandem.core.navigation import NavItem, register_section
        from tandem.integrations.choices import ImportObjectType, import_permission

        def codes(app_label: str) -> tuple[str, ...]:
            return tuple(import_permission(t) for t in ImportObjectType.values if t.startswith(f"{app_label}."))

        # Next to the lists the imports fill: under Customers, and under Costs for cost codes and bills of
        # quantities; shown to whoever may import any of them.
        register_section(
            "crm", _("Customers"), 10, [NavItem(_("Data import"), "integrations:list", "upload", codes("crm"), 90)]
        )
        register_section(
            "finance", _("Costs"), 34, [NavItem(_("Data import"), "integrations:list", "upload", codes("finance"), 90)]
        )
