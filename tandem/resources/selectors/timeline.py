"""One resource's timeline across projects: its allocations as bars by date, its load per day, its leave.

Bars are placed in fractions of the range (`left`, `width` in percent) so a template draws them without
arithmetic; tasks of projects the caller may not see keep their bar but lose their name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext as _

from tandem.projects.models import Project
from tandem.projects.services.scheduling import tenant_zone, to_local
from tandem.resources.models import Allocation, Leave, Resource
from tandem.resources.selectors.loads import resource_loads
from tandem.resources.selectors.utilisation import Cell, Day, week_cells, weeks_between


@dataclass
class Bar:
    label: str
    start: date
    finish: date
    left: float  # percent of the range
    width: float
    task_id: int | None = None
    project_id: int | None = None
    units: float = 100
    hours_per_day: float | None = None
    is_critical: bool = False
    kind: str = ""  # leave: its kind's label


@dataclass
class ProjectLane:
    project_id: int | None
    label: str
    bars: list[Bar] = field(default_factory=list)


@dataclass
class Timeline:
    resource: Resource
    first: date
    last: date
    weeks: list[Cell]
    days: list[Day]
    lanes: list[ProjectLane]
    leave: list[Bar]

    @property
    def day_count(self) -> int:
        return (self.last - self.first).days + 1


def _place(start: date, finish: date, first: date, last: date) -> tuple[float, float]:
    total = (last - first).days + 1
    lo, hi = max(start, first), min(finish, last)
    return round((lo - first).days * 100 / total, 3), round(((hi - lo).days + 1) * 100 / total, 3)


def resource_timeline(access, resource: Resource, first: date, last: date) -> Timeline:
    """`resource` from `first`'s ISO week to `last`'s: allocations by project, daily load, weekly cells, leave."""
    weeks = weeks_between(first, last)
    first, last = weeks[0], weeks[-1] + timedelta(days=6)
    loads = resource_loads(access.tenant_id, first, last, [resource.pk])
    load = loads.load.get(resource.pk, {})
    capacity = loads.capacity.get(resource.pk)
    days = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        days.append(Day(day, load.get(day, 0), capacity.on(day) if capacity else 0))

    zone = tenant_zone(access.tenant_id)
    allocations = (
        Allocation.objects.filter(tenant_id=access.tenant_id, resource=resource, project__deleted_at__isnull=True)
        .filter(task__early_start__date__lte=last, task__early_finish__date__gte=first, task__is_summary=False)
        .select_related("task", "project")
        .order_by("task__early_start", "pk")
    )
    visible = set(Project.objects.restrict(access, "view").values_list("pk", flat=True))
    lanes: dict[int | None, ProjectLane] = {}
    for allocation in allocations:
        task, project = allocation.task, allocation.project
        start = to_local(task.actual_start or task.early_start, zone).date()
        finish = to_local(task.early_finish, zone).date()
        if finish < first or start > last:
            continue
        seen = project.pk in visible
        key = project.pk if seen else None
        lane = lanes.setdefault(key, ProjectLane(key, str(project) if seen else _("Projects you cannot see")))
        left, width = _place(start, finish, first, last)
        lane.bars.append(
            Bar(
                label=task.name if seen else _("Task"),
                start=start,
                finish=finish,
                left=left,
                width=width,
                task_id=task.pk if seen else None,
                project_id=key,
                units=float(allocation.units),
                hours_per_day=float(allocation.hours_per_day) if allocation.hours_per_day is not None else None,
                is_critical=bool(task.is_critical) and seen,
            )
        )
    leave = []
    for item in Leave.objects.filter(tenant_id=access.tenant_id, resource=resource, start__lte=last, end__gte=first):
        left, width = _place(item.start, item.end, first, last)
        label = item.note or item.get_kind_display()
        leave.append(Bar(label, item.start, item.end, left, width, kind=item.get_kind_display()))
    ordered = sorted(lanes.values(), key=lambda lane: (lane.project_id is None, lane.label))
    return Timeline(resource, first, last, week_cells(loads, resource.pk, weeks), days, ordered, leave)
