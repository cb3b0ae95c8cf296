"""A task's allocations page: add, change units, remove; work and the effect on an effort-driven task's days."""

import re

import pytest

from tandem.projects.choices import TaskType
from tandem.projects.models import Task
from tandem.projects.services.tasks import task_create
from tandem.projects.tests.factories import DAY, make_chain, make_project, pm_member
from tandem.resources.models import Allocation
from tandem.resources.services.allocations import allocation_create
from tandem.resources.tests.factories import make_resource
from tandem.testing.kit import access_for, make_member, page_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def pm(tenant):
    return pm_member(tenant, display_name="王经理")


@pytest.fixture
def task(tenant, pm):
    project = make_project(tenant, member=pm, name="浦东园区弱电改造")
    (cabling,) = make_chain(project, pm, "机房布线", days=4)
    Task.objects.filter(pk=cabling.pk).update(task_type=TaskType.EFFORT_DRIVEN)
    cabling.refresh_from_db()
    return cabling


def _url(task):
    return f"/resources/tasks/{task.pk}/allocations/"


def test_add_change_and_remove_on_an_effort_driven_task(tenant, pm, task):
    li = make_resource(tenant, "李工", skills=[("弱电调试", 4)])
    crew = make_resource(tenant, "弱电班组", kind="crew", headcount=3)
    client = page_client(pm)

    page = client.get(_url(task)).content.decode()
    assert "李工 · 弱电调试 4" in page and "弱电班组 · ×3" in page  # the picker shows skills and crew size
    assert 'id="no-allocations"' in page

    assert client.post(_url(task), {"resource": li.pk, "units": "100"}).status_code == 302
    assert client.post(_url(task), {"resource": crew.pk, "units": "100"}).status_code == 302
    task.refresh_from_db()
    assert task.duration == 2 * DAY
    page = client.get(_url(task)).content.decode()
    assert '<span id="duration-days">2.0</span>' in page and '<span id="total-work">32.0</span>' in page
    # Without either of the two, the work takes four days again; a third full-time person: 32 h / 3.
    assert re.findall(r'class="text-secondary without">[^<]*?([\d.]+)', page) == ["4.0", "4.0"]
    assert re.search(r'id="one-more">[^<]*?1\.3', page)

    on_crew = Allocation.objects.get(task=task, resource=crew)
    assert client.post(f"/resources/allocations/{on_crew.pk}/edit/", {"units": "300"}).status_code == 302
    assert Task.objects.get(pk=task.pk).duration == DAY

    assert client.post(f"/resources/allocations/{on_crew.pk}/delete/").status_code == 302
    assert list(Allocation.objects.filter(task=task).values_list("resource_id", flat=True)) == [li.pk]
    assert Task.objects.get(pk=task.pk).duration == 4 * DAY


def test_bad_units_show_the_error_and_change_nothing(tenant, pm, task):
    li = make_resource(tenant, "李工")
    client = page_client(pm)
    answer = client.post(_url(task), {"resource": li.pk, "units": "250"})
    assert answer.status_code == 400 and 'id="form-errors"' in answer.content.decode()
    assert "250" in answer.content.decode() or "100" in answer.content.decode()
    assert not Allocation.objects.exists()

    allocation = allocation_create(actor=access_for(pm), task=task, resource=li)
    client.post(f"/resources/allocations/{allocation.pk}/edit/", {"units": "abc"})
    assert Allocation.objects.get(pk=allocation.pk).units == 100


def test_milestones_take_no_allocations_and_viewers_only_read(tenant, pm, task):
    milestone = task_create(access=access_for(pm), project=task.project, name="竣工验收", is_milestone=True)
    page = page_client(pm).get(_url(milestone)).content.decode()
    assert 'id="not-allocatable"' in page and 'id="add-form"' not in page

    allocation_create(actor=access_for(pm), task=task, resource=make_resource(tenant, "李工"))
    service = make_member(tenant, "service", display_name="赵静")  # sees projects, not their resources
    assert page_client(service).get(_url(task)).status_code == 403
    assert page_client(service).post(_url(task), {"resource": 1}).status_code == 403
    assert Allocation.objects.filter(task=task).count() == 1


def test_the_project_page_lists_who_is_on_each_task(tenant, pm, task):
    allocation_create(actor=access_for(pm), task=task, resource=make_resource(tenant, "李工"), units=50)
    page = page_client(pm).get(f"/projects/{task.project_id}/").content.decode()
    assert 'id="allocations-panel"' in page
    assert f'href="/resources/tasks/{task.pk}/allocations/"' in page and "李工 50%" in page
    service = make_member(tenant, "service", display_name="赵静")
    assert 'id="allocations-panel"' not in page_client(service).get(f"/projects/{task.project_id}/").content.decode()
