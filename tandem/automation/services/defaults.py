"""The three rules every tenant starts with; admins edit or disable them like any other rule.

1. A won deal becomes a project from the template of its deal type, managed by the least-loaded PM; the PM,
   the team and the salesperson are told.
2. A lead past its first-response deadline: its owner and the owner's manager are reminded.
3. A task past its finish date and not complete: its assignees and the PM are told.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import translation

from tandem.automation.default_messages import (
    DEFAULT_MESSAGES,
    LEAD_WITHOUT_FIRST_RESPONSE,
    TASK_OVERDUE,
    WON_DEAL_PROJECT_CREATED,
)
from tandem.automation.models import Rule, TriggerType

WON_DEAL_KEY = "won_deal_project"
LEAD_KEY = "lead_first_response"
TASK_KEY = "task_overdue"


def _message(key: str, language: str) -> dict:
    texts = DEFAULT_MESSAGES[key].get(language) or DEFAULT_MESSAGES[key]["en"]
    return {"subject": texts.subject, "body": texts.body}


def template_map(tenant_id: int) -> dict:
    """Deal types mapped to the current template whose name mentions the type (e.g. 智能化 → 智能化弱电模板)."""
    from tandem.crm.choices import DealType
    from tandem.projects.models import ProjectTemplate

    templates = list(ProjectTemplate.objects.filter(tenant_id=tenant_id, is_current=True).order_by("id"))
    entries = []
    for value, label in DealType.choices:
        for template in templates:
            if str(label).casefold() in template.name.casefold() or value in template.name.casefold():
                entries.append({"deal_type": value, "template": template.pk})
                break
    return {"mode": "by_deal", "map": entries, "default": templates[0].pk if templates else None}


def default_definitions(tenant_id: int, language: str) -> list[dict]:
    with translation.override(language):
        from django.utils.translation import gettext as _

        return [
            {
                "key": WON_DEAL_KEY,
                "name": _("Won deal → project"),
                "description": _(
                    "Creates the project from the template of the deal type, makes the least-loaded project "
                    "manager its PM and tells the PM, the team and the salesperson."
                ),
                "trigger_type": TriggerType.EVENT,
                "model": "crm.deal",
                "trigger": {"event": "crm.deal.won"},
                "conditions": None,
                "actions": [
                    {
                        "type": "create_project",
                        "params": {
                            "template": template_map(tenant_id),
                            "manager": {"strategy": "least_loaded", "role": "pm"},
                            "start_in_working_days": 1,
                        },
                    },
                    {
                        "type": "notify",
                        "params": {
                            "recipients": ["project_manager", "project_team", "owner"],
                            "channels": ["in_app"],
                            **_message(WON_DEAL_PROJECT_CREATED, language),
                        },
                    },
                ],
            },
            {
                "key": LEAD_KEY,
                "name": _("Lead without first response → remind owner and manager"),
                "description": _("When a new lead passes its first-response deadline unanswered."),
                "trigger_type": TriggerType.DATE_RELATIVE,
                "model": "crm.lead",
                "trigger": {"field": "response_due_at", "offset": 0, "unit": "minutes"},
                "conditions": {
                    "all": [
                        {"field": "lead.first_response_at", "op": "is_empty"},
                        {"field": "lead.status", "op": "eq", "value": "new"},
                    ]
                },
                "actions": [
                    {
                        "type": "notify",
                        "params": {
                            "recipients": ["owner", "owner_manager"],
                            "channels": ["in_app"],
                            **_message(LEAD_WITHOUT_FIRST_RESPONSE, language),
                        },
                    }
                ],
            },
            {
                "key": TASK_KEY,
                "name": _("Task overdue → tell assignees and PM"),
                "description": _("When a task passes its finish date before it is complete."),
                "trigger_type": TriggerType.DATE_RELATIVE,
                "model": "projects.task",
                "trigger": {"field": "early_finish", "offset": 0, "unit": "minutes"},
                "conditions": {
                    "all": [
                        {"field": "task.percent_complete", "op": "lt", "value": 100},
                        {"field": "task.is_summary", "op": "eq", "value": False},
                    ]
                },
                "actions": [
                    {
                        "type": "notify",
                        "params": {
                            "recipients": ["assignees", "project_manager"],
                            "channels": ["in_app"],
                            **_message(TASK_OVERDUE, language),
                        },
                    }
                ],
            },
        ]


@transaction.atomic
def rules_install_defaults(*, tenant) -> list[Rule]:
    """Add the default rules a tenant lacks (a deleted or edited default is left as the admin left it)."""
    from tandem.audit.models import AuditAction
    from tandem.audit.services.audit import audit_record, snapshot
    from tandem.automation.services.rules import _add_version, validate_definition

    existing = set(Rule.all_objects.filter(tenant_id=tenant.pk).exclude(key="").values_list("key", flat=True))
    created = []
    for spec in default_definitions(tenant.pk, tenant.locale):
        if spec["key"] in existing:
            continue
        definition = {name: spec[name] for name in ("trigger_type", "model", "trigger", "conditions", "actions")}
        errors = validate_definition(definition)
        if errors:  # a bug in the defaults must not stop a tenant from being created
            raise ValueError(f"default rule {spec['key']} is invalid: {errors}")
        rule = Rule.objects.create(
            tenant_id=tenant.pk, key=spec["key"], name=spec["name"], description=spec["description"], **definition
        )
        _add_version(rule, None)
        audit_record(obj=rule, action=AuditAction.CREATE, after=snapshot(rule), tenant_id=tenant.pk)
        created.append(rule)
    return created
