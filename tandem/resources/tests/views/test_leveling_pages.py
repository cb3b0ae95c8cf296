"""Leveling pages: choose projects, preview the proposal, accept or discard; the priority panel on the project page."""

import re

import pytest

from tandem.projects.models import Project, Task
from tandem.projects.tests.factories import make_chain, make_project, pm_member
from tandem.resources.models import LevelingProposal
from tandem.resources.tests.factories import make_allocation, make_resource
from tandem.testing.kit import page_client

pytestmark = pytest.mark.django_db


def _project(tenant):
    member = pm_member(tenant)
    project = make_project(tenant, member=member, name="数据中心改造")
    (wiring,) = make_chain(project, member, "机房布线", days=2)
    (install,) = make_chain(project, member, "设备安装", days=2)
    li = make_resource(tenant, "李工")
    make_allocation(li, wiring, member)
    make_allocation(li, install, member)
    return member, project


def test_choose_preview_and_accept(tenant):
    member, project = _project(tenant)
    client = page_client(member)

    home = client.get("/resources/leveling/")
    assert home.status_code == 200 and "数据中心改造" in home.content.decode()

    answer = client.post("/resources/leveling/", {"projects": [project.pk], "budget": 200})
    proposal = LevelingProposal.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/resources/leveling/{proposal.pk}/"

    page = client.get(answer["Location"]).content.decode()
    assert "李工" in page and "设备安装" in page and 'id="accept"' in page
    assert len(re.findall(r"lv-bar lv-after lv-moved", page)) == 1  # the Gantt marks the moved task

    client.post(f"/resources/leveling/{proposal.pk}/accept/")
    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    assert Task.objects.filter(project=project, constraint_type="SNET").count() == 1


def test_discard_and_stale_preview(tenant):
    member, project = _project(tenant)
    client = page_client(member)
    client.post(f"/resources/leveling/project/{project.pk}/")
    proposal = LevelingProposal.objects.get()
    Task.objects.filter(project=project).update(duration=960 * 2)  # the schedule moved under the proposal
    page = client.get(f"/resources/leveling/{proposal.pk}/").content.decode()
    assert 'id="stale"' in page and 'id="accept"' not in page

    client.post(f"/resources/leveling/{proposal.pk}/discard/")
    proposal.refresh_from_db()
    assert proposal.status == "discarded"


def test_refusal_is_shown_not_failed(tenant):
    member, project = _project(tenant)
    Task.objects.filter(project=project, name="机房布线").update(percent_complete=20)
    answer = page_client(member).post("/resources/leveling/", {"projects": [project.pk]}, follow=True)
    assert answer.status_code == 200 and "机房布线" in answer.content.decode()
    assert not LevelingProposal.objects.exists()


def test_priority_panel_shows_the_formula_and_takes_an_override(tenant):
    member, project = _project(tenant)
    client = page_client(member)
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert 'id="priority-panel"' in page and 'id="priority-formula"' in page and 'id="level-project"' in page

    client.post(f"/resources/priority/{project.pk}/", {"priority": "880", "reason": ""})
    project.refresh_from_db()
    assert project.priority_overridden is False  # a reason is required

    client.post(f"/resources/priority/{project.pk}/", {"priority": "880", "reason": "战略客户"})
    project.refresh_from_db()
    assert (project.priority, project.priority_overridden) == (880, True)
    assert "战略客户" in client.get(f"/projects/{project.pk}/").content.decode()

    client.post(f"/resources/priority/{project.pk}/", {"clear": "1"})
    assert Project.objects.get(pk=project.pk).priority_overridden is False


def test_the_panel_hides_revenue_and_cost_from_roles_that_hide_the_budget(tenant):
    from decimal import Decimal

    member, project = _project(tenant)
    from tandem.resources.models import Resource

    Project.objects.filter(pk=project.pk).update(budget=Decimal("876543.00"))
    Resource.objects.filter(tenant=tenant).update(cost_rate=Decimal("100"))  # the planned cost: 3,200
    client = page_client(member)
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert "876,543 − 3,200" in page

    for role in member.roles.all():
        role.field_rules = {**role.field_rules, Project.budget_rule: "hidden"}
        role.save()
    assert "876,543" not in client.get(f"/projects/{project.pk}/").content.decode()
