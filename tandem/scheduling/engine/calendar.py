"""Working-time arithmetic on a `Calendar`: add or subtract working minutes, count them, snap to working time.

Every instant is mapped to a *working count*: the working minutes between a fixed anchor and that instant.
Adding working time is then integer addition on counts, and the only work is converting between
instants and counts, which binary-searches a per-day cumulative table built once per calendar and
extended on demand in both directions.

A count is ambiguous at a break: Friday 17:00 and Monday 08:00 have the same count. The scheduler
keeps the side it means in a *key* = 2 × count + side, where side 0 is the earliest instant with that
count (a finish: Friday 17:00) and side 1 the latest (a start: Monday 08:00). Inside a working
interval both sides are the same instant. Keys order like the instants they stand for.

Times have minute resolution (seconds are dropped). An interval ending at `time(0)` ends at midnight
(24:00), the way MS Project writes "00:00:00" for the end of a 24-hour day. Calendars are treated as
immutable once compiled: build a new `Calendar` instead of editing `exceptions` in place.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta

from tandem.scheduling.engine.model import Calendar, ScheduleError

DAY = 1440  # minutes in a day
_EPOCH = datetime(1, 1, 1)  # absolute minute 0 is 0001-01-01 00:00 (ordinal 1), see `absolute_minute`
_CHUNK = 400  # days added to the cumulative table at a time
_SEARCH_LIMIT = 366 * 50  # a calendar with no working time in 50 years cannot schedule anything

Intervals = tuple[tuple[int, int], ...]  # (start, end) minutes of the day, sorted, disjoint, non-empty


def absolute_minute(moment: datetime) -> int:
    """Minutes since 0001-01-01 00:00 (seconds dropped): a total order that is cheap to compute."""
    return (moment.toordinal() - 1) * DAY + moment.hour * 60 + moment.minute


def from_absolute_minute(minute: int) -> datetime:
    return _EPOCH + timedelta(minutes=minute)


def _minute_of(value: time, *, end: bool) -> int:
    minute = value.hour * 60 + value.minute
    return DAY if end and minute == 0 else minute


def normalise_intervals(intervals: Iterable[tuple[time, time]], *, calendar_id: str = "") -> Intervals:
    """Sorted, merged minute intervals; `time(0)` as an end means midnight. Bad intervals raise ScheduleError."""
    spans = []
    for start, end in intervals:
        lo, hi = _minute_of(start, end=False), _minute_of(end, end=True)
        if hi < lo:
            raise ScheduleError(
                f"calendar {calendar_id!r}: working time {start:%H:%M}–{end:%H:%M} ends before it starts",
                code="calendar",
                detail=calendar_id,
            )
        if hi > lo:
            spans.append((lo, hi))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return tuple(merged)


class WorkingTime:
    """A compiled `Calendar`. Get one with `working_time(calendar)`, which caches it."""

    def __init__(self, calendar: Calendar):
        self.calendar = calendar
        cid = calendar.id
        if len(calendar.week) != 7:
            raise ScheduleError(f"calendar {cid!r}: the week needs 7 days, got {len(calendar.week)}", code="calendar")
        self._week = [normalise_intervals(day, calendar_id=cid) for day in calendar.week]
        self._exceptions = {
            d.toordinal(): normalise_intervals(spans, calendar_id=cid) for d, spans in calendar.exceptions.items()
        }
        self._first = 0  # ordinal of the first day in the table
        self._days: list[Intervals] = []  # intervals of each day in the table
        self._cum: list[int] = [0]  # count at the start of each day in the table, plus one past the end
        self._to_abs: dict[int, int] = {}  # key -> absolute minute
        self.datetimes: dict[int, datetime] = {}  # key -> datetime, filled by datetime_of_key (read it directly)
        self._extend_to = 0

    # -- the cumulative table -------------------------------------------------------------------

    def _day(self, ordinal: int) -> Intervals:
        spans = self._exceptions.get(ordinal)
        return self._week[(ordinal - 1) % 7] if spans is None else spans  # ordinal 1 is a Monday

    def _ensure_ordinal(self, ordinal: int) -> None:
        if not self._days:
            self._first = ordinal
            self._grow_forward(ordinal + _CHUNK)
        if ordinal < self._first:
            self._grow_backward(ordinal - _CHUNK)
        elif ordinal >= self._first + len(self._days):
            self._grow_forward(ordinal + _CHUNK)

    def _grow_forward(self, until: int) -> None:
        ordinal = self._first + len(self._days)
        days, cum = self._days, self._cum
        total = cum[-1]
        while ordinal < until:
            spans = self._day(ordinal)
            days.append(spans)
            for lo, hi in spans:
                total += hi - lo
            cum.append(total)
            ordinal += 1

    def _grow_backward(self, until: int) -> None:
        until = max(until, 1)
        if until >= self._first:
            raise ScheduleError(f"calendar {self.calendar.id!r}: date before year 1", code="calendar")
        new_days = [self._day(o) for o in range(until, self._first)]
        totals = [sum(hi - lo for lo, hi in spans) for spans in new_days]
        start = self._cum[0] - sum(totals)
        new_cum = [start]
        for total in totals[:-1]:
            new_cum.append(new_cum[-1] + total)
        self._days[:0] = new_days
        self._cum[:0] = new_cum
        self._first = until

    def _locate(self, count: int, side: int) -> int:
        """Index of the day holding the instant of `count` on `side`, growing the table as needed."""
        if not self._days:
            self._ensure_ordinal(date(2000, 1, 3).toordinal())
        grown = 0
        while True:
            cum = self._cum
            if side:
                index = bisect_right(cum, count) - 1
                if index >= 0 and count < cum[-1]:
                    return index
            else:
                index = bisect_left(cum, count) - 1
                if index >= 0 and count <= cum[-1]:
                    return index
            grown += _CHUNK
            if grown > _SEARCH_LIMIT:
                raise ScheduleError(
                    f"calendar {self.calendar.id!r} has no working time within 50 years of the dates asked for",
                    code="calendar",
                    detail=self.calendar.id,
                )
            if index < 0:
                self._grow_backward(self._first - _CHUNK)
            else:
                self._grow_forward(self._first + len(self._days) + _CHUNK)

    # -- counts, keys and instants --------------------------------------------------------------

    def count_at(self, minute: int) -> int:
        """Working count at an absolute minute."""
        ordinal, offset = divmod(minute, DAY)
        ordinal += 1
        index = ordinal - self._first
        if index < 0 or index >= len(self._days):
            self._ensure_ordinal(ordinal)
            index = ordinal - self._first
        count = self._cum[index]
        for lo, hi in self._days[index]:
            if offset <= lo:
                break
            count += (offset if offset < hi else hi) - lo
        return count

    def minute_of(self, count: int, side: int) -> int:
        """Absolute minute of a working count: the earliest such instant (side 0) or the latest (side 1)."""
        index = self._locate(count, side)
        offset = count - self._cum[index]
        base = (self._first + index - 1) * DAY
        for lo, hi in self._days[index]:
            length = hi - lo
            if offset < length or (offset == length and not side):
                return base + lo + offset
            offset -= length
        raise AssertionError("unreachable: _locate returned a day without the count")  # pragma: no cover

    def key_of(self, moment: datetime, side: int) -> int:
        return 2 * self.count_at(absolute_minute(moment)) + side

    def key_of_minute(self, minute: int) -> int:
        """The key that stands for exactly this instant (side 0 when the earliest instant matches)."""
        count = self.count_at(minute)
        return 2 * count if self.minute_of(count, 0) == minute else 2 * count + 1

    def minute_of_key(self, key: int) -> int:
        minute = self._to_abs.get(key)
        if minute is None:
            minute = self._to_abs[key] = self.minute_of(key >> 1, key & 1)
        return minute

    def datetime_of_key(self, key: int) -> datetime:
        moment = self.datetimes.get(key)
        if moment is None:
            moment = self.datetimes[key] = _EPOCH + timedelta(minutes=self.minute_of_key(key))
        return moment

    # -- public arithmetic ----------------------------------------------------------------------

    def add(self, moment: datetime, minutes: int) -> datetime:
        """`moment` plus `minutes` working minutes. A positive result ends as early as possible (Friday 17:00,
        not Monday 08:00); a negative amount subtracts. Zero returns `moment` unchanged."""
        if minutes < 0:
            return self.subtract(moment, -minutes)
        if minutes == 0:
            return moment
        return from_absolute_minute(self.minute_of(self.count_at(absolute_minute(moment)) + minutes, 0))

    def subtract(self, moment: datetime, minutes: int) -> datetime:
        """`moment` minus `minutes` working minutes; the result starts as late as possible (Monday 08:00)."""
        if minutes < 0:
            return self.add(moment, -minutes)
        if minutes == 0:
            return moment
        return from_absolute_minute(self.minute_of(self.count_at(absolute_minute(moment)) - minutes, 1))

    def working_minutes(self, start: datetime, end: datetime) -> int:
        """Working minutes from `start` to `end`; negative when `end` is before `start`."""
        return self.count_at(absolute_minute(end)) - self.count_at(absolute_minute(start))

    def next_working(self, moment: datetime) -> datetime:
        """`moment` if work happens at it, else the start of the next working interval (a start snaps forward)."""
        return from_absolute_minute(self.minute_of(self.count_at(absolute_minute(moment)), 1))

    def previous_working(self, moment: datetime) -> datetime:
        """`moment` if work happened just before it, else the end of the previous working interval."""
        return from_absolute_minute(self.minute_of(self.count_at(absolute_minute(moment)), 0))

    def is_working(self, moment: datetime) -> bool:
        offset = moment.hour * 60 + moment.minute
        return any(lo <= offset < hi for lo, hi in self.intervals_minutes(moment.date()))

    def weekday_intervals(self, weekday: int) -> Intervals:
        """The weekly pattern's intervals for weekday (0 = Monday), in minutes of the day."""
        return self._week[weekday]

    def weekday_minutes(self) -> list[int]:
        return [sum(hi - lo for lo, hi in day) for day in self._week]

    def intervals_minutes(self, day: date) -> Intervals:
        return self._day(day.toordinal())

    def intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        """The working intervals of one day as datetimes."""
        base = datetime(day.year, day.month, day.day)
        return [(base + timedelta(minutes=lo), base + timedelta(minutes=hi)) for lo, hi in self.intervals_minutes(day)]

    def minutes_on(self, day: date) -> int:
        return sum(hi - lo for lo, hi in self.intervals_minutes(day))

    def is_working_day(self, day: date) -> bool:
        return bool(self.intervals_minutes(day))


_CACHE: dict[int, tuple[Calendar, WorkingTime]] = {}
_CACHE_SIZE = 256


def working_time(calendar: Calendar) -> WorkingTime:
    """The compiled form of `calendar`, cached by identity so repeated schedules reuse its tables."""
    entry = _CACHE.get(id(calendar))
    if entry is not None and entry[0] is calendar:
        return entry[1]
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.clear()
    compiled = WorkingTime(calendar)
    _CACHE[id(calendar)] = (calendar, compiled)
    return compiled


STANDARD_HOURS: tuple[tuple[time, time], ...] = ((time(8), time(12)), (time(13), time(17)))


def calendar_from_workdays(
    workdays: Mapping[date, bool],
    *,
    id: str = "cn",
    base: Calendar | None = None,
    hours: tuple[tuple[time, time], ...] | None = None,
) -> Calendar:
    """A calendar with public holidays and 调休 make-up workdays laid over a weekly pattern.

    `workdays` maps a date to whether it is worked (the shape of the table the projects app seeds from
    the `chinesecalendar` package). A worked date that the week leaves free becomes a make-up workday
    with `hours` (default: the base calendar's first working weekday); a free date that the week works
    becomes a holiday. Dates that agree with the week add nothing.
    """
    base = base or Calendar()
    if hours is None:
        hours = next((day for day in base.week if day), STANDARD_HOURS)
    exceptions = dict(base.exceptions)
    for day, worked in workdays.items():
        pattern = exceptions.get(day, base.week[day.weekday()])
        if worked and not pattern:
            exceptions[day] = hours
        elif not worked and pattern:
            exceptions[day] = ()
    return Calendar(id=id, week=base.week, exceptions=exceptions)


def always_on_calendar(id: str = "24x7") -> Calendar:
    """Every minute of every day is working time (1 day = 1440 working minutes)."""
    return Calendar(id=id, week=(((time(0), time(0)),),) * 7)
