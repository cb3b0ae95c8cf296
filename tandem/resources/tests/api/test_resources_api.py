"""The resources API: resources with skills, skills and leave through the services; 400s, 403s and 404s."""

from datetime import date

import pytest
from django.utils import translation

from tandem.accounts.models import Department
from tandem.calendars.services.calendars import calendar_default
from tandem.resources.models import Leave, Resource
from tandem.resources.tests.factories import make_leave, make_resource, make_skill
from tandem.testing.kit import api_client, make_member

pytestmark = pytest.mark.django_db
API = "/api/v1/resources/"
PROBLEM = "application/problem+json"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def pm(tenant):
    return make_member(tenant, "pm", display_name="周经理")


@pytest.fixture
def client(pm):
    return api_client(pm)


def test_a_crew_is_created_with_its_skills_and_read_back_with_its_capacity(tenant, client):
    calendar_default(tenant_id=tenant.pk)  # 8 hours a day
    department = Department.objects.create(tenant=tenant, name="工程部")
    wiring, cctv = make_skill(tenant, "综合布线"), make_skill(tenant, "监控安装")
    created = client.post(
        f"{API}resources/",
        {
            "kind": "crew",
            "name": "布线一班",
            "headcount": 4,
            "hours_per_day": "7.5",
            "department": department.pk,
            "cost_rate": "60.00",
            "bill_rate": "120.00",
            "skills": [{"skill": wiring.pk, "level": 4}, {"skill": cctv.pk, "level": 2}],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["department_name"] == "工程部" and body["headcount"] == 4
    assert body["capacity_hours"] == "30.0"  # 7.5 h × 4 people
    assert sorted((s["skill_name"], s["level"]) for s in body["skills"]) == [("监控安装", 2), ("综合布线", 4)]

    patched = client.patch(f"{API}resources/{body['id']}/", {"skills": [{"skill": cctv.pk, "level": 5}]}, format="json")
    assert patched.status_code == 200 and [(s["skill_name"], s["level"]) for s in patched.json()["skills"]] == [
        ("监控安装", 5)
    ]
    assert client.get(f"{API}resources/{body['id']}/").json()["skills"][0]["level"] == 5


def test_bad_input_is_a_400_with_field_errors_and_changes_nothing(tenant, other_tenant, client):
    make_resource(tenant, "李工")
    foreign = make_skill(other_tenant, "电工")
    stranger = make_member(other_tenant)
    cases = [
        ({"name": "李工"}, "name"),
        ({"name": "王工", "headcount": 0}, "headcount"),
        ({"name": "王工", "hours_per_day": "30"}, "hours_per_day"),
        ({"name": "王工", "skills": [{"skill": foreign.pk, "level": 3}]}, "skills[0]"),
        ({"name": "王工", "skills": [{"skill": 1, "level": 9}]}, "skills"),
        ({"name": "王工", "user": stranger.user.pk}, "user"),
        ({"name": "王工", "kind": "robot"}, "kind"),
        ({"name": "王工", "department": 2**62}, "department"),
    ]
    for data, field in cases:
        answer = client.post(f"{API}resources/", data, format="json")
        assert answer.status_code == 400, (data, answer.content)
        assert answer["Content-Type"].startswith(PROBLEM) and field in answer.json()["errors"], (data, answer.json())
    assert list(Resource.objects.values_list("name", flat=True)) == ["李工"]


def test_the_list_filters_by_search_kind_department_skill_and_active(tenant, client):
    department = Department.objects.create(tenant=tenant, name="工程部")
    li = make_resource(tenant, "李工", code="E-001", department=department, skills=[("弱电调试", 4)])
    crew = make_resource(tenant, "布线一班", kind="crew", headcount=5, skills=[("弱电调试", 2)])
    gone = make_resource(tenant, "赵工", is_active=False)
    skill = make_skill(tenant, "弱电调试")

    def ids(query):
        answer = client.get(f"{API}resources/?{query}")
        assert answer.status_code == 200, answer.content
        return {row["id"] for row in answer.json()["results"]}

    assert ids("") == {li.pk, crew.pk, gone.pk}
    assert ids("search=E-001") == ids("search=李") == {li.pk}
    assert ids("kind=crew") == {crew.pk}
    assert ids(f"department={department.pk}") == {li.pk}
    assert ids(f"skill={skill.pk}") == {li.pk, crew.pk}
    assert ids(f"skill={skill.pk}&min_level=3") == {li.pk}
    assert ids("active=false") == {gone.pk}
    assert client.get(f"{API}resources/?department=abc").status_code == 400


def test_the_list_costs_the_same_queries_for_more_rows(tenant, client, django_assert_max_num_queries):
    for n in range(3):
        make_resource(tenant, f"工程师{n}", skills=[("弱电调试", 3), ("综合布线", 2)])
    with django_assert_max_num_queries(20) as few:
        client.get(f"{API}resources/")
    for n in range(3, 15):
        make_resource(tenant, f"工程师{n}", skills=[("弱电调试", 3), ("综合布线", 2)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(f"{API}resources/").json()["results"]) == 15


def test_delete_deactivates_the_resource(tenant, client):
    resource = make_resource(tenant, "李工")
    assert client.delete(f"{API}resources/{resource.pk}/").status_code == 204
    resource.refresh_from_db()
    assert resource.is_active is False


def test_skills_crud_and_one_in_use_is_refused(tenant, client):
    created = client.post(f"{API}skills/", {"name": "弱电调试", "description": "楼宇智能化"}, format="json")
    assert created.status_code == 201 and created.json()["resource_count"] == 0
    pk = created.json()["id"]
    assert client.post(f"{API}skills/", {"name": "弱电调试"}, format="json").status_code == 400
    assert client.patch(f"{API}skills/{pk}/", {"name": "弱电系统调试"}, format="json").json()["name"] == "弱电系统调试"
    make_resource(tenant, "李工", skills=[("弱电系统调试", 3)])
    assert client.get(f"{API}skills/").json()["results"][0]["resource_count"] == 1
    refused = client.delete(f"{API}skills/{pk}/")
    assert refused.status_code == 400 and "1 个资源具备“弱电系统调试”" in refused.json()["detail"]
    unused = client.post(f"{API}skills/", {"name": "焊工"}, format="json").json()["id"]
    assert client.delete(f"{API}skills/{unused}/").status_code == 204


def test_leave_crud_refuses_overlaps_and_bad_dates(tenant, other_tenant, pm, client):
    resource = make_resource(tenant, "李工")
    make_leave(resource, pm, date(2026, 5, 6), date(2026, 5, 8))
    foreign = make_resource(other_tenant, "外包")
    overlap = client.post(
        f"{API}leaves/", {"resource": resource.pk, "start": "2026-05-08", "end": "2026-05-09"}, format="json"
    )
    assert overlap.status_code == 400 and "start" in overlap.json()["errors"]
    backwards = client.post(
        f"{API}leaves/", {"resource": resource.pk, "start": "2026-06-09", "end": "2026-06-01"}, format="json"
    )
    assert backwards.status_code == 400 and "end" in backwards.json()["errors"]
    elsewhere = client.post(
        f"{API}leaves/", {"resource": foreign.pk, "start": "2026-06-01", "end": "2026-06-01"}, format="json"
    )
    assert elsewhere.status_code == 400 and "resource" in elsewhere.json()["errors"]
    assert Leave.objects.count() == 1

    created = client.post(
        f"{API}leaves/",
        {"resource": resource.pk, "kind": "training", "start": "2026-06-01", "end": "2026-06-02", "note": "安全培训"},
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["resource_name"] == "李工" and created.json()["created_by_name"] == "周经理"
    assert client.patch(f"{API}leaves/{pk}/", {"end": "2026-06-03"}, format="json").json()["end"] == "2026-06-03"
    assert {
        row["id"] for row in client.get(f"{API}leaves/?resource={resource.pk}&after=2026-06-01").json()["results"]
    } == {pk}
    assert client.delete(f"{API}leaves/{pk}/").status_code == 204
    assert Leave.objects.count() == 1


def test_sales_may_not_see_or_write_and_other_tenants_are_404(tenant, other_tenant, client):
    sales = api_client(make_member(tenant, "sales"))
    resource = make_resource(tenant, "李工")
    assert sales.get(f"{API}resources/").status_code == 403
    assert sales.post(f"{API}resources/", {"name": "王工"}, format="json").status_code == 403
    assert sales.get(f"{API}skills/").status_code == 403
    assert (
        sales.post(f"{API}leaves/", {"resource": resource.pk, "start": "2026-06-01", "end": "2026-06-01"}).status_code
        == 403
    )
    foreign = make_resource(other_tenant, "外包")
    assert client.get(f"{API}resources/{foreign.pk}/").status_code == 404
    assert client.patch(f"{API}resources/{foreign.pk}/", {"name": "x"}, format="json").status_code == 404
    assert Resource.objects.filter(tenant=tenant).count() == 1


def test_the_schema_documents_the_endpoints(client):
    schema = client.get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/v1/resources/resources/", "/api/v1/resources/skills/", "/api/v1/resources/leaves/{id}/"} <= set(paths)
    create = paths["/api/v1/resources/resources/"]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/ResourceInputRequest")


def test_the_filtered_list_exports_as_a_spreadsheet(tenant, client):
    make_resource(tenant, "李工", skills=[("弱电调试", 4)], cost_rate=90)
    make_resource(tenant, "布线一班", kind="crew", headcount=6)
    answer = client.get(f"{API}resources/export/?kind=person")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    text = answer.getvalue().decode("utf-8-sig")
    assert "李工" in text and "弱电调试 4" in text and "90.00" in text and "布线一班" not in text
    xlsx = client.get(f"{API}resources/export/?fmt=xlsx")
    assert xlsx.status_code == 200 and xlsx.getvalue()[:2] == b"PK"
