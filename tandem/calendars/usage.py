"""The apps that schedule on work calendars, registered, so calendar writes reach them in the same transaction.

Calendars sit below the apps that use them and import none of them. An app that works on calendars (projects)
registers a `CalendarUse` in its `AppConfig.ready()`: whether a calendar is in use (a used calendar is not
deleted), what to redo when a calendar's working time changes or people change calendars (reschedule), and
which reverse relation the calendar pages count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class CalendarUse:
    in_use: Callable  # (*, calendar) -> bool
    working_time_changed: Callable  # (*, calendar), called after the change
    people_moved: Callable  # (*, tenant_id, user_ids), called after these people's resource calendars changed
    counted: str = ""  # the reverse relation of WorkCalendar the calendar pages count (e.g. "projects")


_USES: list[CalendarUse] = []


def register(use: CalendarUse) -> None:
    if use not in _USES:
        _USES.append(use)


def in_use(*, calendar) -> bool:
    return any(use.in_use(calendar=calendar) for use in _USES)


def working_time_changed(*, calendar) -> None:
    for use in _USES:
        use.working_time_changed(calendar=calendar)


def people_moved(*, tenant_id: int, user_ids: Iterable[int]) -> None:
    user_ids = set(user_ids)
    if not user_ids:
        return
    for use in _USES:
        use.people_moved(tenant_id=tenant_id, user_ids=user_ids)


def counted_relation() -> str:
    """The relation the calendar pages count (their "Projects" column), or "" when no app registered one."""
    return next((use.counted for use in _USES if use.counted), "")
