"""Utilisation (负荷) of a tenant's resources per ISO week, for the heatmap, its API and one resource's timeline.

`utilisation(access, first, last, ...)` sums the daily loads and capacities of `resource_loads` into weeks
(Monday to Sunday, the range widened to whole weeks): hours booked, hours of capacity, the load in percent
and the days in the week on which load exceeded capacity. Rows are grouped by department (the team), by skill (a
resource with two skills is in both groups) or not at all. A project filter keeps the resources booked on that
project in the range, and still shows their whole load: what matters is whether they have time for it.

`cell_tasks(access, resource, week)` answers the tasks behind one cell: each task's hours that week, its
project and the customer's tier. Tasks of projects the caller may not see are counted under one anonymous
line, so the numbers still add up.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q
from django.utils.translation import gettext as _

from tandem.crm.models import Account
from tandem.projects.models import Project, Task
from tandem.resources.models import Allocation, Leave, Resource, ResourceSkill
from tandem.resources.selectors.loads import Loads, resource_loads

GROUPS = ("department", "skill", "none")
# Load bands of a cell: below FULL_FROM % it has room, up to 100 % it is full, above it is over-allocated.
FULL_FROM = 80
# The longest range one answer covers, and the weeks shown when no range is asked for.
MAX_DAYS = 731
DEFAULT_WEEKS = 12
_WEEK = timedelta(days=7)


def default_range(today: date, first: date | None = None, last: date | None = None) -> tuple[date, date]:
    """The range asked for, its missing ends filled: DEFAULT_WEEKS weeks from this week's Monday, from `first`
    or up to `last`."""
    span = timedelta(weeks=DEFAULT_WEEKS, days=-1)
    if first is None and last is None:
        first = week_start(today)
    if first is None:
        first = week_start(last) - timedelta(weeks=DEFAULT_WEEKS - 1)
    return first, last or first + span


def range_errors(first: date, last: date) -> dict[str, list[str]]:
    """Field errors of a requested range ({} when it is fine): `to` before `from`, or longer than MAX_DAYS."""
    if last < first:
        return {"to": [_("The end date is before the start date.")]}
    if (last - first).days > MAX_DAYS:
        return {
            "to": [_("The range is longer than %(days)s days (two years); ask for a shorter one.") % {"days": MAX_DAYS}]
        }
    return {}


def week_start(day: date) -> date:
    """The Monday of `day`'s ISO week."""
    return day - timedelta(days=day.weekday())


def weeks_between(first: date, last: date) -> list[date]:
    """The Mondays of the ISO weeks from `first`'s to `last`'s."""
    weeks, monday = [], week_start(first)
    while monday <= last:
        weeks.append(monday)
        monday += _WEEK
    return weeks


def hours(minutes: int) -> float:
    return round(minutes / 60, 1)


def load_level(booked: int, capacity: int) -> str:
    """ "over" above capacity (or booked without any), "full" from FULL_FROM %, "under" below, "idle" with
    neither capacity nor work."""
    if capacity <= 0:
        return "over" if booked > 0 else "idle"
    percent = booked * 100 / capacity
    if percent > 100:
        return "over"
    return "full" if percent >= FULL_FROM else "under"


@dataclass
class Cell:
    week: date
    booked: int  # minutes
    capacity: int  # minutes
    over_days: int  # days of the week on which load exceeded capacity

    @property
    def booked_hours(self) -> float:
        return hours(self.booked)

    @property
    def capacity_hours(self) -> float:
        return hours(self.capacity)

    @property
    def percent(self) -> int | None:
        """Load in percent of capacity; None when the week has no capacity."""
        return None if self.capacity <= 0 else round(self.booked * 100 / self.capacity)

    @property
    def level(self) -> str:
        return load_level(self.booked, self.capacity)

    @property
    def iso_week(self) -> str:
        year, week, _day = self.week.isocalendar()
        return f"{year}-W{week:02d}"


@dataclass
class Day:
    day: date
    booked: int
    capacity: int

    @property
    def percent(self) -> int | None:
        return None if self.capacity <= 0 else round(self.booked * 100 / self.capacity)

    @property
    def booked_hours(self) -> float:
        return hours(self.booked)

    @property
    def capacity_hours(self) -> float:
        return hours(self.capacity)

    @property
    def level(self) -> str:
        return load_level(self.booked, self.capacity)

    @property
    def height(self) -> int:
        """Bar height in percent of the lane: 100 % load fills half of it, so overloads stand out."""
        if self.booked <= 0:
            return 0
        percent = self.percent
        return 100 if percent is None else min(100, max(4, round(percent / 2)))


@dataclass
class Row:
    resource: Resource
    cells: list[Cell]
    skill_level: int | None = None  # the resource's level of the group's skill, when grouped by skill

    @property
    def booked(self) -> int:
        return sum(c.booked for c in self.cells)

    @property
    def capacity(self) -> int:
        return sum(c.capacity for c in self.cells)

    @property
    def percent(self) -> int | None:
        capacity = self.capacity
        return None if capacity <= 0 else round(self.booked * 100 / capacity)

    @property
    def level(self) -> str:
        return load_level(self.booked, self.capacity)

    @property
    def over_weeks(self) -> int:
        return sum(1 for c in self.cells if c.level == "over")


@dataclass
class Group:
    key: str  # "department-3", "skill-7", "none", "all"
    label: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class Utilisation:
    first: date  # a Monday
    last: date  # a Sunday
    weeks: list[date]
    group: str
    groups: list[Group]

    @property
    def resource_count(self) -> int:
        return len({row.resource.pk for g in self.groups for row in g.rows})

    @property
    def over_cells(self) -> int:
        seen = {
            (row.resource.pk, c.week) for g in self.groups for row in g.rows for c in row.cells if c.level == "over"
        }
        return len(seen)


def filtered_resources(
    tenant_id: int,
    first: date,
    last: date,
    *,
    department: int | None = None,
    skill: int | None = None,
    project: int | None = None,
    kind: str = "",
    search: str = "",
):
    """The tenant's active resources matching the filters, by name."""
    qs = Resource.objects.filter(tenant_id=tenant_id, is_active=True).select_related("department")
    if department:
        qs = qs.filter(department_id=department)
    if skill:
        qs = qs.filter(skill_levels__skill_id=skill)
    if kind:
        qs = qs.filter(kind=kind)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__icontains=search))
    if project:
        booked = Allocation.objects.filter(
            tenant_id=tenant_id,
            project_id=project,
            task__early_start__date__lte=last + timedelta(days=1),
            task__early_finish__date__gte=first - timedelta(days=1),
        ).values("resource_id")
        qs = qs.filter(pk__in=booked)
    return qs.distinct().order_by("name", "id")


def week_cells(loads: Loads, resource_id: int, weeks: list[date], cache: dict | None = None) -> list[Cell]:
    """One resource's cells, a week each, from its daily loads and capacity.

    A calendar's working minutes per day are read once per call (or once per `cache`, shared between the
    resources of one answer): at 500 resources × a year that is most of the work otherwise.
    """
    load = loads.load.get(resource_id, {})
    capacity = loads.capacity.get(resource_id)
    start = weeks[0]
    days = len(weeks) * 7
    if capacity is None:
        per_day = [0] * days
    else:
        cache = {} if cache is None else cache
        key = id(capacity.calendar)
        if key not in cache:
            cache[key] = (
                capacity.calendar,
                [capacity.calendar.minutes_on(start + timedelta(days=i)) for i in range(days)],
            )
        per_day = cache[key][1]
        cap, heads = capacity.minutes_per_day, capacity.headcount
        if cap is not None:
            per_day = [min(minutes, cap) for minutes in per_day]
        if capacity.off:
            per_day = list(per_day)
            for day, taken in capacity.off.items():
                index = (day - start).days
                if 0 <= index < days:
                    per_day[index] = 0 if taken is None else max(0, per_day[index] - taken)
        if heads != 1:
            per_day = [minutes * heads for minutes in per_day]
    booked = [0] * len(weeks)
    over = [0] * len(weeks)
    for day, minutes in load.items():
        index = (day - start).days
        if 0 <= index < days and minutes:
            booked[index // 7] += minutes
            if minutes > per_day[index]:
                over[index // 7] += 1
    return [Cell(monday, booked[i], sum(per_day[i * 7 : i * 7 + 7]), over[i]) for i, monday in enumerate(weeks)]


def utilisation(
    access,
    first: date,
    last: date,
    *,
    group: str = "department",
    department: int | None = None,
    skill: int | None = None,
    project: int | None = None,
    kind: str = "",
    search: str = "",
) -> Utilisation:
    """Resource × ISO week utilisation from `first`'s week to `last`'s, grouped by `group` (see GROUPS)."""
    tenant_id = access.tenant_id
    weeks = weeks_between(first, last)
    start, end = weeks[0], weeks[-1] + timedelta(days=6)
    resources = list(
        filtered_resources(
            tenant_id, start, end, department=department, skill=skill, project=project, kind=kind, search=search
        )
    )
    loads = resource_loads(tenant_id, start, end, [r.pk for r in resources])
    cache: dict = {}
    rows = {r.pk: Row(r, week_cells(loads, r.pk, weeks, cache)) for r in resources}
    return Utilisation(start, end, weeks, group, _grouped(tenant_id, resources, rows, group, skill))


def _grouped(tenant_id: int, resources: list[Resource], rows: dict[int, Row], group: str, skill: int | None):
    if group == "department":
        by_department: dict[int | None, Group] = {}
        for resource in resources:
            key = resource.department_id
            if key not in by_department:
                label = resource.department.name if key else _("No department")
                by_department[key] = Group(f"department-{key}" if key else "department-none", label)
            by_department[key].rows.append(rows[resource.pk])
        named = sorted((g for k, g in by_department.items() if k), key=lambda g: g.label)
        return named + ([by_department[None]] if None in by_department else [])
    if group == "skill":
        levels = ResourceSkill.objects.filter(tenant_id=tenant_id, resource_id__in=rows).select_related("skill")
        if skill:
            levels = levels.filter(skill_id=skill)
        by_skill: dict[int, Group] = {}
        has_skill = set()
        for level in levels.order_by("skill__name", "-level", "resource__name"):
            bucket = by_skill.setdefault(level.skill_id, Group(f"skill-{level.skill_id}", level.skill.name))
            base = rows[level.resource_id]
            bucket.rows.append(Row(base.resource, base.cells, level.level))
            has_skill.add(level.resource_id)
        groups = list(by_skill.values())
        rest = [rows[r.pk] for r in resources if r.pk not in has_skill]
        if rest:
            groups.append(Group("skill-none", _("No skill"), rest))
        return groups
    return [Group("all", _("All resources"), [rows[r.pk] for r in resources])] if resources else []


# The tasks behind one cell.


@dataclass
class CellTask:
    task_id: int | None  # None: the tasks of projects the caller may not see, summed
    name: str
    minutes: int
    project_id: int | None = None
    project_label: str = ""
    start: object = None
    finish: object = None
    is_critical: bool = False
    tier: str = ""  # the customer's tier key (vip, a, b, c) or ""
    tier_label: str = ""

    @property
    def hours(self) -> float:
        return hours(self.minutes)


@dataclass
class CellDetail:
    resource: Resource
    cell: Cell
    tasks: list[CellTask]
    leave: list[Leave]
    days: list[Day]  # the week's seven days


def cell_tasks(access, resource: Resource, week: date) -> CellDetail:
    """The tasks loading `resource` in `week`'s ISO week, the most hours first, with the week's figures."""
    monday = week_start(week)
    sunday = monday + timedelta(days=6)
    loads = resource_loads(access.tenant_id, monday, sunday, [resource.pk])
    (cell,) = week_cells(loads, resource.pk, [monday])
    minutes: dict[int, int] = defaultdict(int)
    for per_task in loads.behind.get(resource.pk, {}).values():
        for task_id, booked in per_task:
            minutes[task_id] += booked
    tasks = {t.pk: t for t in Task.objects.filter(tenant_id=access.tenant_id, pk__in=minutes)}
    visible = set(
        Project.objects.restrict(access, "view")
        .filter(pk__in={t.project_id for t in tasks.values()})
        .values_list("pk", flat=True)
    )
    projects = {p.pk: p for p in Project.objects.filter(pk__in=visible)}
    accounts = {
        a.pk: a
        for a in Account.objects.filter(
            tenant_id=access.tenant_id, pk__in={p.account_id for p in projects.values() if p.account_id}
        )
    }
    shown, hidden = [], 0
    for task_id, booked in minutes.items():
        task = tasks.get(task_id)
        if task is None or task.project_id not in visible:
            hidden += booked
            continue
        project = projects[task.project_id]
        account = accounts.get(project.account_id)
        shown.append(
            CellTask(
                task_id=task.pk,
                name=task.name,
                minutes=booked,
                project_id=project.pk,
                project_label=str(project),
                start=task.early_start,
                finish=task.early_finish,
                is_critical=bool(task.is_critical),
                tier=account.tier if account else "",
                tier_label=account.get_tier_display() if account else "",
            )
        )
    shown.sort(key=lambda t: (-t.minutes, t.name))
    if hidden:
        shown.append(CellTask(None, _("Tasks of projects you cannot see"), hidden))
    load = loads.load.get(resource.pk, {})
    capacity = loads.capacity.get(resource.pk)
    days = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        days.append(Day(day, load.get(day, 0), capacity.on(day) if capacity else 0))
    leave = list(
        Leave.objects.filter(tenant_id=access.tenant_id, resource=resource, start__lte=sunday, end__gte=monday)
    )
    return CellDetail(resource, cell, shown, leave, days)
