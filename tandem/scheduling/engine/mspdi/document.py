"""What an MS Project XML (MSPDI) file says about a schedule, and its translation into an engine `Project`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tandem.scheduling.engine.model import Calendar, ConstraintType, Link, LinkType, Project, Task

NAMESPACE = "http://schemas.microsoft.com/project"

# MSPDI enumerations <-> engine enums.
LINK_TYPES = {0: LinkType.FF, 1: LinkType.FS, 2: LinkType.SF, 3: LinkType.SS}
LINK_CODES = {value: code for code, value in LINK_TYPES.items()}
CONSTRAINTS = {
    0: ConstraintType.ASAP,
    1: ConstraintType.ALAP,
    2: ConstraintType.MSO,
    3: ConstraintType.MFO,
    4: ConstraintType.SNET,
    5: ConstraintType.SNLT,
    6: ConstraintType.FNET,
    7: ConstraintType.FNLT,
}
CONSTRAINT_CODES = {value: code for code, value in CONSTRAINTS.items()}


@dataclass
class MspdiLink:
    """A PredecessorLink: `lag` in working minutes (the file stores tenths of a minute)."""

    predecessor_uid: int
    type: LinkType = LinkType.FS
    lag: int = 0
    lag_format: int = 7  # how MS Project displays the lag: 7 = days, 9 = weeks, 5 = hours …


@dataclass
class MspdiTask:
    """One row of the task sheet. Blank rows are kept (`is_null`) so IDs and row order survive."""

    uid: int
    id: int | None = None
    name: str = ""
    outline_level: int = 1
    outline_number: str = ""
    wbs: str = ""
    is_null: bool = False
    is_summary: bool = False
    is_milestone: bool = False
    duration: int = 0  # working minutes
    constraint: ConstraintType = ConstraintType.ASAP
    constraint_date: datetime | None = None
    percent_complete: float = 0.0
    actual_start: datetime | None = None
    actual_finish: datetime | None = None
    start: datetime | None = None  # the dates MS Project saved, for display; the engine recomputes them
    finish: datetime | None = None
    calendar_uid: int | None = None  # None = the project calendar
    parent_uid: int | None = None  # from the outline levels
    predecessors: list[MspdiLink] = field(default_factory=list)

    @property
    def is_project_summary(self) -> bool:
        return self.uid == 0 and self.outline_level == 0


@dataclass
class MspdiDocument:
    """A parsed MSPDI file: project properties, calendars (derived ones resolved), tasks in file order."""

    start: datetime
    tasks: list[MspdiTask] = field(default_factory=list)
    calendars: dict[int, Calendar] = field(default_factory=dict)  # by calendar UID; Calendar.id = str(UID)
    calendar_names: dict[int, str] = field(default_factory=dict)
    calendar_uid: int | None = None  # the project calendar
    name: str = ""
    title: str = ""
    finish: datetime | None = None
    status_date: datetime | None = None
    minutes_per_day: int = 480
    critical_slack_limit: int = 0  # days, as MS Project stores it
    warnings: list[str] = field(default_factory=list)

    def names(self) -> dict[str, str]:
        """Task names by engine task id (str(UID))."""
        return {str(task.uid): task.name for task in self.tasks if not task.is_null}

    def to_project(self, *, include_project_summary: bool = False) -> Project:
        """The engine's view: task ids are str(UID), calendar ids str(calendar UID); blank rows are dropped.

        The project summary row (UID 0) is left out unless asked for; with it, it rolls up every task.
        """
        calendars = {str(uid): calendar for uid, calendar in self.calendars.items()}
        if self.calendar_uid is not None and self.calendar_uid in self.calendars:
            default = str(self.calendar_uid)
        else:
            default = "standard"
            calendars.setdefault(default, Calendar())
        kept = {
            task.uid: task
            for task in self.tasks
            if not task.is_null and (include_project_summary or not task.is_project_summary)
        }
        tasks = []
        links = []
        for task in kept.values():
            parent = task.parent_uid if task.parent_uid in kept else None
            calendar = str(task.calendar_uid) if task.calendar_uid in self.calendars else None
            tasks.append(
                Task(
                    id=str(task.uid),
                    duration=task.duration,
                    is_milestone=task.is_milestone,
                    is_summary=task.is_summary,
                    parent=None if parent is None else str(parent),
                    calendar=calendar,
                    constraint=task.constraint,
                    constraint_date=task.constraint_date,
                    actual_start=task.actual_start,
                    actual_finish=task.actual_finish,
                    percent_complete=task.percent_complete,
                )
            )
            for link in task.predecessors:
                if link.predecessor_uid in kept:
                    links.append(Link(str(link.predecessor_uid), str(task.uid), link.type, link.lag))
        return Project(
            start=self.start,
            tasks=tasks,
            links=links,
            calendars=calendars,
            default_calendar=default,
            status_date=self.status_date,
            critical_threshold=self.critical_slack_limit * self.minutes_per_day,
        )
