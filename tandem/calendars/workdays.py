"""Working-day arithmetic on a work calendar, at day granularity (template offsets, variances, warnings).

Minute-level scheduling is the engine's; this answers "is this a working day" and counts days.
"""

from __future__ import annotations

from datetime import date, timedelta

from tandem.calendars.models import CalendarException, WorkCalendar

# Counting further than this is a data error (a date typed with the wrong century), not a schedule.
MAX_SPAN_DAYS = 366 * 30


class Workdays:
    """The working days of one calendar: its week plus the exceptions table."""

    def __init__(self, calendar: WorkCalendar, exceptions: dict[date, bool] | None = None):
        self.week = [bool(day) for day in calendar.week]
        if exceptions is None:
            exceptions = dict(CalendarException.objects.filter(calendar=calendar).values_list("date", "is_working"))
        self.exceptions = exceptions
        if not any(self.week) and not any(exceptions.values()):
            self.week = [True] * 5 + [False, False]

    def is_working(self, day: date) -> bool:
        override = self.exceptions.get(day)
        return override if override is not None else self.week[day.weekday()]

    def first_on_or_after(self, day: date) -> date:
        for _ in range(MAX_SPAN_DAYS):
            if self.is_working(day):
                return day
            day += timedelta(days=1)
        return day

    def add(self, start: date, days: int) -> date:
        """The working day `days` working days after (or before, when negative) the first working day from start."""
        day = self.first_on_or_after(start)
        step = timedelta(days=1 if days >= 0 else -1)
        remaining = abs(days)
        for _ in range(MAX_SPAN_DAYS):
            if remaining == 0:
                return day
            day += step
            if self.is_working(day):
                remaining -= 1
        return day

    def between(self, start: date, end: date) -> int:
        """Working days from start to end (negative when end is earlier); same day = 0."""
        if start == end:
            return 0
        sign = 1 if end > start else -1
        low, high = (start, end) if sign > 0 else (end, start)
        if (high - low).days > MAX_SPAN_DAYS:
            return sign * (high - low).days
        count, day = 0, low
        while day < high:
            day += timedelta(days=1)
            if self.is_working(day):
                count += 1
        return sign * count
