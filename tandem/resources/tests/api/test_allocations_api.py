"""/api/v1/resources/allocations/: filters, writes through the service, 400s, the schema."""

import pytest

from tandem.projects.choices import TaskType
from tandem.projects.models import Task
from tandem.projects.tests.factories import DAY, START, make_chain, make_project, pm_member
from tandem.resources.models import Allocation
from tandem.resources.services.allocations import allocation_create
from tandem.resources.tests.factories import make_resource
from tandem.testing.kit import access_for, api_client, make_member, make_tenant

pytestmark = pytest.mark.django_db
URL = "/api/v1/resources/allocations/"


@pytest.fixture
def pm(tenant):
    return pm_member(tenant, display_name="王经理")


@pytest.fixture
def plan(tenant, pm):
    project = make_project(tenant, member=pm, name="浦东园区弱电改造")
    cabling, testing = make_chain(project, pm, "机房布线", "弱电调试", days=2)
    Task.objects.filter(pk=cabling.pk).update(task_type=TaskType.EFFORT_DRIVEN)
    cabling.refresh_from_db()
    return project, cabling, testing


def test_create_update_delete_through_the_service(tenant, pm, plan):
    _project, cabling, _testing = plan
    li, zhou = make_resource(tenant, "李工"), make_resource(tenant, "周工")
    client = api_client(pm)

    first = client.post(URL, {"task": cabling.pk, "resource": li.pk}, format="json")
    assert first.status_code == 201, first.content
    assert first.json()["work"] == 2 * DAY and first.json()["resource_name"] == "李工"
    second = client.post(URL, {"task": cabling.pk, "resource": zhou.pk, "units": "100"}, format="json")
    assert second.status_code == 201
    assert second.json()["task_duration"] == DAY  # effort-driven: two people, half the days

    changed = client.patch(f"{URL}{second.json()['id']}/", {"units": "50"}, format="json")
    assert changed.status_code == 200 and changed.json()["units"] == "50.00"
    assert Task.objects.get(pk=cabling.pk).duration == 2 * DAY * 2 // 3  # 16 h of work at 1.5 people

    gone = client.delete(f"{URL}{second.json()['id']}/")
    assert gone.status_code == 204
    assert list(Allocation.objects.filter(task=cabling).values_list("resource_id", flat=True)) == [li.pk]
    assert Task.objects.get(pk=cabling.pk).duration == 2 * DAY


def test_bad_input_answers_400_and_changes_nothing(tenant, pm, plan):
    _project, cabling, _testing = plan
    li = make_resource(tenant, "李工")
    client = api_client(pm)
    other = make_resource(make_tenant(), "外单位")

    for body, field in [
        ({"task": cabling.pk, "resource": li.pk, "units": "150"}, "units"),
        ({"task": cabling.pk, "resource": other.pk}, "resource"),
        ({"task": 999999, "resource": li.pk}, "task"),
        ({"resource": li.pk}, "task"),
    ]:
        answer = client.post(URL, body, format="json")
        assert answer.status_code == 400, body
        assert field in str(answer.json()), answer.json()
    assert not Allocation.objects.exists()
    assert client.post(URL, {"task": cabling.pk, "resource": li.pk}, format="json").status_code == 201
    again = client.post(URL, {"task": cabling.pk, "resource": li.pk}, format="json")
    assert again.status_code == 400 and "已分配到此任务" in again.json()["errors"]["resource"][0]


def test_filters_by_project_task_resource_and_dates(tenant, pm, plan):
    project, cabling, testing = plan
    li, zhou = make_resource(tenant, "李工"), make_resource(tenant, "周工")
    access = access_for(pm)
    a = allocation_create(actor=access, task=cabling, resource=li)
    b = allocation_create(actor=access, task=testing, resource=zhou)
    elsewhere = make_project(tenant, member=pm, name="园区安防")
    (cameras,) = make_chain(elsewhere, pm, "摄像头安装")
    c = allocation_create(actor=access, task=cameras, resource=li)
    client = api_client(pm)

    def ids(query):
        answer = client.get(f"{URL}?{query}")
        assert answer.status_code == 200
        return {row["id"] for row in answer.json()["results"]}

    assert ids(f"project={project.pk}") == {a.pk, b.pk}
    assert ids(f"task={testing.pk}") == {b.pk}
    assert ids(f"resource={li.pk}") == {a.pk, c.pk}
    # cabling takes the first two days, testing the next two
    day3 = START.replace(day=START.day + 2)
    assert ids(f"project={project.pk}&start={day3}") == {b.pk}
    assert ids(f"project={project.pk}&end={START}") == {a.pk}
    assert client.get(f"{URL}?task=abc").status_code == 400


def test_members_without_the_permission_are_refused(tenant, pm, plan):
    _project, cabling, _testing = plan
    li = make_resource(tenant, "李工")
    allocation_create(actor=access_for(pm), task=cabling, resource=li)
    viewer = make_member(tenant, "viewer")
    assert api_client(viewer).post(URL, {"task": cabling.pk, "resource": li.pk}, format="json").status_code == 403


def test_the_schema_documents_the_endpoint(pm):
    schema = api_client(pm).get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/resources/allocations/" in paths and "/api/v1/resources/allocations/{id}/" in paths
    assert "post" in paths["/api/v1/resources/allocations/"]
