"""Reading typed values out of namespace-stripped MSPDI elements; a bad value raises ScheduleError("malformed")."""

from __future__ import annotations

import re
from datetime import datetime, time
from xml.etree.ElementTree import Element

from tandem.scheduling.engine.model import ScheduleError

_DURATION = re.compile(
    r"^(-)?P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)


def _bad(where: str, value: str, what: str) -> ScheduleError:
    return ScheduleError(f"{where}: {value!r} is not {what}", code="malformed", detail=where)


def text(element: Element, tag: str) -> str | None:
    found = element.find(tag)
    if found is None or found.text is None:
        return None
    value = found.text.strip()
    return value or None


def integer(element: Element, tag: str, where: str = "") -> int | None:
    value = text(element, tag)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        try:
            number = float(value)
        except ValueError:
            raise _bad(where or tag, value, "a whole number") from None
        if number != number or abs(number) > 1e15:
            raise _bad(where or tag, value, "a whole number") from None
        return round(number)


def number(element: Element, tag: str, where: str = "") -> float | None:
    value = text(element, tag)
    if value is None:
        return None
    try:
        result = float(value)
    except ValueError:
        raise _bad(where or tag, value, "a number") from None
    if result != result or abs(result) > 1e15:
        raise _bad(where or tag, value, "a number")
    return result


def boolean(element: Element, tag: str) -> bool:
    return text(element, tag) in ("1", "true")


def moment(element: Element, tag: str, where: str = "") -> datetime | None:
    value = text(element, tag)
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=None, second=0, microsecond=0)
    except ValueError:
        raise _bad(where or tag, value, "a date and time (YYYY-MM-DDTHH:MM:SS)") from None


def clock(value: str, where: str) -> time:
    """A time of day; MSPDI's 00:00:00 as an end (and a stray 24:00:00) mean midnight, kept as time(0)."""
    if value.startswith("24:00"):
        return time(0)
    try:
        return time.fromisoformat(value).replace(second=0, microsecond=0)
    except ValueError:
        raise _bad(where, value, "a time of day (HH:MM:SS)") from None


def duration_minutes(value: str, where: str, minutes_per_day: int = 480) -> int:
    """ISO 8601 duration (MSPDI: PT8H0M0S) -> whole working minutes; days count as `minutes_per_day`."""
    match = _DURATION.match(value.strip())
    if not match or value.strip() in ("P", "PT", "-P", "-PT"):
        raise _bad(where, value, "an ISO 8601 duration (PT8H0M0S)")
    sign, years, months, days, hours, mins, secs = match.groups()
    if years or months:
        raise _bad(where, value, "a duration without years or months")
    total = float(days or 0) * minutes_per_day + float(hours or 0) * 60 + float(mins or 0) + float(secs or 0) / 60
    if total > 1e12:
        raise _bad(where, value, "a duration of sensible length")
    return -round(total) if sign else round(total)


def format_duration(minutes: int) -> str:
    sign = "-" if minutes < 0 else ""
    minutes = abs(minutes)
    return f"{sign}PT{minutes // 60}H{minutes % 60}M0S"


def format_moment(value: datetime) -> str:
    return value.replace(microsecond=0).isoformat(timespec="seconds")
