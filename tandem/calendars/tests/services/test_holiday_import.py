"""Importing a year of holidays from a file: the file's dates are written whole, replace the library's and an
earlier file's for its years, keep hand entries, reschedule; a bad file writes nothing."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.audit.models import AuditEntry
from tandem.calendars.choices import ExceptionSource
from tandem.calendars.models import CalendarException
from tandem.calendars.selectors import holiday_coverage
from tandem.calendars.services.calendars import calendar_create, calendar_exception_set, chinese_calendar_years
from tandem.calendars.services.holidays import calendar_holidays_import, calendar_holidays_plan, holiday_file_rows
from tandem.calendars.tests.holiday_files import BAD_CSV_2031, CSV_2031, ICS_2031
from tandem.core.errors import ApplicationError
from tandem.testing.kit import access_for, make_member


@pytest.fixture
def admin(tenant):
    return access_for(make_member(tenant, "admin"))


def upload(content, name):
    return SimpleUploadedFile(name, content if isinstance(content, bytes) else content.encode())


def table(calendar, year=2031):
    return [
        (e.date, e.is_working, e.source)
        for e in CalendarException.objects.filter(calendar=calendar, date__year=year).order_by("date")
    ]


def test_a_good_ics_file_is_imported_and_its_year_counts_as_covered(admin):
    calendar = calendar_create(access=admin, name="2031日历", seed_holidays=True)
    rows = holiday_file_rows(upload=upload(ICS_2031, "china-2031.ics"))
    plan = calendar_holidays_import(access=admin, calendar=calendar, rows=rows, file_name="china-2031.ics")
    assert (plan.holidays, plan.workdays, plan.new_count) == (8, 1, 9)
    written = table(calendar)
    assert len(written) == 9 and {source for _d, _w, source in written} == {ExceptionSource.FILE}
    assert (date(2031, 1, 18), True, ExceptionSource.FILE) in written
    coverage = holiday_coverage(calendar=calendar)
    assert 2031 in coverage.imported and coverage.missing(2030, 2031) == [2030]
    entry = AuditEntry.objects.filter(object_type="projects.workcalendar", object_id=str(calendar.pk)).latest("id")
    assert entry.after["holidays_imported"] == "china-2031.ics" and entry.after["years"] == [2031]


def test_a_good_csv_gives_the_same_table_and_a_corrected_file_replaces_it(admin):
    calendar = calendar_create(access=admin, name="CSV日历", seed_holidays=False)
    calendar_holidays_import(
        access=admin, calendar=calendar, rows=holiday_file_rows(upload=upload(CSV_2031, "2031.csv"))
    )
    assert len(table(calendar)) == 9
    corrected = "日期,名称,类型\n2031-01-01,元旦,休\n2031-01-23~2031-01-29,春节,休\n2031-01-19,春节调休,班\n"
    plan = calendar_holidays_import(
        access=admin, calendar=calendar, rows=holiday_file_rows(upload=upload(corrected, "2031v2.csv"))
    )
    assert len(plan.removed) == 2  # 01-18 and 01-22 are no longer in the notice
    days = {d for d, _w, _s in table(calendar)}
    assert date(2031, 1, 18) not in days and date(2031, 1, 22) not in days and date(2031, 1, 29) in days


def test_a_file_replaces_the_library_for_its_year_but_not_hand_entries(admin):
    _first, last = chinese_calendar_years()
    calendar = calendar_create(access=admin, name="覆盖日历", seed_holidays=True)
    library_days = {d for d, _w, _s in table(calendar, last)}
    calendar_exception_set(access=admin, calendar=calendar, date=date(last, 1, 1), is_working=True, name="抢工")
    content = f"{last}-01-01,元旦,休\n{last}-05-01,劳动节,休\n"
    plan = calendar_holidays_plan(
        access=admin, calendar=calendar, rows=holiday_file_rows(upload=upload(content, "x.csv"))
    )
    assert [d.action for d in plan.dates] == ["kept", "changed" if date(last, 5, 1) in library_days else "new"]
    calendar_holidays_import(access=admin, calendar=calendar, rows=plan_rows(plan))
    rows = table(calendar, last)
    assert (date(last, 1, 1), True, ExceptionSource.MANUAL) in rows  # the hand entry stays
    assert {s for _d, _w, s in rows} == {ExceptionSource.MANUAL, ExceptionSource.FILE}  # the library's year is gone


def plan_rows(plan):
    return [d.row for d in plan.dates]


def test_a_bad_file_is_refused_with_its_problems_and_writes_nothing(admin):
    calendar = calendar_create(access=admin, name="坏文件日历", seed_holidays=False)
    with pytest.raises(ApplicationError) as refused:
        holiday_file_rows(upload=upload(BAD_CSV_2031, "bad.csv"))
    assert refused.value.code == "bad_holiday_file"
    assert len(refused.value.errors["file"]) == 2 and "bad.csv" in refused.value.message
    with pytest.raises(ApplicationError):
        holiday_file_rows(upload=upload(b"BEGIN:VCALENDAR\r\ngarbage\r\n", "bad.ics"))
    assert not CalendarException.objects.filter(calendar=calendar).exists()


def test_importing_reschedules_the_projects_on_the_calendar(tenant, admin):
    from tandem.projects.tests.factories import make_chain, make_project, pm_member

    pm = pm_member(tenant)
    project = make_project(tenant, member=pm, start_date=date(2031, 1, 20))  # Monday, past the library
    (task,) = make_chain(project, pm, "机房调试", days=3)
    assert task.early_finish.date() == date(2031, 1, 22)
    calendar_holidays_import(
        access=admin, calendar=project.calendar, rows=holiday_file_rows(upload=upload(ICS_2031, "2031.ics"))
    )
    task.refresh_from_db()
    assert task.early_finish.date() == date(2031, 1, 29)  # Monday, Tuesday, then after 春节 Wednesday 01-29


def test_members_who_may_not_change_calendars_cannot_import(tenant, admin):
    calendar = calendar_create(access=admin, name="只读日历", seed_holidays=False)
    rows = holiday_file_rows(upload=upload(CSV_2031, "2031.csv"))
    with pytest.raises(ApplicationError):
        calendar_holidays_import(access=access_for(make_member(tenant, "sales_manager")), calendar=calendar, rows=rows)
    assert not CalendarException.objects.filter(calendar=calendar).exists()
