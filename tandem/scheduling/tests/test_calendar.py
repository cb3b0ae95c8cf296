"""Working-time arithmetic: weekends, holidays, 调休 make-up workdays, lunch breaks, snapping, counting."""

from __future__ import annotations

from datetime import date, time

import pytest

from tandem.scheduling.engine.calendar import (
    WorkingTime,
    always_on_calendar,
    calendar_from_workdays,
    working_time,
)
from tandem.scheduling.engine.model import Calendar, ScheduleError
from tandem.scheduling.tests.conftest import dt

# National Day 2024: 1–7 October off; Sunday 29 September and Saturday 12 October are make-up workdays.
NATIONAL_DAY_2024 = {
    **{date(2024, 10, d): False for d in range(1, 8)},
    date(2024, 9, 29): True,
    date(2024, 10, 12): True,
}


@pytest.fixture
def standard() -> WorkingTime:
    return WorkingTime(Calendar())  # Mon–Fri 08–12, 13–17


@pytest.fixture
def china() -> WorkingTime:
    return WorkingTime(calendar_from_workdays(NATIONAL_DAY_2024))


def test_add_within_a_morning(standard):
    assert standard.add(dt("2014-10-17 08:00"), 120) == dt("2014-10-17 10:00")


def test_lunch_break_is_skipped(standard):
    assert standard.add(dt("2014-10-17 11:00"), 120) == dt("2014-10-17 14:00")
    assert standard.working_minutes(dt("2014-10-17 11:00"), dt("2014-10-17 14:00")) == 120


def test_a_full_day_ends_at_the_end_of_the_day_not_the_next_morning(standard):
    assert standard.add(dt("2014-10-17 08:00"), 480) == dt("2014-10-17 17:00")


def test_weekend_is_skipped_forward_and_backward(standard):
    friday_noon = dt("2014-10-17 13:00")
    # A finish lands as early as possible: Monday 12:00, before the lunch break, not 13:00 after it.
    assert standard.add(friday_noon, 480) == dt("2014-10-20 12:00")
    assert standard.subtract(dt("2014-10-20 12:00"), 480) == friday_noon
    assert standard.add(friday_noon, -480) == dt("2014-10-16 13:00")


def test_subtracting_lands_at_the_start_of_working_time(standard):
    assert standard.subtract(dt("2014-10-20 17:00"), 480) == dt("2014-10-20 08:00")
    assert standard.subtract(dt("2014-10-20 17:00"), 960) == dt("2014-10-17 08:00")


def test_zero_keeps_the_moment(standard):
    saturday = dt("2014-10-18 10:00")
    assert standard.add(saturday, 0) == saturday


def test_from_a_non_working_moment(standard):
    assert standard.add(dt("2014-10-18 10:00"), 60) == dt("2014-10-20 09:00")
    assert standard.add(dt("2014-10-17 12:30"), 30) == dt("2014-10-17 13:30")


def test_working_minutes_over_a_week_and_backwards(standard):
    assert standard.working_minutes(dt("2014-10-13 08:00"), dt("2014-10-20 08:00")) == 2400
    assert standard.working_minutes(dt("2014-10-20 08:00"), dt("2014-10-13 08:00")) == -2400
    assert standard.working_minutes(dt("2014-10-17 17:00"), dt("2014-10-20 08:00")) == 0


def test_snapping(standard):
    assert standard.next_working(dt("2014-10-17 17:00")) == dt("2014-10-20 08:00")
    assert standard.next_working(dt("2014-10-17 12:15")) == dt("2014-10-17 13:00")
    assert standard.next_working(dt("2014-10-17 09:10")) == dt("2014-10-17 09:10")
    assert standard.previous_working(dt("2014-10-20 08:00")) == dt("2014-10-17 17:00")
    assert standard.previous_working(dt("2014-10-19 23:00")) == dt("2014-10-17 17:00")
    assert standard.is_working(dt("2014-10-17 09:00"))
    assert not standard.is_working(dt("2014-10-17 12:00"))


def test_holiday_week_is_skipped(china):
    # Monday 30 September 17:00 + 1 day: 1–7 October are holidays, so the work ends on Tuesday 8 October.
    assert china.add(dt("2024-09-30 17:00"), 480) == dt("2024-10-08 17:00")
    assert not china.is_working_day(date(2024, 10, 3))


def test_make_up_workdays_count(china):
    assert china.is_working_day(date(2024, 9, 29))  # a Sunday
    assert china.is_working_day(date(2024, 10, 12))  # a Saturday
    # Friday 27 September 08:00 + 2 days: Friday, then the make-up Sunday.
    assert china.add(dt("2024-09-27 08:00"), 960) == dt("2024-09-29 17:00")
    assert (
        china.working_minutes(dt("2024-09-23 08:00"), dt("2024-10-14 08:00")) == (5 + 1 + 1 + 4 + 1) * 480
    )  # Mon–Fri, make-up Sunday, Monday, 8–11 Oct, make-up Saturday


def test_calendar_from_workdays_keeps_only_real_exceptions():
    calendar = calendar_from_workdays({date(2024, 10, 2): False, date(2024, 10, 5): False, date(2024, 10, 9): True})
    assert calendar.exceptions == {date(2024, 10, 2): ()}  # a Saturday off and a Wednesday worked change nothing


def test_calendar_from_workdays_with_custom_hours():
    hours = ((time(9), time(12)), (time(13), time(18)))
    calendar = calendar_from_workdays({date(2024, 9, 29): True}, hours=hours)
    assert working_time(calendar).intervals(date(2024, 9, 29))[-1][1] == dt("2024-09-29 18:00")


def test_24_hour_calendar_counts_every_minute():
    always = WorkingTime(always_on_calendar())
    assert always.add(dt("2024-01-06 10:00"), 1440 * 3) == dt("2024-01-09 10:00")
    assert always.minutes_on(date(2024, 1, 6)) == 1440


def test_far_dates_grow_the_tables_both_ways(standard):
    assert standard.add(dt("2014-10-17 08:00"), 480 * 5 * 52 * 30).year == 2044
    assert standard.subtract(dt("2014-10-17 08:00"), 480 * 5 * 52 * 30).year == 1984
    assert standard.working_minutes(dt("1990-01-01 08:00"), dt("1990-01-08 08:00")) == 2400


def test_a_calendar_without_working_time_raises():
    never = WorkingTime(Calendar(id="never", week=((),) * 7))
    with pytest.raises(ScheduleError) as error:
        never.add(dt("2024-01-01 08:00"), 60)
    assert error.value.code == "calendar"


def test_bad_intervals_raise():
    with pytest.raises(ScheduleError) as error:
        WorkingTime(Calendar(id="bad", week=(((time(17), time(8)),),) * 7))
    assert error.value.code == "calendar"


def test_compiled_calendars_are_cached_by_identity():
    calendar = Calendar()
    assert working_time(calendar) is working_time(calendar)
    assert working_time(Calendar()) is not working_time(calendar)
