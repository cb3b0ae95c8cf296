"""The project list and overview pages, and the iCalendar feed (signed token, revocable)."""

from datetime import timedelta
from urllib.parse import urlparse

import icalendar
from django.test import Client
from django.utils import timezone

from tandem.projects.tests.factories import make_chain, make_project, pm_member
from tandem.testing.kit import api_client, make_member, page_client


def test_the_list_and_detail_pages_show_the_project_its_wbs_and_warnings(tenant):
    pm = pm_member(tenant)
    project = make_project(
        tenant, member=pm, name="智能化系统集成", start_date=timezone.localdate() - timedelta(days=20)
    )
    make_chain(project, pm, "综合布线", "设备安装")
    client = page_client(pm)
    listing = client.get("/projects/")
    assert listing.status_code == 200 and "智能化系统集成" in listing.content.decode()
    detail = client.get(f"/projects/{project.pk}/")
    text = detail.content.decode()
    assert detail.status_code == 200
    assert "综合布线" in text and 'id="delay-warnings"' in text and "设备安装" in text
    assert client.get("/projects/?status=completed").content.decode().count("智能化系统集成") == 0


def test_navigation_has_a_projects_section_for_those_who_may_see_it(tenant):
    pm = pm_member(tenant)
    assert 'href="/projects/"' in page_client(pm).get("/").content.decode()
    sales = make_member(tenant, "sales")
    assert 'href="/projects/"' not in page_client(sales).get("/").content.decode()


def feed_url(member, project, rotate=False):
    response = api_client(member).post(f"/api/v1/projects/projects/{project.pk}/calendar-feed/", {"rotate": rotate})
    assert response.status_code == 200, response.content
    url = urlparse(response.json()["url"])
    return f"{url.path}?{url.query}"


def test_the_calendar_feed_parses_with_icalendar_and_rotating_revokes_it(tenant):
    pm = pm_member(tenant)
    project = make_project(tenant, member=pm)
    make_chain(project, pm, "桥架安装", "调试")
    url = feed_url(pm, project)
    response = Client().get(url)  # a calendar app: no session, only the token
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    summaries = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    assert summaries == ["1 桥架安装", "2 调试"]
    first = calendar.walk("VEVENT")[0]
    assert first.decoded("DTSTART").utcoffset() == timedelta(0)

    assert feed_url(pm, project) == url  # stable until rotated
    new_url = feed_url(pm, project, rotate=True)
    assert new_url != url
    assert Client().get(url).status_code == 404
    assert Client().get(new_url).status_code == 200


def test_a_feed_token_is_useless_for_another_project_or_after_losing_access(tenant):
    pm = pm_member(tenant)
    project = make_project(tenant, member=pm)
    other = make_project(tenant, member=pm)
    url = feed_url(pm, project)
    token = url.split("token=")[1]
    assert Client().get(f"/projects/{other.pk}/calendar.ics?token={token}").status_code == 404
    assert Client().get(f"/projects/{project.pk}/calendar.ics?token=1.forged").status_code == 404
    pm.is_active = False
    pm.save()
    assert Client().get(url).status_code == 404


def test_without_a_token_the_feed_needs_a_signed_in_member(tenant):
    pm = pm_member(tenant)
    project = make_project(tenant, member=pm)
    anonymous = Client().get(f"/projects/{project.pk}/calendar.ics")
    assert anonymous.status_code == 302
    assert page_client(pm).get(f"/projects/{project.pk}/calendar.ics").status_code == 200


def test_the_overview_says_when_the_schedule_outruns_the_holiday_library(tenant):
    from datetime import date

    from tandem.calendars.services.calendars import chinese_calendar_years

    _first, last = chinese_calendar_years()
    pm = pm_member(tenant)
    project = make_project(tenant, member=pm, start_date=date(last, 12, 1))
    make_chain(project, pm, "跨年施工", days=40)
    text = page_client(pm).get(f"/projects/{project.pk}/").content.decode()
    assert 'id="holiday-gap"' in text and str(last + 1) in text


def test_the_project_list_exports_as_csv_for_those_allowed(tenant):
    pm = pm_member(tenant)
    make_project(tenant, member=pm, name="导出项目")
    response = page_client(pm).get("/projects/export/")
    assert response.status_code == 200
    assert "导出项目" in b"".join(response.streaming_content).decode("utf-8")
    assert page_client(make_member(tenant, "foreman")).get("/projects/export/").status_code == 403


def test_the_subscribe_page_makes_shows_and_resets_the_private_calendar_link(tenant):
    import re

    from icalendar import Calendar

    pm = pm_member(tenant)
    project = make_project(tenant, member=pm)
    client = page_client(pm)
    page = client.get(f"/projects/{project.pk}/calendar-feed/").content.decode()
    assert 'id="feed-create"' in page and 'id="feed-url"' not in page
    assert client.post(f"/projects/{project.pk}/calendar-feed/").status_code == 302
    first = re.search(
        r'id="feed-url" value="([^"]+)"', client.get(f"/projects/{project.pk}/calendar-feed/").content.decode()
    )
    url = first.group(1).replace("&amp;", "&")
    feed = Client().get(url.split("testserver", 1)[1])
    assert feed.status_code == 200 and Calendar.from_ical(feed.content).get("X-WR-CALNAME") is not None

    client.post(f"/projects/{project.pk}/calendar-feed/", {"rotate": "1"})
    second = re.search(
        r'id="feed-url" value="([^"]+)"', client.get(f"/projects/{project.pk}/calendar-feed/").content.decode()
    )
    assert second.group(1) != first.group(1)
    assert Client().get(url.split("testserver", 1)[1]).status_code == 404  # the old link is revoked


def test_the_holiday_warning_names_a_single_year_once_and_goes_when_the_year_is_imported(tenant):
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from tandem.calendars.services.calendars import chinese_calendar_years
    from tandem.calendars.services.holidays import calendar_holidays_import, holiday_file_rows
    from tandem.testing.kit import access_for

    first, last = chinese_calendar_years()
    pm = pm_member(tenant)
    project = make_project(tenant, member=pm, start_date=date(last, 12, 1))
    make_chain(project, pm, "跨年施工", days=40)
    client = page_client(pm)
    text = client.get(f"/projects/{project.pk}/").content.decode()
    warning = text[text.index('id="holiday-gap"') :]
    warning = warning[: warning.index("</div>")]
    assert f"{first}–{last} 年" in warning and f"延续到 {last + 1} 年" in warning
    assert f"{last + 1}–{last + 1}" not in warning
    notice = f"{last + 1}-01-01,元旦,休\n{last + 1}-02-10~{last + 1}-02-16,春节,休\n".encode()
    calendar_holidays_import(
        access=access_for(make_member(tenant, "admin")),
        calendar=project.calendar,
        rows=holiday_file_rows(upload=SimpleUploadedFile("next.csv", notice)),
    )
    assert 'id="holiday-gap"' not in client.get(f"/projects/{project.pk}/").content.decode()
