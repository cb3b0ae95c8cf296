"""Resource leveling: a resource-constrained schedule of a `Project` under renewable resource capacities.

`level(project, resources, demands)` returns start and finish dates that respect every link, every
earliest-start bound and every resource's capacity in every period, shortening the makespan with the search
of `rcpsp.py` (schedule generation schemes, priority rules, justification, a genetic algorithm) within a
budget of generated schedules, deterministic for a seed.

How the project becomes periods (see `rcpsp.py` for the search itself):

* time is the working count of the project's calendar from the project start; one period is the greatest
  common divisor of every duration, lag, start bound and capacity change (1440 for PSPLIB's days on an
  always-on calendar, 60 or 30 on office calendars), so the conversion is exact. All leveled tasks share one
  calendar (ScheduleError code "calendar" otherwise);
* links become minimum start-to-start distances: FS = pred duration + lag, SS = lag, FF = pred duration +
  lag − succ duration, SF = lag − succ duration (exact, durations being fixed); summaries are compiled the way
  the CPM compiles them (`network.py`);
* every task starts no earlier than the project start; SNET and MSO bound the start from below, FNET and MFO
  the finish. Leveling delays tasks, so SNLT, FNLT, MSO, MFO and the project's `finish_deadline` may be missed:
  they are reported in `violations`, never silently broken. ALAP is scheduled as soon as possible;
* a resource has a capacity per period, and `changes` make it time-varying (leave, a second crew from a date):
  a capacity change applies from the period holding its instant on;
* tasks with progress (actual dates) are refused: leveling plans work not yet started.

`moves` lists the tasks that start later than in the resource-free schedule (the CPM early starts, with
MSO/MFO as bounds rather than pins) and why: the resource whose capacity kept the task from its earliest
start given its predecessors, or else the predecessor that moved and pushed it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from math import gcd
from typing import Literal

from tandem.scheduling.engine import rcpsp
from tandem.scheduling.engine.calendar import WorkingTime, absolute_minute
from tandem.scheduling.engine.model import ConstraintType, Project, ScheduleError, Violation
from tandem.scheduling.engine.network import FF, FS, SS, Network, compile_network

MAX_PERIODS = 2_000_000  # periods in the horizon; finer data would need more memory than a leveling is worth
_LOWER_START = (ConstraintType.SNET, ConstraintType.MSO)
_LOWER_FINISH = (ConstraintType.FNET, ConstraintType.MFO)


@dataclass(frozen=True)
class Resource:
    """A renewable resource: `capacity` units in every period, or from each `changes` instant the new value."""

    id: str
    capacity: int
    changes: tuple[tuple[datetime, int], ...] = ()


@dataclass(frozen=True)
class Demand:
    """Task `task` needs `units` of resource `resource` throughout its duration."""

    task: str
    resource: str
    units: int


@dataclass(frozen=True)
class Move:
    """A task the leveling starts later than the resource-free schedule: by how much and why."""

    task: str
    cpm_start: datetime
    start: datetime
    delay: int  # working minutes
    resource: str | None  # whose capacity kept it from its earliest start after its predecessors
    predecessor: str | None  # when no resource did: the predecessor that moved and pushed it


@dataclass
class LevelingResult:
    start: dict[str, datetime]
    finish: dict[str, datetime]
    makespan: int  # working minutes from the project start to the last finish
    cpm_makespan: int  # the same without resources: a lower bound
    moves: list[Move]
    violations: list[Violation]  # deadlines and latest-date constraints the leveled schedule misses
    schedules: int  # schedules generated (every SGS decode and justification pass)


@dataclass
class _Compiled:
    net: Network
    cal: WorkingTime
    origin: int  # working count of the project start
    period: int  # working minutes in one period
    problem: rcpsp.Problem
    resource_ids: list[str]


def _count(cal: WorkingTime, moment: datetime) -> int:
    return cal.count_at(absolute_minute(moment))


def _compile(project: Project, resources: list[Resource], demands: list[Demand]) -> _Compiled:
    net = compile_network(project)
    if len(set(net.calendar)) > 1:
        raise ScheduleError("resource leveling needs all tasks on one calendar", code="calendar")
    cal = net.calendars[net.calendar[0] if net.calendar else 0]
    origin = _count(cal, project.start)
    n = len(net.task_ids)
    dur = net.duration
    release = [0] * n
    for node, task in enumerate(net.special):
        if task is None:
            continue
        if task.actual_start is not None or task.actual_finish is not None:
            raise ScheduleError(f"task {task.id!r} has started: leveling plans work not yet started", code="progress")
        if task.constraint in _LOWER_START + _LOWER_FINISH:
            if task.constraint_date is None:
                raise ScheduleError(f"task {task.id!r}: constraint needs a date", code="constraint", detail=[task.id])
            bound = _count(cal, task.constraint_date) - origin
            release[node] = max(0, bound - (dur[node] if task.constraint in _LOWER_FINISH else 0))

    resource_index = {resource.id: r for r, resource in enumerate(resources)}
    if len(resource_index) < len(resources):
        raise ScheduleError("a resource id is used twice", code="invalid")
    needs: list[dict[int, int]] = [{} for _ in range(n)]
    for demand in demands:
        node = net.node_of.get(demand.task)
        if node is None:
            raise ScheduleError(f"demand for unknown leaf task {demand.task!r}", code="unknown_task")
        if demand.resource not in resource_index:
            raise ScheduleError(f"demand on unknown resource {demand.resource!r}", code="unknown_resource")
        if demand.units <= 0:
            raise ScheduleError(f"task {demand.task!r} asks for {demand.units} units", code="invalid")
        r = resource_index[demand.resource]
        needs[node][r] = needs[node].get(r, 0) + demand.units

    changes = [
        [
            (max(0, _count(cal, moment) - origin), units)
            for moment, units in sorted(resource.changes, key=lambda change: change[0])
        ]
        for resource in resources
    ]
    for r, resource in enumerate(resources):
        final = changes[r][-1][1] if changes[r] else resource.capacity
        for node in range(n):
            if needs[node].get(r, 0) > final:
                raise ScheduleError(
                    f"task {net.task_ids[node]!r} needs {needs[node][r]} of {resource.id!r}, "
                    f"which never has more than {final} from its last change on",
                    code="capacity",
                )

    distances = [[(i, _distance(kind, lag, dur[i], dur[j])) for i, kind, lag in net.preds[j]] for j in range(n)]
    period = 0
    for value in [*dur, *release, *(d for row in distances for _i, d in row), *(o for row in changes for o, _ in row)]:
        period = gcd(period, value)
    period = period or 1
    dur_p = [d // period for d in dur]
    release_p = [r // period for r in release]
    preds = [[(i, d // period) for i, d in row] for row in distances]
    succs: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for j, row in enumerate(preds):
        for i, d in row:
            succs[i].append((j, d))
    horizon = (
        max(release_p, default=0)
        + max((o // period for row in changes for o, _ in row), default=0)
        + sum(dur_p)
        + sum(d for row in preds for _i, d in row if d > 0)
        + 1
    )
    if horizon > MAX_PERIODS:
        raise ScheduleError(
            f"leveling would need {horizon} periods of {period} working minutes; round durations and lags",
            code="too_fine",
        )
    capacity = []
    for r, resource in enumerate(resources):
        row = [resource.capacity] * horizon
        for offset, units in changes[r]:
            start = offset // period
            row[start:] = [units] * (horizon - start)
        capacity.append(row)
    priority = [500] * n
    for task in project.tasks:
        if task.id in net.node_of:
            priority[net.node_of[task.id]] = task.priority
    if len({priority[node] for node in net.node_of.values()}) > 1:
        # Nodes that use no resource start where their predecessors let them whatever the list says, so
        # placing them first costs nothing, and keeps a summary's nodes from holding back a high-priority project.
        for node in range(n):
            if not needs[node] or not dur[node]:
                priority[node] = 1001
    problem = rcpsp.Problem(
        duration=dur_p,
        preds=preds,
        succs=succs,
        demand=[sorted(need.items()) for need in needs],
        capacity=capacity,
        release=release_p,
        priority=priority,
        horizon=horizon,
    )
    return _Compiled(net, cal, origin, period, problem, [resource.id for resource in resources])


def _distance(kind: int, lag: int, pred_duration: int, succ_duration: int) -> int:
    """The minimum start-to-start distance a link with its lag imposes."""
    if kind == FS:
        return pred_duration + lag
    if kind == SS:
        return lag
    if kind == FF:
        return pred_duration + lag - succ_duration
    return lag - succ_duration  # SF


def level(
    project: Project,
    resources: list[Resource],
    demands: list[Demand],
    *,
    budget: int = 1000,
    seed: int = 0,
    sgs: Literal["serial", "parallel"] = "serial",
    rule: Literal["LFT", "MinSlack"] = "LFT",
    search: Literal["none", "fbi", "ga"] = "ga",
) -> LevelingResult:
    """Level the project: one schedule by `sgs` and `rule`, then `search` within `budget` schedules."""
    if budget < 1:
        raise ScheduleError("the budget must allow at least one schedule", code="invalid")
    compiled = _compile(project, resources, demands)
    problem = compiled.problem
    base = rcpsp.earliest_starts(problem)
    bound = rcpsp.makespan(problem, base)
    late = rcpsp.latest_starts(problem, bound)
    if rule == "LFT":
        key = [s + d for s, d in zip(late, problem.duration, strict=True)]
    elif rule == "MinSlack":
        key = [ls - es for ls, es in zip(late, base, strict=True)]
    else:
        raise ScheduleError(f"unknown priority rule {rule!r}", code="invalid")
    if sgs == "serial":
        starts = rcpsp.serial(problem, rcpsp.priority_order(problem, key))
    elif sgs == "parallel":
        starts = rcpsp.parallel(problem, key)
    else:
        raise ScheduleError(f"unknown schedule generation scheme {sgs!r}", code="invalid")
    generated = 1
    if search == "fbi":
        while generated + 2 <= budget:
            improved, _order, cost = rcpsp.justify(problem, starts)
            generated += cost
            if rcpsp.makespan(problem, improved) >= rcpsp.makespan(problem, starts):
                break
            starts = improved
    elif search == "ga" and budget > 1 and rcpsp.makespan(problem, starts) > bound:
        found = rcpsp.genetic(problem, rcpsp.priority_order(problem, starts), budget=budget - 1, seed=seed, bound=bound)
        generated += found.generated
        if rcpsp.makespan(problem, found.starts) < rcpsp.makespan(problem, starts):
            starts = found.starts
    elif search not in ("none", "fbi", "ga"):
        raise ScheduleError(f"unknown search {search!r}", code="invalid")
    return _result(project, compiled, starts, base, generated)


def _result(
    project: Project, compiled: _Compiled, starts: list[int], base: list[int], generated: int
) -> LevelingResult:
    net, cal, origin, period, problem = compiled.net, compiled.cal, compiled.origin, compiled.period, compiled.problem
    dur = problem.duration

    def moment(t: int, side: int) -> datetime:
        return cal.datetime_of_key(2 * (origin + t * period) + side)

    start: dict[str, datetime] = {}
    finish: dict[str, datetime] = {}
    for task_id, node in net.node_of.items():
        s, d = starts[node], dur[node]
        if d:
            start[task_id], finish[task_id] = moment(s, 1), moment(s + d, 0)
        else:  # a milestone sits where its predecessors finish (Friday 17:00), or at the project start
            start[task_id] = finish[task_id] = moment(s, 1 if s == 0 else 0)
    for summary in net.summaries:
        start[summary.task_id] = min(start[child] for child in summary.children)
        finish[summary.task_id] = max(finish[child] for child in summary.children)
    return LevelingResult(
        start=start,
        finish=finish,
        makespan=rcpsp.makespan(problem, starts) * period,
        cpm_makespan=rcpsp.makespan(problem, base) * period,
        moves=_moves(compiled, starts, base, start),
        violations=_violations(project, compiled, starts),
        schedules=generated,
    )


def _moves(compiled: _Compiled, starts: list[int], base: list[int], start: dict[str, datetime]) -> list[Move]:
    net, problem, period = compiled.net, compiled.problem, compiled.period
    dur, demand = problem.duration, problem.demand
    used = [[0] * problem.horizon for _ in compiled.resource_ids]
    for node, needs in enumerate(demand):
        for r, q in needs:
            row = used[r]
            for t in range(starts[node], starts[node] + dur[node]):
                row[t] += q
    moves = []
    for task_id, node in net.node_of.items():
        if starts[node] <= base[node]:
            continue
        earliest, driver = problem.release[node], None
        for i, distance in problem.preds[node]:
            if starts[i] + distance > earliest or (driver is None and starts[i] + distance == earliest):
                earliest, driver = starts[i] + distance, i
        resource = None
        if starts[node] > earliest:
            own = range(starts[node], starts[node] + dur[node])
            resource = next(
                (
                    compiled.resource_ids[r]
                    for r, q in demand[node]
                    for t in range(earliest, earliest + dur[node])
                    if problem.capacity[r][t] - used[r][t] + (q if t in own else 0) < q
                ),
                None,
            )
        pushed_by = net.task_ids[driver] if resource is None and driver is not None else None
        moves.append(
            Move(
                task=task_id,
                cpm_start=compiled.cal.datetime_of_key(2 * (compiled.origin + base[node] * period) + 1),
                start=start[task_id],
                delay=(starts[node] - base[node]) * period,
                resource=resource,
                predecessor=pushed_by,
            )
        )
    return moves


def _violations(project: Project, compiled: _Compiled, starts: list[int]) -> list[Violation]:
    """Latest-date constraints and the project deadline the leveled schedule misses (never hidden)."""
    net, cal, origin, period = compiled.net, compiled.cal, compiled.origin, compiled.period
    dur = compiled.problem.duration
    deadline = None if project.finish_deadline is None else _count(cal, project.finish_deadline) - origin
    found = []
    for task in project.tasks:
        node = net.node_of.get(task.id)
        if node is None:
            continue
        s, f = starts[node] * period, (starts[node] + dur[node]) * period
        c = task.constraint
        if task.constraint_date is not None and c in (
            ConstraintType.SNLT,
            ConstraintType.MSO,
            ConstraintType.FNLT,
            ConstraintType.MFO,
        ):
            limit = _count(cal, task.constraint_date) - origin
            value = s if c in (ConstraintType.SNLT, ConstraintType.MSO) else f
            missed = value != limit if c in (ConstraintType.MSO, ConstraintType.MFO) else value > limit
            if missed:
                what = "starts" if c in (ConstraintType.SNLT, ConstraintType.MSO) else "finishes"
                found.append(
                    Violation(
                        c.value,
                        (task.id,),
                        f"task {task.id!r} {what} {value - limit:+d} working minutes from its {c.value} date",
                    )
                )
        if deadline is not None and f > deadline:
            found.append(
                Violation(
                    "deadline",
                    (task.id,),
                    f"task {task.id!r} finishes {f - deadline} working minutes after the project deadline",
                )
            )
    return found


__all__ = ["Demand", "LevelingResult", "Move", "Resource", "level"]
