from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AutomationConfig(AppConfig):
    name = "tandem.automation"
    label = "automation"
    verbose_name = _("Automation")

    def ready(self) -> None:
        from tandem.accounts.services.tenants import tenant_created
        from tandem.audit.services.audit import register_record_listener
        from tandem.automation import demo  # noqa: F401  (registers the demo loader)
        from tandem.automation.channels import approval_cards  # noqa: F401  (IM cards for approval tasks)
        from tandem.automation.engine import triggers
        from tandem.automation.webhooks.dispatch import create_webhook_deliveries
        from tandem.core import permissions
        from tandem.core.events import on
        from tandem.core.navigation import NavItem, register_section

        # What automation listens to: a new tenant (its default rules), every outbox event (webhook deliveries,
        # rule runs) and every audited write (record triggers, and the rules' own changes).
        tenant_created.connect(_install_defaults, dispatch_uid="automation-default-rules")
        on("*")(create_webhook_deliveries)
        on("*")(triggers.on_event)
        register_record_listener(triggers.record_changed)

        permissions.register_type(
            "automation", "rule", _("Automation rule"), actions=("view", "add", "change", "delete")
        )
        permissions.register_type("automation", "run", _("Rule run"), actions=("view",))
        permissions.register_type(
            "automation", "channel", _("Notification channel"), actions=("view", "add", "change", "delete")
        )
        permissions.register_type(
            "automation", "webhookendpoint", _("Webhook endpoint"), actions=("view", "add", "change", "delete")
        )
        register_section(
            "automation",
            _("Automation"),
            80,
            [
                NavItem(_("Rules"), "automation:rules", "lightning", "automation.view_rule", 10),
                NavItem(_("Run log"), "automation:runs", "list-check", "automation.view_run", 20),
                NavItem(_("Notification channels"), "automation:channels", "broadcast", "automation.view_channel", 30),
                NavItem(_("Webhooks"), "automation:webhooks", "plug", "automation.view_webhookendpoint", 40),
            ],
        )


def _install_defaults(sender, tenant, **kwargs) -> None:
    from tandem.automation.services.defaults import rules_install_defaults

    rules_install_defaults(tenant=tenant)
