"""Plain data the scheduling engine works on. This module is the contract between the engine and
its callers (the projects app, the MSPDI reader, benchmarks): change it deliberately.

Units: durations, lags and floats are in **working minutes** of the task's calendar (8 h day =
480). Dates are naive `datetime`s in the project's local time (the caller converts time zones).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime, time


class ScheduleError(ValueError):
    """The network cannot be scheduled (e.g. a cycle); `detail` names what is wrong."""

    def __init__(self, message: str, *, code: str = "invalid", detail: object = None):
        super().__init__(message)
        self.code = code
        self.detail = detail


class LinkType(enum.StrEnum):
    FS = "FS"  # finish-to-start
    SS = "SS"  # start-to-start
    FF = "FF"  # finish-to-finish
    SF = "SF"  # start-to-finish


class ConstraintType(enum.StrEnum):
    ASAP = "ASAP"  # as soon as possible (default)
    ALAP = "ALAP"  # as late as possible
    SNET = "SNET"  # start no earlier than
    SNLT = "SNLT"  # start no later than
    FNET = "FNET"  # finish no earlier than
    FNLT = "FNLT"  # finish no later than
    MSO = "MSO"  # must start on
    MFO = "MFO"  # must finish on


@dataclass(frozen=True)
class Calendar:
    """Working time: weekly pattern plus dated exceptions (holidays, 调休 make-up workdays).

    `week[i]` are the working intervals of weekday i (0 = Monday) as (start, end) `time` pairs,
    e.g. ((08:00, 12:00), (13:00, 17:00)); an empty tuple is a non-working day.
    `exceptions[d]` replaces the weekly pattern on date d: () = non-working (holiday), or the
    intervals worked that day (a make-up workday).
    """

    id: str = "standard"
    week: tuple[tuple[tuple[time, time], ...], ...] = (
        *(((time(8), time(12)), (time(13), time(17))),) * 5,
        (),
        (),
    )
    exceptions: dict[date, tuple[tuple[time, time], ...]] = field(default_factory=dict)


@dataclass
class Task:
    """One activity or milestone (duration 0). `parent`/summary tasks are not scheduled as work:
    callers pass leaf tasks only, or mark summaries with `is_summary` so they are rolled up."""

    id: str
    duration: int = 0  # working minutes
    is_milestone: bool = False
    is_summary: bool = False
    parent: str | None = None
    calendar: str | None = None  # Calendar.id; None = the project's default calendar
    constraint: ConstraintType = ConstraintType.ASAP
    constraint_date: datetime | None = None
    actual_start: datetime | None = None
    actual_finish: datetime | None = None
    percent_complete: float = 0.0  # 0..100; with actual_start, remaining work starts at the status date
    priority: int = 500  # 0..1000 like MS Project: resource leveling places higher priorities first


@dataclass(frozen=True)
class Link:
    predecessor: str
    successor: str
    type: LinkType = LinkType.FS
    lag: int = 0  # working minutes, may be negative (lead)


@dataclass
class Project:
    start: datetime
    tasks: list[Task]
    links: list[Link] = field(default_factory=list)
    calendars: dict[str, Calendar] = field(default_factory=lambda: {"standard": Calendar()})
    default_calendar: str = "standard"
    status_date: datetime | None = None
    finish_deadline: datetime | None = None  # when set, the backward pass starts from it
    critical_threshold: int = 0  # total float ≤ this (working minutes) is critical


@dataclass(frozen=True)
class Violation:
    """A rule a schedule breaks: `kind` names the rule (e.g. "link", "capacity", "deadline"), `tasks` who breaks it."""

    kind: str
    tasks: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class TaskSchedule:
    early_start: datetime
    early_finish: datetime
    late_start: datetime
    late_finish: datetime
    total_float: int  # working minutes; negative when a constraint or deadline cannot be met
    free_float: int
    critical: bool
