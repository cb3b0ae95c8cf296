"""The rules every tenant starts with; admins edit or disable them like any other rule.

1. A won deal becomes a project from the template of its deal type, managed by the least-loaded PM (the rule's
   owner, else the first administrator, while the tenant has no PM); the PM, the team and the salesperson are told.
2. A lead past its first-response deadline: its owner and the owner's manager are reminded.
3. A task of an open project past its finish date and not complete: its assignees and the PM are told.
4. A completed project: three days later its customer's primary contact gets the satisfaction survey.
5. A survey answer of 6 or less: the account is flagged high-risk, the PM gets a review task, and the PM, the
   account owner and customer service are told.
6. A survey answer of 9 or 10: the account owner is asked to follow up for a referral or more work (installed
   disabled: an admin switches it on).

A tenant without any project template gets a small starter template with them, so that the first won deal
becomes a project with a plan; the time rules catch up, once, on what was already due when they were installed.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import translation

from tandem.automation.default_messages import (
    DEFAULT_MESSAGES,
    DETRACTOR_ANSWER,
    LEAD_WITHOUT_FIRST_RESPONSE,
    PROMOTER_ANSWER,
    TASK_OVERDUE,
    WON_DEAL_PROJECT_CREATED,
)
from tandem.automation.models import Rule, TriggerType

WON_DEAL_KEY = "won_deal_project"
LEAD_KEY = "lead_first_response"
TASK_KEY = "task_overdue"
SURVEY_KEY = "survey_on_completion"
DETRACTOR_KEY = "detractor_recovery"
PROMOTER_KEY = "promoter_follow_up"
SURVEY_DELAY_DAYS = 3
DETRACTOR_THRESHOLD = 6
OPEN_PROJECT_STATUSES = ["planning", "active", "on_hold"]

_DAY = 480  # working minutes
# The starter template: (key, name, working days, role), in order, each finishing before the next starts.
STARTER_TEMPLATE = {
    "zh-hans": (
        "标准项目模板（入门）",
        "系统自带的入门模板：启动、深化设计、采购、施工安装、调试、竣工验收。可按本公司做法修改或另建模板。",
        [
            (1, "项目启动", 1, "pm"),
            (2, "深化设计", 5, "pm"),
            (3, "材料设备采购", 10, ""),
            (4, "施工安装", 15, "foreman"),
            (5, "系统调试", 3, ""),
            (6, "竣工验收", 0, "pm"),
        ],
    ),
    "en": (
        "Starter project template",
        "The template every organisation starts with: kick-off, detailed design, procurement, installation, "
        "commissioning, handover. Change it to the way you work, or add your own.",
        [
            (1, "Kick-off", 1, "pm"),
            (2, "Detailed design", 5, "pm"),
            (3, "Procurement", 10, ""),
            (4, "Installation", 15, "foreman"),
            (5, "Commissioning", 3, ""),
            (6, "Handover", 0, "pm"),
        ],
    ),
}


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
                            "manager": {"strategy": "least_loaded", "role": "pm", "fallback": "rule_owner"},
                            "start_in_working_days": 1,
                            "if_exists": "stop",
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
                "description": _("When a task of an open project passes its finish date before it is complete."),
                "trigger_type": TriggerType.DATE_RELATIVE,
                "model": "projects.task",
                "trigger": {"field": "early_finish", "offset": 0, "unit": "minutes"},
                "conditions": {
                    "all": [
                        {"field": "task.percent_complete", "op": "lt", "value": 100},
                        {"field": "task.is_summary", "op": "eq", "value": False},
                        {"field": "project.status", "op": "in", "value": OPEN_PROJECT_STATUSES},
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
            {
                "key": SURVEY_KEY,
                "name": _("Project completed → satisfaction survey"),
                "description": _(
                    "Three days after a project is completed, its customer's primary contact gets the survey by "
                    "email (not again within the quiet period, never to an unsubscribed contact)."
                ),
                "trigger_type": TriggerType.EVENT,
                "model": "projects.project",
                "trigger": {"event": "projects.project.completed"},
                "conditions": None,
                "actions": [
                    {"type": "delay", "params": {"amount": SURVEY_DELAY_DAYS, "unit": "days"}},
                    {"type": "send_survey", "params": {"channel": "email"}},
                ],
            },
            {
                "key": DETRACTOR_KEY,
                "name": _("Low survey score → high-risk account and review"),
                "description": _(
                    "A score of 6 or less flags the account high-risk and gives the PM a review task due in three "
                    "working days; the PM, the account owner and customer service are told."
                ),
                "trigger_type": TriggerType.EVENT,
                "model": "feedback.surveyresponse",
                "trigger": {"event": "feedback.response.submitted"},
                "conditions": {"all": [{"field": "response.score", "op": "lte", "value": DETRACTOR_THRESHOLD}]},
                "actions": [
                    {"type": "open_recovery", "params": {"review_days": 3, "flag_days": 90}},
                    {
                        "type": "notify",
                        "params": {
                            "recipients": ["project_manager", "owner", "role:service"],
                            "channels": ["in_app"],
                            **_message(DETRACTOR_ANSWER, language),
                        },
                    },
                ],
            },
            {
                "key": PROMOTER_KEY,
                "enabled": False,
                "name": _("High survey score → referral follow-up"),
                "description": _(
                    "A score of 9 or 10 asks the account owner to follow up for a referral, more work or a "
                    "maintenance renewal. Off until an administrator switches it on."
                ),
                "trigger_type": TriggerType.EVENT,
                "model": "feedback.surveyresponse",
                "trigger": {"event": "feedback.response.submitted"},
                "conditions": {"all": [{"field": "response.score", "op": "gte", "value": 9}]},
                "actions": [
                    {
                        "type": "notify",
                        "params": {
                            "recipients": ["owner"],
                            "channels": ["in_app"],
                            **_message(PROMOTER_ANSWER, language),
                        },
                    }
                ],
            },
        ]


def _first_admin_access(tenant_id: int):
    from tandem.accounts.access import MembershipAccess
    from tandem.accounts.models import Membership

    membership = (
        Membership.objects.filter(
            tenant_id=tenant_id, is_active=True, user__is_active=True, roles__key__in=("owner", "admin")
        )
        .order_by("user_id")
        .first()
    )
    return MembershipAccess(membership) if membership else None


@transaction.atomic
def starter_template_install(*, access):
    """The starter project template, in the tenant's language, when the tenant has no template at all; else None.

    Written with `access` (it needs projects.add_projecttemplate); a caller without it gets None.
    """
    from tandem.projects.models import ProjectTemplate
    from tandem.projects.services.templates import template_define

    if not access.has_perm("projects.add_projecttemplate"):
        return None
    if ProjectTemplate.objects.filter(tenant_id=access.tenant_id).exists():
        return None
    from tandem.automation.engine.runner import tenant_language

    name, description, steps = STARTER_TEMPLATE.get(tenant_language(access.tenant_id), STARTER_TEMPLATE["en"])
    tasks = [
        {"key": key, "name": task, "duration": days * _DAY, "is_milestone": days == 0, "role": role}
        for key, task, days, role in steps
    ]
    keys = [key for key, *_rest in steps]
    links = [
        {"predecessor_key": a, "successor_key": b, "type": "FS", "lag": 0} for a, b in zip(keys, keys[1:], strict=False)
    ]
    return template_define(access=access, name=name, description=description, tasks=tasks, links=links)


@transaction.atomic
def rules_install_defaults(*, tenant) -> list[Rule]:
    """Add the default rules a tenant lacks (a deleted or edited default is left as the admin left it), and the
    starter template when the tenant has none and already has an administrator to own it."""
    from tandem.audit.models import AuditAction
    from tandem.audit.services.audit import audit_record, snapshot
    from tandem.automation.services.rules import _add_version, validate_definition

    admin = _first_admin_access(tenant.pk)
    if admin is not None:
        starter_template_install(access=admin)
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
            tenant_id=tenant.pk,
            key=spec["key"],
            name=spec["name"],
            description=spec["description"],
            enabled=spec.get("enabled", True),
            **definition,
        )
        _add_version(rule, None)
        audit_record(obj=rule, action=AuditAction.CREATE, after=snapshot(rule), tenant_id=tenant.pk)
        created.append(rule)
    return created
