"""A project's team reads the project and its schedule whatever their roles: the salesperson who won the deal
opens the project their notice links to, and nothing more."""

import pytest
from django.urls import reverse

from tandem.projects.services.projects import project_update
from tandem.projects.services.tasks import task_create
from tandem.projects.tests.factories import DAY, make_project, pm_member
from tandem.testing.kit import access_for, api_client, make_member, page_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(tenant):
    pm = pm_member(tenant)
    sales = make_member(tenant, "sales")
    theirs = make_project(tenant, member=pm, name="滨江厂房机电", team=[sales.user])
    task_create(access=access_for(pm), project=theirs, name="桥架安装", duration=2 * DAY)
    other = make_project(tenant, member=pm, name="临平仓库改造")
    return pm, sales, theirs, other


def test_team_member_without_project_roles_opens_their_project_and_its_tabs(setup):
    _pm, sales, theirs, other = setup
    client = page_client(sales)
    for name in ("detail", "tasks", "gantt", "kanban", "calendar"):
        response = client.get(reverse(f"projects:{name}", args=[theirs.pk]))
        assert response.status_code == 200, name
    assert "桥架安装" in client.get(reverse("projects:tasks", args=[theirs.pk])).content.decode()
    assert client.get(reverse("projects:detail", args=[other.pk])).status_code == 404
    listing = client.get(reverse("projects:list")).content.decode()
    assert "滨江厂房机电" in listing and "临平仓库改造" not in listing


def test_team_membership_grants_reading_only(setup):
    _pm, sales, theirs, _other = setup
    client = page_client(sales)
    assert client.get(reverse("projects:edit", args=[theirs.pk])).status_code == 403
    api = api_client(sales)
    assert api.get(f"/api/v1/projects/projects/{theirs.pk}/").status_code == 200
    assert api.patch(f"/api/v1/projects/projects/{theirs.pk}/", {"name": "改名"}, format="json").status_code == 403
    theirs.refresh_from_db()
    assert theirs.name == "滨江厂房机电"


def test_leaving_the_team_takes_the_access_away(setup):
    pm, sales, theirs, _other = setup
    project_update(access=access_for(pm), project=theirs, team=[])
    assert page_client(sales).get(reverse("projects:detail", args=[theirs.pk])).status_code == 403


def test_a_member_of_no_project_team_has_no_project_access(tenant):
    sales = make_member(tenant, "sales")
    assert not access_for(sales).has_perm("projects.view_project")
    assert page_client(sales).get(reverse("projects:list")).status_code == 403
