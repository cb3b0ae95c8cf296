"""Work calendars and their exceptions; Chinese public holidays and 调休 seeded from `chinesecalendar`.

The library only knows the years it ships (it raises outside them), so the exceptions table is the
source of truth: seeding copies the library's years into it, and users edit the table from there.
A change of working time reaches the apps that schedule on the calendar through `tandem.calendars.usage`
(projects reschedules), in the same transaction.
"""

from __future__ import annotations

import re
from datetime import date

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.calendars import usage
from tandem.calendars.choices import ExceptionSource
from tandem.calendars.holidays import year_spans
from tandem.calendars.models import CalendarException, ResourceCalendar, WorkCalendar, default_week
from tandem.core.errors import ApplicationError
from tandem.core.services import actor_of, check_tenant, full_clean, member_users, require

_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def chinese_calendar_years() -> tuple[int, int]:
    """The first and last year the installed `chinesecalendar` knows holidays for."""
    from chinese_calendar import constants

    years = {d.year for d in constants.holidays}
    return min(years), max(years)


def validate_intervals(intervals, *, field: str) -> list[list[str]]:
    """Working intervals as sorted, non-overlapping ["HH:MM", "HH:MM"] pairs; refuses anything else."""
    message = _('Give working hours as ["HH:MM", "HH:MM"] pairs, in order and not overlapping ("24:00" = midnight).')
    if not isinstance(intervals, list) or len(intervals) > 6:
        raise ApplicationError(message, errors={field: [message]})
    out, last_end = [], "00:00"
    for pair in intervals:
        if not (isinstance(pair, (list, tuple)) and len(pair) == 2 and all(isinstance(v, str) for v in pair)):
            raise ApplicationError(message, errors={field: [message]})
        start, end = pair
        if not (_HHMM.match(start) and (_HHMM.match(end) or end == "24:00")) or not (last_end <= start < end):
            raise ApplicationError(message, errors={field: [message]})
        out.append([start, end])
        last_end = end
    return out


def validate_week(week) -> list:
    if not isinstance(week, list) or len(week) != 7:
        message = _("Give the working hours of all seven weekdays, Monday first.")
        raise ApplicationError(message, errors={"week": [message]})
    week = [validate_intervals(day, field="week") for day in week]
    if not any(week):
        message = _("A calendar needs at least one working day.")
        raise ApplicationError(message, errors={"week": [message]})
    return week


def calendar_default(*, tenant_id: int) -> WorkCalendar:
    """The tenant's default calendar, created (with Chinese holidays seeded) the first time it is needed."""
    calendar = WorkCalendar.objects.filter(tenant_id=tenant_id, is_default=True).first()
    if calendar is not None:
        return calendar
    from tandem.accounts.models import Tenant

    locale = Tenant.objects.filter(pk=tenant_id).values_list("locale", flat=True).first() or "zh-hans"
    with translation.override(locale):
        name = _("Standard calendar")
    calendar = WorkCalendar.objects.create(tenant_id=tenant_id, name=name, is_default=True, week=default_week())
    _seed(calendar)
    audit_record(obj=calendar, action=AuditAction.CREATE, after=snapshot(calendar))
    return calendar


def _seed(calendar: WorkCalendar, years: list[int] | None = None) -> int:
    from chinese_calendar import constants

    first, last = chinese_calendar_years()
    wanted = set(years) if years else set(range(first, last + 1))
    manual = set(
        CalendarException.objects.filter(calendar=calendar)
        .exclude(source=ExceptionSource.CHINESECALENDAR)
        .values_list("date", flat=True)
    )
    rows: dict[date, tuple[bool, str]] = {}
    for day, name in constants.holidays.items():
        if day.year in wanted:
            rows[day] = (False, str(name))
    for day, name in constants.workdays.items():
        if day.year in wanted:
            rows[day] = (True, str(name))
    existing = {
        e.date: e
        for e in CalendarException.objects.filter(
            calendar=calendar, source=ExceptionSource.CHINESECALENDAR, date__year__in=wanted
        )
    }
    new, changed = [], []
    for day, (is_working, name) in rows.items():
        if day in manual:  # a hand edit wins over the library
            continue
        row = existing.pop(day, None)
        if row is None:
            new.append(
                CalendarException(
                    tenant_id=calendar.tenant_id,
                    calendar=calendar,
                    date=day,
                    is_working=is_working,
                    name=name,
                    source=ExceptionSource.CHINESECALENDAR,
                )
            )
        elif row.is_working != is_working or row.name != name:
            row.is_working, row.name = is_working, name
            changed.append(row)
    CalendarException.objects.bulk_create(new, batch_size=500)
    CalendarException.objects.bulk_update(changed, ["is_working", "name"], batch_size=500)
    # Library dates that no longer exist (a corrected release) leave the table too.
    CalendarException.objects.filter(pk__in=[e.pk for e in existing.values()]).delete()
    return len(new) + len(changed)


@transaction.atomic
def calendar_create(
    *, access, name: str, week=None, is_default: bool = False, description: str = "", seed_holidays: bool = True
) -> WorkCalendar:
    """A new work calendar; Chinese holidays and make-up workdays are seeded unless asked not to."""
    require(access, "projects.add_workcalendar")
    calendar = WorkCalendar(
        tenant_id=access.tenant_id,
        name=name.strip(),
        week=validate_week(week) if week is not None else default_week(),
        description=description,
    )
    full_clean(calendar, exclude=["is_default"])
    calendar.save()
    if is_default:
        _make_default(calendar)
    if seed_holidays:
        _seed(calendar)
    audit_record(obj=calendar, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(calendar))
    return calendar


def _make_default(calendar: WorkCalendar) -> None:
    WorkCalendar.objects.filter(tenant_id=calendar.tenant_id, is_default=True).exclude(pk=calendar.pk).update(
        is_default=False
    )
    calendar.is_default = True
    calendar.save(update_fields=["is_default", "updated_at"])


@transaction.atomic
def calendar_update(*, access, calendar: WorkCalendar, **fields) -> WorkCalendar:
    """Rename, change the working week or make default; every project on the calendar is rescheduled."""
    require(access, "projects.change_workcalendar")
    check_tenant(access, calendar)
    before = snapshot(calendar)
    if "name" in fields:
        calendar.name = fields["name"].strip()
    if "description" in fields:
        calendar.description = fields["description"]
    if "week" in fields:
        calendar.week = validate_week(fields["week"])
    full_clean(calendar, exclude=["is_default"])
    calendar.save()
    if fields.get("is_default") and not calendar.is_default:
        _make_default(calendar)
    elif fields.get("is_default") is False and calendar.is_default:
        message = _("Make another calendar the default instead.")
        raise ApplicationError(message, errors={"is_default": [message]})
    audit_record(
        obj=calendar, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=snapshot(calendar)
    )
    if "week" in fields:
        usage.working_time_changed(calendar=calendar)
    return calendar


@transaction.atomic
def calendar_delete(*, access, calendar: WorkCalendar) -> None:
    """Delete a calendar no project or task uses; the default calendar stays."""
    require(access, "projects.delete_workcalendar")
    check_tenant(access, calendar)
    if calendar.is_default:
        raise ApplicationError(_("The default calendar cannot be deleted; make another one the default first."))
    if usage.in_use(calendar=calendar):
        raise ApplicationError(_("Projects or tasks still work on this calendar."), code="in_use")
    audit_record(obj=calendar, action=AuditAction.DELETE, actor=actor_of(access), before=snapshot(calendar))
    people = list(ResourceCalendar.objects.filter(calendar=calendar).values_list("user_id", flat=True))
    calendar.delete()  # its people go back to their projects' calendars
    usage.people_moved(tenant_id=calendar.tenant_id, user_ids=people)


@transaction.atomic
def calendar_seed_holidays(*, access, calendar: WorkCalendar, years: list[int] | None = None) -> int:
    """Copy Chinese public holidays and make-up workdays from `chinesecalendar` (the years it knows)."""
    require(access, "projects.change_workcalendar")
    check_tenant(access, calendar)
    first, last = chinese_calendar_years()
    outside = sorted(y for y in years or [] if not first <= y <= last)
    if outside:
        message = _(
            "The holiday library knows %(years)s only; import other years' holidays from a file or enter them by hand."
        ) % {"years": year_spans(range(first, last + 1))}
        raise ApplicationError(message, errors={"years": [message]}, code="years_not_covered")
    count = _seed(calendar, years)
    audit_record(
        obj=calendar,
        action=AuditAction.UPDATE,
        actor=actor_of(access),
        before={"holidays_seeded": None},
        after={"holidays_seeded": count, "years": years or [first, last]},
    )
    usage.working_time_changed(calendar=calendar)
    return count


@transaction.atomic
def calendar_exception_set(
    *, access, calendar: WorkCalendar, date: date, is_working: bool, hours=None, name: str = ""
) -> CalendarException:
    """Make one date a holiday or a (make-up) working day by hand; hand edits win over the library."""
    require(access, "projects.change_workcalendar")
    check_tenant(access, calendar)
    hours = validate_intervals(hours or [], field="hours") if is_working else []
    exception = CalendarException.objects.filter(calendar=calendar, date=date).first()
    before = snapshot(exception) if exception else None
    if exception is None:
        exception = CalendarException(tenant_id=calendar.tenant_id, calendar=calendar, date=date)
    exception.is_working = is_working
    exception.hours = hours
    exception.name = name
    exception.source = ExceptionSource.MANUAL
    full_clean(exception)
    exception.save()
    audit_record(
        obj=exception,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        actor=actor_of(access),
        before=before,
        after=snapshot(exception),
    )
    usage.working_time_changed(calendar=calendar)
    return exception


@transaction.atomic
def calendar_exception_remove(*, access, exception: CalendarException) -> None:
    """Remove one exception: the date follows the weekly pattern again."""
    require(access, "projects.change_workcalendar")
    check_tenant(access, exception)
    calendar = exception.calendar
    audit_record(obj=exception, action=AuditAction.DELETE, actor=actor_of(access), before=snapshot(exception))
    exception.delete()
    usage.working_time_changed(calendar=calendar)


@transaction.atomic
def calendar_resources_set(*, access, calendar: WorkCalendar, users) -> list[int]:
    """The people who work this calendar (资源日历): their tasks without a calendar of their own follow it.
    A person works one calendar: adding them here takes them off any other. Their projects are rescheduled."""
    require(access, "projects.change_workcalendar")
    check_tenant(access, calendar)
    wanted = {u.pk for u in member_users(access.tenant_id, [getattr(u, "pk", u) for u in users], field="users")}
    current = set(ResourceCalendar.objects.filter(calendar=calendar).values_list("user_id", flat=True))
    if wanted == current:
        return sorted(current)
    moved = set(
        ResourceCalendar.objects.filter(tenant_id=calendar.tenant_id, user_id__in=wanted)
        .exclude(calendar=calendar)
        .values_list("user_id", flat=True)
    )
    touched = (wanted ^ current) | moved
    ResourceCalendar.objects.filter(tenant_id=calendar.tenant_id, user_id__in=touched).delete()
    ResourceCalendar.objects.bulk_create(
        [ResourceCalendar(tenant_id=calendar.tenant_id, user_id=pk, calendar=calendar) for pk in sorted(wanted)]
    )
    audit_record(
        obj=calendar,
        action=AuditAction.UPDATE,
        actor=actor_of(access),
        before={"resources": sorted(current)},
        after={"resources": sorted(wanted)},
    )
    usage.people_moved(tenant_id=calendar.tenant_id, user_ids=touched | wanted)
    return sorted(wanted)
