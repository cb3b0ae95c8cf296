"""Completing through the API while tasks are open: refused as problem JSON unless a reason or
`complete_open_tasks` is given; the same through PATCH of the status."""

from tandem.projects.models import ProjectStatusUpdate, Task
from tandem.projects.tests.factories import make_chain, make_project
from tandem.testing.kit import api_client, make_member

URL = "/api/v1/projects/projects/"


def test_complete_refuses_open_tasks_then_takes_a_reason(tenant):
    pm = make_member(tenant, "pm")
    project = make_project(tenant, member=pm)
    make_chain(project, pm, "基础施工", "主体施工")
    client = api_client(pm)
    refused = client.post(f"{URL}{project.pk}/complete/", {})
    assert refused.status_code == 400
    body = refused.json()
    assert body["type"] == "urn:tandem:problem:open_tasks"
    assert body["detail"].startswith("2 项任务中有 2 项尚未完成") and "reason" in body["errors"]
    assert client.get(f"{URL}{project.pk}/").json()["status"] == "planning"
    done = client.post(f"{URL}{project.pk}/complete/", {"reason": "业主暂停项目，先行结算"})
    assert done.status_code == 200 and done.json()["status"] == "completed"
    assert "业主暂停项目，先行结算" in ProjectStatusUpdate.objects.get(project=project).text


def test_patching_the_status_to_completed_can_complete_the_open_tasks(tenant):
    pm = make_member(tenant, "pm")
    project = make_project(tenant, member=pm)
    make_chain(project, pm, "设备安装", "系统调试")
    client = api_client(pm)
    refused = client.patch(f"{URL}{project.pk}/", {"status": "completed"})
    assert refused.status_code == 400 and refused.json()["type"] == "urn:tandem:problem:open_tasks"
    response = client.patch(f"{URL}{project.pk}/", {"status": "completed", "complete_open_tasks": True})
    assert response.status_code == 200 and response.json()["status"] == "completed"
    assert not Task.objects.filter(project=project, percent_complete__lt=100).exists()
