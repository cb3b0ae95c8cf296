"""A rule in words, for the rule pages and the builder: its trigger, its conditions and its actions.

Also the labels the builder shows for operators, events and units. Pure apart from the catalog's field labels.
"""

from __future__ import annotations

import json

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.automation import catalog
from tandem.automation.models import TriggerType

# Each operator with its label and the value input it takes (none, one value, a list, two bounds, a day count).
OPERATORS: dict[str, tuple[object, str]] = {
    "eq": (gettext_lazy("equals"), "one"),
    "ne": (gettext_lazy("does not equal"), "one"),
    "gt": (gettext_lazy("is greater than"), "one"),
    "gte": (gettext_lazy("is at least"), "one"),
    "lt": (gettext_lazy("is less than"), "one"),
    "lte": (gettext_lazy("is at most"), "one"),
    "in": (gettext_lazy("is one of"), "list"),
    "not_in": (gettext_lazy("is none of"), "list"),
    "contains": (gettext_lazy("contains"), "one"),
    "starts_with": (gettext_lazy("starts with"), "one"),
    "is_set": (gettext_lazy("is set"), "none"),
    "is_empty": (gettext_lazy("is empty"), "none"),
    "changed": (gettext_lazy("changed"), "none"),
    "changed_to": (gettext_lazy("changed to"), "one"),
    "changed_from": (gettext_lazy("changed from"), "one"),
    "between": (gettext_lazy("is between"), "range"),
    "within_last_days": (gettext_lazy("is within the last … days"), "days"),
}

UNITS = {
    "minutes": gettext_lazy("minutes"),
    "hours": gettext_lazy("hours"),
    "days": gettext_lazy("days"),
    "working_days": gettext_lazy("working days"),
}


def event_choices() -> list[tuple[str, str]]:
    """The business events a rule can start on (the outbound webhook catalogue without automation's own)."""
    from tandem.automation.webhooks.events import KNOWN_EVENT_TYPES

    return [(name, str(label)) for name, label in KNOWN_EVENT_TYPES if not name.startswith("automation.")]


def event_record_type(event: str) -> str:
    """The record type an event is about ("crm.deal.won" → "crm.deal"), or "" when none matches."""
    record_type = catalog.for_event(event)
    return record_type.key if record_type else ""


def _record_label(model: str) -> str:
    record_type = catalog.get(model or "")
    return str(record_type.label) if record_type else ""


def field_label(model: str, name: str) -> str:
    record_type = catalog.get(model or "")
    if record_type is None:
        return name
    for spec in catalog.fields(record_type):
        if spec["name"] == name:
            return spec["label"]
    return name


def path_label(model: str, path: str) -> str:
    """ "deal.amount" → "Deal · amount" (the related record's own field label for "account.tier")."""
    record_type = catalog.get(model or "")
    head, _dot, rest = path.partition(".")
    if record_type is None or not rest:
        return path
    if head == record_type.name:
        return f"{record_type.label} · {field_label(model, rest)}"
    related = record_type.related.get(head)
    if related:
        return f"{catalog.get(related[1]).label} · {field_label(related[1], rest)}"
    return path


def _path_target(model: str, path: str) -> tuple[str, str]:
    """ "deal.stage_id" → ("crm.deal", "stage_id"), "project.status" on a task → ("projects.project", "status");
    ("", "") for anything else."""
    record_type = catalog.get(model or "")
    head, _dot, rest = path.partition(".")
    if record_type is None or not rest or "." in rest:
        return "", ""
    if head == record_type.name:
        return model, rest
    related = record_type.related.get(head)
    return (related[1], rest) if related else ("", "")


def trigger_text(definition: dict) -> str:
    """One sentence saying when the rule fires."""
    kind = definition.get("trigger_type")
    model = definition.get("model") or ""
    settings_ = definition.get("trigger") or {}
    record = _record_label(model)
    if kind == TriggerType.RECORD_CREATED:
        return _("When a %(record)s is created") % {"record": record}
    if kind == TriggerType.RECORD_DELETED:
        return _("When a %(record)s is deleted") % {"record": record}
    if kind == TriggerType.RECORD_UPDATED:
        watched = [field_label(model, f) for f in settings_.get("fields") or []]
        if watched:
            return _("When a %(record)s's %(fields)s change") % {"record": record, "fields": "、".join(watched)}
        return _("When a %(record)s is updated") % {"record": record}
    if kind == TriggerType.FIELD_CHANGED:
        text = _("When a %(record)s's %(field)s changes") % {
            "record": record,
            "field": field_label(model, settings_.get("field", "")),
        }
        if "from" in settings_:
            text += " " + _("from “%(value)s”") % {"value": _value(model, settings_.get("field"), settings_["from"])}
        if "to" in settings_:
            text += " " + _("to “%(value)s”") % {"value": _value(model, settings_.get("field"), settings_["to"])}
        return text
    if kind == TriggerType.EVENT:
        name = settings_.get("event", "")
        label = dict(event_choices()).get(name, name)
        return _("On the business event “%(event)s”") % {"event": label}
    if kind == TriggerType.DATE_RELATIVE:
        offset = settings_.get("offset", 0) or 0
        unit = str(UNITS.get(settings_.get("unit", "days"), settings_.get("unit", "")))
        values = {
            "n": abs(offset),
            "unit": unit,
            "field": field_label(model, settings_.get("field", "")),
            "record": record,
        }
        if offset < 0:
            return _("%(n)s %(unit)s before a %(record)s's %(field)s") % values
        if offset > 0:
            return _("%(n)s %(unit)s after a %(record)s's %(field)s") % values
        return _("When a %(record)s's %(field)s is reached") % values
    if kind == TriggerType.SCHEDULE:
        return _("On the schedule %(cron)s") % {"cron": settings_.get("cron", "")}
    if kind == TriggerType.WEBHOOK:
        return _("When an outside system calls the rule's webhook")
    if kind == TriggerType.MANUAL:
        return _("When someone presses the button on a %(record)s") % {"record": record}
    return str(kind or "")


def _value(model: str, field: str | None, value) -> str:
    record_type = catalog.get(model or "")
    if record_type is not None and field:
        for spec in catalog.fields(record_type):
            if spec["name"] == field and spec.get("choices"):
                return dict((str(k), v) for k, v in spec["choices"]).get(str(value), str(value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def condition_text(node, model: str) -> str:
    """The condition tree as one line: leaves joined by "and"/"or", groups in brackets, "not" in front."""
    if not node:
        return _("always")
    return _condition(node, model, top=True)


def _condition(node: dict, model: str, top: bool = False) -> str:
    for key, joiner in (("all", _(" and ")), ("any", _(" or "))):
        if key in node:
            text = joiner.join(_condition(child, model) for child in node[key])
            return text if top or len(node[key]) < 2 else f"({text})"
    if "not" in node:
        return _("not %(condition)s") % {"condition": _condition(node["not"], model)}
    label, shape = OPERATORS.get(node.get("op"), (node.get("op"), "one"))
    field = path_label(model, node.get("field", ""))
    if shape == "none":
        return f"{field} {label}"
    value = node.get("value")
    target, name = _path_target(model, node.get("field", ""))
    if isinstance(value, list):
        shown = "、".join(_value(target, name, v) if target else str(v) for v in value)
    elif target and (isinstance(value, bool) or _value(target, name, value) != str(value)):
        shown = f"“{_value(target, name, value)}”"  # a choice's label (新建, not "new"), yes/no for a flag
    else:
        shown = json.dumps(value, ensure_ascii=False)
    return f"{field} {label} {shown}"


def action_texts(actions: list, labels: dict[str, str]) -> list[str]:
    """Each step as "Label" (the builder's labels), "(continues on failure)" where set."""
    out = []
    for step in actions or []:
        text = labels.get(step.get("type"), step.get("type", ""))
        if step.get("continue_on_failure"):
            text += " " + _("(continues on failure)")
        out.append(text)
    return out


def trace_tree(node, model: str) -> dict | None:
    """A condition trace (``conditions.explain``'s tree) in one shape for the recursive template: groups with
    ``mode`` and ``children``, "not" with ``child``, leaves with labels and the value found."""
    if not isinstance(node, dict):
        return None
    for mode in ("all", "any"):
        if mode in node:
            children = [trace_tree(child, model) for child in node[mode]]
            return {"kind": "group", "mode": mode, "result": node.get("result"), "children": children}
    if "not" in node:
        return {"kind": "not", "result": node.get("result"), "child": trace_tree(node["not"], model)}
    label, shape = OPERATORS.get(node.get("op"), (node.get("op"), "one"))
    value = node.get("value")
    return {
        "kind": "leaf",
        "result": node.get("result"),
        "field": path_label(model, node.get("field", "")),
        "path": node.get("field", ""),
        "op": label,
        "value": "" if shape == "none" else json.dumps(value, ensure_ascii=False),
        "actual": json.dumps(node.get("actual"), ensure_ascii=False),
        "missing": node.get("missing", False),
        "previous": json.dumps(node["previous"], ensure_ascii=False) if "previous" in node else None,
    }
