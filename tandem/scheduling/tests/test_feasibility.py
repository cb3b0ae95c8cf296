"""The feasibility checker on the best-known j60 schedules of Creemers (2021), and on broken copies of one.

`solutions/J60_C.csv`: `;`-separated, six `#` header lines, then `ID;Type;Value;Time;Solution…` rows: ID 1–480
is instance j60<(ID−1)//10+1>_<(ID−1)%10+1>, Type `optimal` or `heuristic`, Value the makespan, then the
start period of each of the 62 jobs in job order. A second block of rows (Type `lower bound`) has no schedule.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tandem.scheduling.engine import psplib
from tandem.scheduling.engine.feasibility import check
from tandem.scheduling.engine.model import ConstraintType
from tandem.scheduling.tests.conftest import shared_data

DAY = timedelta(days=1)


def solutions() -> dict[int, tuple[str, int, list[int]]]:
    rows = {}
    for line in shared_data("psplib", "solutions", "J60_C.csv").read_text(encoding="utf-8-sig").splitlines():
        fields = line.split(";")
        if line.startswith("#") or not fields[0].isdigit() or fields[1] == "lower bound":
            continue
        rows[int(fields[0])] = (fields[1], int(fields[2]), [int(f) for f in fields[4:] if f])
    return rows


def instance_of(solution_id: int) -> psplib.Instance:
    parameter, number = (solution_id - 1) // 10 + 1, (solution_id - 1) % 10 + 1
    return psplib.read(shared_data("psplib", "j60", f"j60{parameter}_{number}.sm"))


def dated(instance: psplib.Instance, periods: list[int]):
    jobs = list(instance.durations)
    start = {job: psplib.START + s * DAY for job, s in zip(jobs, periods, strict=True)}
    finish = {job: start[job] + instance.durations[job] * DAY for job in jobs}
    return start, finish


def overloaded_days(instance: psplib.Instance, start) -> set[tuple[int, int]]:
    """(resource, day) pairs over capacity, counted day by day: a third, deliberately naive, computation."""
    over = set()
    for r, capacity in enumerate(instance.capacities):
        for day in range(200):
            moment = psplib.START + day * DAY
            used = sum(
                instance.requests[job][r]
                for job, d in instance.durations.items()
                if start[job] <= moment < start[job] + d * DAY
            )
            if used > capacity:
                over.add((r, day))
    return over


def test_every_best_known_j60_schedule_checks_feasible():
    rows = solutions()
    assert len(rows) == 480
    assert {kind for kind, _value, _starts in rows.values()} == {"optimal", "heuristic"}
    for solution_id, (_kind, value, periods) in rows.items():
        instance = instance_of(solution_id)
        assert len(periods) == len(instance.durations) == 62
        project, resources, demands = psplib.leveling_input(instance)
        start, finish = dated(instance, periods)
        assert check(project, resources, demands, start, finish) == [], solution_id
        assert max(finish.values()) - psplib.START == value * DAY


def test_a_perturbed_schedule_is_infeasible():
    _kind, _value, periods = solutions()[1]
    instance = instance_of(1)
    project, resources, demands = psplib.leveling_input(instance)
    start, finish = dated(instance, periods)

    # A job moved one day before its predecessor finishes breaks that FS link.
    pred, succ = next((p, s) for p, s in instance.links if instance.durations[p] and instance.durations[s])
    broken_start = dict(start, **{succ: finish[pred] - DAY})
    broken_finish = dict(finish, **{succ: broken_start[succ] + instance.durations[succ] * DAY})
    kinds = {(v.kind, v.tasks) for v in check(project, resources, demands, broken_start, broken_finish)}
    assert ("link", (pred, succ)) in kinds

    # A job moved within its precedence window onto a day the naive count finds over capacity.
    preds = {job: [p for p, s in instance.links if s == job] for job in instance.durations}
    succs = {job: [s for p, s in instance.links if p == job] for job in instance.durations}
    for job, d in instance.durations.items():
        if not d or not any(instance.requests[job]):
            continue
        low = max((finish[p] for p in preds[job]), default=psplib.START)
        high = min((start[s] for s in succs[job]), default=low) - d * DAY
        moved = [low + k * DAY for k in range((high - low) // DAY + 1)]
        candidate = next((m for m in moved if overloaded_days(instance, dict(start, **{job: m}))), None)
        if candidate is not None:
            break
    else:
        pytest.fail("no capacity-breaking move found")
    broken_start = dict(start, **{job: candidate})
    broken_finish = dict(finish, **{job: candidate + d * DAY})
    violations = check(project, resources, demands, broken_start, broken_finish)
    assert violations and {v.kind for v in violations} == {"capacity"}
    assert all(job in v.tasks for v in violations)

    # A job that lasts a day less than it should, or starts before the project or its SNET date.
    short = dict(finish, **{job: finish[job] - DAY})
    assert [v.kind for v in check(project, resources, demands, start, short)] == ["duration"]
    first = next(j for j, d in instance.durations.items() if d and preds[j] == ["1"])
    early = dict(start, **{first: psplib.START - DAY})
    early_finish = dict(finish, **{first: early[first] + instance.durations[first] * DAY})
    assert "start_bound" in {v.kind for v in check(project, resources, demands, early, early_finish)}
    task = next(t for t in project.tasks if t.id == job)
    task.constraint, task.constraint_date = ConstraintType.SNET, start[job] + DAY
    assert [v.kind for v in check(project, resources, demands, start, finish)] == ["start_bound"]
