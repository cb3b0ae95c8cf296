"""Each link type with no lag, a lag and a lead; lags on the successor's calendar; milestones."""

from __future__ import annotations

from datetime import time

import pytest

from tandem.scheduling.engine.cpm import longest_path, schedule
from tandem.scheduling.engine.model import Calendar, Link, LinkType, Project, Task
from tandem.scheduling.tests.conftest import dt

DAY = 480
MONDAY = dt("2014-10-20 08:00")


def plan(tasks: list[Task], links: list[Link], **kwargs):
    return schedule(Project(start=MONDAY, tasks=tasks, links=links, **kwargs))


@pytest.mark.parametrize(
    ("link_type", "pred_days", "lag", "start", "finish"),
    [
        (LinkType.FS, 1, 0, "2014-10-21 08:00", "2014-10-21 17:00"),
        (LinkType.FS, 1, DAY, "2014-10-22 08:00", "2014-10-22 17:00"),
        (LinkType.FS, 2, -DAY, "2014-10-21 08:00", "2014-10-21 17:00"),
        (LinkType.FS, 1, 120, "2014-10-21 10:00", "2014-10-22 10:00"),
        (LinkType.SS, 2, 0, "2014-10-20 08:00", "2014-10-20 17:00"),
        (LinkType.SS, 2, DAY, "2014-10-21 08:00", "2014-10-21 17:00"),
        (LinkType.SS, 2, 2 * DAY, "2014-10-22 08:00", "2014-10-22 17:00"),
        (LinkType.FF, 3, 0, "2014-10-22 08:00", "2014-10-22 17:00"),
        (LinkType.FF, 3, DAY, "2014-10-23 08:00", "2014-10-23 17:00"),
        (LinkType.FF, 3, -DAY, "2014-10-21 08:00", "2014-10-21 17:00"),
        (LinkType.SF, 1, 2 * DAY, "2014-10-21 08:00", "2014-10-21 17:00"),
        (LinkType.SF, 1, 3 * DAY, "2014-10-22 08:00", "2014-10-22 17:00"),
    ],
)
def test_link_type_and_lag(link_type, pred_days, lag, start, finish):
    rows = plan([Task("a", pred_days * DAY), Task("b", DAY)], [Link("a", "b", link_type, lag)])
    assert (rows["b"].early_start, rows["b"].early_finish) == (dt(start), dt(finish))
    assert rows["a"].early_start == MONDAY


def test_sf_with_zero_lag_finishes_at_the_predecessors_start_instant():
    # As MS Project shows it (mspdirelations.xml): B finishes at Monday 08:00, not Friday 17:00.
    rows = plan(
        [Task("x", DAY), Task("a", DAY), Task("b", DAY)],
        [Link("x", "a", LinkType.FS), Link("a", "b", LinkType.SF)],
    )
    assert rows["a"].early_start == dt("2014-10-21 08:00")
    assert rows["b"].early_finish == dt("2014-10-21 08:00")
    assert rows["b"].early_start == dt("2014-10-20 08:00")


def test_lead_on_a_start_to_start_link_cannot_go_before_the_project_start():
    rows = plan([Task("a", DAY), Task("b", DAY)], [Link("a", "b", LinkType.SS, -2 * DAY)])
    assert rows["b"].early_start == MONDAY


def test_lead_on_a_start_to_start_link_after_a_predecessor():
    rows = plan(
        [Task("x", 2 * DAY), Task("a", DAY), Task("b", DAY)],
        [Link("x", "a"), Link("a", "b", LinkType.SS, -DAY)],
    )
    assert rows["a"].early_start == dt("2014-10-22 08:00")
    assert rows["b"].early_start == dt("2014-10-21 08:00")


def test_late_dates_and_float_with_every_link_type():
    # The task-links project files: A then B with each link type; a 2-week chain sets the project finish.
    tasks = [Task(n, DAY) for n in ("c1", "c2", "a1", "b1", "a2", "b2", "a3", "b3", "a4", "b4")]
    links = [
        Link("c1", "c2", LinkType.FS, 10 * DAY),
        Link("a1", "b1", LinkType.FS, 2 * DAY),
        Link("a2", "b2", LinkType.SS, 2 * DAY),
        Link("a3", "b3", LinkType.FF, 2 * DAY),
        Link("a4", "b4", LinkType.SF, 2 * DAY),
    ]
    rows = schedule(Project(start=dt("2014-10-17 08:00"), tasks=tasks, links=links))
    assert rows["c2"].early_finish == dt("2014-11-03 17:00")
    assert rows["a1"].late_finish == dt("2014-10-29 17:00") and rows["a1"].total_float == 8 * DAY
    assert rows["a2"].late_start == dt("2014-10-30 08:00") and rows["a2"].total_float == 9 * DAY
    assert rows["a3"].late_finish == dt("2014-10-30 17:00") and rows["a3"].total_float == 9 * DAY
    assert rows["a4"].late_start == dt("2014-10-31 08:00") and rows["a4"].total_float == 10 * DAY
    assert all(rows[n].free_float == 0 for n in ("a1", "a2", "a3", "a4", "c1"))
    assert rows["b1"].free_float == rows["b1"].total_float == 8 * DAY
    assert [n for n, row in rows.items() if row.critical] == ["c1", "c2"]


def test_lag_is_measured_on_the_successors_calendar():
    six_day = Calendar(id="six", week=(*((((time(8), time(12)), (time(13), time(17))),) * 6), ()))
    calendars = {"standard": Calendar(), "six": six_day}
    tasks = [Task("a", DAY), Task("b", DAY, calendar="six"), Task("c", DAY)]
    links = [Link("a", "b", LinkType.FS, DAY), Link("a", "c", LinkType.FS, DAY)]
    rows = schedule(Project(start=dt("2014-10-17 08:00"), tasks=tasks, links=links, calendars=calendars))
    # Friday's task + 1 day of lag: Saturday is a working day for b, not for c.
    assert rows["b"].early_start == dt("2014-10-20 08:00")
    assert rows["c"].early_start == dt("2014-10-21 08:00")
    assert rows["b"].early_finish == dt("2014-10-20 17:00")


def test_cross_calendar_float_is_consistent():
    night = Calendar(id="night", week=(((time(18), time(22)),),) * 5 + ((), ()))
    calendars = {"standard": Calendar(), "night": night}
    tasks = [Task("a", DAY), Task("n", 240, calendar="night"), Task("z", DAY)]
    links = [Link("a", "n"), Link("n", "z")]
    rows = schedule(Project(start=MONDAY, tasks=tasks, links=links, calendars=calendars))
    assert rows["n"].early_start == dt("2014-10-20 18:00")
    assert rows["n"].early_finish == dt("2014-10-20 22:00")
    assert rows["z"].early_start == dt("2014-10-21 08:00")
    assert all(row.total_float == 0 and row.critical for row in rows.values())


def test_milestones_sit_at_the_finish_of_their_predecessor():
    rows = plan([Task("a", DAY), Task("m", 0, is_milestone=True), Task("b", DAY)], [Link("a", "m"), Link("m", "b")])
    assert rows["m"].early_start == rows["m"].early_finish == dt("2014-10-20 17:00")
    assert rows["b"].early_start == dt("2014-10-21 08:00")
    assert rows["m"].critical


def test_longest_path_follows_the_driving_links():
    tasks = [Task("a", DAY), Task("b", 3 * DAY), Task("c", DAY), Task("d", DAY)]
    links = [Link("a", "b"), Link("a", "c"), Link("b", "d"), Link("c", "d")]
    assert longest_path(Project(start=MONDAY, tasks=tasks, links=links)) == ["a", "b", "d"]


def test_plain_string_link_types_are_accepted():
    rows = plan([Task("a", DAY), Task("b", DAY)], [Link("a", "b", "SS", DAY)])  # type: ignore[arg-type]
    assert rows["b"].early_start == dt("2014-10-21 08:00")
