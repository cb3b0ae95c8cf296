"""Every project tab renders for its PM, is a 404 for another tenant's project and a 403 without permission,
and the list-like tabs issue as many queries for 30 tasks as for 3."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.projects.services.dependencies import dependency_add
from tandem.projects.services.scheduling import project_reschedule
from tandem.projects.services.tasks import task_create
from tandem.projects.tests.factories import make_project, pm_member
from tandem.testing.kit import access_for, make_member, make_tenant, page_client

TABS = [
    "/projects/{pk}/",
    "/projects/{pk}/gantt/",
    "/projects/{pk}/gantt/data/",
    "/projects/{pk}/tasks/",
    "/projects/{pk}/kanban/",
    "/projects/{pk}/calendar/?month=2025-03",
    "/projects/{pk}/baselines/",
    "/projects/{pk}/gantt/print/",
    "/projects/{pk}/gantt/export/",
]
_seq = itertools.count(1)


# What each tab must show of the plan: the Gantt page draws from its JSON, the overview lists milestones.
SHOWS = {
    "/projects/{pk}/": ["厂房机电安装", "送电验收", 'id="delay-warnings"'],
    "/projects/{pk}/gantt/": ["厂房机电安装", 'id="gantt-config"', "/projects/{pk}/gantt/data/"],
    "/projects/{pk}/gantt/data/": ["厂房机电安装", "电缆敷设"],
    "/projects/{pk}/tasks/": ["电缆敷设", 'id="task-rows"'],
    "/projects/{pk}/kanban/": ["电缆敷设", 'id="kanban"'],
    "/projects/{pk}/calendar/?month=2025-03": ["电缆敷设", 'id="month-grid"'],
    "/projects/{pk}/baselines/": ["合同基线", "电缆敷设"],
    "/projects/{pk}/gantt/print/": ["厂房机电安装", "电缆敷设", "A3 landscape"],
}


@pytest.mark.parametrize("path", TABS)
def test_each_tab_renders_for_the_pm(plan, path):
    response = page_client(plan.pm).get(path.format(pk=plan.project.pk))
    assert response.status_code == 200
    if path.endswith("/export/"):
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        return
    text = response.content.decode()
    for expected in SHOWS[path]:
        assert expected.format(pk=plan.project.pk) in text


@pytest.mark.parametrize("path", TABS)
def test_another_tenants_project_is_not_found(plan, path):
    outsider = make_member(make_tenant(), "admin")
    assert page_client(outsider).get(path.format(pk=plan.project.pk)).status_code == 404


@pytest.mark.parametrize("path", TABS)
def test_a_member_without_project_permissions_is_refused(plan, path):
    nobody = make_member(plan.project.tenant)
    assert page_client(nobody).get(path.format(pk=plan.project.pk)).status_code == 403


def test_the_tabs_link_to_each_other_and_hide_what_the_role_cannot_see(plan):
    text = page_client(plan.pm).get(f"/projects/{plan.project.pk}/").content.decode()
    for tab in ("gantt", "tasks", "kanban", "calendar", "baselines"):
        assert f'href="/projects/{plan.project.pk}/{tab}/"' in text
    foreman = make_member(plan.project.tenant, "foreman")
    plan.project.team.add(foreman.user)
    from tandem.projects.services.projects import team_shares_sync

    team_shares_sync(project=plan.project, before=set(), after={foreman.user_id})
    text = page_client(foreman).get(f"/projects/{plan.project.pk}/").content.decode()
    assert f'href="/projects/{plan.project.pk}/gantt/"' in text
    assert f'href="/projects/{plan.project.pk}/baselines/"' not in text
    assert 'id="status-update-form"' not in text


def add_tasks(project, member, n):
    access = access_for(member)
    previous = None
    for _ in range(n):
        task = task_create(access=access, project=project, name=f"任务{next(_seq)}", reschedule=False)
        task.assignees.add(member.user)
        if previous is not None:
            dependency_add(access=access, predecessor=previous, successor=task, reschedule=False)
        previous = task
    project_reschedule(project=project)


LIST_TABS = [p for p in TABS if p != "/projects/{pk}/"]


@pytest.mark.parametrize("path", LIST_TABS)
def test_list_like_tabs_issue_as_many_queries_for_30_tasks_as_for_3(tenant, path):
    from tandem.projects.services.baselines import baseline_save

    pm = pm_member(tenant)
    project = make_project(tenant, member=pm)
    add_tasks(project, pm, 3)
    baseline_save(access=access_for(pm), project=project, number=1)
    client = page_client(pm)
    url = path.format(pk=project.pk)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add_tasks(project, pm, 27)
    baseline_save(access=access_for(pm), project=project, number=1)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(many) == len(few), "\n".join(q["sql"] for q in many.captured_queries)


def test_the_overview_issues_as_many_queries_for_30_tasks_as_for_3(tenant):
    pm = pm_member(tenant)
    project = make_project(tenant, member=pm)
    add_tasks(project, pm, 3)
    client = page_client(pm)
    url = f"/projects/{project.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_tasks(project, pm, 27)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few), "\n".join(q["sql"] for q in many.captured_queries)
