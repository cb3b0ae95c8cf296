"""GET /api/v1/resources/utilisation/: the weeks, grouped; bad ranges answer 400 with a message; only members
holding resources.view_allocation, only their tenant's resources."""

import pytest

from tandem.accounts.models import Department
from tandem.projects.tests.factories import make_chain, make_project, pm_member
from tandem.resources.tests.factories import make_allocation, make_resource
from tandem.testing.kit import api_client, make_member

pytestmark = pytest.mark.django_db
API = "/api/v1/resources/utilisation/"


@pytest.fixture
def booked(tenant):
    member = pm_member(tenant)
    team = Department.objects.create(tenant=tenant, name="弱电班组")
    (a,) = make_chain(make_project(tenant, member=member, name="机房布线"), member, "布线", days=5)
    (b,) = make_chain(make_project(tenant, member=member, name="弱电调试"), member, "调试", days=2)
    engineer = make_resource(tenant, "李工", department=team, skills=[("弱电调试", 4)])
    make_allocation(engineer, a, member)
    make_allocation(engineer, b, member)
    return member, engineer, a


def test_the_weeks_of_each_resource_grouped_by_department(booked):
    member, engineer, _task = booked
    response = api_client(member).get(API, {"from": "2025-03-05", "to": "2025-03-12", "group": "department"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["start"], body["end"], body["weeks"]) == ("2025-03-03", "2025-03-16", ["2025-03-03", "2025-03-10"])
    (group,) = body["groups"]
    assert group["label"] == "弱电班组" and group["key"] == f"department-{engineer.department_id}"
    (row,) = group["resources"]
    assert (row["id"], row["name"], row["booked_hours"], row["capacity_hours"]) == (engineer.pk, "李工", 56.0, 80.0)
    first, second = row["weeks"]
    assert first == {
        "week": "2025-W10",
        "start": "2025-03-03",
        "booked_hours": 56.0,
        "capacity_hours": 40.0,
        "load_percent": 140,
        "over_days": 2,
        "level": "over",
    }
    assert (second["booked_hours"], second["load_percent"], second["level"]) == (0.0, 0, "under")


def test_grouped_by_skill_with_the_level_and_filtered(booked):
    member, engineer, _task = booked
    make_resource(member.tenant, "安装一班", kind="crew", headcount=4)
    client = api_client(member)
    body = client.get(API, {"from": "2025-03-03", "to": "2025-03-09", "group": "skill"}).json()
    assert [(g["key"], [r["name"] for r in g["resources"]]) for g in body["groups"]] == [
        (f"skill-{engineer.skill_levels.get().skill_id}", ["李工"]),
        ("skill-none", ["安装一班"]),
    ]
    assert body["groups"][0]["label"] == "弱电调试"
    assert body["groups"][0]["resources"][0]["skill_level"] == 4
    crews = client.get(API, {"from": "2025-03-03", "to": "2025-03-09", "group": "none", "kind": "crew"}).json()
    assert [r["name"] for g in crews["groups"] for r in g["resources"]] == ["安装一班"]
    assert crews["groups"][0]["resources"][0]["weeks"][0]["capacity_hours"] == 160.0


def test_without_a_range_it_shows_twelve_weeks_from_this_week(booked):
    member, _engineer, _task = booked
    body = api_client(member).get(API).json()
    assert len(body["weeks"]) == 12 and body["group"] == "department"
    assert len(api_client(member).get(API, {"from": "2025-03-03"}).json()["weeks"]) == 12


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2025-13-01", "to": "2025-03-09"}, "from"),
        ({"from": "2025-03-03", "to": "next week"}, "to"),
        ({"from": "2025-03-09", "to": "2025-03-03"}, "to"),
        ({"from": "2025-01-01", "to": "2027-06-30"}, "to"),
        ({"from": "2025-03-03", "to": "2025-03-09", "group": "colour"}, "group"),
        ({"from": "2025-03-03", "to": "2025-03-09", "department": "x"}, "department"),
    ],
)
def test_bad_dates_and_ranges_answer_400_with_a_message(booked, query, field):
    member, _engineer, _task = booked
    response = api_client(member).get(API, query)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["errors"][field] and body["title"] and body["detail"]


def test_the_project_filter_takes_only_a_project_the_caller_can_see(booked):
    member, _engineer, task = booked
    response = api_client(member).get(API, {"from": "2025-03-03", "to": "2025-03-09", "project": task.project_id})
    assert response.status_code == 200 and response.json()["groups"]
    hidden = api_client(member).get(API, {"from": "2025-03-03", "to": "2025-03-09", "project": 10**9})
    assert hidden.status_code == 400 and hidden.json()["errors"]["project"]


def test_the_range_message_says_why(booked):
    member, _engineer, _task = booked
    body = api_client(member).get(API, {"from": "2025-01-01", "to": "2027-06-30"}).json()
    assert any("731" in message for message in body["errors"]["to"])


def test_the_tasks_behind_a_cell(booked):
    member, engineer, wiring = booked
    body = api_client(member).get(f"{API}{engineer.pk}/2025-03-04/").json()
    assert body["week"]["week"] == "2025-W10" and body["week"]["booked_hours"] == 56.0
    assert [(t["task"], t["name"], t["hours"]) for t in body["tasks"]][0] == (wiring.pk, "布线", 40.0)
    bad = api_client(member).get(f"{API}{engineer.pk}/next-week/")
    assert bad.status_code == 400 and bad.json()["errors"]["week"]


def test_only_members_with_the_permission_and_only_their_tenants_resources(booked, other_tenant):
    member, engineer, _task = booked
    assert api_client().get(API).status_code == 401
    assert api_client(make_member(member.tenant, "sales")).get(API).status_code == 403
    assert api_client(make_member(member.tenant, "sales")).get(f"{API}{engineer.pk}/2025-03-03/").status_code == 403
    stranger = make_member(other_tenant, "pm")
    body = api_client(stranger).get(API, {"from": "2025-03-03", "to": "2025-03-09"}).json()
    assert body["groups"] == []
    assert api_client(stranger).get(f"{API}{engineer.pk}/2025-03-03/").status_code == 404
