"""Projects API: scope (own / department), roles that may only read, other tenants, schedule, actions."""

import pytest

from tandem.accounts.models import Department
from tandem.projects.models import Project, Task
from tandem.projects.tests.factories import DAY, make_chain, make_project
from tandem.testing.kit import api_client, make_member, make_tenant

URL = "/api/v1/projects/projects/"


@pytest.fixture
def departments(tenant):
    return (
        Department.objects.create(tenant=tenant, name="工程一部"),
        Department.objects.create(tenant=tenant, name="工程二部"),
    )


def test_a_pm_sees_own_and_department_projects_only(tenant, departments):
    one, two = departments
    pm = make_member(tenant, "pm", department=one)
    colleague = make_member(tenant, "pm", department=one)
    stranger = make_member(tenant, "pm", department=two)
    mine = make_project(tenant, member=pm)
    theirs = make_project(tenant, member=colleague)
    hidden = make_project(tenant, member=stranger)
    response = api_client(pm).get(URL)
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert {mine.pk, theirs.pk} <= ids and hidden.pk not in ids
    assert api_client(pm).get(f"{URL}{hidden.pk}/").status_code == 404
    assert api_client(pm).patch(f"{URL}{hidden.pk}/", {"name": "x"}).status_code == 404


def test_the_pm_sees_all_tasks_of_their_projects_whoever_created_them(tenant, departments):
    pm = make_member(tenant, "pm", department=departments[0])
    admin = make_member(tenant, "admin")
    project = make_project(tenant, member=pm)
    make_chain(project, admin, "管理员建的任务")
    rows = api_client(pm).get("/api/v1/projects/tasks/", {"project": project.pk}).json()["results"]
    assert [r["name"] for r in rows] == ["管理员建的任务"]


def test_sales_may_not_read_or_edit_projects(tenant):
    sales = make_member(tenant, "sales")
    project = make_project(tenant)
    client = api_client(sales)
    assert client.get(URL).status_code == 403
    response = client.patch(f"{URL}{project.pk}/", {"name": "改名"})
    assert response.status_code in (403, 404)
    assert response["Content-Type"].startswith("application/problem+json")
    assert Project.objects.get(pk=project.pk).name != "改名"


def test_a_sales_manager_reads_but_cannot_write(tenant):
    manager = make_member(tenant, "sales_manager")
    project = make_project(tenant)
    client = api_client(manager)
    assert client.get(URL).status_code == 200
    assert client.post(URL, {"name": "X", "start_date": "2025-03-03"}).status_code == 403
    assert client.post(f"{URL}{project.pk}/complete/").status_code in (403, 404)


def test_another_tenants_project_is_not_found(tenant):
    admin = make_member(tenant, "admin")
    foreign = make_project(make_tenant())
    client = api_client(admin)
    for path in ("", "schedule/", "warnings/"):
        assert client.get(f"{URL}{foreign.pk}/{path}").status_code == 404
    assert client.post(f"{URL}{foreign.pk}/complete/").status_code == 404
    assert client.post("/api/v1/projects/tasks/", {"project": foreign.pk, "name": "x"}).status_code == 400


def test_create_update_and_complete_through_the_api(tenant):
    pm = make_member(tenant, "pm")
    client = api_client(pm)
    response = client.post(
        URL, {"name": "办公楼装修", "code": "ZX-01", "start_date": "2025-03-03", "contract_finish": "2025-06-30"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["owner"] == pm.user_id and body["number"].startswith("XM-")
    pk = body["id"]
    assert client.patch(f"{URL}{pk}/", {"health": "at_risk"}).json()["health"] == "at_risk"
    assert client.post(f"{URL}{pk}/complete/").json()["status"] == "completed"
    bad = client.post(URL, {"name": "", "start_date": "not a date"})
    assert bad.status_code == 400 and set(bad.json()["errors"]) >= {"name", "start_date"}


def test_the_schedule_endpoint_gives_dates_in_the_tenant_zone_and_floats_in_minutes(tenant):
    pm = make_member(tenant, "pm")
    project = make_project(tenant, member=pm)
    a, b = make_chain(project, pm, "A", "B")
    response = api_client(pm).get(f"{URL}{project.pk}/schedule/")
    assert response.status_code == 200
    body = response.json()
    assert body["time_zone"] == "Asia/Shanghai"
    rows = {r["id"]: r for r in body["tasks"]}
    assert rows[a.pk]["early_start"] == "2025-03-03T08:00:00+08:00"
    assert rows[b.pk]["late_finish"] == "2025-03-04T17:00:00+08:00"
    assert rows[b.pk]["total_float"] == 0 and rows[b.pk]["critical"] is True


def test_task_and_dependency_endpoints_reschedule_and_name_a_loop(tenant):
    pm = make_member(tenant, "pm")
    project = make_project(tenant, member=pm)
    client = api_client(pm)
    a = client.post("/api/v1/projects/tasks/", {"project": project.pk, "name": "A", "duration": 2 * DAY}).json()
    b = client.post("/api/v1/projects/tasks/", {"project": project.pk, "name": "B", "duration": DAY}).json()
    link = client.post("/api/v1/projects/dependencies/", {"predecessor": a["id"], "successor": b["id"]})
    assert link.status_code == 201
    assert Task.objects.get(pk=b["id"]).outline_number == "2"
    b_row = client.get(f"/api/v1/projects/tasks/{b['id']}/").json()
    assert b_row["early_start"] == "2025-03-05T08:00:00+08:00"
    loop = client.post("/api/v1/projects/dependencies/", {"predecessor": b["id"], "successor": a["id"]})
    assert loop.status_code == 400
    assert "B → A → B" in loop.json()["detail"]
    moved = client.post(f"/api/v1/projects/tasks/{b['id']}/move/", {"parent": None, "position": 0})
    assert moved.status_code == 200 and moved.json()["outline_number"] == "1"


def test_status_updates_and_baselines_and_variance(tenant):
    pm = make_member(tenant, "pm")
    project = make_project(tenant, member=pm)
    make_chain(project, pm, "A")
    client = api_client(pm)
    posted = client.post(f"{URL}{project.pk}/status-updates/", {"health": "off_track", "text": "甲方变更"})
    assert posted.status_code == 201
    assert len(client.get(f"{URL}{project.pk}/status-updates/").json()) == 1
    baseline = client.post("/api/v1/projects/baselines/", {"project": project.pk, "name": "合同"})
    assert baseline.status_code == 201 and baseline.json()["number"] == 1
    variance = client.get(f"/api/v1/projects/baselines/{baseline.json()['id']}/variance/")
    assert variance.status_code == 200 and variance.json()[0]["finish_variance_days"] == 0


def test_templates_instantiate_through_the_api(tenant):
    admin = make_member(tenant, "admin")
    pm = make_member(tenant, "pm")
    client = api_client(admin)
    template = client.post(
        "/api/v1/projects/templates/",
        {
            "name": "弱电集成",
            "tasks": [
                {"key": "1", "name": "深化设计", "duration": 480, "role": "engineer"},
                {"key": "2", "name": "验收", "is_milestone": True, "duration": 0, "payment_percent": "20"},
            ],
            "links": [{"predecessor_key": "1", "successor_key": "2"}],
        },
        format="json",
    )
    assert template.status_code == 201, template.content
    tid = template.json()["id"]
    detail = client.get(f"/api/v1/projects/templates/{tid}/").json()
    assert len(detail["tasks"]) == 2 and len(detail["links"]) == 1
    created = client.post(
        f"/api/v1/projects/templates/{tid}/instantiate/",
        {"name": "某园区弱电", "start_date": "2025-03-03", "owner": pm.user_id, "roles": {"engineer": pm.user_id}},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["owner"] == pm.user_id
    assert Task.objects.filter(project_id=created.json()["id"]).count() == 2
    renamed = client.put(f"/api/v1/projects/templates/{tid}/", {"name": "另一个名字", "tasks": []}, format="json")
    assert renamed.status_code == 400 and "name" in renamed.json()["errors"]
    new_version = client.put(f"/api/v1/projects/templates/{tid}/", {"tasks": []}, format="json")
    assert new_version.status_code == 201 and new_version.json()["version"] == 2
