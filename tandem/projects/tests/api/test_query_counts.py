"""Every projects list endpoint and page issues the same number of queries for 3 rows as for 30."""

import itertools
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.calendars.services.calendars import calendar_create
from tandem.projects.models import Project
from tandem.projects.services.baselines import baseline_save
from tandem.projects.services.dependencies import dependency_add
from tandem.projects.services.projects import project_update
from tandem.projects.services.scheduling import project_reschedule
from tandem.projects.services.tasks import task_create
from tandem.projects.services.templates import template_define
from tandem.projects.tests.factories import make_project
from tandem.testing.kit import access_for, api_client, make_member, page_client

_seq = itertools.count(1)


def _shared_project(tenant):
    project = Project.objects.filter(tenant=tenant, name="共用项目").first()
    if project is None:
        project = make_project(tenant, member=make_member(tenant, "pm"), name="共用项目")
    return project


def _access(tenant):
    return access_for(make_member(tenant, "admin"))


def add_projects(tenant, n):
    for _ in range(n):
        pm = make_member(tenant, "pm")
        project = make_project(tenant, member=pm, team=[make_member(tenant, "foreman").user])
        project_update(access=access_for(pm), project=project, contract_finish=project.start_date)


def add_tasks(tenant, n):
    project = _shared_project(tenant)
    access = _access(tenant)
    for _ in range(n):
        task = task_create(access=access, project=project, name=f"任务{next(_seq)}", reschedule=False)
        task.assignees.add(make_member(tenant, "pm").user)
    project_reschedule(project=project)


def add_dependencies(tenant, n):
    project = _shared_project(tenant)
    access = _access(tenant)
    previous = task_create(access=access, project=project, name=f"起点{next(_seq)}")
    for _ in range(n):
        task = task_create(access=access, project=project, name=f"任务{next(_seq)}")
        dependency_add(access=access, predecessor=previous, successor=task)
        previous = task


def add_calendars(tenant, n):
    access = _access(tenant)
    for _ in range(n):
        calendar_create(access=access, name=f"日历{next(_seq)}", seed_holidays=False)


def add_baselines(tenant, n):
    access = _access(tenant)
    for _ in range(n):
        project = make_project(tenant, member=make_member(tenant, "pm"))
        baseline_save(access=access, project=project)


def add_templates(tenant, n):
    access = _access(tenant)
    for _ in range(n):
        template_define(access=access, name=f"模板{next(_seq)}", tasks=[{"key": "a", "name": "A"}])


def add_late_projects(tenant, n):
    for _ in range(n):
        pm = make_member(tenant, "pm")
        project = make_project(tenant, member=pm, start_date=date(2024, 3, 4))
        task_create(access=access_for(pm), project=project, name="未开工").assignees.add(pm.user)


def add_status_updates(tenant, n):
    from tandem.projects.services.projects import project_status_update_add

    project = _shared_project(tenant)
    for _ in range(n):
        member = make_member(tenant, "pm")
        project_status_update_add(access=access_for(member), project=project, text="进展正常", health="on_track")


def add_exceptions(tenant, n):
    from tandem.calendars.services.calendars import calendar_exception_set

    calendar = _shared_project(tenant).calendar
    access = _access(tenant)
    start = date(2035, 1, 1)
    offset = calendar.exceptions.filter(date__year=2035).count()
    for i in range(n):
        day = start.fromordinal(start.toordinal() + offset + i)
        calendar_exception_set(access=access, calendar=calendar, date=day, is_working=False, name="停工")


def add_tasks_and_rebaseline(tenant, n):
    add_tasks(tenant, n)
    baseline_save(access=_access(tenant), project=_shared_project(tenant), number=1)


def shared(path):
    def url(tenant):
        project = _shared_project(tenant)
        return path.format(project=project.pk, calendar=project.calendar_id)

    url.__name__ = path
    return url


def first_baseline(tenant):
    return f"/api/v1/projects/baselines/{_shared_project(tenant).baselines.get(number=1).pk}/variance/"


CASES = [
    ("/api/v1/projects/projects/", add_projects),
    ("/api/v1/projects/tasks/", add_tasks),
    ("/api/v1/projects/dependencies/", add_dependencies),
    ("/api/v1/projects/calendars/", add_calendars),
    ("/api/v1/projects/baselines/", add_baselines),
    ("/api/v1/projects/templates/", add_templates),
    ("/api/v1/projects/warnings/", add_late_projects),
    ("/projects/", add_projects),
    (shared("/projects/{project}/tasks/"), add_tasks),
    (shared("/api/v1/projects/projects/{project}/schedule/"), add_tasks),
    (shared("/api/v1/projects/projects/{project}/status-updates/"), add_status_updates),
    (shared("/api/v1/projects/projects/{project}/warnings/"), add_tasks),
    (shared("/api/v1/projects/calendars/{calendar}/exceptions/?year=2035"), add_exceptions),
    (first_baseline, add_tasks_and_rebaseline),
]
IDS = [url if isinstance(url, str) else url.__name__ for url, _f in CASES]


def rows_shown(response) -> int:
    if response["Content-Type"].startswith("application/json"):
        data = response.json()
        if isinstance(data, dict):
            return len(data["results"] if "results" in data else data["tasks"])
        return len(data)
    if "page" in response.context:
        return len(response.context["page"].object_list)
    return len(response.context["tasks"])


@pytest.mark.parametrize(("url", "add_rows"), CASES, ids=IDS)
def test_list_queries_do_not_grow_with_rows(tenant, url, add_rows):
    admin = make_member(tenant, "admin")
    add_rows(tenant, 3)
    if callable(url):
        url = url(tenant)
    client = api_client(admin) if "/api/" in url else page_client(admin)
    client.get(url)  # warm-up: once-per-process caches and the token's last-use stamp

    with CaptureQueriesContext(connection) as few_queries:
        few = client.get(url)
    add_rows(tenant, 27)
    with CaptureQueriesContext(connection) as many_queries:
        many = client.get(url)
    assert few.status_code == many.status_code == 200
    assert rows_shown(many) >= rows_shown(few) + 27
    assert len(many_queries) == len(few_queries), "\n".join(q["sql"] for q in many_queries.captured_queries)
