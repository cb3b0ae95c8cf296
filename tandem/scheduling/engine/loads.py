"""Resource loads and capacities per working day, and the over-allocations where load exceeds capacity.

Plain data in, plain data out, no database: the resources app feeds it allocations and calendars and stores
what it finds; the heatmap sums the same days into weeks.

* A `Booking` is one allocation: a resource on a task from `start` to `finish` (naive local datetimes) on the
  task's working time. On each day its load is the task's working minutes that day × `units` (1.0 = the whole
  of one person's working time; a crew of 5 fully booked is 5.0), or a fixed `minutes_per_day` on each day the
  task works.
* A resource's `Capacity` on a day is its calendar's working minutes × `headcount`, capped by
  `minutes_per_day` a head when set, less leave (`off` maps a date to the minutes taken off, None = all day).
* An `Overload` is a run of consecutive days (free days of the resource's calendar in between do not break
  it) on which load > capacity; a day the resource does not work at all but is booked counts too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from tandem.scheduling.engine.calendar import WorkingTime

_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Booking:
    key: Hashable  # the allocation
    resource: Hashable
    task: Hashable
    start: datetime
    finish: datetime
    calendar: WorkingTime  # the task's working time
    units: float = 1.0
    minutes_per_day: int | None = None


@dataclass(frozen=True)
class Capacity:
    resource: Hashable
    calendar: WorkingTime
    headcount: int = 1
    minutes_per_day: int | None = None  # a cap per head
    off: Mapping[date, int | None] = field(default_factory=dict)  # leave: minutes off a day, None = the whole day
    _memo: dict = field(default_factory=dict, compare=False, repr=False)  # day -> capacity, filled by `on`

    def on(self, day: date) -> int:
        found = self._memo.get(day)
        if found is None:
            found = self._memo[day] = self._on(day)
        return found

    def _on(self, day: date) -> int:
        whole = day_minutes(self.calendar)
        ordinal = day.toordinal()
        minutes = whole.get(ordinal)
        if minutes is None:
            minutes = whole[ordinal] = self.calendar.minutes_on(day)
        if self.minutes_per_day is not None:
            minutes = min(minutes, self.minutes_per_day)
        if day in self.off:
            taken = self.off[day]
            minutes = 0 if taken is None else max(0, minutes - taken)
        return minutes * self.headcount


@dataclass
class Overload:
    resource: Hashable
    start: date
    end: date
    days: list[tuple[date, int, int]]  # (day, load, capacity) of the overloaded days
    tasks: set[Hashable]  # tasks loading the resource on those days

    @property
    def overload_minutes(self) -> int:
        return sum(max(0, load - capacity) for _day, load, capacity in self.days)

    @property
    def peak_percent(self) -> int:
        """Highest load / capacity in percent; a booked day without capacity counts as 999."""
        peak = 0
        for _day, load, capacity in self.days:
            peak = max(peak, 999 if capacity <= 0 else round(load * 100 / capacity))
        return peak


_DAY_MINUTES: dict[int, tuple[WorkingTime, dict[int, int]]] = {}


def day_minutes(calendar: WorkingTime) -> dict[int, int]:
    """The calendar's working minutes by day ordinal, filled as days are asked (shared by every booking and
    capacity on the calendar), cached by the calendar's identity as `working_time` caches calendars."""
    entry = _DAY_MINUTES.get(id(calendar))
    if entry is not None and entry[0] is calendar:
        return entry[1]
    if len(_DAY_MINUTES) >= 256:
        _DAY_MINUTES.clear()
    table: dict[int, int] = {}
    _DAY_MINUTES[id(calendar)] = (calendar, table)
    return table


def booking_days(booking: Booking, first: date | None = None, last: date | None = None) -> dict[date, int]:
    """The minutes `booking` loads its resource on each day it works, within [first, last] when given.

    Only the first and the last day are clipped to the booking's times; a day in between works its calendar's
    whole day (in seconds of the day, so a refresh of 20k bookings over a year stays well under a second)."""
    fromordinal = date.fromordinal
    return {
        fromordinal(ordinal): minutes
        for ordinal, minutes in _booking_minutes(
            booking, None if first is None else first.toordinal(), None if last is None else last.toordinal()
        )
    }


def _booking_minutes(booking: Booking, first_o: int | None, last_o: int | None) -> list[tuple[int, int]]:
    """[(day ordinal, minutes)] of `booking` within [first_o, last_o]: what `booking_days` answers, by ordinal."""
    begin, end = booking.start, booking.finish
    if end < begin:
        return []
    start_o, end_o = begin.toordinal(), end.toordinal()
    ordinal = start_o if first_o is None or first_o < start_o else first_o
    stop_o = end_o if last_o is None or last_o > end_o else last_o
    if ordinal > stop_o:
        return []
    cal = booking.calendar
    spans_of = cal._day  # the day's intervals in minutes, by ordinal (a dict look-up)
    whole = day_minutes(cal)
    fixed, units = booking.minutes_per_day, booking.units
    out: list[tuple[int, int]] = []
    while ordinal <= stop_o:
        worked = whole.get(ordinal)
        if worked is None:
            worked = whole[ordinal] = sum(hi - lo for lo, hi in spans_of(ordinal))
        if worked:
            if ordinal in (start_o, end_o):
                lo_cut = begin.hour * 3600 + begin.minute * 60 + begin.second if ordinal == start_o else 0
                hi_cut = end.hour * 3600 + end.minute * 60 + end.second if ordinal == end_o else 86400 * 2
                worked = 0
                for lo, hi in spans_of(ordinal):
                    lo, hi = max(lo * 60, lo_cut), min(hi * 60, hi_cut)
                    if hi > lo:
                        worked += (hi - lo) // 60
            if worked:
                minutes = fixed if fixed is not None else round(worked * units)
                if minutes:
                    out.append((ordinal, minutes))
        ordinal += 1
    return out


def daily_loads(
    bookings: Iterable[Booking], first: date | None = None, last: date | None = None
) -> tuple[dict[Hashable, dict[date, int]], dict[Hashable, dict[date, list[tuple[Hashable, int]]]]]:
    """(resource → day → minutes booked, resource → day → [(task, minutes)]) over the bookings."""
    load: dict[Hashable, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    behind: dict[Hashable, dict[date, list[tuple[Hashable, int]]]] = defaultdict(lambda: defaultdict(list))
    first_o = None if first is None else first.toordinal()
    last_o = None if last is None else last.toordinal()
    dates: dict[int, date] = {}  # one date object a day, shared by every resource
    fromordinal = date.fromordinal
    # [(day, minutes)] by what they depend on: tasks are mostly scheduled from and to the same few hundred
    # instants, so most bookings repeat another's days (the calendar by identity: the bookings keep it alive)
    seen: dict[tuple, list[tuple[date, int]]] = {}
    for booking in bookings:
        key = (id(booking.calendar), booking.start, booking.finish, booking.units, booking.minutes_per_day)
        days = seen.get(key)
        if days is None:
            days = []
            for ordinal, minutes in _booking_minutes(booking, first_o, last_o):
                day = dates.get(ordinal)
                if day is None:
                    day = dates[ordinal] = fromordinal(ordinal)
                days.append((day, minutes))
            seen[key] = days
        if not days:
            continue
        per_resource = load[booking.resource]
        per_task = behind[booking.resource]
        task = booking.task
        for day, minutes in days:
            per_resource[day] += minutes
            per_task[day].append((task, minutes))
    return load, behind


def overloads(
    load: Mapping[date, int],
    behind: Mapping[date, list[tuple[Hashable, int]]],
    capacity: Capacity,
) -> list[Overload]:
    """The runs of days on which `load` exceeds `capacity`, in date order.

    A day the resource does not work and carries no load does not break a run, so an overload over a weekend
    is one conflict; a working day within capacity does.
    """
    runs: list[Overload] = []
    current: Overload | None = None
    previous: date | None = None
    previous_o = 0
    capacity_on, memo = capacity.on, capacity._memo
    no_tasks: list = []
    for day, booked in sorted(load.items()):
        cap = memo.get(day)
        if cap is None:
            cap = capacity_on(day)
        if booked <= cap:
            current = None  # a working day within capacity ends the run
            continue
        ordinal = day.toordinal()
        if current is not None and (ordinal == previous_o + 1 or _only_free_between(capacity, previous, day)):
            current.end = day
        else:
            current = Overload(capacity.resource, day, day, [], set())
            runs.append(current)
        current.days.append((day, booked, cap))
        current.tasks.update([task for task, _minutes in behind.get(day, no_tasks)])
        previous, previous_o = day, ordinal
    return runs


def _only_free_between(capacity: Capacity, after: date, before: date) -> bool:
    day = after + _DAY
    while day < before:
        if capacity.on(day) > 0:
            return False
        day += _DAY
    return True
