from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tandem.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from tandem.core import permissions

        permissions.register_type("core", "attachment", _("Attachment"))
        permissions.register_type("core", "recyclebin", _("Recycle bin"), actions=("view", "change", "delete"))
        permissions.register_type("core", "numberingrule", _("Numbering rule"), actions=("view", "change"))
        from tandem.core.navigation import NavItem, register_section

        register_section("workbench", _("Workbench"), 0, [NavItem(_("Home"), "home", "house", None)])
