from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "tandem.finance"
    label = "finance"
    verbose_name = _("Cost center")

    def ready(self) -> None:
        from tandem.core import permissions

        money = ("view", "add", "change", "delete", "export")
        permissions.register_type(
            "finance", "costcode", _("Cost code"), actions=("view", "add", "change", "delete", "import")
        )
        permissions.register_type("finance", "projectbudget", _("Project budget"), actions=(*money, "lock"))
        permissions.register_type("finance", "budgetline", _("Budget line"), actions=(*money, "import"))
        permissions.register_type(
            "finance", "budgetmodification", _("Budget modification"), actions=("view", "add", "export")
        )
        permissions.register_type("finance", "changeorder", _("Change order"), actions=(*money, "approve"))
        permissions.register_type("finance", "commitment", _("Commitment"), actions=(*money, "approve"))
        permissions.register_type("finance", "costrecord", _("Cost record"), actions=money)
        permissions.register_type("finance", "costalert", _("Cost alert"), actions=("view",))
        permissions.register_type("finance", "costsettings", _("Cost settings"), actions=("view", "change"))
