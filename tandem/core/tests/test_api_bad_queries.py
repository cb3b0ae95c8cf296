"""Bad query values on list endpoints answer a 400 problem naming the parameter (or a 404 for a page past the
end), never a server error, on SQLite and PostgreSQL alike (issue 11)."""

import pytest

from tandem.calendars.models import WorkCalendar, default_week
from tandem.testing.kit import api_client, make_member

HUGE = "99999999999999999999"
LISTS = [
    "/api/v1/audit/security-events/",
    "/api/v1/audit/entries/",
    "/api/v1/automation/runs/",
    "/api/v1/automation/rules/",
    "/api/v1/crm/deals/",
    "/api/v1/crm/accounts/",
    "/api/v1/projects/projects/",
    "/api/v1/projects/tasks/",
    "/api/v1/resources/resources/",
    "/api/v1/projects/calendars/",
    "/api/v1/users/",
    "/api/v1/notifications/",
]


@pytest.fixture
def client(tenant):
    return api_client(make_member(tenant, "admin"))


def problem(response):
    assert response["Content-Type"].startswith("application/problem+json"), response.content
    return response.json()


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/audit/security-events/?ip=abc", "ip"),
        ("/api/v1/audit/security-events/?ip=1.2.3.999", "ip"),
        ("/api/v1/audit/security-events/?user_id=abc", "user_id"),
        (f"/api/v1/audit/security-events/?user_id={HUGE}", "user_id"),
        ("/api/v1/automation/runs/?created_after=2026-01-01T00:00:00-23:48", "created_after"),
        ("/api/v1/automation/runs/?created_before=2026-01-01T00:00:00%2B23:59", "created_before"),
        ("/api/v1/automation/runs/?created_after=0001-01-01T00:00:00%2B01:00", "created_after"),
        (f"/api/v1/automation/runs/?rule={HUGE}", "rule"),
        (f"/api/v1/audit/entries/?actor_id={HUGE}", "actor_id"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_parameter(client, url, parameter):
    response = client.get(url)
    assert response.status_code == 400, response.content
    assert parameter in problem(response)["errors"]


@pytest.mark.parametrize("offset", ["-12:00", "%2B14:00", "%2B05:45", "Z"])
def test_a_time_in_any_real_time_zone_filters_in_utc(client, offset):
    response = client.get(f"/api/v1/automation/runs/?created_after=2026-01-01T00:00:00{offset}")
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("query", ["q=%00", "search=%00", "ip=%00abc", "name=a%00b", "ordering=%00"])
def test_a_nul_byte_in_the_query_is_a_400(client, url, query):
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400, response.content
    problem(response)


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("page", [HUGE, "-1", "0", "abc", "1e10"])
def test_a_page_past_the_end_or_no_page_at_all_is_a_404(client, url, page):
    response = client.get(f"{url}?page={page}")
    assert response.status_code == 404, response.content
    problem(response)


@pytest.mark.parametrize("url", LISTS)
def test_a_huge_page_size_is_capped_not_an_error(client, url):
    assert client.get(f"{url}?page_size={HUGE}").status_code == 200


@pytest.mark.parametrize("year", ["99999999999", "0", "-5", "abc", "10000"])
def test_calendar_exceptions_of_an_impossible_year_are_a_400(client, tenant, year):
    calendar = WorkCalendar.objects.create(tenant=tenant, name="标准日历", is_default=True, week=default_week())
    response = client.get(f"/api/v1/projects/calendars/{calendar.pk}/exceptions/?year={year}")
    assert response.status_code == 400, response.content
    assert "year" in problem(response)["errors"]
    assert client.get(f"/api/v1/projects/calendars/{calendar.pk}/exceptions/?year=2026").status_code == 200
