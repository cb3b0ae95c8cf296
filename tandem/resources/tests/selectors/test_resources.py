"""Hours a day of resources: their own calendar, their member's resource calendar, the tenant's default."""

from decimal import Decimal

import pytest

from tandem.calendars.models import ResourceCalendar, WorkCalendar
from tandem.calendars.services.calendars import calendar_default
from tandem.resources.selectors.resources import capacity_hours
from tandem.resources.tests.factories import make_resource
from tandem.testing.kit import make_member

pytestmark = pytest.mark.django_db

SITE_WEEK = [[["07:30", "12:00"], ["13:00", "17:30"]]] * 6 + [[]]  # a site crew's nine-hour, six-day week


def test_capacity_follows_the_calendar_the_cap_and_the_headcount(tenant, django_assert_num_queries):
    calendar_default(tenant_id=tenant.pk)
    site = WorkCalendar.objects.create(tenant=tenant, name="工地六天制", week=SITE_WEEK)
    member = make_member(tenant, "pm")
    ResourceCalendar.objects.create(tenant=tenant, user=member.user, calendar=site)
    office = make_resource(tenant, "李工")
    on_site = make_resource(tenant, "王工", user=member.user)
    crew = make_resource(tenant, "布线一班", kind="crew", headcount=4, calendar=site, hours_per_day=Decimal("8"))
    part_time = make_resource(tenant, "赵工", hours_per_day=Decimal("4.5"))
    with django_assert_num_queries(3):
        hours = capacity_hours(tenant.pk, [office, on_site, crew, part_time])
    assert hours == {
        office.pk: Decimal("8.0"),
        on_site.pk: Decimal("9.0"),
        crew.pk: Decimal("32.0"),
        part_time.pk: Decimal("4.5"),
    }


def test_without_any_calendar_the_capacity_is_unknown(tenant):
    resource = make_resource(tenant, "李工")
    assert capacity_hours(tenant.pk, [resource]) == {resource.pk: None}
