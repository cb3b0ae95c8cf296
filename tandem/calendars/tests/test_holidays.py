"""The holiday file reader: .ics events and CSV rows become dated holidays and make-up workdays, or the whole
file is refused with the problems found."""

from datetime import date

import pytest

from tandem.calendars.holidays import HolidayFileError, read_holiday_file, year_spans
from tandem.calendars.tests.holiday_files import BAD_CSV_2031, CSV_2031, ICS_2031

EXPECTED_2031 = (
    [(date(2031, 1, 1), False)] + [(date(2031, 1, 18), True)] + [(date(2031, 1, d), False) for d in range(22, 29)]
)


def test_an_ics_file_gives_each_day_of_its_all_day_events():
    rows = read_holiday_file(ICS_2031, "china-2031.ics")
    assert [(r.date, r.is_working) for r in rows] == EXPECTED_2031
    assert rows[1].name == "春节 补班" and rows[0].name == "元旦 休"


def test_a_csv_table_with_ranges_and_either_date_style_gives_the_same_days():
    rows = read_holiday_file(CSV_2031.encode(), "2031.csv")
    assert [(r.date, r.is_working) for r in rows] == EXPECTED_2031
    assert {r.name for r in rows} == {"元旦", "春节", "春节调休"}


def test_a_csv_saved_by_excel_in_gbk_without_a_header_is_read():
    content = "2031-10-01~2031-10-07,国庆节,休\n2031-10-11,国庆节,班\n".encode("gb18030")
    rows = read_holiday_file(content, "国庆.csv")
    assert len(rows) == 8 and rows[-1].is_working and rows[-1].name == "国庆节"


def test_english_kinds_and_columns_in_another_order_are_read():
    content = b"name,kind,date\nNew Year's Day,holiday,2031-01-01\nSpring Festival make-up,workday,2031-01-18\n"
    rows = read_holiday_file(content, "holidays.csv")
    assert [(r.date, r.is_working, r.name) for r in rows] == [
        (date(2031, 1, 1), False, "New Year's Day"),
        (date(2031, 1, 18), True, "Spring Festival make-up"),
    ]


def test_a_bad_csv_lists_every_problem_with_its_line():
    with pytest.raises(HolidayFileError) as refused:
        read_holiday_file(BAD_CSV_2031.encode(), "bad.csv")
    problems = refused.value.problems
    assert len(problems) == 2
    assert problems[0].startswith("Line 3") and "2031-02-30" in problems[0]
    assert problems[1].startswith("Line 4") and "待定" in problems[1]


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (b"", "empty.csv", "empty"),
        (b"BEGIN:VCALENDAR\r\nthis is not iCalendar\r\n", "broken.ics", "not an iCalendar file"),
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "none.ics", "no events"),
        ("2031-01-01,元旦,休\n2031-01-01,元旦,班\n".encode(), "twice.csv", "a holiday and a workday at once"),
        ("2031-01-01~2031-06-30,长假,休\n".encode(), "long.csv", "not a holiday period"),
        (b"\xff\xfe\x00\xd8garbage", "binary.csv", ""),
    ],
)
def test_files_that_cannot_be_holidays_are_refused(content, name, expected):
    with pytest.raises(HolidayFileError) as refused:
        read_holiday_file(content, name)
    assert expected in " ".join(refused.value.problems)


def test_years_read_as_runs_and_a_single_year_as_one_year():
    assert year_spans([2027]) == "2027"
    assert year_spans(range(2004, 2027)) == "2004–2026"
    assert year_spans([2030, 2027, 2029]) == "2027, 2029–2030"
    assert year_spans([]) == ""
