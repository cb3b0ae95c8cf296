"""What an MS Project XML (MSPDI) file says about a schedule, and its translation into an engine `Project`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from tandem.scheduling.engine.calendar import normalise_intervals
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

# Resource Type: 0 material, 1 work, 2 cost (Project 2010+; older files say IsCostResource).
MATERIAL, WORK, COST = 0, 1, 2
UNASSIGNED = -65535  # the ResourceUID of the placeholder assignment Project writes for a task without resources


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
    ignore_resource_calendar: bool = False  # scheduled on the task calendar alone, whatever its resources work
    parent_uid: int | None = None  # from the outline levels
    predecessors: list[MspdiLink] = field(default_factory=list)

    @property
    def is_project_summary(self) -> bool:
        return self.uid == 0 and self.outline_level == 0


@dataclass
class MspdiResource:
    """A row of the resource sheet. `max_units` is a fraction (1.0 = 100 %, 5.0 = a crew of five);
    `standard_rate` and `overtime_rate` are per hour, `cost_per_use` once per assignment, both in the
    project's currency (the file stores currency in hundredths)."""

    uid: int
    id: int | None = None
    name: str = ""
    type: int = WORK
    initials: str = ""
    group: str = ""
    code: str = ""
    email: str = ""
    material_label: str = ""
    max_units: float = 1.0
    calendar_uid: int | None = None
    standard_rate: float = 0.0
    overtime_rate: float = 0.0
    cost_per_use: float = 0.0
    is_generic: bool = False
    is_inactive: bool = False
    is_budget: bool = False  # a budget resource: assigned only to the project summary row
    notes: str = ""


@dataclass
class MspdiAssignment:
    """A resource on a task: `units` a fraction (1.0 = full time; a quantity for a material), work in minutes."""

    uid: int
    task_uid: int
    resource_uid: int
    units: float = 1.0
    work: int = 0
    regular_work: int = 0
    actual_work: int = 0
    remaining_work: int = 0
    percent_work_complete: float = 0.0
    start: datetime | None = None
    finish: datetime | None = None


def _minutes(spans) -> tuple[tuple[int, int], ...]:
    return normalise_intervals(spans)


def _times(spans: tuple[tuple[int, int], ...]) -> tuple[tuple[time, time], ...]:
    def clock(minute: int) -> time:
        return time(0) if minute >= 1440 else time(minute // 60, minute % 60)

    return tuple((clock(lo), clock(hi)) for lo, hi in spans)


def union_calendar(calendars: list[Calendar], id: str) -> Calendar:
    """The working time of any of `calendars`: how MS Project spans a task whose resources work different
    calendars (the task runs from its first assignment's start to its last one's finish)."""

    def day_union(days) -> tuple[tuple[time, time], ...]:
        return _times(_minutes([span for spans in days for span in spans]))

    week = tuple(day_union([cal.week[i] for cal in calendars]) for i in range(7))
    dates: set[date] = {d for cal in calendars for d in cal.exceptions}
    exceptions = {
        d: day_union([cal.exceptions.get(d, cal.week[d.weekday()]) for cal in calendars]) for d in sorted(dates)
    }
    return Calendar(id=id, week=week, exceptions=exceptions)


def intersect_calendars(first: Calendar, second: Calendar, id: str) -> Calendar:
    """Working time common to both: a task calendar with resources that do not ignore it."""

    def day(a, b) -> tuple[tuple[time, time], ...]:
        out = []
        for lo, hi in _minutes(a):
            for lo2, hi2 in _minutes(b):
                if min(hi, hi2) > max(lo, lo2):
                    out.append((max(lo, lo2), min(hi, hi2)))
        return _times(_minutes(_times(tuple(out))))

    week = tuple(day(first.week[i], second.week[i]) for i in range(7))
    dates = sorted(set(first.exceptions) | set(second.exceptions))
    exceptions = {
        d: day(first.exceptions.get(d, first.week[d.weekday()]), second.exceptions.get(d, second.week[d.weekday()]))
        for d in dates
    }
    return Calendar(id=id, week=week, exceptions=exceptions)


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
    resources: list[MspdiResource] = field(default_factory=list)  # the placeholder row (UID 0) left out
    assignments: list[MspdiAssignment] = field(default_factory=list)  # placeholder "unassigned" rows left out
    warnings: list[str] = field(default_factory=list)

    def canonical_calendars(self) -> dict[int, int]:
        """Calendar UID -> the first calendar with the same working time (the project calendar first): a
        resource calendar derived from the standard one and left as it is, is the standard calendar."""
        first: dict[tuple, int] = {}
        out: dict[int, int] = {}
        order = sorted(self.calendars, key=lambda uid: (uid != self.calendar_uid, uid))
        for uid in order:
            calendar = self.calendars[uid]
            content = (calendar.week, tuple(sorted(calendar.exceptions.items())))
            out[uid] = first.setdefault(content, uid)
        return out

    def scheduling_calendars(self) -> tuple[dict[int, str | None], dict[str, Calendar], dict[str, str]]:
        """Which calendar MS Project schedules each task on, as (task UID -> engine calendar id or None for the
        project calendar, the calendars by id, their names).

        A task with work resources runs when its resources work: one resource's calendar, or the union of
        several (the task spans its assignments, each on its own resource calendar); a task calendar that
        does not ignore resource calendars narrows each of them. Summary rows and tasks without work
        resources keep their own calendar. File calendars keep the id str(UID); derived ones are "r…".
        """
        calendars: dict[str, Calendar] = {str(uid): calendar for uid, calendar in self.calendars.items()}
        labels: dict[str, str] = {str(uid): name for uid, name in self.calendar_names.items()}
        project_uid = self.calendar_uid if self.calendar_uid in self.calendars else None
        resources = {r.uid: r for r in self.resources}
        same = self.canonical_calendars()
        by_task: dict[int, list[int]] = {}
        for assignment in self.assignments:
            resource = resources.get(assignment.resource_uid)
            if resource is None or resource.type != WORK:
                continue
            uid = same[resource.calendar_uid] if resource.calendar_uid in self.calendars else project_uid
            if uid is not None and uid not in by_task.setdefault(assignment.task_uid, []):
                by_task[assignment.task_uid].append(uid)
        out: dict[int, str | None] = {}
        for task in self.tasks:
            own = task.calendar_uid if task.calendar_uid in self.calendars else None
            uids = by_task.get(task.uid, [])
            if own is not None and uids:
                own = same[own]
            if task.is_null or task.is_summary or not uids or (own is not None and task.ignore_resource_calendar):
                out[task.uid] = None if own is None else str(own)
                continue
            ids = []
            for uid in uids:
                if own is None or own == uid:
                    ids.append(str(uid))
                    continue
                key = f"r{own}&{uid}"
                if key not in calendars:
                    calendars[key] = intersect_calendars(self.calendars[own], self.calendars[uid], key)
                    labels[key] = f"{labels.get(str(own), own)} & {labels.get(str(uid), uid)}"
                ids.append(key)
            if len(ids) == 1:
                key = ids[0]
            else:
                key = "r" + "|".join(sorted(ids))
                if key not in calendars:
                    calendars[key] = union_calendar([calendars[i] for i in ids], key)
                    labels[key] = " + ".join(labels.get(i, i) for i in sorted(ids))
            out[task.uid] = None if key == (str(project_uid) if project_uid is not None else None) else key
        return out, calendars, labels

    def names(self) -> dict[str, str]:
        """Task names by engine task id (str(UID))."""
        return {str(task.uid): task.name for task in self.tasks if not task.is_null}

    def to_project(self, *, include_project_summary: bool = False) -> Project:
        """The engine's view: task ids are str(UID), calendar ids str(calendar UID); blank rows are dropped.

        The project summary row (UID 0) is left out unless asked for; with it, it rolls up every task.
        """
        by_task, calendars, _labels = self.scheduling_calendars()
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
            calendar = by_task.get(task.uid)
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
