"""An independent feasibility check of a resource-leveled schedule, from its dates alone.

Written apart from the scheduler on purpose (no periods, no compiled network, no distances): it reads the
project's tasks and links as they are stated and the dates a schedule gives them, and measures with the
calendars' working-time arithmetic (`calendar.py`) and plain datetime comparisons. A scheduler bug therefore
cannot hide behind the same bug here.

`check(...)` returns every violation: a task without dates or with a wrong working duration, a start before
the project start or an SNET/MSO/FNET/MFO lower bound, a link (FS/SS/FF/SF) whose lag is not honoured, and a
resource used beyond its capacity at some instant (capacities may change over time). Latest-date constraints
and deadlines are not feasibility: the leveling reports those itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from tandem.scheduling.engine.calendar import WorkingTime, working_time
from tandem.scheduling.engine.leveling import Demand, Resource
from tandem.scheduling.engine.model import ConstraintType, LinkType, Project, Task, Violation


def check(
    project: Project,
    resources: Iterable[Resource],
    demands: Iterable[Demand],
    start: Mapping[str, datetime],
    finish: Mapping[str, datetime],
) -> list[Violation]:
    parents = {task.parent for task in project.tasks if task.parent is not None}
    tasks = {task.id: task for task in project.tasks}
    leaves = [task for task in project.tasks if task.id not in parents]
    found: list[Violation] = []

    def calendar(task: Task) -> WorkingTime:
        return working_time(project.calendars[task.calendar or project.default_calendar])

    for task in leaves:
        if task.id not in start or task.id not in finish:
            found.append(Violation("missing", (task.id,), f"task {task.id!r} has no dates"))
            continue
        cal = calendar(task)
        worked = cal.working_minutes(start[task.id], finish[task.id])
        if worked != task.duration:
            found.append(
                Violation(
                    "duration", (task.id,), f"task {task.id!r} lasts {worked} working minutes, not {task.duration}"
                )
            )
        for label, bound, moment in _lower_bounds(project, task, start[task.id], finish[task.id]):
            if cal.working_minutes(bound, moment) < 0:
                found.append(Violation("start_bound", (task.id,), f"task {task.id!r} {label} {bound:%Y-%m-%d %H:%M}"))

    for link in project.links:
        ends = (link.predecessor, link.successor)
        if any(end not in start or end not in finish for end in ends):
            found.append(Violation("missing", ends, f"link {link.predecessor} → {link.successor} has an undated end"))
            continue
        pred_at = finish[link.predecessor] if link.type in (LinkType.FS, LinkType.FF) else start[link.predecessor]
        succ_at = start[link.successor] if link.type in (LinkType.FS, LinkType.SS) else finish[link.successor]
        gap = calendar(tasks[link.successor]).working_minutes(pred_at, succ_at)
        if gap < link.lag:
            found.append(
                Violation(
                    "link",
                    ends,
                    f"{link.type.value} {link.predecessor} → {link.successor}: {gap} working minutes, lag {link.lag}",
                )
            )

    work = working_time(project.calendars[project.default_calendar])
    for resource in resources:
        users = [d for d in demands if d.resource == resource.id and d.task in start and d.task in finish]
        found.extend(_capacity(resource, users, start, finish, work))
    return found


def _lower_bounds(project: Project, task: Task, begin: datetime, end: datetime) -> list[tuple[str, datetime, datetime]]:
    """(what the rule says, its bound, the date it binds) for every earliest date the task has."""
    bounds = [("starts before the project start", project.start, begin)]
    if task.constraint_date is not None:
        if task.constraint in (ConstraintType.SNET, ConstraintType.MSO):
            bounds.append((f"starts before its {task.constraint.value} date", task.constraint_date, begin))
        elif task.constraint in (ConstraintType.FNET, ConstraintType.MFO):
            bounds.append((f"finishes before its {task.constraint.value} date", task.constraint_date, end))
    return bounds


def _capacity(
    resource: Resource,
    users: list[Demand],
    start: Mapping[str, datetime],
    finish: Mapping[str, datetime],
    work: WorkingTime,
) -> list[Violation]:
    """Sweep the instants where usage or capacity changes; usage counts tasks with start ≤ t < finish.

    An overload only counts when working time passes before the next change: a leave over the lunch break
    does not stop a task that spans it, as nobody works then.
    """
    events: list[tuple[datetime, int, int, str]] = []  # (instant, order, value, task): ends, then capacity, then starts
    for demand in users:
        if finish[demand.task] > start[demand.task]:
            events.append((finish[demand.task], 0, -demand.units, demand.task))
            events.append((start[demand.task], 2, demand.units, demand.task))
    events.extend((moment, 1, units, "") for moment, units in resource.changes)
    events.sort(key=lambda e: (e[0], e[1]))  # stable: changes at one instant keep their given order
    capacity, used = resource.capacity, 0
    running: dict[str, int] = {}
    found = []
    index = 0
    while index < len(events):
        instant = events[index][0]
        while index < len(events) and events[index][0] == instant:
            _moment, order, value, task = events[index]
            if order == 1:
                capacity = value
            else:
                used += value
                if value > 0:
                    running[task] = running.get(task, 0) + value
                else:
                    running[task] -= -value
                    if not running[task]:
                        del running[task]
            index += 1
        if used > capacity and index < len(events) and work.working_minutes(instant, events[index][0]) > 0:
            found.append(
                Violation(
                    "capacity",
                    tuple(sorted(running)),
                    f"resource {resource.id!r} at {instant:%Y-%m-%d %H:%M}: {used} units used, capacity {capacity}",
                )
            )
    return found


__all__ = ["check"]
