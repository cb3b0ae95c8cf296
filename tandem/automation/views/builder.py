"""What the rule builder needs to know, sent to the page as JSON: record types and their fields, actions and
their parameters, triggers, operators, events, and the tenant's templates, roles, members, channels and records."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tandem.accounts.selectors import role_list
from tandem.automation import actions as registry
from tandem.automation import catalog, selectors
from tandem.automation.channels.selectors import channel_choices
from tandem.automation.models import TriggerType
from tandem.automation.views import text


def builder_meta(access) -> dict:
    """Everything the builder's selects offer, with labels in the member's language."""
    from tandem.crm.choices import DealType
    from tandem.projects import selectors as project_selectors

    actions = registry.describe()  # loads the whole registry before its modules are imported one by one
    from tandem.automation.actions.messaging import RECIPIENTS
    from tandem.automation.actions.people import STRATEGIES
    from tandem.automation.actions.records import SETTABLE

    members = selectors.rule_owners(access=access)
    templates = project_selectors.template_list(access=access, current_only=True)
    return {
        "record_types": catalog.describe(),
        "actions": actions,
        "settable": {key: list(names) for key, names in SETTABLE.items()},
        "trigger_types": [{"value": v, "label": str(label)} for v, label in TriggerType.choices],
        "operators": [
            {"value": op, "label": str(label), "shape": shape} for op, (label, shape) in text.OPERATORS.items()
        ],
        "events": [
            {"value": name, "label": label, "model": text.event_record_type(name)}
            for name, label in text.event_choices()
        ],
        "units": [{"value": v, "label": str(label)} for v, label in text.UNITS.items()],
        "strategies": [{"value": v, "label": str(label)} for v, label in STRATEGIES],
        "recipients": [{"value": v, "label": str(label)} for v, label in RECIPIENTS],
        "templates": [{"id": t.pk, "label": f"{t.name} (v{t.version})"} for t in templates],
        "roles": [{"value": r.key, "label": r.name} for r in role_list(access=access).order_by("id")],
        "members": [{"id": m.user_id, "label": str(m.user)} for m in members],
        "channels": [{"value": f"channel:{c.pk}", "label": c.name} for c in channel_choices(access=access)],
        "deal_types": [{"value": v, "label": str(label)} for v, label in DealType.choices],
        "records": selectors.recent_records(access=access),
        "labels": _labels(),
    }


def _labels() -> dict[str, str]:
    """The builder's own words (its script has no gettext)."""
    return {
        "choose": _("Choose…"),
        "any_value": _("any value"),
        "yes": _("Yes"),
        "no": _("No"),
        "all": _("All of these hold"),
        "any": _("Any of these holds"),
        "not": _("Not"),
        "add_condition": _("Add condition"),
        "add_group": _("Add group"),
        "remove": _("Remove"),
        "move_up": _("Move up"),
        "move_down": _("Move down"),
        "no_conditions": _("No conditions: the rule runs every time it is triggered."),
        "list_hint": _("Separate values with commas"),
        "invalid_json": _("This is not valid JSON: %(error)s"),
        "json_object": _("The JSON must be an object with trigger_type, model, trigger, conditions and actions."),
        "in_app": _("In the app (bell)"),
        "email": _("Email"),
        "fixed_template": _("One template"),
        "by_deal": _("By deal type"),
        "deal_type": _("Deal type"),
        "product": _("Product contains"),
        "template": _("Template"),
        "default_template": _("Otherwise"),
        "add_mapping": _("Add mapping"),
        "person": _("Choose a person"),
        "role": _("Role"),
        "any_role": _("Any member"),
        "least_loaded_in": _("least loaded of"),
        "placeholder": _("Role placeholder, e.g. foreman"),
        "add_role": _("Add role"),
        "skill": _("Skill"),
        "fallback": _("If nobody qualifies: the rule's owner, else the first administrator"),
        "specific_people": _("Also tell"),
        "variables": _("Variables you can use"),
        "from": _("From value"),
        "to": _("To value"),
        "and": _("and"),
        "no_records": _("No records of this type yet; enter an id."),
    }
