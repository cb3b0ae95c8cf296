"""What the flow designer offers, sent to the page as JSON: the registered types and the fields a branch may
test, the tenant's members, roles and departments, the choices of a node, and the designer's own words."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tandem.accounts.selectors import department_list, role_list
from tandem.approvals import registry
from tandem.approvals.choices import ApproverType, NodeKind, NodeMode, OnDeactivated, OnEmpty, OnSelf, Restart
from tandem.core.views import members

OPERATORS = {
    "eq": lambda: _("equals"),
    "ne": lambda: _("does not equal"),
    "gt": lambda: _("is greater than"),
    "gte": lambda: _("is at least"),
    "lt": lambda: _("is less than"),
    "lte": lambda: _("is at most"),
    "in": lambda: _("is one of"),
    "not_in": lambda: _("is none of"),
    "contains": lambda: _("contains"),
    "starts_with": lambda: _("starts with"),
    "is_set": lambda: _("is set"),
    "is_empty": lambda: _("is empty"),
    "between": lambda: _("is between"),
}


def _choices(choices) -> list[dict]:
    return [{"value": value, "label": str(label)} for value, label in choices]


def type_fields(approvable) -> list[dict]:
    """The fields of a type a branch condition may test, in the member's language."""
    out = []
    for name, spec in approvable.fields.items():
        choices = [[value, str(label)] for value, label in (getattr(spec, "choices", None) or [])]
        out.append({"name": name, "label": str(spec.label), "kind": spec.kind, "choices": choices})
    return out


def type_choices() -> list[tuple[str, str]]:
    return [(t.object_type, str(t.label)) for t in registry.types()]


def designer_meta(request) -> dict:
    access = request.access
    return {
        "types": [{"key": t.object_type, "label": str(t.label), "fields": type_fields(t)} for t in registry.types()],
        "members": [{"id": u.pk, "label": str(u)} for u in members(request)],
        "roles": [{"value": r.key, "label": r.name} for r in role_list(access=access).order_by("id")],
        "departments": [[d.pk, d.name] for d in department_list(access=access)],
        "operators": {op: label() for op, label in OPERATORS.items()},
        "kinds": _choices(NodeKind.choices),
        "approver_types": _choices(ApproverType.choices),
        "modes": _choices(NodeMode.choices),
        "on_empty": _choices(OnEmpty.choices),
        "on_self": _choices(OnSelf.choices),
        "restart": _choices(Restart.choices),
        "on_deactivated": _choices(OnDeactivated.choices),
        "labels": _labels(),
    }


def _labels() -> dict[str, str]:
    """The designer's own words (its script has no gettext)."""
    return {
        "invalid_json": _("This is not valid JSON: %(error)s"),
        "json_object": _("The JSON must be an object with branches, restart and on_deactivated."),
        "default_branch": _("Everything else"),
        "new_branch": _("New branch"),
        "new_node": _("Approver"),
        "otherwise": _("When no other branch applies"),
        "json_condition": _("A condition edited in the JSON view"),
        "no_condition": _("No condition yet: add one, or make this the default branch."),
        "and_sep": _(" and "),
        "or_sep": _(" or "),
        "yes": _("Yes"),
        "no": _("No"),
        "nobody": _("Nobody chosen yet"),
        "direct_manager": _("Direct manager"),
        "manager_level": _("Manager %(n)s levels up"),
        "manager_chain": _("Managers up to level %(n)s, one after another"),
        "submitter_choice": _("Chosen by the submitter"),
    }
