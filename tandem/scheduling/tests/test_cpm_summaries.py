"""Summary tasks: roll-up, links into and out of summaries, nesting."""

from __future__ import annotations

from tandem.scheduling.engine.cpm import longest_path, schedule
from tandem.scheduling.engine.model import Link, LinkType, Project, Task
from tandem.scheduling.tests.conftest import dt

DAY = 480
MONDAY = dt("2014-10-20 08:00")


def phase(*links: Link, extra: tuple[Task, ...] = ()):
    tasks = [
        Task("S", is_summary=True),
        Task("a", DAY, parent="S"),
        Task("b", 2 * DAY, parent="S"),
        *extra,
    ]
    return Project(start=MONDAY, tasks=tasks, links=[Link("a", "b"), *links])


def test_summary_rolls_up_its_children():
    rows = schedule(phase())
    assert (rows["S"].early_start, rows["S"].early_finish) == (dt("2014-10-20 08:00"), dt("2014-10-22 17:00"))
    assert rows["S"].critical and rows["S"].total_float == 0


def test_link_into_a_summary_holds_back_every_child():
    rows = schedule(phase(Link("y", "S"), extra=(Task("y", DAY), Task("free", DAY, parent="S"))))
    assert rows["a"].early_start == dt("2014-10-21 08:00")
    assert rows["free"].early_start == dt("2014-10-21 08:00")
    assert rows["S"].early_start == dt("2014-10-21 08:00")


def test_link_out_of_a_summary_waits_for_every_child():
    rows = schedule(phase(Link("S", "x"), extra=(Task("x", DAY),)))
    assert rows["x"].early_start == dt("2014-10-23 08:00")
    assert rows["b"].free_float == 0 and rows["a"].total_float == 0
    assert longest_path(phase(Link("S", "x"), extra=(Task("x", DAY),))) == ["a", "b", "x"]


def test_start_to_start_from_a_summary():
    rows = schedule(phase(Link("S", "x", LinkType.SS, DAY), extra=(Task("x", DAY),)))
    assert rows["x"].early_start == dt("2014-10-21 08:00")


def test_finish_to_finish_into_a_summary_holds_back_the_childrens_finish():
    rows = schedule(phase(Link("y", "S", LinkType.FF), extra=(Task("y", 4 * DAY),)))
    assert rows["a"].early_finish == dt("2014-10-23 17:00")  # every child finishes no earlier than y
    assert rows["b"].early_finish == dt("2014-10-27 17:00")  # and b still follows a


def test_nested_summaries_and_an_unflagged_parent():
    tasks = [
        Task("P"),  # has children, so it is a summary even without the flag
        Task("S", parent="P", is_summary=True),
        Task("a", DAY, parent="S"),
        Task("b", 2 * DAY, parent="P"),
    ]
    rows = schedule(Project(start=MONDAY, tasks=tasks, links=[Link("a", "b")]))
    assert rows["P"].early_finish == dt("2014-10-22 17:00")
    assert rows["S"].early_finish == dt("2014-10-20 17:00")
    assert rows["P"].early_start == rows["S"].early_start == MONDAY


def test_free_float_of_a_child_runs_to_its_successors_not_to_the_summary_finish():
    rows = schedule(phase(extra=(Task("c", DAY, parent="S"), Task("z", 5 * DAY))))
    assert rows["c"].free_float == 4 * DAY  # to the project finish, as MS Project shows it


def test_summary_without_children_is_an_ordinary_task():
    rows = schedule(Project(start=MONDAY, tasks=[Task("S", 0, is_summary=True)]))
    assert rows["S"].early_start == rows["S"].early_finish == MONDAY
