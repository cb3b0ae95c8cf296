"""Reading MSPDI: calendars (base, derived, exceptions in both forms, work weeks), outline, blank rows, values."""

from __future__ import annotations

from datetime import date, time

import pytest

from tandem.scheduling.engine import mspdi
from tandem.scheduling.engine.calendar import working_time
from tandem.scheduling.engine.model import ConstraintType, LinkType, ScheduleError
from tandem.scheduling.engine.mspdi.values import duration_minutes
from tandem.scheduling.tests.conftest import dt, shared_data

STANDARD = ((time(8), time(12)), (time(13), time(17)))


def project_xml(calendars: str = "", tasks: str = "", extra: str = "") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Project xmlns="http://schemas.microsoft.com/project">
  <StartDate>2024-09-23T08:00:00</StartDate>{extra}<CalendarUID>1</CalendarUID>
  <Calendars>{calendars}</Calendars><Tasks>{tasks}</Tasks>
</Project>"""


def test_base_and_derived_calendars():
    document = mspdi.read(shared_data("mspdi", "calendar-calendars-project2019-mspdi.xml"))
    assert sorted(document.calendars) == [1, 3, 4, 5, 6]
    assert document.calendar_names[5] == "Resource One" and document.calendar_uid == 1
    assert document.calendars[5].week == document.calendars[1].week
    assert document.calendars[1].week[0] == STANDARD and document.calendars[1].week[6] == ()
    project = document.to_project(include_project_summary=True)
    assert [task.id for task in project.tasks] == ["0"] and project.default_calendar == "1"


def test_blank_rows_and_outline():
    document = mspdi.read(shared_data("mspdi", "mspdinulltasks.xml"))
    assert [task.uid for task in document.tasks if task.is_null] == [2, 5, 7]
    parents = {task.uid: task.parent_uid for task in document.tasks if not task.is_null}
    assert parents == {0: None, 1: 0, 3: 1, 4: 1, 6: 0, 8: 6}
    assert document.tasks[3].wbs == "1.1" and document.tasks[3].name == "Task 2"
    assert document.minutes_per_day == 450 and document.tasks[3].duration == 4500
    project = document.to_project()
    assert [task.id for task in project.tasks] == ["1", "3", "4", "6", "8"]
    assert project.tasks[1].parent == "1" and project.tasks[0].parent is None


def test_links_lags_and_constraints():
    relations = mspdi.read(shared_data("mspdi", "mspdirelations.xml"))
    links = {
        task.uid: [(link.predecessor_uid, link.type, link.lag) for link in task.predecessors]
        for task in relations.tasks
    }
    assert (
        links[3] == [(2, LinkType.SS, 480)] and links[4] == [(3, LinkType.FF, 0)] and links[5] == [(4, LinkType.SF, 0)]
    )
    task_links = mspdi.read(shared_data("mspdi", "task-links-project2010-mspdi.xml"))
    second = task_links.tasks[2]
    assert second.constraint is ConstraintType.SNET and second.constraint_date == dt("2014-10-20 08:00")
    assert task_links.tasks[8].predecessors[0].lag == 2400 and task_links.tasks[8].predecessors[0].lag_format == 9


def test_exceptions_in_both_forms_work_weeks_and_recurrences():
    legacy = """<Calendar><UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar>
      <BaseCalendarUID>-1</BaseCalendarUID><WeekDays>
        <WeekDay><DayType>1</DayType><DayWorking>0</DayWorking></WeekDay>
        <WeekDay><DayType>2</DayType><DayWorking>1</DayWorking><WorkingTimes>
          <WorkingTime><FromTime>09:00:00</FromTime><ToTime>12:00:00</ToTime></WorkingTime>
          <WorkingTime><FromTime>13:00:00</FromTime><ToTime>18:00:00</ToTime></WorkingTime></WorkingTimes></WeekDay>
        <WeekDay><DayType>0</DayType><DayWorking>0</DayWorking><TimePeriod>
          <FromDate>2024-10-01T00:00:00</FromDate><ToDate>2024-10-07T23:59:00</ToDate></TimePeriod></WeekDay>
        <WeekDay><DayType>0</DayType><DayWorking>1</DayWorking><TimePeriod>
          <FromDate>2024-10-12T00:00:00</FromDate><ToDate>2024-10-12T23:59:00</ToDate></TimePeriod>
          <WorkingTimes><WorkingTime><FromTime>09:00:00</FromTime><ToTime>17:00:00</ToTime></WorkingTime>
          </WorkingTimes></WeekDay>
      </WeekDays></Calendar>
      <Calendar><UID>2</UID><Name>Derived</Name><IsBaseCalendar>0</IsBaseCalendar><BaseCalendarUID>1</BaseCalendarUID>
        <WeekDays><WeekDay><DayType>7</DayType><DayWorking>1</DayWorking></WeekDay></WeekDays>
        <Exceptions>
          <Exception><EnteredByOccurrences>1</EnteredByOccurrences><TimePeriod><FromDate>2024-11-04T00:00:00</FromDate>
            <ToDate>2024-12-31T23:59:00</ToDate></TimePeriod><Occurrences>3</Occurrences><Type>6</Type><Period>2</Period>
            <DaysOfWeek>2</DaysOfWeek><DayWorking>0</DayWorking></Exception>
          <Exception><TimePeriod><FromDate>2024-01-01T00:00:00</FromDate><ToDate>2026-12-31T23:59:00</ToDate>
            </TimePeriod><Type>2</Type><Month>11</Month><MonthDay>25</MonthDay><DayWorking>0</DayWorking></Exception>
          <Exception><TimePeriod><FromDate>2024-01-01T00:00:00</FromDate><ToDate>2024-12-31T23:59:00</ToDate>
            </TimePeriod><Type>5</Type><Period>1</Period><MonthItem>6</MonthItem><MonthPosition>4</MonthPosition>
            <DayWorking>0</DayWorking></Exception>
        </Exceptions>
        <WorkWeeks><WorkWeek><TimePeriod><FromDate>2024-07-01T00:00:00</FromDate><ToDate>2024-07-31T23:59:00</ToDate>
          </TimePeriod><WeekDays><WeekDay><DayType>6</DayType><DayWorking>0</DayWorking></WeekDay></WeekDays>
        </WorkWeek></WorkWeeks>
      </Calendar>"""
    document = mspdi.read(project_xml(legacy))
    base, derived = document.calendars[1], document.calendars[2]
    assert base.week[0] == ((time(9), time(12)), (time(13), time(18)))
    assert base.week[1] == STANDARD  # not in the file: Project's default week
    assert base.exceptions[date(2024, 10, 3)] == () and base.exceptions[date(2024, 10, 12)] == ((time(9), time(17)),)
    assert derived.week[5] == STANDARD and derived.week[0] == base.week[0]  # Saturday worked, Monday inherited
    assert derived.exceptions[date(2024, 10, 3)] == ()  # inherited from the base
    mondays_off = sorted(d for d, spans in derived.exceptions.items() if d.month in (11, 12) and d.weekday() == 0)
    assert mondays_off == [date(2024, 11, 4), date(2024, 11, 18), date(2024, 12, 2)]  # every 2nd week, 3 times
    assert {date(2024, 12, 25), date(2025, 12, 25), date(2026, 12, 25)} <= set(derived.exceptions)
    assert date(2024, 5, 29) in derived.exceptions and date(2024, 5, 22) not in derived.exceptions  # last Wednesday
    assert date(2024, 7, 5) in derived.exceptions and date(2024, 8, 2) not in derived.exceptions  # July Fridays off
    compiled = working_time(derived)
    assert compiled.add(dt("2024-09-30 18:00"), 60) == dt("2024-10-08 09:00")  # Tuesday: 08:00 start


def test_tasks_with_calendars_progress_and_odd_links():
    tasks = """
      <Task><UID>0</UID><ID>0</ID><OutlineLevel>0</OutlineLevel><Summary>1</Summary></Task>
      <Task><UID>1</UID><ID>1</ID><Name>设计</Name><OutlineLevel>1</OutlineLevel><Duration>PT16H0M0S</Duration>
        <PercentComplete>50</PercentComplete><ActualStart>2024-09-23T08:00:00</ActualStart><CalendarUID>1</CalendarUID>
      </Task>
      <Task><UID>2</UID><ID>2</ID><Name>施工</Name><OutlineLevel>1</OutlineLevel><Duration>PT8H0M0S</Duration>
        <ConstraintType>4</ConstraintType>
        <PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type><LinkLag>-4800</LinkLag></PredecessorLink>
        <PredecessorLink><PredecessorUID>99</PredecessorUID></PredecessorLink>
        <PredecessorLink><PredecessorUID>1</PredecessorUID><CrossProject>1</CrossProject></PredecessorLink>
      </Task>"""
    document = mspdi.read(project_xml(tasks=tasks, extra="<StatusDate>2024-09-24T08:00:00</StatusDate>"))
    first, second = document.tasks[1], document.tasks[2]
    assert first.name == "设计" and first.calendar_uid == 1 and first.percent_complete == 50
    assert second.constraint is ConstraintType.ASAP  # SNET without a date
    assert [(link.predecessor_uid, link.lag) for link in second.predecessors] == [(1, -480)]
    assert len(document.warnings) == 3
    project = document.to_project()
    assert project.status_date == dt("2024-09-24 08:00") and project.tasks[0].actual_start == dt("2024-09-23 08:00")


def test_a_file_without_the_namespace_is_read_too():
    document = mspdi.read(
        b"<Project><StartDate>2024-01-01T08:00:00</StartDate><Tasks><Task><UID>1</UID>"
        b"<Duration>PT1H0M0S</Duration></Task></Tasks></Project>"
    )
    assert document.tasks[0].duration == 60


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("PT8H0M0S", 480), ("PT7H30M0S", 450), ("PT0H0M0S", 0), ("P1DT2H", 570), ("PT1.5H", 90), ("PT0H0M30S", 0)],
)
def test_durations(text, minutes):
    assert duration_minutes(text, "test", minutes_per_day=450) == minutes


@pytest.mark.parametrize(
    ("xml", "where"),
    [
        ("<Project xmlns='http://schemas.microsoft.com/project'><Name>x</Name></Project>", "StartDate"),
        ("<Other/>", "<Other>"),
        (project_xml(tasks="<Task><Name>no uid</Name></Task>"), "UID"),
        (project_xml(tasks="<Task><UID>x1</UID></Task>"), "x1"),
        (project_xml(tasks="<Task><UID>1</UID><Duration>eight hours</Duration></Task>"), "Duration"),
        (project_xml(tasks="<Task><UID>1</UID><Start>yesterday</Start></Task>"), "yesterday"),
        (project_xml(tasks="<Task><UID>1</UID></Task><Task><UID>1</UID></Task>"), "twice"),
        (
            project_xml(tasks="<Task><UID>2</UID><PredecessorLink><Type>1</Type></PredecessorLink></Task>"),
            "Predecessor",
        ),
        (
            project_xml(
                tasks="<Task><UID>2</UID><PredecessorLink><PredecessorUID>1</PredecessorUID><Type>9</Type>"
                "</PredecessorLink></Task>"
            ),
            "Type",
        ),
        (
            project_xml(
                "<Calendar><UID>1</UID><WeekDays><WeekDay><DayType>2</DayType><DayWorking>1</DayWorking>"
                "<WorkingTimes><WorkingTime><FromTime>noon</FromTime><ToTime>13:00:00</ToTime></WorkingTime>"
                "</WorkingTimes></WeekDay></WeekDays></Calendar>"
            ),
            "noon",
        ),
    ],
)
def test_malformed_content_says_what_is_wrong(xml, where):
    with pytest.raises(ScheduleError) as error:
        mspdi.read(xml)
    assert error.value.code == "malformed"
    assert where in str(error.value)
