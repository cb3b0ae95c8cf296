"""Work calendars: the weekly working pattern and dated exceptions (holidays, 调休 make-up days).

The models came from the projects app and keep its tables and object-type keys (`type_key`): roles hold
`projects.view_workcalendar` and the like, and the audit trail names the rows `projects.workcalendar`.
"""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.calendars.choices import ExceptionSource
from tandem.core.models import TenantModel

# Monday..Sunday; each day a list of ["HH:MM", "HH:MM"] working intervals.
STANDARD_WEEK = [[["08:00", "12:00"], ["13:00", "17:00"]]] * 5 + [[], []]


def default_week() -> list:
    return [list(map(list, day)) for day in STANDARD_WEEK]


def _clock(value: str) -> time:
    # "24:00" ends a day that works until midnight; the engine spells that end as time(0).
    return time(0) if value == "24:00" else time.fromisoformat(value)


def parse_intervals(intervals) -> tuple[tuple[time, time], ...]:
    return tuple((_clock(start), _clock(end)) for start, end in intervals or ())


def format_intervals(intervals) -> list[list[str]]:
    """Engine intervals as stored JSON: sorted, merged, "HH:MM" strings, midnight as "24:00"."""
    spans = sorted((s.hour * 60 + s.minute, (e.hour * 60 + e.minute) or 1440) for s, e in intervals)
    merged: list[list[int]] = []
    for lo, hi in spans:
        if hi <= lo:
            continue
        if merged and lo <= merged[-1][1]:
            merged[-1][1] = max(hi, merged[-1][1])
        else:
            merged.append([lo, hi])
    return [[f"{lo // 60:02d}:{lo % 60:02d}", f"{hi // 60:02d}:{hi % 60:02d}"] for lo, hi in merged]


def interval_minutes(intervals) -> int:
    total = 0
    for start, end in intervals or ():
        hours, minutes = end.split(":")
        begin_hours, begin_minutes = start.split(":")
        total += int(hours) * 60 + int(minutes) - int(begin_hours) * 60 - int(begin_minutes)
    return total


class WorkCalendar(TenantModel):
    """Working weekdays and hours of a tenant; the exceptions table overrides single dates."""

    type_key = "projects.workcalendar"
    name = models.CharField(_("name"), max_length=100)
    week = models.JSONField(_("working hours per weekday"), default=default_week)
    is_default = models.BooleanField(_("default calendar"), default=False)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        db_table = "projects_workcalendar"
        verbose_name = _("work calendar")
        verbose_name_plural = _("work calendars")
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="projects_calendar_unique_name"),
            models.UniqueConstraint(
                fields=["tenant"], condition=Q(is_default=True), name="projects_calendar_one_default"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def standard_day(self) -> list:
        """The intervals of the first working weekday: what a make-up workday without hours works."""
        return next((day for day in self.week if day), STANDARD_WEEK[0])

    @property
    def minutes_per_day(self) -> int:
        """Working minutes of a standard day; turns durations in days into minutes and back."""
        return interval_minutes(self.standard_day) or 480


class CalendarException(TenantModel):
    """One date that differs from the weekly pattern: a holiday, or a make-up workday (调休)."""

    type_key = "projects.calendarexception"
    calendar = models.ForeignKey(
        WorkCalendar, on_delete=models.CASCADE, related_name="exceptions", verbose_name=_("work calendar")
    )
    date = models.DateField(_("date"))
    is_working = models.BooleanField(_("working day"), default=False)
    # For a working exception: the intervals worked; empty means the calendar's standard day.
    hours = models.JSONField(_("working hours"), default=list, blank=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=ExceptionSource.choices, default=ExceptionSource.MANUAL
    )

    class Meta:
        db_table = "projects_calendarexception"
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "calendar", "date"], name="projects_calendar_exception_unique")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class ResourceCalendar(TenantModel):
    """The calendar a person works (资源日历), e.g. a crew on a six-day week: tasks assigned to them that have
    no calendar of their own are scheduled on it instead of the project's."""

    type_key = "projects.resourcecalendar"
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("member")
    )
    calendar = models.ForeignKey(
        WorkCalendar, on_delete=models.CASCADE, related_name="resources", verbose_name=_("work calendar")
    )

    class Meta:
        db_table = "projects_resourcecalendar"
        verbose_name = _("resource calendar")
        verbose_name_plural = _("resource calendars")
        constraints = [models.UniqueConstraint(fields=["tenant", "user"], name="projects_resource_calendar_unique")]

    def __str__(self) -> str:
        return f"{self.user} → {self.calendar}"
