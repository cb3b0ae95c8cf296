"""Networks that cannot be scheduled: cycles (named), unknown or duplicate tasks, bad calendars."""

from __future__ import annotations

import pytest

from tandem.scheduling.engine.cpm import Scheduler, schedule
from tandem.scheduling.engine.model import Link, Project, ScheduleError, Task
from tandem.scheduling.tests.conftest import dt

MONDAY = dt("2014-10-20 08:00")


def error_of(tasks: list[Task], links: list[Link], **kwargs) -> ScheduleError:
    with pytest.raises(ScheduleError) as caught:
        schedule(Project(start=MONDAY, tasks=tasks, links=links, **kwargs))
    return caught.value


def test_cycle_names_its_tasks_in_order():
    tasks = [Task(n, 480) for n in ("start", "a", "b", "c", "end")]
    links = [Link("start", "a"), Link("a", "b"), Link("b", "c"), Link("c", "a"), Link("c", "end")]
    error = error_of(tasks, links)
    assert error.code == "cycle"
    assert sorted(error.detail) == ["a", "b", "c"]
    cycle = error.detail
    i = cycle.index("a")
    assert cycle[i:] + cycle[:i] == ["a", "b", "c"]  # in link order
    assert "a → b → c → a" in str(error) or "b → c → a → b" in str(error) or "c → a → b → c" in str(error)


def test_self_link_is_a_cycle():
    error = error_of([Task("a", 480)], [Link("a", "a")])
    assert error.code == "cycle" and error.detail == ["a"]
    assert "a → a" in str(error)


def test_link_from_a_child_to_its_own_summary_is_a_cycle():
    error = error_of([Task("S", is_summary=True), Task("a", 480, parent="S")], [Link("a", "S")])
    assert error.code == "cycle" and sorted(error.detail) == ["S", "a"]


def test_summaries_containing_each_other():
    error = error_of([Task("A", parent="B"), Task("B", parent="A"), Task("x", 1, parent="A")], [])
    assert error.code == "cycle"


@pytest.mark.parametrize(
    ("tasks", "links", "kwargs", "code"),
    [
        ([Task("a")], [Link("a", "ghost")], {}, "unknown_task"),
        ([Task("a", parent="ghost")], [], {}, "unknown_task"),
        ([Task("a"), Task("a")], [], {}, "duplicate_task"),
        ([Task("a", -5)], [], {}, "invalid"),
        ([Task("a", calendar="ghost")], [], {}, "unknown_calendar"),
        ([Task("a")], [], {"default_calendar": "ghost"}, "unknown_calendar"),
    ],
)
def test_bad_networks(tasks, links, kwargs, code):
    assert error_of(tasks, links, **kwargs).code == code


def test_a_long_chain_needs_no_recursion():
    size = 30_000
    tasks = [Task(str(i), 60) for i in range(size)]
    links = [Link(str(i), str(i + 1)) for i in range(size - 1)]
    rows = schedule(Project(start=MONDAY, tasks=tasks, links=links))
    assert rows[str(size - 1)].early_finish > rows["0"].early_finish
    with pytest.raises(ScheduleError) as caught:
        schedule(Project(start=MONDAY, tasks=tasks, links=[*links, Link(str(size - 1), "0")]))
    assert len(caught.value.detail) == size


def test_scheduler_reschedules_after_a_duration_change():
    project = Project(start=MONDAY, tasks=[Task("a", 480), Task("b", 480)], links=[Link("a", "b")])
    scheduler = Scheduler(project)
    assert scheduler.run()["b"].early_start == dt("2014-10-21 08:00")
    scheduler.set_duration("a", 960)
    assert scheduler.run()["b"].early_start == dt("2014-10-22 08:00")
    with pytest.raises(ScheduleError):
        scheduler.set_duration("ghost", 1)
