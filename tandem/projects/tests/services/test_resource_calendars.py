"""Resource calendars (资源日历): a person's tasks without a calendar of their own follow the calendar that
person works; assigning, moving and removing people reschedules the projects they work on."""

from datetime import datetime

import pytest
from django.utils import timezone

from tandem.audit.models import AuditEntry
from tandem.calendars.models import ResourceCalendar
from tandem.calendars.services.calendars import calendar_create, calendar_delete, calendar_resources_set
from tandem.core.errors import ApplicationError
from tandem.projects.services.tasks import task_create, task_update
from tandem.projects.tests.factories import DAY, make_project, pm_member
from tandem.testing.kit import access_for, api_client, make_member

SIX_DAYS = [[["08:00", "12:00"], ["13:00", "17:00"]]] * 6 + [[]]


def local(dt):
    return timezone.localtime(dt).replace(tzinfo=None)


@pytest.fixture
def crew(tenant):
    """A PM, a foreman whose crew works Monday to Saturday, a six-day calendar and a project starting Monday."""
    pm = pm_member(tenant)
    foreman = make_member(tenant, "foreman", display_name="赵工长")
    access = access_for(pm)
    six = calendar_create(access=access, name="施工队六天制", week=SIX_DAYS, seed_holidays=False)
    project = make_project(tenant, member=pm)
    site = task_create(access=access, project=project, name="桥架安装", duration=6 * DAY, assignees=[foreman.user])
    office = task_create(access=access, project=project, name="深化设计", duration=6 * DAY)
    return pm, foreman, access, six, project, site, office


def test_a_task_follows_its_assignees_resource_calendar(crew):
    pm, foreman, access, six, project, site, office = crew
    assert local(site.early_finish) == datetime(2025, 3, 10, 17, 0)  # Mon–Fri, then Monday

    assert calendar_resources_set(access=access, calendar=six, users=[foreman.user]) == [foreman.user.pk]

    site.refresh_from_db()
    office.refresh_from_db()
    assert local(site.early_finish) == datetime(2025, 3, 8, 17, 0)  # the crew works Saturday
    assert local(office.early_finish) == datetime(2025, 3, 10, 17, 0)  # unassigned: the project's calendar
    entry = AuditEntry.objects.filter(object_type="projects.workcalendar", object_id=str(six.pk)).latest("pk")
    assert entry.after == {"resources": [foreman.user.pk]}


def test_assigning_the_task_later_reschedules_it(crew):
    pm, foreman, access, six, project, site, office = crew
    calendar_resources_set(access=access, calendar=six, users=[foreman.user])
    task_update(access=access, task=office, assignees=[foreman.user])
    assert local(office.early_finish) == datetime(2025, 3, 8, 17, 0)


def test_a_tasks_own_calendar_wins_over_the_resource_calendar(crew, tenant):
    pm, foreman, access, six, project, site, office = crew
    four = calendar_create(access=access, name="四天制", week=SIX_DAYS[:4] + [[], [], []], seed_holidays=False)
    task_update(access=access, task=site, calendar=four)
    assert local(site.early_finish) == datetime(2025, 3, 11, 17, 0)  # changing a task's calendar reschedules
    calendar_resources_set(access=access, calendar=six, users=[foreman.user])
    site.refresh_from_db()
    assert local(site.early_finish) == datetime(2025, 3, 11, 17, 0)  # Mon–Thu, Mon–Tue


def test_a_person_works_one_calendar_and_removing_them_goes_back_to_the_project_calendar(crew):
    pm, foreman, access, six, project, site, office = crew
    calendar_resources_set(access=access, calendar=six, users=[foreman.user])
    other = calendar_create(access=access, name="另一日历", seed_holidays=False)
    calendar_resources_set(access=access, calendar=other, users=[foreman.user])
    assert list(ResourceCalendar.objects.values_list("user_id", "calendar_id")) == [(foreman.user.pk, other.pk)]
    site.refresh_from_db()
    assert local(site.early_finish) == datetime(2025, 3, 10, 17, 0)

    calendar_resources_set(access=access, calendar=six, users=[foreman.user])
    calendar_delete(access=access, calendar=six)
    assert not ResourceCalendar.objects.exists()
    site.refresh_from_db()
    assert local(site.early_finish) == datetime(2025, 3, 10, 17, 0)


def test_a_stranger_is_refused_and_nothing_changes(crew, other_tenant):
    pm, foreman, access, six, project, site, office = crew
    stranger = make_member(other_tenant, "foreman")
    with pytest.raises(ApplicationError):
        calendar_resources_set(access=access, calendar=six, users=[foreman.user.pk, stranger.user.pk])
    assert not ResourceCalendar.objects.exists()


def test_the_api_reads_and_replaces_the_people_of_a_calendar(crew, tenant):
    pm, foreman, access, six, project, site, office = crew
    admin = make_member(tenant, "admin")
    client = api_client(admin)
    url = f"/api/v1/projects/calendars/{six.pk}/resources/"
    assert client.get(url).json() == {"users": []}
    response = client.put(url, {"users": [foreman.user.pk]}, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {"users": [foreman.user.pk]}
    site.refresh_from_db()
    assert local(site.early_finish) == datetime(2025, 3, 8, 17, 0)

    assert client.put(url, {"users": ["x"]}, format="json").status_code == 400
    assert client.put(url, {"users": [999999]}, format="json").status_code == 400
    assert client.get(url).json() == {"users": [foreman.user.pk]}

    sales = api_client(make_member(tenant, "sales"))
    assert sales.put(url, {"users": []}, format="json").status_code in (403, 404)
    assert ResourceCalendar.objects.count() == 1


def test_the_calendar_page_puts_people_on_the_calendar(crew, tenant):
    from tandem.testing.kit import page_client

    pm, foreman, access, six, project, site, office = crew
    admin = page_client(make_member(tenant, "admin"))
    page = admin.get(f"/projects/calendars/{six.pk}/").content.decode()
    assert 'id="resource-form"' in page and "赵工长" in page
    response = admin.post(f"/projects/calendars/{six.pk}/resources/", {"users": [str(foreman.user.pk)]})
    assert response.status_code == 302
    site.refresh_from_db()
    assert local(site.early_finish) == datetime(2025, 3, 8, 17, 0)
    assert (
        f'value="{foreman.user.pk}" id="res-{foreman.user.pk}" checked'
        in admin.get(f"/projects/calendars/{six.pk}/").content.decode()
    )
    admin.post(f"/projects/calendars/{six.pk}/resources/", {"users": ["999999"]})
    assert list(ResourceCalendar.objects.values_list("user_id", flat=True)) == [foreman.user.pk]  # refused whole


def test_a_resource_calendar_in_another_tenant_does_not_move_this_tenants_tasks(crew, other_tenant):
    from tandem.accounts.models import Membership

    pm, foreman, access, six, project, site, office = crew
    Membership.objects.create(tenant=other_tenant, user=foreman.user)  # the foreman also works for another firm
    elsewhere_pm = pm_member(other_tenant)
    theirs = calendar_create(access=access_for(elsewhere_pm), name="他司六天制", week=SIX_DAYS, seed_holidays=False)
    calendar_resources_set(access=access_for(elsewhere_pm), calendar=theirs, users=[foreman.user])

    task_update(access=access, task=site, duration=7 * DAY)  # any change reschedules this project
    assert local(site.early_finish) == datetime(2025, 3, 11, 17, 0)  # still Mon–Fri: the other firm's calendar
