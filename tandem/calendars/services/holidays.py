"""Importing a year of public holidays and 调休 make-up workdays from a file (.ics or .csv) into a work calendar.

A file is read and checked whole first (`holiday_file_rows`); `calendar_holidays_plan` says what importing it
would change, and `calendar_holidays_import` writes exactly that. For the years it covers, the file is the
authority: its dates replace the library's and an earlier file's, and their dates it no longer lists leave the
table (a corrected notice). Dates entered by hand stay, as they do when the library is seeded. The projects on
the calendar are rescheduled in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record
from tandem.calendars import usage
from tandem.calendars.choices import ExceptionSource
from tandem.calendars.holidays import MAX_BYTES, HolidayFileError, HolidayRow, read_holiday_file, year_spans
from tandem.calendars.models import CalendarException, WorkCalendar
from tandem.core.errors import ApplicationError
from tandem.core.services import actor_of, check_tenant, require

NEW, CHANGED, UNCHANGED, KEPT = "new", "changed", "unchanged", "kept"


@dataclass
class PlannedDate:
    row: HolidayRow
    action: str  # NEW, CHANGED, UNCHANGED or KEPT (a hand entry on that date wins)
    existing: CalendarException | None = None


@dataclass
class HolidayPlan:
    """What importing a file into a calendar does: per date, and the rows of its years it removes."""

    calendar: WorkCalendar
    dates: list[PlannedDate]
    removed: list[CalendarException] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        return sorted({d.row.date.year for d in self.dates})

    @property
    def years_text(self) -> str:
        return year_spans(self.years)

    def count(self, action: str) -> int:
        return sum(1 for d in self.dates if d.action == action)

    @property
    def new_count(self) -> int:
        return self.count(NEW)

    @property
    def changed_count(self) -> int:
        return self.count(CHANGED)

    @property
    def kept_count(self) -> int:
        return self.count(KEPT)

    @property
    def holidays(self) -> int:
        return sum(1 for d in self.dates if not d.row.is_working)

    @property
    def workdays(self) -> int:
        return sum(1 for d in self.dates if d.row.is_working)

    @property
    def changes(self) -> int:
        return self.count(NEW) + self.count(CHANGED) + len(self.removed)


def holiday_file_rows(*, upload) -> list[HolidayRow]:
    """The dates in an uploaded .ics or .csv file; a file that cannot be read whole is refused with every problem."""
    if upload is None:
        message = _("Choose a file.")
        raise ApplicationError(message, errors={"file": [message]})
    name = getattr(upload, "name", "") or ""
    if getattr(upload, "size", 0) > MAX_BYTES:
        message = _("The file is larger than %(kb)d KB; a year of holidays is far smaller.") % {"kb": MAX_BYTES // 1024}
        raise ApplicationError(message, errors={"file": [message]})
    try:
        return read_holiday_file(upload.read(), name)
    except HolidayFileError as exc:
        raise ApplicationError(
            _("%(file)s cannot be imported: %(problem)s") % {"file": name or _("The file"), "problem": exc.problems[0]},
            errors={"file": exc.problems},
            code="bad_holiday_file",
        ) from exc


def calendar_holidays_plan(*, access, calendar: WorkCalendar, rows: list[HolidayRow]) -> HolidayPlan:
    """What importing these dates would change in the calendar; writes nothing."""
    require(access, "projects.change_workcalendar")
    check_tenant(access, calendar)
    if not rows:
        message = _("The file has no dates: nothing to import.")
        raise ApplicationError(message, errors={"file": [message]})
    years = {row.date.year for row in rows}
    wanted = {row.date for row in rows}
    current = {
        e.date: e for e in CalendarException.objects.filter(calendar=calendar, date__year__in=years).order_by("date")
    }
    dates = []
    for row in rows:
        existing = current.get(row.date)
        if existing is None:
            action = NEW
        elif existing.source == ExceptionSource.MANUAL:
            action = KEPT
        elif (existing.is_working, existing.name, existing.source) == (row.is_working, row.name, ExceptionSource.FILE):
            action = UNCHANGED
        else:
            action = CHANGED
        dates.append(PlannedDate(row, action, existing))
    removed = [
        e
        for day, e in current.items()
        if day not in wanted and e.source in (ExceptionSource.CHINESECALENDAR, ExceptionSource.FILE)
    ]
    return HolidayPlan(calendar=calendar, dates=dates, removed=removed)


@transaction.atomic
def calendar_holidays_import(
    *, access, calendar: WorkCalendar, rows: list[HolidayRow], file_name: str = ""
) -> HolidayPlan:
    """Write a file's holidays and make-up workdays into the calendar (see the module); returns what it did."""
    plan = calendar_holidays_plan(access=access, calendar=calendar, rows=rows)
    new, changed = [], []
    for planned in plan.dates:
        row = planned.row
        if planned.action == NEW:
            new.append(
                CalendarException(
                    tenant_id=calendar.tenant_id,
                    calendar=calendar,
                    date=row.date,
                    is_working=row.is_working,
                    name=row.name,
                    source=ExceptionSource.FILE,
                )
            )
        elif planned.action == CHANGED:
            exception = planned.existing
            exception.is_working, exception.name, exception.source, exception.hours = (
                row.is_working,
                row.name,
                ExceptionSource.FILE,
                [],
            )
            changed.append(exception)
    CalendarException.objects.bulk_create(new, batch_size=500)
    CalendarException.objects.bulk_update(changed, ["is_working", "name", "source", "hours"], batch_size=500)
    CalendarException.objects.filter(pk__in=[e.pk for e in plan.removed]).delete()
    audit_record(
        obj=calendar,
        action=AuditAction.UPDATE,
        actor=actor_of(access),
        before={"holidays_imported": None},
        after={
            "holidays_imported": file_name or True,
            "years": plan.years,
            "holidays": plan.holidays,
            "workdays": plan.workdays,
            "new": len(new),
            "changed": len(changed),
            "removed": len(plan.removed),
            "kept_by_hand": plan.count(KEPT),
        },
    )
    if plan.changes:
        usage.working_time_changed(calendar=calendar)
    return plan
