"""Resource leveling: feasibility (checked by the independent checker), quality on PSPLIB, priorities, leave."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.scheduling.engine import psplib
from tandem.scheduling.engine.calendar import always_on_calendar, calendar_from_workdays
from tandem.scheduling.engine.feasibility import check
from tandem.scheduling.engine.leveling import Demand, Resource, level
from tandem.scheduling.engine.model import ConstraintType, Link, LinkType, Project, ScheduleError, Task
from tandem.scheduling.tests.conftest import dt, shared_data

CN = calendar_from_workdays({**{date(2024, 10, d): False for d in range(1, 8)}, date(2024, 10, 12): True}, id="cn")
DAY = 480
ALWAYS = {"24x7": always_on_calendar()}


def days_project(tasks: list[Task], links: list[Link] | None = None) -> Project:
    return Project(
        start=dt("2024-01-01 00:00"), tasks=tasks, links=links or [], calendars=ALWAYS, default_calendar="24x7"
    )


@st.composite
def leveling_cases(draw):
    size = draw(st.integers(1, 9))
    tasks = [Task(str(i), draw(st.sampled_from([0, 60, 240, 480, 960, 1440]))) for i in range(size)]
    for task in tasks:
        constraint = draw(st.sampled_from([ConstraintType.ASAP] * 4 + [ConstraintType.SNET, ConstraintType.FNET]))
        if constraint is not ConstraintType.ASAP:
            task.constraint = constraint
            task.constraint_date = dt("2024-09-30 08:00") + timedelta(hours=draw(st.integers(0, 240)))
        task.priority = draw(st.sampled_from([500, 500, 100, 900]))
    edges = draw(
        st.lists(
            st.tuples(
                st.integers(0, size - 1),
                st.integers(0, size - 1),
                st.sampled_from(list(LinkType)),
                st.sampled_from([0, 0, 0, -120, 60, 480]),
            ),
            max_size=2 * size,
        )
    )
    links = [Link(str(min(a, b)), str(max(a, b)), kind, lag) for a, b, kind, lag in edges if a != b]
    resources = []
    for r in range(draw(st.integers(1, 2))):
        capacity = draw(st.integers(1, 3))
        leave = dt("2024-09-30 08:00") + timedelta(hours=draw(st.integers(0, 200)))
        back = leave + timedelta(hours=draw(st.integers(1, 100)))
        resources.append(Resource(f"R{r}", capacity, ((leave, draw(st.integers(0, capacity - 1))), (back, capacity))))
    demands = [
        Demand(task.id, resource.id, draw(st.integers(1, resource.capacity)))
        for task in tasks
        for resource in resources
        if draw(st.booleans())
    ]
    project = Project(
        start=dt("2024-09-27 09:00"), tasks=tasks, links=links, calendars={"cn": CN}, default_calendar="cn"
    )
    return project, resources, demands


@settings(max_examples=60, deadline=None)
@given(leveling_cases(), st.sampled_from([("serial", "ga"), ("parallel", "none"), ("serial", "fbi")]))
def test_leveling_never_breaks_a_link_a_capacity_or_a_bound(case, method):
    project, resources, demands = case
    sgs, search = method
    result = level(project, resources, demands, budget=40, seed=3, sgs=sgs, search=search)
    assert check(project, resources, demands, result.start, result.finish) == []
    assert result.schedules <= 40
    assert result.makespan >= result.cpm_makespan


def psplib_sample(name: str, count: int) -> list[psplib.Instance]:
    """`count` instances spread over the 48 parameter sets, instance numbers 1–10 in turn (no picking)."""
    folder = shared_data("psplib", name)
    return [psplib.read(folder / f"{name}{1 + (k * 48) // count}_{1 + k % 10}.sm") for k in range(count)]


@pytest.mark.parametrize(("name", "count"), [("j30", 8), ("j60", 4)])
def test_leveled_psplib_schedules_are_feasible(name, count):
    for instance in psplib_sample(name, count):
        project, resources, demands = psplib.leveling_input(instance)
        for sgs in ("serial", "parallel"):
            result = level(project, resources, demands, budget=100, seed=1, sgs=sgs)
            assert check(project, resources, demands, result.start, result.finish) == []
            assert result.makespan >= instance.mpm_time * psplib.DAY


def test_j30_sample_reaches_the_proven_optimum_within_1000_schedules():
    optimum = psplib.read_makespans(shared_data("psplib", "solutions", "j30opt.sm"))
    deviations = []
    for instance in psplib_sample("j30", 30):
        project, resources, demands = psplib.leveling_input(instance)
        result = level(project, resources, demands, budget=1000, seed=0)
        assert result.schedules <= 1000
        best = optimum[instance.parameter, instance.number]
        assert result.makespan >= best * psplib.DAY  # a proven optimum cannot be beaten
        deviations.append((result.makespan / psplib.DAY - best) / best * 100)
    at_optimum = sum(d == 0 for d in deviations) / len(deviations)
    mean = sum(deviations) / len(deviations)
    # Measured with seed 0: 24 of 30 at the optimum, mean 0.53 % (this sample is harder than the whole set).
    assert at_optimum >= 0.75, deviations
    assert mean <= 0.8, deviations


def competing_projects(a_priority: int, b_priority: int) -> tuple[Project, list[Resource], list[Demand]]:
    """One crew. Project A: one 5-day task. Project B: a 1-day task on the crew, then 10 days without it.
    B first gives the shorter overall finish (11 days against 16), so only A's priority keeps A first."""
    tasks = [
        Task("a", 5 * 1440, priority=a_priority),
        Task("b1", 1440, priority=b_priority),
        Task("b2", 10 * 1440, priority=b_priority),
    ]
    resources = [Resource("crew", 1)]
    demands = [Demand("a", "crew", 1), Demand("b1", "crew", 1)]
    return days_project(tasks, [Link("b1", "b2")]), resources, demands


def test_a_high_priority_project_is_not_delayed_for_a_low_priority_one():
    project, resources, demands = competing_projects(900, 100)
    result = level(project, resources, demands, budget=200, seed=5)
    assert result.start["a"] == dt("2024-01-01 00:00")
    assert result.start["b1"] == dt("2024-01-06 00:00")
    assert [(m.task, m.resource) for m in result.moves if m.task == "b1"] == [("b1", "crew")]
    assert [(m.task, m.predecessor) for m in result.moves if m.task == "b2"] == [("b2", "b1")]
    # With equal priorities the search is free to put B first, and does: the project finishes sooner.
    project, resources, demands = competing_projects(500, 500)
    equal = level(project, resources, demands, budget=200, seed=5)
    assert equal.start["b1"] == dt("2024-01-01 00:00") and equal.makespan == 11 * 1440 < result.makespan


def test_a_resource_on_leave_is_respected():
    """The only electrician is away on days 3–5: a 2-day job cannot straddle the leave."""
    tasks = [Task("wire", 2 * 1440), Task("test", 2 * 1440)]
    resources = [Resource("electrician", 1, ((dt("2024-01-03 00:00"), 0), (dt("2024-01-06 00:00"), 1)))]
    demands = [Demand("wire", "electrician", 1), Demand("test", "electrician", 1)]
    project = days_project(tasks)
    result = level(project, resources, demands, budget=50, seed=0)
    assert check(project, resources, demands, result.start, result.finish) == []
    assert sorted(result.start.values()) == [dt("2024-01-01 00:00"), dt("2024-01-06 00:00")]
    assert result.makespan == 7 * 1440


def test_leave_on_an_office_calendar_and_the_link_types():
    """8-hour days: SS+1d and FF links, a half-day leave; the checker agrees and the dates are exact."""
    tasks = [Task("a", 2 * DAY), Task("b", 2 * DAY), Task("c", DAY)]
    links = [Link("a", "b", LinkType.SS, DAY), Link("a", "c", LinkType.FF, 0)]
    resources = [Resource("crew", 2, ((dt("2024-09-30 13:00"), 1), (dt("2024-10-08 08:00"), 2)))]
    demands = [Demand("a", "crew", 1), Demand("b", "crew", 1), Demand("c", "crew", 1)]
    project = Project(
        start=dt("2024-09-30 08:00"), tasks=tasks, links=links, calendars={"cn": CN}, default_calendar="cn"
    )
    result = level(project, resources, demands, budget=100, seed=0)
    assert check(project, resources, demands, result.start, result.finish) == []
    # Monday afternoon one member works, 1–7 October is a holiday: b and c cannot both run beside a.
    # Best: b from Tuesday 8th (SS + 1 day), c beside b once a is done (FF holds: c ends after a).
    assert result.start == {"a": dt("2024-09-30 08:00"), "b": dt("2024-10-08 08:00"), "c": dt("2024-10-09 08:00")}
    assert result.finish == {"a": dt("2024-10-08 17:00"), "b": dt("2024-10-09 17:00"), "c": dt("2024-10-09 17:00")}
    assert result.makespan == 3 * DAY
    assert [(m.task, m.delay, m.resource) for m in result.moves] == [("c", DAY, "crew")]


def test_the_same_seed_gives_the_same_schedule():
    instance = psplib_sample("j30", 30)[13]
    project, resources, demands = psplib.leveling_input(instance)
    first = level(project, resources, demands, budget=300, seed=11)
    again = level(project, resources, demands, budget=300, seed=11)
    assert first.start == again.start and first.schedules == again.schedules


def test_deadlines_and_latest_dates_are_reported_not_broken():
    tasks = [Task("a", 3 * 1440), Task("b", 2 * 1440, constraint=ConstraintType.FNLT, constraint_date=dt("2024-01-04"))]
    resources = [Resource("crane", 1)]
    demands = [Demand("a", "crane", 1), Demand("b", "crane", 1)]
    project = days_project(tasks)
    project.finish_deadline = dt("2024-01-05 00:00")
    result = level(project, resources, demands, budget=50, seed=0)
    assert check(project, resources, demands, result.start, result.finish) == []
    late = {task for task in ("a", "b") if result.finish[task] > project.finish_deadline}
    assert late and {v.tasks[0] for v in result.violations if v.kind == "deadline"} == late
    assert any(v.kind == "FNLT" for v in result.violations) == (result.finish["b"] > dt("2024-01-04 00:00"))
    assert result.makespan == 5 * 1440  # leveled all the same: the crane does one job at a time


def test_a_demand_above_every_capacity_is_refused():
    project = days_project([Task("a", 1440)])
    with pytest.raises(ScheduleError) as error:
        level(project, [Resource("crew", 2)], [Demand("a", "crew", 3)])
    assert error.value.code == "capacity"
    with pytest.raises(ScheduleError):
        level(project, [Resource("crew", 2)], [Demand("a", "nobody", 1)])
