"""Sane values (issue 11): dates far outside any plausible project and names one cannot see are refused with
a field error, through the API of deals, contracts, projects and calendars, from one check in core."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tandem.calendars.models import CalendarException, WorkCalendar, default_week
from tandem.core.validators import has_visible_text, plausible_date
from tandem.crm.models import Contract, Deal
from tandem.crm.tests.factories import make_account
from tandem.projects.models import Project
from tandem.testing.kit import api_client, make_member

INVISIBLE = ["\u200b\u200b", "\u200b \u200c\u200d\ufeff", "\x00\x01\x1f", "\u202e\u2066", "\u3000 \t"]
IMPLAUSIBLE = ["0001-01-01", "0814-03-01", "1506-05-01", "9999-12-31", "2201-01-01"]


@pytest.fixture
def member(tenant):
    return make_member(tenant, "admin")


@pytest.fixture
def client(member):
    return api_client(member)


def refused(response, field):
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"], response.json()


def test_the_shared_checks():
    assert has_visible_text("机电安装") and has_visible_text(" a\u200b") and not has_visible_text("\u200b\u2060 \x7f")
    plausible_date(date(1900, 1, 1))
    plausible_date(date(2200, 12, 31))
    for value in (date(1899, 12, 31), date(2201, 1, 1), date(1, 1, 1), date(9999, 12, 31)):
        with pytest.raises(ValidationError):
            plausible_date(value)


@pytest.mark.parametrize("day", IMPLAUSIBLE)
def test_a_deal_closing_at_the_end_of_time_is_refused(client, member, tenant, day):
    account = make_account(tenant, member.user)
    response = client.post(
        "/api/v1/crm/deals/", {"name": "机电安装", "account": account.pk, "expected_close_date": day}, format="json"
    )
    refused(response, "expected_close_date")
    assert not Deal.objects.exists()


@pytest.mark.parametrize("name", INVISIBLE)
def test_a_deal_named_with_invisible_characters_is_refused(client, member, tenant, name):
    account = make_account(tenant, member.user)
    refused(client.post("/api/v1/crm/deals/", {"name": name, "account": account.pk}, format="json"), "name")
    assert not Deal.objects.exists()


@pytest.mark.parametrize(("field", "day"), [("signed_on", "0001-01-01"), ("end_on", "9999-12-31")])
def test_a_contract_signed_in_year_one_or_ending_in_9999_is_refused(client, member, tenant, field, day):
    account = make_account(tenant, member.user)
    body = {"name": "总包合同", "account": account.pk, "amount": "100000.00", field: day}
    refused(client.post("/api/v1/crm/contracts/", body, format="json"), field)
    assert not Contract.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"), [({"start_date": "0814-01-05"}, "start_date"), ({"name": "\u200b"}, "name")]
)
def test_a_project_starting_in_814_or_named_with_nothing_is_refused(client, body, field):
    response = client.post(
        "/api/v1/projects/projects/", {"name": "新厂房", "start_date": "2026-03-02", **body}, format="json"
    )
    refused(response, field)
    assert not Project.objects.exists()


@pytest.mark.parametrize(("body", "field"), [({"date": "1506-10-01"}, "date"), ({"name": "\u200b\u200b"}, "name")])
def test_a_calendar_exception_in_1506_or_named_with_nothing_is_refused(client, tenant, body, field):
    calendar = WorkCalendar.objects.create(tenant=tenant, name="标准日历", is_default=True, week=default_week())
    data = {"date": "2026-10-01", "is_working": False, "name": "国庆节", **body}
    refused(client.post(f"/api/v1/projects/calendars/{calendar.pk}/exceptions/", data, format="json"), field)
    assert not CalendarException.objects.exists()


def test_plausible_values_still_pass(client, member, tenant):
    account = make_account(tenant, member.user)
    body = {"name": "机电安装", "account": account.pk, "expected_close_date": "2026-12-31"}
    assert client.post("/api/v1/crm/deals/", body, format="json").status_code == 201
