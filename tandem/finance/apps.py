from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "tandem.finance"
    label = "finance"
    verbose_name = _("Cost center")

    def ready(self) -> None:
        from tandem.approvals import events as approval_events
        from tandem.audit.services.audit import register_record_listener
        from tandem.core import panels, permissions
        from tandem.core.events import on
        from tandem.core.navigation import NavItem, register_section
        from tandem.crm import events as crm_events
        from tandem.finance import demo, events, handlers  # noqa: F401  (demo registers its loader)
        from tandem.finance.approvables import register_approvables
        from tandem.finance.views import budget as budget_views
        from tandem.finance.views import templates as template_views
        from tandem.projects import events as project_events

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

        register_section(
            "finance",
            _("Costs"),
            34,
            [
                NavItem(_("Cost portfolio"), "finance:portfolio", "cash-coin", "finance.view_projectbudget", weight=10),
                NavItem(
                    _("Change orders"),
                    "finance:change_order_list",
                    "arrow-repeat",
                    "finance.view_changeorder",
                    weight=20,
                ),
                NavItem(
                    _("Commitments"),
                    "finance:commitment_list",
                    "file-earmark-text",
                    "finance.view_commitment",
                    weight=30,
                ),
                NavItem(_("Cost records"), "finance:cost_record_list", "receipt", "finance.view_costrecord", weight=40),
                NavItem(_("Cost codes"), "finance:cost_code_tree", "diagram-3", "finance.view_costcode", weight=50),
                NavItem(
                    _("Cost alert thresholds"), "finance:settings", "sliders", "finance.view_costsettings", weight=60
                ),
            ],
        )
        # The project page's 成本 panel, and the cost alerts on the delay warnings page.
        panels.register(
            "projects.project",
            panels.Panel(
                "costs",
                "finance/partials/project_panel.html",
                budget_views.project_panel,
                "finance.view_projectbudget",
                12,
            ),
        )
        panels.register(
            "projects.warnings",
            panels.Panel(
                "cost_alerts",
                "finance/partials/warnings_panel.html",
                budget_views.warnings_panel,
                "finance.view_costalert",
            ),
        )
        # On a project template's page: the default budget lines its projects start with.
        panels.register(
            "projects.template",
            panels.Panel(
                "budget_lines",
                "finance/partials/template_panel.html",
                template_views.template_panel,
                "finance.view_budgetline",
            ),
        )
        # Change orders and commitments are approved through the approval engine when the tenant has a flow.
        register_approvables()
        on(
            approval_events.APPROVAL_APPROVED,
            approval_events.APPROVAL_REJECTED,
            approval_events.APPROVAL_WITHDRAWN,
            approval_events.APPROVAL_VOIDED,
        )(handlers.on_approval_event)
        # A cost alert tells the project's PM; the handoff fills a new project's budget and its contract value.
        on(events.COST_ALERT_OPENED)(handlers.on_alert_opened)
        on(project_events.PROJECT_CREATED)(handlers.on_project_created)
        on(crm_events.CONTRACT_SIGNED)(handlers.on_contract_signed)
        register_record_listener(handlers.on_record_changed)
