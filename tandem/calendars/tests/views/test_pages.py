"""Work calendar pages: seeding from the holiday library keeps hand entries, and members without rights are
refused. (The page tests that need projects on the calendar live with the projects tests.)"""

from datetime import date

from tandem.calendars.models import CalendarException
from tandem.calendars.services.calendars import calendar_create, calendar_exception_set, chinese_calendar_years
from tandem.calendars.tests.helpers import week_data
from tandem.testing.kit import access_for, make_member, page_client


def test_seeding_a_year_from_the_holiday_library(tenant):
    admin = make_member(tenant, "admin")
    calendar = calendar_create(access=access_for(admin), name="空日历", seed_holidays=False)
    client = page_client(admin)
    first, last = chinese_calendar_years()
    response = client.post(f"/projects/calendars/{calendar.pk}/seed-holidays/", {"year": last})
    assert response.status_code == 302
    assert CalendarException.objects.filter(calendar=calendar, date__year=last).exists()
    assert not CalendarException.objects.filter(calendar=calendar, date__year=last - 1).exists()
    response = client.post(f"/projects/calendars/{calendar.pk}/seed-holidays/", {"year": last + 5}, follow=True)
    assert response.status_code == 200
    assert not CalendarException.objects.filter(calendar=calendar, date__year=last + 5).exists()


def test_a_hand_entry_survives_seeding(tenant):
    admin = make_member(tenant, "admin")
    access = access_for(admin)
    calendar = calendar_create(access=access, name="手工日历", seed_holidays=False)
    first, last = chinese_calendar_years()
    calendar_exception_set(access=access, calendar=calendar, date=date(last, 1, 1), is_working=True, name="加班")
    page_client(admin).post(f"/projects/calendars/{calendar.pk}/seed-holidays/", {"year": last})
    assert CalendarException.objects.get(calendar=calendar, date=date(last, 1, 1)).is_working


def test_calendar_pages_refuse_members_without_rights(tenant):
    admin = make_member(tenant, "admin")
    calendar = calendar_create(access=access_for(admin), name="受保护日历", seed_holidays=False)
    sales = page_client(make_member(tenant, "sales_manager"))  # may view calendars, not change them
    assert sales.get(f"/projects/calendars/{calendar.pk}/").status_code == 200
    assert sales.post(f"/projects/calendars/{calendar.pk}/", week_data(calendar, name="改名")).status_code == 404
    url = f"/projects/calendars/{calendar.pk}/exceptions/add/"
    assert sales.post(url, {"date": "2031-01-02", "kind": "holiday"}).status_code == 403
    assert sales.post("/projects/calendars/new/", {"name": "x", "day_0": "08:00-17:00"}).status_code == 403
    assert sales.post(f"/projects/calendars/{calendar.pk}/delete/").status_code == 403
    calendar.refresh_from_db()
    assert calendar.name == "受保护日历" and not calendar.exceptions.exists()
    assert page_client(make_member(tenant)).get("/projects/calendars/").status_code == 403
