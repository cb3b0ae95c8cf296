"""Calendars compiled for the scheduling engine: the week, holidays, make-up workdays on the standard day, and
the default calendar's working time for callers that measure in working hours (the lead SLA)."""

from datetime import date, datetime, time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.calendars.models import CalendarException, WorkCalendar, default_week
from tandem.calendars.selectors import default_working_time, engine_calendar, engine_calendars


def make_calendar(tenant, **fields):
    fields = {"name": "标准日历", "is_default": True, "week": default_week(), **fields}
    return WorkCalendar.objects.create(tenant=tenant, **fields)


def test_a_calendar_becomes_the_engines_plain_data(tenant):
    calendar = make_calendar(tenant)
    holiday = CalendarException(tenant=tenant, calendar=calendar, date=date(2026, 10, 1), is_working=False)
    make_up = CalendarException(tenant=tenant, calendar=calendar, date=date(2026, 10, 10), is_working=True)
    short = CalendarException(
        tenant=tenant, calendar=calendar, date=date(2026, 10, 11), is_working=True, hours=[["09:00", "24:00"]]
    )
    compiled = engine_calendar(calendar, [holiday, make_up, short])
    office = ((time(8), time(12)), (time(13), time(17)))
    assert compiled.id == str(calendar.pk)
    assert compiled.week == (office,) * 5 + ((), ())
    assert compiled.exceptions == {
        date(2026, 10, 1): (),
        date(2026, 10, 10): office,  # a make-up workday without hours works the standard day
        date(2026, 10, 11): ((time(9), time(0)),),  # "24:00" is midnight, the engine's time(0)
    }


def test_several_calendars_compile_in_two_queries_with_the_exceptions_from_a_date(tenant):
    first = make_calendar(tenant)
    second = make_calendar(tenant, name="六天制", is_default=False)
    CalendarException.objects.create(tenant=tenant, calendar=first, date=date(2020, 1, 1), is_working=False)
    CalendarException.objects.create(tenant=tenant, calendar=second, date=date(2026, 1, 1), is_working=False)
    with CaptureQueriesContext(connection) as queries:
        compiled = engine_calendars({first.pk, second.pk}, since=date(2025, 1, 1))
    assert len(queries) == 2
    assert compiled[str(first.pk)].exceptions == {}
    assert compiled[str(second.pk)].exceptions == {date(2026, 1, 1): ()}


def test_the_default_working_time_counts_working_minutes_of_the_default_calendar(tenant, other_tenant):
    assert default_working_time(tenant_id=tenant.pk) is None
    calendar = make_calendar(tenant)
    CalendarException.objects.create(tenant=tenant, calendar=calendar, date=date(2026, 5, 4), is_working=False)
    make_calendar(other_tenant, week=[[["00:00", "24:00"]]] * 7)
    working = default_working_time(tenant_id=tenant.pk)
    assert working.weekday_minutes() == [480] * 5 + [0, 0]
    # Friday 1 May 16:00 to Tuesday 5 May 09:00: one hour on Friday, the holiday Monday off, one hour Tuesday.
    assert working.working_minutes(datetime(2026, 5, 1, 16, 0), datetime(2026, 5, 5, 9, 0)) == 120


def test_a_default_calendar_without_working_time_measures_nothing(tenant):
    make_calendar(tenant, week=[[]] * 7)
    assert default_working_time(tenant_id=tenant.pk) is None
