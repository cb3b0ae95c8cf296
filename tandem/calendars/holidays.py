"""Reading a year of public holidays and 调休 make-up workdays from a file, the way notices are shared.

Two shapes are read: an iCalendar file (.ics, as holiday calendars are published: one event per holiday or
make-up workday, all-day events spanning several days), and a CSV table of `date, name, kind` rows (kind:
holiday / workday, 休 / 班; a date may be a range such as `2027-10-01~2027-10-07`). Everything in the file is
checked before anything is returned; a bad file raises `HolidayFileError` with every problem found (up to a
limit), so an import writes a whole file or nothing. No database: plain data in, plain data out.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils.translation import gettext as _

MAX_BYTES = 512 * 1024
MAX_DATES = 1000
MAX_SPAN_DAYS = 60  # one event or CSV range longer than this is a typing error, not a holiday
MAX_PROBLEMS = 10
YEARS = range(1900, 2201)

# Words that make a day a (make-up) working day: 补班, 上班, 调休上班, "make-up workday"…
_WORKDAY = re.compile(r"班|工作日|work(ing)?\s*-?\s*day|make-?\s*up|\bwork\b|^(1|true|yes|y)$", re.I)
_HOLIDAY = re.compile(r"休|假|节假日|holiday|day\s*off|\boff\b|^(0|false|no|n)$", re.I)
_DATE = re.compile(r"^\s*(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?|(\d{2})(\d{2}))\s*$")
_RANGE = re.compile(r"\s*(?:~|～|至|到|—|–)\s*")
_HEADERS = {
    "date": ("date", "day", "日期", "时间"),
    "name": ("name", "holiday", "title", "summary", "名称", "节日", "节假日", "说明", "备注"),
    "kind": ("kind", "type", "status", "类型", "类别", "性质", "安排", "休/班", "是否上班"),
}


@dataclass(frozen=True)
class HolidayRow:
    date: date
    name: str
    is_working: bool  # True: a make-up workday (调休上班); False: a public holiday


class HolidayFileError(ValueError):
    """The file cannot be read as holidays; `problems` lists what is wrong, in the user's language."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def read_holiday_file(content: bytes, filename: str = "") -> list[HolidayRow]:
    """The holidays and make-up workdays in an .ics or .csv file, in date order."""
    if not content or not content.strip():
        raise HolidayFileError([_("The file is empty.")])
    if len(content) > MAX_BYTES:
        message = _("The file is larger than %(kb)d KB; a year of holidays is far smaller.") % {"kb": MAX_BYTES // 1024}
        raise HolidayFileError([message])
    looks_ics = filename.lower().endswith((".ics", ".ical")) or content.lstrip()[:15].upper() == b"BEGIN:VCALENDAR"
    entries = _read_ics(content) if looks_ics else _read_csv(_text(content))
    return _merge(entries)


def year_spans(years) -> str:
    """Years as runs: [2027] → "2027", 2004…2026 → "2004–2026", [2027, 2029, 2030] → "2027, 2029–2030"."""
    runs: list[list[int]] = []
    for year in sorted(set(years)):
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    separator = _(", ")
    return separator.join(str(lo) if lo == hi else f"{lo}–{hi}" for lo, hi in runs)


# -- iCalendar -----------------------------------------------------------------------------------


def _read_ics(content: bytes) -> list[tuple[str, date, str, bool]]:
    from icalendar import Calendar

    try:
        calendar = Calendar.from_ical(content)
    except ValueError:
        raise HolidayFileError([_("This is not an iCalendar file that can be read.")]) from None
    entries, problems = [], []
    for number, event in enumerate(calendar.walk("VEVENT"), start=1):
        summary = str(event.get("SUMMARY", "")).strip()
        where = _("Event %(n)d (%(name)s)") % {"n": number, "name": summary or "—"}
        try:
            first = _day(event.decoded("DTSTART"))
        except (KeyError, ValueError, TypeError):
            problems.append(_("%(where)s: it has no start date.") % {"where": where})
            continue
        last = first
        if event.get("DTEND") is not None:
            last = max(first, _last_day(event.decoded("DTEND")))
        elif event.get("DURATION") is not None:
            last = max(first, first + event.decoded("DURATION") - timedelta(days=1))
        categories = " ".join(str(c) for c in _categories(event))
        text = f"{summary} {categories}"
        is_working = bool(_WORKDAY.search(text))
        entries.extend(_span(where, first, last, summary, is_working, problems))
    if not entries and not problems:
        problems.append(_("The file has no events: nothing to import."))
    _raise(problems)
    return entries


def _last_day(end) -> date:
    """The last day an event covers: an all-day event's end is exclusive, and so is a timed end at midnight."""
    if isinstance(end, datetime) and end.time() != datetime.min.time():
        return end.date()
    return _day(end) - timedelta(days=1)


def _categories(event) -> list:
    value = event.get("CATEGORIES")
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    return [c for v in values for c in getattr(v, "cats", [v])]


def _day(value) -> date:
    return value.date() if isinstance(value, datetime) else value


# -- CSV ---------------------------------------------------------------------------------------


def _text(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise HolidayFileError([_("The file is neither UTF-8 nor GBK text.")])


def _read_csv(text: str) -> list[tuple[str, date, str, bool]]:
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t，")
    except csv.Error:
        dialect = csv.excel
    rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
    rows = [(n, row) for n, row in enumerate(rows, start=1) if any(row)]
    if not rows:
        raise HolidayFileError([_("The file is empty.")])
    columns = {"date": 0, "name": 1, "kind": 2}
    if _parse_date(rows[0][1][0]) is None and not _RANGE.search(rows[0][1][0]):
        columns = _header_columns(rows[0][1])
        rows = rows[1:]
    entries, problems = [], []
    for line, row in rows:
        where = _("Line %(n)d") % {"n": line}
        value = {key: _cell(row, index) for key, index in columns.items()}
        first, last = _parse_range(value["date"])
        if first is None:
            problems.append(
                _("%(where)s: “%(value)s” is not a date (write 2027-10-01).") % {"where": where, "value": value["date"]}
            )
            continue
        kind = value["kind"]
        if _WORKDAY.search(kind):
            is_working = True
        elif _HOLIDAY.search(kind):
            is_working = False
        else:
            problems.append(
                _("%(where)s: say whether the day is a holiday or a workday (休 / 班), not “%(value)s”.")
                % {"where": where, "value": kind}
            )
            continue
        entries.extend(_span(where, first, last, value["name"], is_working, problems))
    _raise(problems)
    return entries


def _cell(row: list[str], index: int | None) -> str:
    return row[index] if index is not None and index < len(row) else ""


def _header_columns(header: list[str]) -> dict[str, int | None]:
    found: dict[str, int | None] = {"date": None, "name": None, "kind": None}
    for index, title in enumerate(header):
        key = next((k for k, names in _HEADERS.items() if title.strip().lower() in names), None)
        if key and found[key] is None:
            found[key] = index
    missing = [k for k in ("date", "kind") if found[k] is None]
    if missing:
        raise HolidayFileError(
            [
                _(
                    "The first line should name the columns date, name and kind (日期, 名称, 类型), or the file "
                    "should start with a date; found “%(header)s”."
                )
                % {"header": ", ".join(header)}
            ]
        )
    return found


def _parse_date(value: str) -> date | None:
    match = _DATE.match(value or "")
    if match is None:
        return None
    year, month, day, compact_month, compact_day = match.groups()
    try:
        parsed = date(int(year), int(month or compact_month), int(day or compact_day))
    except ValueError:
        return None
    return parsed if parsed.year in YEARS else None


def _parse_range(value: str) -> tuple[date | None, date | None]:
    parts = _RANGE.split(value.strip(), maxsplit=1) if value else [""]
    first = _parse_date(parts[0])
    last = _parse_date(parts[1]) if len(parts) > 1 else first
    if first is None or last is None:
        return None, None
    return first, last


# -- both ----------------------------------------------------------------------------------------


def _span(where, first, last, name, is_working, problems) -> list[tuple[str, date, str, bool]]:
    if first.year not in YEARS or last.year not in YEARS:
        problems.append(_("%(where)s: the year is out of range.") % {"where": where})
        return []
    if last < first or (last - first).days >= MAX_SPAN_DAYS:
        problems.append(
            _("%(where)s: %(first)s to %(last)s is not a holiday period.")
            % {"where": where, "first": first.isoformat(), "last": last.isoformat()}
        )
        return []
    return [(where, first + timedelta(days=i), name[:100], is_working) for i in range((last - first).days + 1)]


def _merge(entries) -> list[HolidayRow]:
    rows: dict[date, HolidayRow] = {}
    places: dict[date, str] = {}
    problems = []
    for where, day, name, is_working in entries:
        known = rows.get(day)
        if known is None:
            rows[day], places[day] = HolidayRow(day, name, is_working), where
        elif known.is_working != is_working:
            problems.append(
                _("%(where)s: %(date)s is a holiday and a workday at once (see %(other)s).")
                % {"where": where, "date": day.isoformat(), "other": places[day]}
            )
    if len(rows) > MAX_DATES:
        problems.append(_("The file holds more than %(n)d dates; import one year at a time.") % {"n": MAX_DATES})
    _raise(problems)
    return [rows[day] for day in sorted(rows)]


def _raise(problems: list[str]) -> None:
    if problems:
        shown = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            shown.append(_("… and %(n)d more.") % {"n": len(problems) - MAX_PROBLEMS})
        raise HolidayFileError(shown)
