"""Resource, skill and leave pages: lists, the resource page, forms that post through the services; both tenants."""

from datetime import date

import pytest

from tandem.accounts.models import Department
from tandem.calendars.services.calendars import calendar_default
from tandem.projects.tests.factories import make_chain, make_project
from tandem.resources.models import Leave, Resource, Skill
from tandem.resources.tests.factories import make_allocation, make_leave, make_resource, make_skill
from tandem.testing.kit import make_member, page_client, page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def pm(tenant):
    return make_member(tenant, "pm", display_name="周经理")


@pytest.fixture
def client(pm):
    return page_client(pm)


def test_the_list_shows_kind_department_skills_and_hours_and_filters(tenant, other_tenant, client):
    calendar_default(tenant_id=tenant.pk)
    department = Department.objects.create(tenant=tenant, name="工程部")
    li = make_resource(tenant, "李工", code="E-007", department=department, skills=[("弱电调试", 4)])
    crew = make_resource(tenant, "布线一班", kind="crew", headcount=5, skills=[("综合布线", 3)])
    make_resource(other_tenant, "外包张工")
    html = client.get("/resources/").content.decode()
    assert "李工" in html and "布线一班" in html and "外包张工" not in html
    assert "工程部" in html and "弱电调试" in html and "40.0 h" in html  # a crew of 5 on 8-hour days
    assert f'data-resource-card="{crew.pk}"' in html  # the phone layout
    assert "/api/v1/resources/resources/export/" in html

    def listed(query):
        page = client.get(f"/resources/?{query}").content.decode()
        return {r.name for r in (li, crew) if f'data-resource="{r.pk}"' in page}

    skill = Skill.objects.get(name="弱电调试")
    assert listed("search=E-007") == {"李工"}
    assert listed("kind=crew") == {"布线一班"}
    assert listed(f"department={department.pk}") == {"李工"}
    assert listed(f"skill={skill.pk}") == {"李工"}
    assert listed(f"skill={skill.pk}&min_level=5") == set()
    rows = client.get("/resources/?kind=person", HTTP_HX_REQUEST="true").content.decode()
    assert "<table" in rows and "<html" not in rows


def test_the_list_costs_the_same_queries_for_more_rows(tenant, client, django_assert_max_num_queries):
    for n in range(3):
        make_resource(tenant, f"工程师{n}", skills=[("弱电调试", 3)])
    with django_assert_max_num_queries(40) as few:
        client.get("/resources/")
    for n in range(3, 20):
        make_resource(tenant, f"工程师{n}", skills=[("弱电调试", 3), ("综合布线", 2)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/resources/")


def test_a_resource_is_created_with_skills_from_the_form(tenant, pm, client):
    calendar_default(tenant_id=tenant.pk)
    wiring, cctv = make_skill(tenant, "综合布线"), make_skill(tenant, "监控安装")
    assert client.get("/resources/new/").status_code == 200
    data = {
        "kind": "person",
        "name": "李工",
        "code": "",
        "user": pm.user.pk,
        "headcount": "1",
        "hours_per_day": "6",
        "cost_rate": "80",
        "bill_rate": "160",
        "is_active": "on",
        "notes": "",
        "skills-TOTAL_FORMS": "3",
        "skills-INITIAL_FORMS": "0",
        "skills-0-skill": wiring.pk,
        "skills-0-level": "4",
        "skills-1-skill": cctv.pk,
        "skills-1-level": "2",
        "skills-1-DELETE": "on",  # added, then removed again
        "skills-2-skill": "",
        "skills-2-level": "3",  # an empty line left as it came
    }
    answer = client.post("/resources/new/", data)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    resource = Resource.objects.get(name="李工")
    assert resource.user == pm.user and [(r.skill.name, r.level) for r in resource.skill_levels.all()] == [
        ("综合布线", 4)
    ]
    page = client.get(answer["Location"]).content.decode()
    assert "综合布线" in page and "6.0 h" in page  # its 6 hours cap the calendar's 8


def test_the_form_shows_the_services_refusals_in_place_and_saves_nothing(tenant, pm, client):
    skill = make_skill(tenant, "综合布线")
    make_resource(tenant, "李工", user=pm.user)
    data = {
        "kind": "person",
        "name": "王工",
        "user": pm.user.pk,  # already linked to 李工
        "headcount": "1",
        "cost_rate": "0",
        "bill_rate": "0",
        "skills-TOTAL_FORMS": "2",
        "skills-INITIAL_FORMS": "0",
        "skills-0-skill": skill.pk,
        "skills-0-level": "4",
        "skills-1-skill": skill.pk,
        "skills-1-level": "2",
    }
    answer = client.post("/resources/new/", data)
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "李工" in html and 'id="form-errors"' in html
    assert not Resource.objects.filter(name="王工").exists()


def test_editing_replaces_the_skills(tenant, client):
    resource = make_resource(tenant, "李工", skills=[("综合布线", 2), ("监控安装", 3)])
    cctv = Skill.objects.get(name="监控安装")
    form = client.get(f"/resources/{resource.pk}/edit/").content.decode()
    assert 'name="skills-1-level"' in form
    data = {
        "kind": "person",
        "name": "李工",
        "headcount": "1",
        "cost_rate": "0",
        "bill_rate": "0",
        "is_active": "on",
        "skills-TOTAL_FORMS": "1",
        "skills-INITIAL_FORMS": "0",
        "skills-0-skill": cctv.pk,
        "skills-0-level": "5",
    }
    assert client.post(f"/resources/{resource.pk}/edit/", data).status_code == 302
    assert [(r.skill.name, r.level) for r in resource.skill_levels.all()] == [("监控安装", 5)]


def test_the_resource_page_shows_skills_leave_and_allocations(tenant, pm, client):
    resource = make_resource(tenant, "李工", skills=[("弱电调试", 4)])
    make_leave(resource, pm, date(2026, 5, 6), date(2026, 5, 8), note="年假")
    project = make_project(tenant, member=pm, name="浦东园区弱电改造")
    (task,) = make_chain(project, pm, "机房布线", days=3)
    make_allocation(resource, task, pm, units=50)
    html = client.get(f"/resources/{resource.pk}/").content.decode()
    assert "弱电调试" in html and "2026-05-06" in html and "年假" in html
    assert "机房布线" in html and "浦东园区弱电改造" in html and "50%" in html
    assert 'id="add-leave"' in html


def test_leave_is_added_refused_when_it_overlaps_and_deleted(tenant, pm, client):
    resource = make_resource(tenant, "李工")
    url = f"/resources/{resource.pk}/leave/new/"
    assert client.get(url).status_code == 200
    added = client.post(url, {"kind": "leave", "start": "2026-05-06", "end": "2026-05-08", "note": "年假"})
    assert added.status_code == 302 and added["Location"] == f"/resources/{resource.pk}/"
    refused = client.post(url, {"kind": "sick", "start": "2026-05-08", "end": "2026-05-09"})
    assert refused.status_code == 200 and "2026-05-06" in refused.content.decode()
    backwards = client.post(url, {"kind": "leave", "start": "2026-06-09", "end": "2026-06-01"})
    assert backwards.status_code == 200 and 'id="form-errors"' in backwards.content.decode()
    leave = Leave.objects.get()
    edited = client.post(
        f"/resources/leave/{leave.pk}/edit/", {"kind": "leave", "start": "2026-05-06", "end": "2026-05-07"}
    )
    assert edited.status_code == 302
    leave.refresh_from_db()
    assert leave.end == date(2026, 5, 7)
    assert client.post(f"/resources/leave/{leave.pk}/delete/").status_code == 302
    assert not Leave.objects.exists()


def test_skills_page_adds_edits_and_refuses_deleting_one_in_use(tenant, client):
    assert client.post("/resources/skills/", {"name": "弱电调试", "description": ""}).status_code == 302
    again = client.post("/resources/skills/", {"name": "弱电调试"})
    assert again.status_code == 200 and 'id="form-errors"' in again.content.decode()
    skill = Skill.objects.get()
    assert client.post(f"/resources/skills/{skill.pk}/edit/", {"name": "弱电系统调试"}).status_code == 302
    make_resource(tenant, "李工", skills=[("弱电系统调试", 4)])
    page = client.get("/resources/skills/").content.decode()
    assert "弱电系统调试" in page and f"?skill={skill.pk}" in page
    refused = client.post(f"/resources/skills/{skill.pk}/delete/", follow=True)
    assert Skill.objects.filter(pk=skill.pk).exists() and "弱电系统调试" in refused.content.decode()
    unused = make_skill(tenant, "焊工")
    client.post(f"/resources/skills/{unused.pk}/delete/")
    assert not Skill.objects.filter(pk=unused.pk).exists()


def test_deactivating_from_the_page(tenant, client):
    resource = make_resource(tenant, "李工")
    answer = client.post(f"/resources/{resource.pk}/deactivate/", follow=True)
    resource.refresh_from_db()
    assert resource.is_active is False and 'id="inactive-badge"' in answer.content.decode()


def test_the_english_tenant_sees_its_own_resources_in_english(other_tenant):
    other_tenant.locale = "en"
    other_tenant.save(update_fields=["locale"])
    emily = make_member(other_tenant, "pm", display_name="Emily")
    make_resource(other_tenant, "Cabling crew A", kind="crew", headcount=3)
    html = page_client(emily).get("/resources/").content.decode()
    assert "Cabling crew A" in html and "New resource" in html


def test_sales_cannot_open_the_pages_and_other_tenants_records_are_404(tenant, other_tenant, client):
    sales = page_client(make_member(tenant, "sales"))
    resource = make_resource(tenant, "李工")
    assert sales.get("/resources/").status_code == 403
    assert sales.get(f"/resources/{resource.pk}/").status_code == 403
    foreign = make_resource(other_tenant, "外包张工")
    assert client.get(f"/resources/{foreign.pk}/").status_code == 404
    assert client.post(f"/resources/{foreign.pk}/deactivate/").status_code == 404
    assert page_text("Resources") in client.get("/resources/").content.decode()
