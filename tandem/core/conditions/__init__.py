"""Conditions: validate, evaluate and explain a JSON condition tree (automation rules, approval branches).

A condition is plain JSON: groups ``{"all": [...]}``, ``{"any": [...]}``, ``{"not": {...}}`` and leaves
``{"field": "deal.stage", "op": "eq", "value": "won"}``. A field is a dotted path into a plain dict, the
*record* (``{"deal": {...}, "account": {...}}``); the ``changed*`` operators also read *previous*, the same
dict as it was before the change. Nothing here imports Django, reads attributes of objects or runs anything
the user wrote: paths walk dict keys only and no regular expression is built from user input.

Limits (``validate``): at most 10 levels (a lone leaf is level 1) and 200 nodes (groups and leaves); only the
keys all/any/not/field/op/value and the operators in ``OPERATORS``; field paths of one to five lower-case
names, optionally from an allow-list; groups never empty; values shaped per operator (see ``_VALUE_SHAPES``):
text at most 1000 characters, ``in``/``not_in`` lists at most 1000 scalars, ``between`` exactly two bounds
(low ≤ high), ``within_last_days`` a whole number 0 to 3650, and no value for is_set, is_empty, changed.

Reading a field
  Every path segment must be a key of a dict. A missing key or anything but a dict on the way makes the
  field *missing*, and every leaf on a missing field is false, ``ne``, ``not_in`` and ``is_empty`` included.
  ``None`` is a value, not a missing field: ``is_empty`` holds for it.

Coercion (one set of rules for every operator; see ``values``)
  * numbers (int, float, Decimal; never bool) compare as Decimal, a float through its shortest repr, so
    ``0.1`` equals ``Decimal("0.1")``; a string facing a number is read as one when it is a plain decimal
    literal (``"1200.00"``, ``"-3"``, ``"1e6"``), and so is a string bound of gt/gte/lt/lte/between;
    NaN and infinities compare with nothing;
  * an ISO string (``2024-05-01``, ``2024-05-01T09:30[:00[.ffffff]][Z|+08:00]``) facing a date, a datetime
    or another ISO string is read as a date or datetime; a date facing a datetime compares with the
    datetime's own calendar date; a naive datetime facing an aware one is read in the aware one's zone;
  * two other strings compare exactly (``eq``, ``ne``, ``in``, ``not_in``); ``contains`` and
    ``starts_with`` ignore case (casefold) and never read the text as a pattern;
  * booleans equal only booleans (``true`` is not ``1``), ``null`` equals only ``null``;
  * any other pairing is a mismatch and the leaf is false; the orderings (``gt`` … ``between``) order
    numbers, dates and datetimes only, never plain strings.
  ``ne`` and ``not_in`` are the exact negation of ``eq`` and ``in`` on a present scalar field (a stage of
  ``None`` is ``ne "won"``); on a list, a dict, NaN or any other object all four are false.

Operators on other shapes
  ``contains``: a substring of a string field, or an item of a list field equal to the value.
  ``is_empty``: ``None``, a blank string, ``[]`` or ``{}``; ``is_set`` is its negation on a present field.
  ``changed``: record and previous both hold the field and the values differ (lists and dicts item by item,
  with the rules above); ``changed_to``/``changed_from`` also need the new/old value to equal the value.
  Without ``previous`` nothing has changed.
  ``between``: ``[low, high]``, both ends included.
  ``within_last_days``: the field's calendar day is one of the last N days up to today (``0`` = today, in
  ``now``'s time zone when both are aware), and a datetime is not after ``now``. ``now`` is passed in.

``evaluate`` and ``explain`` never raise: they validate first, and an invalid condition is false.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tandem.core.conditions.values import (
    MISSING,
    as_scalar,
    display,
    equal,
    is_empty,
    order,
    parse_iso,
    parse_number,
    read_field,
    same,
    within_last_days,
)

MAX_DEPTH = 10
MAX_NODES = 200
MAX_LIST_ITEMS = 1000
MAX_DAYS = 3650
MAX_TEXT_LENGTH = 1000

GROUP_KEYS = frozenset({"all", "any", "not"})
LEAF_KEYS = frozenset({"field", "op", "value"})
FIELD_PATH = re.compile(r"[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*){0,4}")


# The value each operator takes: None means the leaf must not have one.
_VALUE_SHAPES: dict[str, str | None] = {
    "eq": "scalar",
    "ne": "scalar",
    "gt": "bound",
    "gte": "bound",
    "lt": "bound",
    "lte": "bound",
    "in": "list",
    "not_in": "list",
    "contains": "needle",
    "starts_with": "prefix",
    "is_set": None,
    "is_empty": None,
    "changed": None,
    "changed_to": "scalar",
    "changed_from": "scalar",
    "between": "range",
    "within_last_days": "days",
}
OPERATORS = frozenset(_VALUE_SHAPES)
_CHANGE_OPERATORS = frozenset({"changed", "changed_to", "changed_from"})


# ---------------------------------------------------------------------------------------------------------
# Operators: each takes (current value, condition value, previous value, now); current is never MISSING.
# ---------------------------------------------------------------------------------------------------------


def _bound(value: object) -> object:
    """A bound written as a numeric string ("1200.00", kept exact by the form) is that number."""
    number = parse_number(value) if isinstance(value, str) else None
    return value if number is None else number


def _ordered(current: object, value: object, accept: Callable[[int], bool]) -> bool:
    relation = order(current, _bound(value))
    return relation is not None and accept(relation)


def _between(current: object, bounds: list, before: object, now: object) -> bool:
    low, high = bounds
    return _ordered(current, low, lambda r: r >= 0) and _ordered(current, high, lambda r: r <= 0)


def _one_of(current: object, values: list) -> bool:
    return any(equal(current, item) for item in values)


def _contains(current: object, needle: object, before: object, now: object) -> bool:
    if isinstance(current, str):
        return isinstance(needle, str) and str.casefold(needle) in str.casefold(current)
    return isinstance(current, list) and any(equal(item, needle) for item in current)


def _starts_with(current: object, prefix: object, before: object, now: object) -> bool:
    return (
        isinstance(current, str) and isinstance(prefix, str) and str.casefold(current).startswith(str.casefold(prefix))
    )


def _changed(current: object, before: object) -> bool:
    return before is not MISSING and same(current, before) is False


_OPERATIONS: dict[str, Callable[[Any, Any, Any, Any], bool]] = {
    "eq": lambda current, value, before, now: equal(current, value),
    "ne": lambda current, value, before, now: as_scalar(current) is not None and not equal(current, value),
    "gt": lambda current, value, before, now: _ordered(current, value, lambda r: r > 0),
    "gte": lambda current, value, before, now: _ordered(current, value, lambda r: r >= 0),
    "lt": lambda current, value, before, now: _ordered(current, value, lambda r: r < 0),
    "lte": lambda current, value, before, now: _ordered(current, value, lambda r: r <= 0),
    "in": lambda current, value, before, now: _one_of(current, value),
    "not_in": lambda current, value, before, now: as_scalar(current) is not None and not _one_of(current, value),
    "contains": _contains,
    "starts_with": _starts_with,
    "is_set": lambda current, value, before, now: not is_empty(current),
    "is_empty": lambda current, value, before, now: is_empty(current),
    "changed": lambda current, value, before, now: _changed(current, before),
    "changed_to": lambda current, value, before, now: _changed(current, before) and equal(current, value),
    "changed_from": lambda current, value, before, now: _changed(current, before) and equal(before, value),
    "between": _between,
    "within_last_days": lambda current, value, before, now: within_last_days(current, value, now),
}


# ---------------------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------------------


def validate(condition: object, *, fields: Collection[str] | None = None) -> list[str]:
    """Every reason the condition is not acceptable, each naming its path (``all[2].op: …``); [] when valid.

    ``fields``, when given, is the allow-list of field paths the rule's trigger offers. Never raises.
    """
    checker = _Checker(fields)
    checker.node(condition, "", 1)
    return checker.errors


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _show(value: object) -> str:
    """A short quotation of user input for an error message (never the object's own repr)."""
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else repr(value[:40]) + "…"
    if isinstance(value, bool) or value is None:
        return "true" if value is True else "false" if value is False else "null"
    if isinstance(value, int):
        return repr(int(value)) if value.bit_length() <= 64 else "a very large number"
    if isinstance(value, float):
        return float.__repr__(value)
    return {list: "a list", dict: "an object"}.get(type(value), "a non-JSON value")


def _is_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))


def _scalar_problem(value: object) -> str | None:
    if value is None or isinstance(value, bool) or _is_number(value):
        return None
    if isinstance(value, str):
        return None if len(value) <= MAX_TEXT_LENGTH else f"text longer than {MAX_TEXT_LENGTH} characters"
    return f"must be a string, a finite number, true, false or null, not {_show(value)}"


def _bound_problem(value: object) -> str | None:
    if _is_number(value):
        return None
    if isinstance(value, str) and (parse_iso(value) is not None or parse_number(value) is not None):
        return None
    return f"must be a number or an ISO date (2024-05-01) or datetime (2024-05-01T09:30:00+08:00), not {_show(value)}"


def _value_problems(shape: str, value: object) -> list[tuple[str, str]]:
    """(path suffix, reason) for each thing wrong with a leaf's value."""
    if shape == "scalar":
        problem = _scalar_problem(value)
    elif shape == "bound":
        problem = _bound_problem(value)
    elif shape == "range":
        if not isinstance(value, list) or len(value) != 2:
            return [("", "must be a list of two bounds [low, high]")]
        problems = [(f"[{i}]", p) for i, p in enumerate(map(_bound_problem, value)) if p]
        if problems:
            return problems
        relation = order(_bound(value[0]), _bound(value[1]))
        if relation is None:
            return [("", "the bounds must both be numbers or both be dates")]
        return [("", "the low bound is above the high bound")] if relation > 0 else []
    elif shape == "list":
        if not isinstance(value, list):
            return [("", "must be a list")]
        if len(value) > MAX_LIST_ITEMS:
            return [("", f"more than {MAX_LIST_ITEMS} items")]
        for i, item in enumerate(value):
            problem = _scalar_problem(item)
            if problem:
                # One bad item is enough to name; a thousand would drown the message.
                return [(f"[{i}]", problem)]
        return []
    elif shape == "needle":
        problem = "must not be null" if value is None else _scalar_problem(value)
        problem = problem or ("must not be empty" if isinstance(value, str) and not value else None)
    elif shape == "prefix":
        ok = isinstance(value, str) and 0 < len(value) <= MAX_TEXT_LENGTH
        problem = None if ok else f"must be a non-empty string of at most {MAX_TEXT_LENGTH} characters"
    else:
        ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_DAYS
        problem = None if ok else f"must be a whole number of days from 0 to {MAX_DAYS}, not {_show(value)}"
    return [("", problem)] if problem else []


class _Checker:
    """Walks a condition once, counting nodes, and collects every reason it is invalid."""

    def __init__(self, fields: Collection[str] | None) -> None:
        self.fields = fields
        self.errors: list[str] = []
        self.nodes = 0

    def fail(self, path: str, reason: str) -> None:
        self.errors.append(f"{path or 'condition'}: {reason}")

    def node(self, node: object, path: str, depth: int) -> None:
        self.nodes += 1
        if self.nodes == MAX_NODES + 1:
            self.fail("", f"more than {MAX_NODES} nodes")
        if self.nodes > MAX_NODES:
            return
        if depth > MAX_DEPTH:
            self.fail(path, f"nested deeper than {MAX_DEPTH} levels")
        elif not isinstance(node, dict):
            self.fail(path, f"must be an object, not {_show(node)}")
        elif any(isinstance(key, str) and key in GROUP_KEYS for key in node):
            self.group(node, path, depth)
        else:
            self.leaf(node, path)

    def group(self, node: dict, path: str, depth: int) -> None:
        if len(node) != 1:
            self.fail(path, "a group has exactly one key: 'all', 'any' or 'not'")
            return
        key, children = next(iter(node.items()))
        here = _join(path, key)
        if key == "not":
            self.node(children, here, depth + 1)
        elif not isinstance(children, list):
            self.fail(here, "must be a list of conditions")
        elif not children:
            self.fail(here, "must list at least one condition")
        else:
            for index, child in enumerate(children):
                if self.nodes > MAX_NODES:
                    break
                self.node(child, f"{here}[{index}]", depth + 1)

    def leaf(self, node: dict, path: str) -> None:
        for key in node:
            if not (isinstance(key, str) and key in LEAF_KEYS):
                self.fail(path, f"unknown key {_show(key)}")
        if "field" not in node:
            self.fail(path, "missing 'field'")
        else:
            self.field(node["field"], _join(path, "field"))
        op = node.get("op", MISSING)
        if op is MISSING:
            self.fail(path, "missing 'op'")
            return
        if not (isinstance(op, str) and op in OPERATORS):
            self.fail(_join(path, "op"), f"unknown operator {_show(op)}")
            return
        shape = _VALUE_SHAPES[op]
        if shape is None:
            if "value" in node:
                self.fail(_join(path, "value"), f"'{op}' takes no value")
        elif "value" not in node:
            self.fail(path, f"'{op}' needs a 'value'")
        else:
            for suffix, reason in _value_problems(shape, node["value"]):
                self.fail(_join(path, "value") + suffix, reason)

    def field(self, field: object, path: str) -> None:
        if not (isinstance(field, str) and FIELD_PATH.fullmatch(field)):
            self.fail(path, f"{_show(field)} is not a field path (1 to 5 lower-case names joined by dots)")
        elif self.fields is not None and field not in self.fields:
            self.fail(path, f"unknown field {_show(field)}")


# ---------------------------------------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    record: object
    previous: object
    now: object


def evaluate(condition: object, record: object, *, previous: object = None, now: date | datetime) -> bool:
    """Whether the record meets the condition; ``previous`` is the record before the change. Never raises.

    An invalid condition (see ``validate``) is false.
    """
    if validate(condition):
        return False
    return _evaluate(condition, _Context(record, previous, now))


def _evaluate(node: dict, context: _Context) -> bool:
    if "all" in node:
        return all(_evaluate(child, context) for child in node["all"])
    if "any" in node:
        return any(_evaluate(child, context) for child in node["any"])
    if "not" in node:
        return not _evaluate(node["not"], context)
    return _leaf(node, context)[0]


def _leaf(node: dict, context: _Context) -> tuple[bool, Any, Any]:
    """(result, current value, previous value) of a valid leaf; MISSING marks a value not there."""
    op = node["op"]
    current = read_field(context.record, node["field"])
    before = read_field(context.previous, node["field"]) if op in _CHANGE_OPERATORS else MISSING
    if current is MISSING:
        return False, current, before
    try:
        result = bool(_OPERATIONS[op](current, node.get("value"), before, context.now))
    except (ArithmeticError, ValueError, TypeError):
        # Dates at the edge of the calendar (a window reaching before year 1, a zone shift past 9999) and
        # time zone objects that refuse to answer: such a leaf cannot hold.
        result = False
    return result, current, before


def explain(condition: object, record: object, *, previous: object = None, now: date | datetime) -> dict:
    """The condition's result with every node's own result, for a dry run; never raises.

    Returns ``{"result": bool, "errors": [...], "tree": node | None}``: an invalid condition has its
    ``validate`` errors and no tree. Groups keep their key and gain ``result``; leaves gain ``result``,
    ``actual`` (the field's value made JSON-safe, None when missing) and ``missing``, and the change
    operators also ``previous`` and ``previous_missing``. Every child is evaluated, none skipped.
    """
    errors = validate(condition)
    if errors:
        return {"result": False, "errors": errors, "tree": None}
    tree = _explain(condition, _Context(record, previous, now))
    return {"result": tree["result"], "errors": [], "tree": tree}


def _explain(node: dict, context: _Context) -> dict:
    for key in ("all", "any"):
        if key in node:
            children = [_explain(child, context) for child in node[key]]
            results = [child["result"] for child in children]
            return {key: children, "result": all(results) if key == "all" else any(results)}
    if "not" in node:
        child = _explain(node["not"], context)
        return {"not": child, "result": not child["result"]}
    result, current, before = _leaf(node, context)
    shown = {**node, "result": result, "actual": display(current), "missing": current is MISSING}
    if node["op"] in _CHANGE_OPERATORS:
        shown.update(previous=display(before), previous_missing=before is MISSING)
    return shown
