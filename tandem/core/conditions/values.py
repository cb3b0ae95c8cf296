"""Field values of a rule condition: reading dotted paths in plain dicts, and comparing under one set of rules.

The rules are spelled out in ``tandem.core.conditions``; this module holds no operator, only the value
semantics they share. Nothing here reads an object's attributes or calls its methods: only dicts, lists,
str, numbers, dates and datetimes are looked into, by their base types' own functions.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from itertools import islice
from typing import Any

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:?[0-9]{2})?"
)
# The exponent is capped at four digits so Decimal() never meets an exponent it refuses.
_DECIMAL_LITERAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,4})?")
_MAX_NUMBER_TEXT = 100
# Lists and dicts inside field values are compared at most this deep.
_MAX_NESTING = 10


class _Missing:
    """The value of a field that is not in the record."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


def as_scalar(value: object) -> tuple[str, Any] | None:
    """(kind, normalised value) of a comparable scalar, None for anything else (lists, dicts, NaN, objects)."""
    if value is None:
        return "null", None
    if isinstance(value, bool):
        return "bool", value
    if isinstance(value, int):
        return "number", Decimal(value)
    if isinstance(value, float):
        return ("number", Decimal(float.__repr__(value))) if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return ("number", value) if Decimal.is_finite(value) else None
    if isinstance(value, datetime):
        return "datetime", value
    if isinstance(value, date):
        return "date", value
    if isinstance(value, str):
        return "text", str.__str__(value)
    return None


def parse_iso(text: str) -> date | datetime | None:
    """The date or datetime an ISO 8601 string names, None when it names none."""
    try:
        if _ISO_DATE.fullmatch(text):
            return date.fromisoformat(text)
        if _ISO_DATETIME.fullmatch(text):
            return datetime.fromisoformat(text)
    except ValueError:
        return None
    return None


def parse_number(text: str) -> Decimal | None:
    """The Decimal a plain decimal literal ("1200.00", "-3", "1e6") names, None for any other text."""
    if len(text) > _MAX_NUMBER_TEXT or not _DECIMAL_LITERAL.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _aware(moment: datetime) -> bool:
    return moment.utcoffset() is not None


def _same_zone(x: datetime, y: datetime) -> tuple[datetime, datetime]:
    """Read a naive datetime in the zone of an aware partner, so the two can be compared."""
    if _aware(x) and not _aware(y):
        return x, y.replace(tzinfo=x.tzinfo)
    if _aware(y) and not _aware(x):
        return x.replace(tzinfo=y.tzinfo), y
    return x, y


def _temporal_pair(x: date, y: date) -> tuple[str, Any, Any]:
    if isinstance(x, datetime) and isinstance(y, datetime):
        return ("datetime", *_same_zone(x, y))
    x = x.date() if isinstance(x, datetime) else x
    y = y.date() if isinstance(y, datetime) else y
    return "date", x, y


def _pair(a: object, b: object) -> tuple[str, Any, Any] | None:
    """(kind, a, b) coerced to one comparable kind per the module's rules, None on a mismatch."""
    left, right = as_scalar(a), as_scalar(b)
    if left is None or right is None:
        return None
    (kind_a, a), (kind_b, b) = left, right
    if kind_a == kind_b == "text":
        when_a, when_b = parse_iso(a), parse_iso(b)
        if when_a is not None and when_b is not None:
            return _temporal_pair(when_a, when_b)
        return "text", a, b
    if kind_a == kind_b:
        return _temporal_pair(a, b) if kind_a in ("date", "datetime") else (kind_a, a, b)
    if {kind_a, kind_b} == {"number", "text"}:
        a = parse_number(a) if kind_a == "text" else a
        b = parse_number(b) if kind_b == "text" else b
        return None if a is None or b is None else ("number", a, b)
    if {kind_a, kind_b} <= {"date", "datetime", "text"}:
        a = parse_iso(a) if kind_a == "text" else a
        b = parse_iso(b) if kind_b == "text" else b
        return None if a is None or b is None else _temporal_pair(a, b)
    return None


def equal(a: object, b: object) -> bool:
    """Whether a and b are equal once coerced to one kind; a mismatch is not equal."""
    pair = _pair(a, b)
    return pair is not None and pair[1] == pair[2]


def order(a: object, b: object) -> int | None:
    """-1, 0 or 1 as a is below, at or above b; None when the two cannot be ordered."""
    pair = _pair(a, b)
    if pair is None or pair[0] not in ("number", "date", "datetime"):
        return None
    return (pair[1] > pair[2]) - (pair[1] < pair[2])


def same(a: object, b: object, depth: int = 0) -> bool | None:
    """Whether two field values are the same (lists and dicts item by item); None when it cannot be told."""
    if depth > _MAX_NESTING or not (_comparable(a) and _comparable(b)):
        return None
    if isinstance(a, list) and isinstance(b, list):
        return _all_same(zip(a, b, strict=True), depth) if len(a) == len(b) else False
    if isinstance(a, dict) and isinstance(b, dict):
        if not all(isinstance(key, str) for key in (*a, *b)):
            return None
        if set(a) != set(b):
            return False
        return _all_same(((dict.get(a, key), dict.get(b, key)) for key in a), depth)
    if isinstance(a, list | dict) or isinstance(b, list | dict):
        return False
    return equal(a, b)


def _comparable(value: object) -> bool:
    return isinstance(value, list | dict) or as_scalar(value) is not None


def _all_same(pairs, depth: int) -> bool | None:
    for x, y in pairs:
        verdict = same(x, y, depth + 1)
        if verdict is not True:
            return verdict
    return True


def read_field(data: object, path: str) -> Any:
    """The value at a dotted path through nested dicts, MISSING when the path leads nowhere."""
    value = data
    for key in path.split("."):
        if not isinstance(value, dict):
            return MISSING
        value = dict.get(value, key, MISSING)
        if value is MISSING:
            return MISSING
    return value


def is_empty(value: object) -> bool:
    """None, a blank string, an empty list or an empty dict."""
    if value is None:
        return True
    if isinstance(value, str):
        return not str.strip(value)
    return isinstance(value, list | dict) and not value


def within_last_days(value: object, days: int, now: object) -> bool:
    """Whether the value's calendar day is one of the last ``days`` days up to today (0 = today), not after now."""
    scalar = as_scalar(value)
    if scalar is None or not isinstance(now, date):
        return False
    moment = parse_iso(scalar[1]) if scalar[0] == "text" else scalar[1]
    if not isinstance(moment, date):
        return False
    if isinstance(moment, datetime) and isinstance(now, datetime):
        now, moment = _same_zone(now, moment)
        if _aware(now):
            moment = moment.astimezone(now.tzinfo)
        if moment > now:
            return False
    today = now.date() if isinstance(now, datetime) else now
    day = moment.date() if isinstance(moment, datetime) else moment
    # The window stops at 1 January of year 1 rather than overflowing.
    earliest = today - timedelta(days=min(days, (today - date.min).days))
    return earliest <= day <= today


def display(value: object, depth: int = 0) -> Any:
    """A JSON-safe, bounded rendering of a record value for the dry-run display."""
    if value is MISSING or value is None or isinstance(value, bool):
        return None if value is MISSING else value
    if isinstance(value, int):
        return int(value) if value.bit_length() <= 64 else str(Decimal(value))
    if isinstance(value, float):
        return value if math.isfinite(value) else float.__repr__(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value[:200]
    if isinstance(value, list):
        return [display(item, depth + 1) for item in value[:20]] if depth < 2 else "[…]"
    if isinstance(value, dict):
        if depth >= 2:
            return "{…}"
        return {str(display(key, 2)): display(item, depth + 1) for key, item in islice(value.items(), 20)}
    return "<unsupported value>"
