"""Reads of the calendars app: calendars within the caller's reach, their exceptions and people, and calendars
compiled for the scheduling engine (plain data, no ORM)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models.functions import ExtractYear

from tandem.calendars.choices import ExceptionSource
from tandem.calendars.holidays import year_spans
from tandem.calendars.models import CalendarException, ResourceCalendar, WorkCalendar, parse_intervals
from tandem.scheduling.engine import model as engine
from tandem.scheduling.engine.calendar import WorkingTime, working_time


def calendar_list(*, access, action: str = "view"):
    return WorkCalendar.objects.restrict(access, action).order_by("-is_default", "name")


def calendar_exceptions(*, calendar: WorkCalendar, year: int | None = None):
    qs = CalendarException.objects.filter(calendar=calendar).order_by("date")
    return qs.filter(date__year=year) if year else qs


@dataclass(frozen=True)
class HolidayCoverage:
    """The years a calendar's exceptions table holds public holidays for, by where they came from."""

    library: tuple[int, ...]  # copied from the chinesecalendar library
    imported: tuple[int, ...]  # imported from a holiday file (.ics / .csv)

    @property
    def years(self) -> set[int]:
        return set(self.library) | set(self.imported)

    @property
    def text(self) -> str:
        return year_spans(self.years)

    @property
    def library_text(self) -> str:
        return year_spans(self.library)

    @property
    def imported_text(self) -> str:
        return year_spans(self.imported)

    def missing(self, first: int, last: int) -> list[int]:
        """The years from first to last the table holds no public holidays for."""
        return [year for year in range(first, last + 1) if year not in self.years]


def holiday_coverage(*, calendar: WorkCalendar) -> HolidayCoverage:
    """Which years the calendar's holidays cover: the library's years it was filled with and the imported ones."""
    rows = (
        CalendarException.objects.filter(
            calendar=calendar, source__in=[ExceptionSource.CHINESECALENDAR, ExceptionSource.FILE]
        )
        .annotate(year=ExtractYear("date"))
        .order_by()
        .values_list("year", "source")
        .distinct()
    )
    by_source: dict[str, set[int]] = {ExceptionSource.CHINESECALENDAR: set(), ExceptionSource.FILE: set()}
    for year, source in rows:
        by_source[source].add(year)
    imported = by_source[ExceptionSource.FILE]
    return HolidayCoverage(
        library=tuple(sorted(by_source[ExceptionSource.CHINESECALENDAR] - imported)), imported=tuple(sorted(imported))
    )


def calendar_resources(*, calendar: WorkCalendar) -> list[int]:
    """The ids of the people who work this calendar (资源日历)."""
    return list(
        ResourceCalendar.objects.filter(calendar=calendar).order_by("user_id").values_list("user_id", flat=True)
    )


def resource_calendars(*, access) -> dict[int, tuple[int, str]]:
    """Every person of the caller's tenant who works a resource calendar → (calendar id, calendar name)."""
    rows = ResourceCalendar.objects.filter(tenant_id=access.tenant_id).values_list(
        "user_id", "calendar_id", "calendar__name"
    )
    return {user_id: (calendar_id, name) for user_id, calendar_id, name in rows}


def engine_calendar(calendar: WorkCalendar, exceptions) -> engine.Calendar:
    """One calendar and its exceptions as the engine's plain data; its id is the database id as a string."""
    standard = parse_intervals(calendar.standard_day)
    return engine.Calendar(
        id=str(calendar.pk),
        week=tuple(parse_intervals(day) for day in calendar.week),
        exceptions={e.date: ((parse_intervals(e.hours) or standard) if e.is_working else ()) for e in exceptions},
    )


def engine_calendars(calendar_ids: set[int], *, since: date) -> dict[str, engine.Calendar]:
    """These calendars for the engine, with their exceptions from `since` on, in two queries."""
    calendars = {c.pk: c for c in WorkCalendar.objects.filter(pk__in=calendar_ids)}
    exceptions: dict[int, list] = {pk: [] for pk in calendars}
    for row in CalendarException.objects.filter(calendar_id__in=calendar_ids, date__gte=since).only(
        "calendar_id", "date", "is_working", "hours"
    ):
        exceptions[row.calendar_id].append(row)
    return {str(pk): engine_calendar(cal, exceptions[pk]) for pk, cal in calendars.items()}


def default_working_time(*, tenant_id: int) -> WorkingTime | None:
    """The working time of the tenant's default calendar, compiled; None without one, or when it has no
    working time at all (nothing could be measured on it)."""
    calendar = WorkCalendar.objects.filter(tenant_id=tenant_id, is_default=True).first()
    if calendar is None:
        return None
    exceptions = CalendarException.objects.filter(calendar=calendar).only("date", "is_working", "hours")
    compiled = working_time(engine_calendar(calendar, list(exceptions)))
    if not any(compiled.weekday_minutes()):
        return None
    return compiled
