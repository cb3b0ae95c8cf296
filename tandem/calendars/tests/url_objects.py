"""Objects for the generic URL permission test: each created in `tenant`, belonging to a colleague."""

from datetime import date

from tandem.testing.kit import access_for
from tandem.testing.permissions import colleague, seed_name, url_objects


def _calendar(tenant):
    from tandem.calendars.services.calendars import calendar_create

    admin = colleague(tenant, "admin")
    return calendar_create(access=access_for(admin), name=seed_name(tenant, "calendar"), seed_holidays=False), admin


@url_objects(
    "projects:calendar_detail",
    "projects:calendar_delete",
    "projects:calendar_seed",
    "projects:calendar_import",
    "projects:calendar_resources",
    "projects:calendar_exception_add",
    "api:projects-workcalendar-detail",
    "api:projects-workcalendar-exceptions",
    "api:projects-workcalendar-seed-holidays",
    "api:projects-workcalendar-import-holidays",
    "api:projects-workcalendar-resources",
)
def _calendar_url(tenant):
    return {"pk": _calendar(tenant)[0].pk}


@url_objects("api:projects-workcalendar-exception-remove", "projects:calendar_exception_delete")
def _calendar_exception_url(tenant):
    from tandem.calendars.services.calendars import calendar_exception_set

    calendar, admin = _calendar(tenant)
    exception = calendar_exception_set(
        access=access_for(admin),
        calendar=calendar,
        date=date(2031, 5, 2),
        is_working=False,
        name=seed_name(tenant, "holiday"),
    )
    return {"pk": calendar.pk, "exception_id": exception.pk}
