from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "tandem.approvals"
    label = "approvals"
    verbose_name = _("Approvals")

    def ready(self) -> None:
        from tandem.core import permissions

        permissions.register_type("approvals", "flow", _("Approval flow"), actions=("view", "add", "change", "delete"))
        # Everyone sees their own approvals and submits; `view_approval` with its data scope reaches others'.
        permissions.register_type("approvals", "approval", _("Approval"), actions=("view", "add", "change"))
