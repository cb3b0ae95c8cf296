from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "tandem.records"
    label = "records"

    def ready(self) -> None:
        from tandem.core.navigation import NavItem, register_section

        register_section(
            "settings",
            _("Settings"),
            90,
            [
                NavItem(_("Recycle bin"), "core:recycle_bin", "trash", "core.view_recyclebin", 80),
            ],
        )
