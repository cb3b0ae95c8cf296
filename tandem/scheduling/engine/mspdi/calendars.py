"""MSPDI calendars: weekday patterns, exceptions (Project 2003 and 2007+ forms), work weeks, derived calendars."""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from xml.etree.ElementTree import Element

from tandem.scheduling.engine.model import Calendar, ScheduleError
from tandem.scheduling.engine.mspdi.values import boolean, clock, format_moment, integer, moment, text

Spans = tuple[tuple[time, time], ...]
DEFAULT_HOURS: Spans = ((time(8), time(12)), (time(13), time(17)))
MAX_EXCEPTION_DAYS = 40_000  # dated exceptions per calendar, after expanding ranges and recurrences


def weekday_of_day_type(day_type: int) -> int:
    """MSPDI DayType 1 = Sunday … 7 = Saturday -> Python weekday (0 = Monday)."""
    return (day_type - 2) % 7


def day_type_of_weekday(weekday: int) -> int:
    return (weekday + 1) % 7 + 1


class CalendarReader:
    """Reads the <Calendar> elements of one file; `resolve()` gives engine calendars by UID."""

    def __init__(self) -> None:
        self.raw: dict[int, tuple[int | None, dict[int, Spans], dict[date, Spans]]] = {}
        self.names: dict[int, str] = {}

    def read(self, element: Element) -> None:
        uid = integer(element, "UID", "Calendar/UID")
        if uid is None:
            raise ScheduleError("a calendar has no UID", code="malformed", detail="Calendar/UID")
        base_uid = integer(element, "BaseCalendarUID", "Calendar/BaseCalendarUID")
        week: dict[int, Spans] = {}
        legacy: dict[date, Spans] = {}
        exceptions: dict[date, Spans] = {}
        for day in element.findall("WeekDays/WeekDay"):
            day_type = integer(day, "DayType", "WeekDay/DayType")
            spans = _spans(day)
            if day_type == 0:
                period = day.find("TimePeriod")
                if period is not None:
                    for d in _date_range(period):
                        _put(legacy, d, spans)
            elif day_type is not None and 1 <= day_type <= 7:
                week[weekday_of_day_type(day_type)] = spans
        for work_week in element.findall("WorkWeeks/WorkWeek"):
            _read_work_week(work_week, exceptions)
        if element.find("Exceptions") is not None:
            # Project 2007+ writes both forms and reads only the new one; so do we.
            for exception in element.findall("Exceptions/Exception"):
                _read_exception(exception, exceptions)
        else:
            for d, spans in legacy.items():
                _put(exceptions, d, spans)
        derived = not boolean(element, "IsBaseCalendar") and base_uid not in (None, -1, uid)
        self.raw[uid] = (base_uid if derived else None, week, exceptions)
        self.names[uid] = text(element, "Name") or ""

    def resolve(self) -> dict[int, Calendar]:
        """Engine calendars with the base calendar's days and exceptions inherited; a base loop raises."""
        resolved: dict[int, Calendar] = {}

        def build(uid: int, trail: tuple[int, ...]) -> Calendar:
            if uid in resolved:
                return resolved[uid]
            if uid in trail:
                raise ScheduleError(f"calendars derive from each other: {trail}", code="malformed")
            base_uid, week, exceptions = self.raw[uid]
            base = build(base_uid, (*trail, uid)) if base_uid in self.raw else Calendar()
            calendar = Calendar(
                id=str(uid),
                week=tuple(week.get(i, base.week[i]) for i in range(7)),
                exceptions={**base.exceptions, **exceptions},
            )
            resolved[uid] = calendar
            return calendar

        for uid in self.raw:
            build(uid, ())
        return resolved


def _spans(element: Element) -> Spans:
    if not boolean(element, "DayWorking"):
        return ()
    spans = []
    for working in element.findall("WorkingTimes/WorkingTime"):
        start, end = text(working, "FromTime"), text(working, "ToTime")
        if start and end:
            spans.append((clock(start, "WorkingTime/FromTime"), clock(end, "WorkingTime/ToTime")))
    return tuple(spans) if spans else DEFAULT_HOURS


def _put(target: dict[date, Spans], day: date, spans: Spans) -> None:
    target[day] = spans
    if len(target) > MAX_EXCEPTION_DAYS:
        raise ScheduleError(
            f"a calendar has more than {MAX_EXCEPTION_DAYS} exception days", code="too_large", detail="calendar"
        )


def _date_range(period: Element) -> Iterator[date]:
    start = moment(period, "FromDate", "TimePeriod/FromDate")
    end = moment(period, "ToDate", "TimePeriod/ToDate")
    if start is None:
        return
    first = start.date()
    last = end.date() if end else first
    if (last - first).days > MAX_EXCEPTION_DAYS:
        raise ScheduleError(
            f"a calendar period {first}…{last} is longer than {MAX_EXCEPTION_DAYS} days", code="too_large"
        )
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _read_work_week(element: Element, target: dict[date, Spans]) -> None:
    period = element.find("TimePeriod")
    if period is None:
        return
    pattern: dict[int, Spans] = {}
    for day in element.findall("WeekDays/WeekDay"):
        day_type = integer(day, "DayType", "WorkWeek/WeekDay/DayType")
        if day_type is not None and 1 <= day_type <= 7:
            pattern[weekday_of_day_type(day_type)] = _spans(day)
    for d in _date_range(period):
        if d.weekday() in pattern:
            _put(target, d, pattern[d.weekday()])


def _read_exception(element: Element, target: dict[date, Spans]) -> None:
    period = element.find("TimePeriod")
    if period is None:
        return
    spans = _spans(element)
    limit = (
        integer(element, "Occurrences", "Exception/Occurrences") if boolean(element, "EnteredByOccurrences") else None
    )
    matches = _recurrence(
        integer(element, "Type", "Exception/Type") or 1,
        max(integer(element, "Period", "Exception/Period") or 1, 1),
        days_of_week=integer(element, "DaysOfWeek", "Exception/DaysOfWeek") or 0,
        month=integer(element, "Month", "Exception/Month") or 0,
        month_day=integer(element, "MonthDay", "Exception/MonthDay") or 1,
        month_item=integer(element, "MonthItem", "Exception/MonthItem") or 3,
        month_position=integer(element, "MonthPosition", "Exception/MonthPosition") or 0,
    )
    first = None
    count = 0
    for d in _date_range(period):
        first = first or d
        if matches(first, d):
            _put(target, d, spans)
            count += 1
            if limit is not None and count >= limit:
                break


def _recurrence(
    kind: int, every: int, *, days_of_week: int, month: int, month_day: int, month_item: int, month_position: int
) -> Callable[[date, date], bool]:
    """A test `(first day, day) -> bool` for MSPDI exception recurrence Type 1–7: 1 and 7 daily, 6 weekly
    (DaysOfWeek bit 0 = Sunday), 4/5 monthly by day/position, 2/3 yearly by day/position."""

    def nth_weekday(day: date) -> bool:
        # MonthItem 3 = Sunday … 9 = Saturday; MonthPosition 0–3 = first…fourth, 4 = last.
        if day.weekday() != weekday_of_day_type(month_item - 2):
            return False
        if month_position >= 4:
            return day.day + 7 > monthrange(day.year, day.month)[1]
        return (day.day - 1) // 7 == month_position

    def every_nth_month(first: date, day: date) -> bool:
        return ((day.year - first.year) * 12 + day.month - first.month) % every == 0

    def day_of_month(day: date) -> bool:
        return day.day == min(month_day, monthrange(day.year, day.month)[1])

    if kind == 6:
        mask = days_of_week or 0x7F

        def weekly(first: date, day: date) -> bool:
            weeks = ((day - first).days + first.weekday()) // 7
            return weeks % every == 0 and bool(mask & (1 << (day_type_of_weekday(day.weekday()) - 1)))

        return weekly
    if kind == 4:
        return lambda first, day: every_nth_month(first, day) and day_of_month(day)
    if kind == 5:
        return lambda first, day: every_nth_month(first, day) and nth_weekday(day)
    if kind == 2:
        return lambda first, day: day.month == month + 1 and day_of_month(day)
    if kind == 3:
        return lambda first, day: day.month == month + 1 and nth_weekday(day)
    return lambda first, day: (day - first).days % every == 0  # 1 and 7: daily


def write_calendar(
    parent: Element,
    uid: int,
    name: str,
    calendar: Calendar,
    sub: Callable[..., Element],
    *,
    base_uid: int | None = None,
) -> None:
    """Append a <Calendar>: the full week, then exceptions in both the 2003 form and the 2007+ form (as
    Project itself and MPXJ do: old readers see the first, new ones the second). With `base_uid` it is a
    derived calendar (a resource calendar), still with every day written out, so the base changes nothing."""
    element = sub(parent, "Calendar")
    sub(element, "UID", str(uid))
    sub(element, "Name", name)
    sub(element, "IsBaseCalendar", "1" if base_uid is None else "0")
    sub(element, "BaseCalendarUID", "-1" if base_uid is None else str(base_uid))
    week_days = sub(element, "WeekDays")
    for day_type in range(1, 8):
        _write_day(sub(week_days, "WeekDay"), sub, calendar.week[weekday_of_day_type(day_type)], day_type=day_type)
    runs = _runs(calendar.exceptions)
    for first, last, spans in runs:
        day = sub(week_days, "WeekDay")
        _write_day(day, sub, spans, day_type=0, period=(first, last))
    if runs:
        exceptions = sub(element, "Exceptions")
        for first, last, spans in runs:
            exception = sub(exceptions, "Exception")
            sub(exception, "EnteredByOccurrences", "0")
            period = sub(exception, "TimePeriod")
            sub(period, "FromDate", format_moment(_day_start(first)))
            sub(period, "ToDate", format_moment(_day_end(last)))
            sub(exception, "Occurrences", "1")
            sub(exception, "Name", "")
            sub(exception, "Type", "1")
            _write_working(exception, sub, spans)


def _write_day(
    element: Element,
    sub: Callable[..., Element],
    spans: Spans,
    *,
    day_type: int,
    period: tuple[date, date] | None = None,
) -> None:
    sub(element, "DayType", str(day_type))
    if period is not None:
        sub(element, "DayWorking", "1" if spans else "0")
        time_period = sub(element, "TimePeriod")
        sub(time_period, "FromDate", format_moment(_day_start(period[0])))
        sub(time_period, "ToDate", format_moment(_day_end(period[1])))
        if spans:
            _write_times(element, sub, spans)
        return
    _write_working(element, sub, spans)


def _write_working(element: Element, sub: Callable[..., Element], spans: Spans) -> None:
    sub(element, "DayWorking", "1" if spans else "0")
    if spans:
        _write_times(element, sub, spans)


def _write_times(element: Element, sub: Callable[..., Element], spans: Spans) -> None:
    times = sub(element, "WorkingTimes")
    for start, end in spans:
        working = sub(times, "WorkingTime")
        sub(working, "FromTime", start.strftime("%H:%M:%S"))
        sub(working, "ToTime", end.strftime("%H:%M:%S"))


def _runs(exceptions: dict[date, Spans]) -> list[tuple[date, date, Spans]]:
    """Consecutive dates with the same working times, as (first, last, spans), sorted (Project ignores
    unsorted exceptions)."""
    runs: list[tuple[date, date, Spans]] = []
    for day in sorted(exceptions):
        spans = tuple(exceptions[day])
        if runs and runs[-1][2] == spans and runs[-1][1] + timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day, spans)
        else:
            runs.append((day, day, spans))
    return runs


def _day_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


def _day_end(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 23, 59)
