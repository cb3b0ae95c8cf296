from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrintingConfig(AppConfig):
    name = "tandem.printing"
    label = "printing"
    verbose_name = _("Printing")

    def ready(self) -> None:
        from tandem.core import permissions
        from tandem.core.navigation import NavItem, register_section

        permissions.register_type(
            "printing", "printtemplate", _("Print template"), actions=("view", "add", "change", "delete")
        )
        permissions.register_type("printing", "printsettings", _("Print settings"), actions=("view", "change"))
        permissions.register_type("printing", "printlog", _("Print history"), actions=("view", "export"))
        register_section(
            "settings",
            _("Settings"),
            90,
            [
                NavItem(_("Print templates"), "printing:templates", "printer", "printing.view_printtemplate", 55),
                NavItem(_("Print settings"), "printing:settings", "building-gear", "printing.change_printsettings", 56),
                NavItem(_("Print history"), "printing:history", "clock-history", "printing.view_printlog", 57),
            ],
        )
