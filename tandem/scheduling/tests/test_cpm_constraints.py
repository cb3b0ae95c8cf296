"""Constraints, deadlines, the critical threshold, ALAP and progress (actual dates, status date)."""

from __future__ import annotations

import pytest

from tandem.scheduling.engine.cpm import schedule
from tandem.scheduling.engine.model import ConstraintType, Link, Project, ScheduleError, Task
from tandem.scheduling.tests.conftest import dt

DAY = 480
MONDAY = dt("2014-10-20 08:00")
C = ConstraintType


def plan(tasks: list[Task], links: list[Link], **kwargs):
    return schedule(Project(start=kwargs.pop("start", MONDAY), tasks=tasks, links=links, **kwargs))


def chain(first_days: int, constraint: ConstraintType, when: str | None):
    date = dt(when) if when else None
    return plan(
        [Task("a", first_days * DAY), Task("b", DAY, constraint=constraint, constraint_date=date)], [Link("a", "b")]
    )


def test_snet_holds_the_start_back_and_leaves_float_upstream():
    rows = chain(1, C.SNET, "2014-10-23 08:00")
    assert rows["b"].early_start == dt("2014-10-23 08:00")
    assert rows["a"].late_finish == dt("2014-10-22 17:00")
    assert rows["a"].total_float == 2 * DAY and rows["a"].free_float == 2 * DAY


def test_snet_on_a_weekend_starts_on_monday():
    rows = plan([Task("a", DAY, constraint=C.SNET, constraint_date=dt("2014-10-25 10:00"))], [])
    assert rows["a"].early_start == dt("2014-10-27 08:00")


def test_fnet_holds_the_finish_back():
    rows = chain(1, C.FNET, "2014-10-23 17:00")
    assert (rows["b"].early_start, rows["b"].early_finish) == (dt("2014-10-23 08:00"), dt("2014-10-23 17:00"))


def test_snlt_that_the_links_break_gives_negative_float():
    rows = chain(3, C.SNLT, "2014-10-21 08:00")
    assert rows["b"].early_start == dt("2014-10-23 08:00")  # the links win
    assert rows["b"].late_start == dt("2014-10-21 08:00")
    assert rows["b"].total_float == -2 * DAY and rows["a"].total_float == -2 * DAY
    assert rows["a"].critical and rows["b"].critical


def test_snlt_that_holds_caps_the_late_dates():
    rows = plan(
        [Task("a", DAY), Task("b", DAY, constraint=C.SNLT, constraint_date=dt("2014-10-20 13:00")), Task("z", 5 * DAY)],
        [],
    )
    assert rows["b"].late_start == dt("2014-10-20 13:00") and rows["b"].total_float == 240
    assert rows["a"].total_float == 4 * DAY


def test_fnlt_caps_the_late_finish():
    rows = plan([Task("a", 2 * DAY, constraint=C.FNLT, constraint_date=dt("2014-10-21 12:00")), Task("z", 5 * DAY)], [])
    assert rows["a"].late_finish == dt("2014-10-21 12:00") and rows["a"].total_float == -240


def test_mso_pins_the_start():
    rows = chain(1, C.MSO, "2014-10-22 08:00")
    assert rows["b"].early_start == rows["b"].late_start == dt("2014-10-22 08:00")
    assert rows["a"].total_float == DAY and rows["b"].total_float == 0


def test_mso_before_its_predecessor_can_finish_shows_the_conflict():
    rows = chain(3, C.MSO, "2014-10-21 08:00")
    assert rows["b"].early_start == dt("2014-10-21 08:00")  # pinned, whatever the link says
    assert rows["a"].total_float == -2 * DAY


def test_mfo_pins_the_finish():
    rows = chain(1, C.MFO, "2014-10-23 17:00")
    assert (rows["b"].early_start, rows["b"].early_finish) == (dt("2014-10-23 08:00"), dt("2014-10-23 17:00"))
    assert rows["b"].late_finish == dt("2014-10-23 17:00")


def test_alap_moves_a_task_to_its_late_dates_and_its_successors_follow():
    rows = plan(
        [Task("a", DAY, constraint=C.ALAP), Task("b", DAY), Task("c", 4 * DAY)],
        [Link("a", "b")],
    )
    assert rows["a"].early_start == rows["a"].late_start == dt("2014-10-22 08:00")
    assert rows["b"].early_start == dt("2014-10-23 08:00")
    assert rows["a"].total_float == rows["b"].total_float == 0


def test_a_dated_constraint_without_a_date_is_refused():
    with pytest.raises(ScheduleError) as error:
        plan([Task("a", DAY, constraint=C.SNET)], [])
    assert error.value.code == "constraint" and error.value.detail == ["a"]


def test_a_deadline_before_the_natural_finish_gives_negative_float():
    rows = plan([Task("a", 3 * DAY)], [], finish_deadline=dt("2014-10-21 17:00"))
    assert rows["a"].total_float == -DAY and rows["a"].critical
    assert rows["a"].late_finish == dt("2014-10-21 17:00")


def test_a_later_deadline_gives_float_to_everything():
    rows = plan([Task("a", 3 * DAY), Task("b", DAY)], [], finish_deadline=dt("2014-10-24 17:00"))
    assert rows["a"].total_float == 2 * DAY and not rows["a"].critical
    assert rows["b"].free_float == 2 * DAY  # free float still runs to the project's early finish


def test_critical_threshold():
    rows = plan([Task("a", 3 * DAY), Task("b", 2 * DAY), Task("c", DAY)], [], critical_threshold=DAY)
    assert [rows[n].critical for n in "abc"] == [True, True, False]


def test_a_finished_task_keeps_its_actual_dates_and_is_not_critical():
    rows = plan(
        [
            Task("a", 2 * DAY, actual_start=dt("2014-10-13 08:00"), actual_finish=dt("2014-10-14 17:00")),
            Task("b", 2 * DAY),
        ],
        [Link("a", "b")],
        start=dt("2014-10-13 08:00"),
        status_date=dt("2014-10-15 08:00"),
    )
    assert (rows["a"].early_start, rows["a"].early_finish) == (dt("2014-10-13 08:00"), dt("2014-10-14 17:00"))
    assert not rows["a"].critical and rows["a"].total_float == 0
    assert rows["b"].early_start == dt("2014-10-15 08:00")


def test_remaining_work_resumes_at_the_status_date():
    task = Task("a", 3 * DAY, actual_start=dt("2014-10-13 08:00"), percent_complete=50)
    rows = plan([task], [], start=dt("2014-10-13 08:00"), status_date=dt("2014-10-16 08:00"))
    assert rows["a"].early_start == dt("2014-10-13 08:00")
    assert rows["a"].early_finish == dt("2014-10-17 12:00")  # 1.5 days left from Thursday 08:00


def test_remaining_work_follows_the_work_done_without_a_status_date():
    task = Task("a", 3 * DAY, actual_start=dt("2014-10-13 08:00"), percent_complete=50)
    rows = plan([task], [], start=dt("2014-10-13 08:00"))
    assert rows["a"].early_finish == dt("2014-10-15 17:00")
    assert rows["a"].total_float == 0 and rows["a"].critical


def test_work_not_started_does_not_start_before_the_status_date():
    rows = plan([Task("a", DAY)], [], start=dt("2014-10-13 08:00"), status_date=dt("2014-10-15 13:00"))
    assert rows["a"].early_start == dt("2014-10-15 13:00")


def test_a_finished_successor_does_not_hold_back_its_predecessor():
    rows = plan(
        [Task("a", DAY), Task("b", DAY, actual_start=dt("2014-10-13 08:00"), actual_finish=dt("2014-10-13 17:00"))],
        [Link("a", "b")],
    )
    assert rows["a"].total_float == 0 and rows["a"].late_finish == dt("2014-10-20 17:00")
