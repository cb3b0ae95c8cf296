"""The default roles every tenant starts with; admins can edit them afterwards."""

from django.utils.translation import gettext_lazy as _

from tandem.core.scopes import DataScope

MASK_PERSONAL = {"accounts.user.phone": "masked"}

DEFAULT_ROLES = [
    {
        "key": "owner",
        "name": _("Owner"),
        "description": _("Sees and manages everything."),
        "permissions": ["*"],
        "data_scope": DataScope.ALL,
    },
    {
        "key": "admin",
        "name": _("Administrator"),
        "description": _("Configures users, roles, rules and templates."),
        "permissions": ["*"],
        "data_scope": DataScope.ALL,
    },
    {
        "key": "sales_manager",
        "name": _("Sales manager"),
        "description": _("Leads the sales team; sees the department's customers and deals."),
        "permissions": ["crm.*", "feedback.view_*", "projects.view_*", "insights.view_*", "core.*_attachment"],
        "data_scope": DataScope.DEPARTMENT_TREE,
        "field_rules": {"projects.project.cost": "hidden"},
    },
    {
        "key": "sales",
        "name": _("Sales"),
        "description": _("Works own leads, deals, activities, quotes and contracts."),
        "permissions": [
            "crm.view_*",
            "crm.add_*",
            "crm.change_*",
            "crm.export_*",
            "crm.print_*",
            "core.view_attachment",
            "core.add_attachment",
        ],
        "data_scope": DataScope.OWN,
        "field_rules": {**MASK_PERSONAL, "projects.project.cost": "hidden"},
    },
    {
        "key": "pm",
        "name": _("Project manager"),
        "description": _("Plans and delivers projects: schedule, resources, budget, risks."),
        "permissions": [
            "projects.*",
            "resources.*",
            "quality.*",
            "labor.view_*",
            "finance.view_*",
            "crm.view_*",
            "core.*_attachment",
        ],
        "data_scope": DataScope.DEPARTMENT,
        "field_rules": MASK_PERSONAL,
    },
    {
        "key": "finance",
        "name": _("Finance"),
        "description": _("Receivables, invoices, receipts, payments, costs and wages."),
        "permissions": [
            "finance.*",
            "labor.*",
            "crm.view_*",
            "crm.export_*",
            "crm.add_receipt",
            "crm.delete_receipt",
            "projects.view_*",
            "core.*_attachment",
        ],
        "data_scope": DataScope.ALL,
    },
    {
        "key": "foreman",
        "name": _("Foreman / crew lead"),
        "description": _("Day-labor tickets, daily logs and quality items on site."),
        "permissions": [
            "labor.view_*",
            "labor.add_*",
            "labor.change_*",
            "quality.view_*",
            "quality.add_*",
            "quality.change_*",
            "projects.view_project",
            "projects.view_task",
            "core.view_attachment",
            "core.add_attachment",
        ],
        "data_scope": DataScope.OWN,
        "field_rules": MASK_PERSONAL,
    },
    {
        "key": "service",
        "name": _("Customer service"),
        "description": _("Tickets, customer follow-up, NPS detractor recovery."),
        "permissions": ["crm.view_*", "crm.change_*", "feedback.*", "projects.view_*", "core.*_attachment"],
        "data_scope": DataScope.ALL,
        "field_rules": MASK_PERSONAL,
    },
    {
        "key": "auditor",
        "name": _("Auditor"),
        "description": _("Read-only access to the audit trail, nothing else."),
        "permissions": ["audit.view_auditentry", "audit.export_auditentry"],
        "data_scope": DataScope.ALL,
    },
]
