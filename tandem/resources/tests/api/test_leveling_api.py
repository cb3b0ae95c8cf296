"""Leveling through the API: a project's proposal, accepting it, the errors (400) it answers."""

import pytest

from tandem.projects.models import Task
from tandem.projects.services.tasks import task_update
from tandem.projects.tests.factories import make_chain, make_project, pm_member
from tandem.resources.tests.factories import make_allocation, make_resource
from tandem.testing.kit import access_for, api_client, make_member

pytestmark = pytest.mark.django_db


def _project(tenant):
    member = pm_member(tenant)
    project = make_project(tenant, member=member, name="数据中心改造")
    (wiring,) = make_chain(project, member, "机房布线", days=2)
    (install,) = make_chain(project, member, "设备安装", days=2)
    li = make_resource(tenant, "李工")
    make_allocation(li, wiring, member)
    make_allocation(li, install, member)
    return member, project, wiring


def test_level_then_accept(tenant):
    member, project, _wiring = _project(tenant)
    client = api_client(member)

    answer = client.post(f"/api/v1/projects/projects/{project.pk}/level/", {"budget": 50}, format="json")

    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["status"] == "proposed" and body["moved"] == 1 and body["project_ids"] == [project.pk]
    (moved,) = [t for t in body["tasks"] if t["moved"]]
    assert moved["reason"] == "resource" and moved["resource"] == "李工"
    assert body["projects"][0]["finish_after"] > body["projects"][0]["finish_before"]

    accepted = client.post(
        f"/api/v1/projects/projects/{project.pk}/level/accept/", {"proposal": body["id"]}, format="json"
    )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted"
    assert Task.objects.get(pk=moved["id"]).constraint_type == "SNET"
    again = client.post(
        f"/api/v1/projects/projects/{project.pk}/level/accept/", {"proposal": body["id"]}, format="json"
    )
    assert again.status_code == 400

    listed = client.get("/api/v1/resources/leveling-proposals/")
    assert listed.status_code == 200 and listed.json()["results"][0]["id"] == body["id"]


def test_bad_input_and_stale_proposals_answer_400(tenant):
    member, project, wiring = _project(tenant)
    client = api_client(member)
    url = f"/api/v1/projects/projects/{project.pk}/level/"

    assert client.post(url, {"budget": 0}, format="json").status_code == 400
    assert client.post(url, {"budget": "many"}, format="json").status_code == 400
    assert client.post(url, {"projects": [999999]}, format="json").status_code == 400
    assert client.post(f"{url}accept/", {}, format="json").status_code == 400
    assert client.post(f"{url}accept/", {"proposal": 999999}, format="json").status_code == 400
    assert client.post("/api/v1/projects/projects/999999/level/", {}, format="json").status_code == 404

    proposal = client.post(url, {"budget": 20}, format="json").json()
    task_update(access=access_for(member), task=wiring, duration=3 * 480)
    stale = client.post(f"{url}accept/", {"proposal": proposal["id"]}, format="json")
    assert stale.status_code == 400 and stale.json()["type"] == "urn:tandem:problem:stale"

    task_update(access=access_for(member), task=wiring, actual_start=Task.objects.get(pk=wiring.pk).early_start)
    started = client.post(url, {}, format="json")
    assert started.status_code == 400 and "机房布线" in started.json()["detail"]


def test_members_without_the_permission_are_refused(tenant):
    _member, project, _wiring = _project(tenant)
    sales = make_member(tenant, "sales")
    assert api_client(sales).post(f"/api/v1/projects/projects/{project.pk}/level/", {}, format="json").status_code in (
        403,
        404,
    )


def test_the_schema_documents_both_paths(tenant):
    member = make_member(tenant, "admin")
    schema = api_client(member).get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    assert (
        "/api/v1/projects/projects/{id}/level/" in schema["paths"]
        or "/api/v1/projects/projects/{pk}/level/" in (schema["paths"])
    )
