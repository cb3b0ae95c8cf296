"""Work calendar pages: the list, one calendar's working week and its exceptions table (holidays, 调休),
seeding Chinese public holidays from `chinesecalendar` or importing a year of them from an .ics / .csv file.
Every change reschedules the projects on the calendar (the services do it)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core import signing
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tandem.calendars import selectors, usage
from tandem.calendars.forms import CalendarCreateForm, CalendarForm, ExceptionForm, HolidayFileForm, SeedForm
from tandem.calendars.holidays import HolidayRow, year_spans
from tandem.calendars.models import interval_minutes
from tandem.calendars.services import calendars as services
from tandem.calendars.services import holidays as holiday_services
from tandem.core.errors import ApplicationError
from tandem.core.views import form_errors_from, members, post_action, record_or_404, tenant_view

# The names `chinesecalendar` gives its holidays (English), shown in the user's language.
HOLIDAY_NAMES = {
    "New Year's Day": gettext_lazy("New Year's Day"),
    "Spring Festival": gettext_lazy("Spring Festival"),
    "Tomb-sweeping Day": gettext_lazy("Tomb-sweeping Day"),
    "Labour Day": gettext_lazy("Labour Day"),
    "Dragon Boat Festival": gettext_lazy("Dragon Boat Festival"),
    "National Day": gettext_lazy("National Day"),
    "Mid-autumn Festival": gettext_lazy("Mid-autumn Festival"),
    "Anti-Fascist 70th Day": gettext_lazy("Anti-Fascist 70th Day"),
}


def _calendar_or_404(request, pk: int, action: str = "view"):
    return record_or_404(request, selectors.calendar_list(access=request.access, action=action), pk)


def week_summary(week) -> list[dict]:
    """Each weekday with its hours, for the list and the week table."""
    return [
        {"label": WEEKDAYS_ABBR[i], "hours": interval_minutes(day) / 60 if day else 0, "spans": day}
        for i, day in enumerate(week)
    ]


def _permissions(access) -> dict[str, bool]:
    return {
        action: access.has_perm(f"projects.{action}_workcalendar") for action in ("view", "add", "change", "delete")
    }


@tenant_view("projects.view_workcalendar")
def calendar_list(request):
    """The tenant's calendars: working week, how many exceptions, how many projects work on each."""
    counts = {"exception_count": Count("exceptions", distinct=True)}
    if usage.counted_relation():
        counts["project_count"] = Count(usage.counted_relation(), distinct=True)
    rows = list(selectors.calendar_list(access=request.access).annotate(**counts))
    for calendar in rows:
        calendar.days = week_summary(calendar.week)
    context = {"calendars": rows, "form": CalendarCreateForm(), "can": _permissions(request.access)}
    return render(request, "calendars/calendar_list.html", context)


@require_POST
@tenant_view("projects.add_workcalendar")
def calendar_add(request):
    form = CalendarCreateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            calendar = services.calendar_create(
                access=request.access,
                name=data["name"],
                description=data["description"],
                week=form.week(),
                is_default=data["is_default"],
                seed_holidays=data["seed_holidays"],
            )
        except ApplicationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("Calendar %(name)s created.") % {"name": calendar.name})
            return redirect("projects:calendar_detail", pk=calendar.pk)
    rows = list(selectors.calendar_list(access=request.access))
    for calendar in rows:
        calendar.days = week_summary(calendar.week)
    context = {"calendars": rows, "form": form, "can": _permissions(request.access), "show_form": True}
    return render(request, "calendars/calendar_list.html", context, status=400)


def _year(request) -> int:
    value = request.GET.get("year", "")
    year = int(value) if value.isdigit() else timezone.localdate().year
    return min(max(year, 1900), 2200)


def _resources(request, calendar) -> dict:
    """Who works this calendar, and the members who may be put on it (with the calendar they work now)."""
    current = selectors.resource_calendars(access=request.access)
    chosen = {user_id for user_id, (calendar_id, _name) in current.items() if calendar_id == calendar.pk}
    people = [
        {
            "id": u.pk,
            "name": str(u),
            "chosen": u.pk in chosen,
            "elsewhere": "" if u.pk in chosen else current.get(u.pk, (None, ""))[1],
        }
        for u in members(request)
    ]
    return {"people": people, "chosen": [p for p in people if p["chosen"]]}


def _counted(calendar) -> int:
    """How many projects (or whatever the apps working on calendars count) are on the calendar."""
    relation = usage.counted_relation()
    return getattr(calendar, relation).count() if relation else 0


def _detail_context(request, calendar, *, form=None, exception_form=None, year=None) -> dict:
    year = year or _year(request)
    first, last = services.chinese_calendar_years()
    coverage = selectors.holiday_coverage(calendar=calendar)
    exceptions = list(selectors.calendar_exceptions(calendar=calendar, year=year))
    for exception in exceptions:
        exception.label = HOLIDAY_NAMES.get(exception.name, exception.name)
    years = {d.year for d in selectors.calendar_exceptions(calendar=calendar).dates("date", "year")}
    years |= {year, timezone.localdate().year}
    return {
        "calendar": calendar,
        "form": form or CalendarForm(calendar=calendar),
        "exception_form": exception_form or ExceptionForm(initial={"date": f"{year}-01-01"}),
        "seed_form": SeedForm(first=first, last=last, initial={"year": year if first <= year <= last else None}),
        "year": year,
        "years": sorted(years),
        "exceptions": exceptions,
        "holidays": sum(1 for e in exceptions if not e.is_working),
        "workdays": sum(1 for e in exceptions if e.is_working),
        "library": {
            "years": year_spans(range(first, last + 1)),
            "covers": first <= year <= last and year not in coverage.imported,
        },
        "coverage": coverage,
        "imported_year": year in coverage.imported,
        "week": week_summary(calendar.week),
        "project_count": _counted(calendar),
        "resources": _resources(request, calendar),
        "can": _permissions(request.access),
    }


@tenant_view("projects.view_workcalendar")
def calendar_detail(request, pk: int):
    """A calendar's working week (editable) and its exceptions of one year."""
    calendar = _calendar_or_404(request, pk, action="change" if request.method == "POST" else "view")
    form = None
    if request.method == "POST":
        form = CalendarForm(request.POST, calendar=calendar)
        if form.is_valid():
            fields = {k: form.cleaned_data[k] for k in ("name", "description", "is_default") if k in form.changed_data}
            if any(name.startswith("day_") for name in form.changed_data):
                fields["week"] = form.week()
            try:
                services.calendar_update(access=request.access, calendar=calendar, **fields)
            except ApplicationError as exc:
                form_errors_from(exc, form)
                calendar.refresh_from_db()
            else:
                if "week" in fields:
                    messages.success(request, _("Calendar saved; the projects on it were rescheduled."))
                else:
                    messages.success(request, _("Calendar saved."))
                return redirect("projects:calendar_detail", pk=calendar.pk)
    context = _detail_context(request, calendar, form=form)
    return render(request, "calendars/calendar_detail.html", context, status=400 if form is not None else 200)


def _back(calendar, year) -> str:
    return f"{reverse('projects:calendar_detail', kwargs={'pk': calendar.pk})}?year={year}"


@require_POST
@tenant_view("projects.change_workcalendar")
def exception_add(request, pk: int):
    """Make one date a holiday or a make-up workday; a hand entry wins over the holiday library."""
    calendar = _calendar_or_404(request, pk, action="change")
    form = ExceptionForm(request.POST)
    if form.is_valid():
        try:
            exception = services.calendar_exception_set(
                access=request.access, calendar=calendar, **form.service_fields()
            )
        except ApplicationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("%(date)s saved.") % {"date": exception.date.isoformat()})
            return redirect(_back(calendar, exception.date.year))
    year = form.cleaned_data["date"].year if form.cleaned_data.get("date") else None
    context = _detail_context(request, calendar, exception_form=form, year=year)
    return render(request, "calendars/calendar_detail.html", context, status=400)


@require_POST
@tenant_view("projects.change_workcalendar")
def exception_remove(request, pk: int, exception_id: int):
    """The date follows the weekly pattern again."""
    calendar = _calendar_or_404(request, pk, action="change")
    exception = selectors.calendar_exceptions(calendar=calendar).filter(pk=exception_id).first()
    if exception is None:
        raise Http404
    services.calendar_exception_remove(access=request.access, exception=exception)
    messages.success(request, _("%(date)s removed.") % {"date": exception.date.isoformat()})
    return redirect(_back(calendar, exception.date.year))


@require_POST
@tenant_view("projects.change_workcalendar")
def holidays_seed(request, pk: int):
    """Copy public holidays and make-up workdays from `chinesecalendar` into the table (hand entries stay)."""
    calendar = _calendar_or_404(request, pk, action="change")
    first, last = services.chinese_calendar_years()
    form = SeedForm(request.POST, first=first, last=last)
    year = timezone.localdate().year
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(_back(calendar, year))
    chosen = form.cleaned_data["year"]
    try:
        changed = services.calendar_seed_holidays(
            access=request.access, calendar=calendar, years=[chosen] if chosen else None
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(n)d dates filled in from the holiday library.") % {"n": changed})
    return redirect(_back(calendar, chosen or year))


@require_POST
@tenant_view("projects.delete_workcalendar")
def calendar_remove(request, pk: int):
    calendar = _calendar_or_404(request, pk, action="delete")
    return post_action(
        request,
        act=lambda: services.calendar_delete(access=request.access, calendar=calendar),
        message=_("Calendar %(name)s deleted.") % {"name": calendar.name},
        success=resolve_url("projects:calendars"),
        failure=resolve_url("projects:calendar_detail", pk=calendar.pk),
    )


@require_POST
@tenant_view("projects.change_workcalendar")
def resources_set(request, pk: int):
    """Put people on this calendar (their tasks without a calendar of their own follow it); rescheduled at once."""
    calendar = _calendar_or_404(request, pk, action="change")
    try:
        users = services.calendar_resources_set(
            access=request.access,
            calendar=calendar,
            users=[int(v) for v in request.POST.getlist("users") if v.isdigit()],
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("%(n)d people work this calendar; their projects were rescheduled.") % {"n": len(users)}
        )
    return redirect("projects:calendar_detail", pk=calendar.pk)


IMPORT_SALT = "calendars.holiday-import"
IMPORT_MAX_AGE = 3600  # seconds a preview may wait for its confirmation


def _import_token(request, calendar, plan, file_name: str) -> str:
    """The previewed dates, signed, so confirming imports exactly what was shown without sending the file again."""
    rows = [[d.row.date.isoformat(), d.row.name, d.row.is_working] for d in plan.dates]
    payload = {"calendar": calendar.pk, "user": request.access.user_id, "file": file_name, "rows": rows}
    return signing.dumps(payload, salt=IMPORT_SALT, compress=True)


def _imported_rows(request, calendar) -> tuple[list[HolidayRow], str] | None:
    try:
        payload = signing.loads(request.POST.get("token", ""), salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE)
    except signing.BadSignature:
        return None
    if payload.get("calendar") != calendar.pk or payload.get("user") != request.access.user_id:
        return None
    rows = [HolidayRow(date.fromisoformat(day), name, bool(working)) for day, name, working in payload["rows"]]
    return rows, payload.get("file", "")


@tenant_view("projects.change_workcalendar")
def holidays_import(request, pk: int):
    """Import a year of public holidays and make-up workdays from an .ics or .csv file: upload, look at what it
    changes, then confirm. A file with any problem is refused whole, with the problems listed."""
    calendar = _calendar_or_404(request, pk, action="change")
    access = request.access
    if request.method == "POST" and "token" in request.POST:
        signed = _imported_rows(request, calendar)
        if signed is None:
            messages.error(request, _("The preview has expired; upload the file again."))
            return redirect("projects:calendar_import", pk=calendar.pk)
        rows, file_name = signed
        try:
            plan = holiday_services.calendar_holidays_import(
                access=access, calendar=calendar, rows=rows, file_name=file_name
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("projects:calendar_import", pk=calendar.pk)
        messages.success(
            request,
            _(
                "Imported %(holidays)d holidays and %(workdays)d make-up workdays for %(years)s; the projects on the "
                "calendar were rescheduled."
            )
            % {"holidays": plan.holidays, "workdays": plan.workdays, "years": plan.years_text},
        )
        return redirect(_back(calendar, plan.years[0]))
    form = HolidayFileForm(request.POST or None, request.FILES or None)
    plan = token = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = holiday_services.holiday_file_rows(upload=upload)
            plan = holiday_services.calendar_holidays_plan(access=access, calendar=calendar, rows=rows)
        except ApplicationError as exc:
            form_errors_from(exc, form)
        else:
            token = _import_token(request, calendar, plan, upload.name)
    context = {
        "calendar": calendar,
        "form": form,
        "plan": plan,
        "token": token,
        "coverage": selectors.holiday_coverage(calendar=calendar),
    }
    status = 400 if request.method == "POST" and plan is None else 200
    return render(request, "calendars/holiday_import.html", context, status=status)
