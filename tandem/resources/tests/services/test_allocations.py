"""Allocations: work follows units × duration; effort-driven tasks keep their work, fixed-duration ones their dates;
a task's assignees and its members' allocations are one fact."""

from decimal import Decimal

import pytest
from django.utils import translation

from tandem.audit.models import AuditEntry
from tandem.core.errors import ApplicationError, NotFound, PermissionDenied
from tandem.core.models import OutboxEvent
from tandem.projects.choices import TaskType
from tandem.projects.models import Task
from tandem.projects.services.tasks import task_create, task_update
from tandem.projects.tests.factories import DAY, make_chain, make_project, pm_member
from tandem.resources import events
from tandem.resources.models import Allocation, Resource
from tandem.resources.services.allocations import (
    allocation_create,
    allocation_delete,
    allocation_update,
    allocations_replace,
)
from tandem.resources.tests.factories import make_resource
from tandem.testing.kit import access_for, make_member, make_tenant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def pm(tenant):
    return pm_member(tenant, display_name="王经理")


def _task(tenant, pm, *, days=4, task_type=TaskType.FIXED_DURATION):
    project = make_project(tenant, member=pm, name="浦东园区弱电改造")
    (task,) = make_chain(project, pm, "机房布线", days=days)
    if task_type != TaskType.FIXED_DURATION:
        Task.objects.filter(pk=task.pk).update(task_type=task_type)
        task.refresh_from_db()
    return task


def test_work_is_units_times_duration_and_fixed_duration_keeps_its_days(tenant, pm):
    task = _task(tenant, pm, days=4)
    li, zhou = make_resource(tenant, "李工"), make_resource(tenant, "周工")
    access = access_for(pm)

    first = allocation_create(actor=access, task=task, resource=li)
    second = allocation_create(actor=access, task=task, resource=zhou, units=50)

    task.refresh_from_db()
    assert task.duration == 4 * DAY
    assert Allocation.objects.get(pk=first.pk).work == 4 * DAY
    assert Allocation.objects.get(pk=second.pk).work == 2 * DAY
    assert AuditEntry.objects.filter(object_type__endswith="allocation", action="create").count() == 2
    changed = OutboxEvent.objects.filter(name=events.ALLOCATION_CHANGED).order_by("created_at", "id").last()
    assert changed.payload == {"project_id": task.project_id, "task_id": task.pk, "resource_ids": [zhou.pk]}

    # The task's duration changes: the work follows.
    task_update(access=access, task=task, duration=2 * DAY)
    assert sorted(Allocation.objects.filter(task=task).values_list("work", flat=True)) == [DAY, 2 * DAY]


def test_effort_driven_task_shortens_when_a_second_person_is_added_and_lengthens_when_removed(tenant, pm):
    task = _task(tenant, pm, days=4, task_type=TaskType.EFFORT_DRIVEN)
    li, zhou = make_resource(tenant, "李工"), make_resource(tenant, "周工")
    access = access_for(pm)
    allocation_create(actor=access, task=task, resource=li)
    old_finish = Task.objects.get(pk=task.pk).early_finish

    second = allocation_create(actor=access, task=task, resource=zhou)

    task.refresh_from_db()
    assert task.duration == 2 * DAY  # 4 days of work by two people
    assert task.early_finish < old_finish  # rescheduled in the same transaction
    assert list(Allocation.objects.filter(task=task).values_list("work", flat=True)) == [2 * DAY, 2 * DAY]

    with pytest.raises(ApplicationError, match="between 0 and 100"):
        allocation_update(actor=access, allocation=second, units=Decimal("300"))  # one person, not a crew
    assert Task.objects.get(pk=task.pk).duration == 2 * DAY


def test_effort_driven_units_and_removal(tenant, pm):
    task = _task(tenant, pm, days=4, task_type=TaskType.EFFORT_DRIVEN)
    li, crew = make_resource(tenant, "李工"), make_resource(tenant, "弱电班组", kind="crew", headcount=3)
    access = access_for(pm)
    allocation_create(actor=access, task=task, resource=li)
    on_crew = allocation_create(actor=access, task=task, resource=crew, units=100)
    task.refresh_from_db()
    assert task.duration == 2 * DAY

    allocation_update(actor=access, allocation=on_crew, units=300)  # the whole crew: 8 days of work by four
    task.refresh_from_db()
    assert task.duration == DAY
    assert sum(Allocation.objects.filter(task=task).values_list("work", flat=True)) == 4 * DAY

    allocation_delete(actor=access, allocation=Allocation.objects.get(pk=on_crew.pk))
    task.refresh_from_db()
    assert task.duration == 4 * DAY  # li alone does all the work
    assert list(Allocation.objects.filter(task=task).values_list("work", flat=True)) == [4 * DAY]


def test_hours_per_day_sets_units_from_the_calendar_day(tenant, pm):
    task = _task(tenant, pm, days=2)
    allocation = allocation_create(
        actor=access_for(pm), task=task, resource=make_resource(tenant, "李工"), hours_per_day=4
    )
    assert allocation.units == Decimal("50.00") and allocation.work == DAY
    again = allocation_update(actor=access_for(pm), allocation=allocation, units=25)  # units rule again
    assert (again.hours_per_day, again.units, again.work) == (None, Decimal("25"), DAY // 2)


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"units": -1}, "units"),
        ({"units": 101}, "units"),
        ({"units": "很多"}, "units"),
        ({"hours_per_day": 25}, "hours_per_day"),
    ],
)
def test_bad_amounts_change_nothing(tenant, pm, kwargs, field):
    task = _task(tenant, pm, days=2, task_type=TaskType.EFFORT_DRIVEN)
    li = make_resource(tenant, "李工")
    access = access_for(pm)
    allocation_create(actor=access, task=task, resource=li)

    with pytest.raises(ApplicationError) as caught:
        allocation_create(actor=access, task=task, resource=make_resource(tenant, "周工"), **kwargs)

    assert field in caught.value.errors
    assert Allocation.objects.filter(task=task).count() == 1
    assert Task.objects.get(pk=task.pk).duration == 2 * DAY


def test_summary_milestone_inactive_duplicate_and_other_tenant_are_refused(tenant, pm):
    access = access_for(pm)
    project = make_project(tenant, member=pm)
    parent = task_create(access=access, project=project, name="综合布线")
    task_create(access=access, project=project, name="桥架安装", parent=parent)
    parent.refresh_from_db()
    milestone = task_create(access=access, project=project, name="竣工验收", is_milestone=True)
    work = task_create(access=access, project=project, name="机柜安装")
    li = make_resource(tenant, "李工")
    allocation_create(actor=access, task=work, resource=li)

    with pytest.raises(ApplicationError, match="summary task"):
        allocation_create(actor=access, task=parent, resource=li)
    with pytest.raises(ApplicationError, match="milestone"):
        allocation_create(actor=access, task=milestone, resource=li)
    with pytest.raises(ApplicationError, match="inactive"):
        allocation_create(actor=access, task=work, resource=make_resource(tenant, "退休", is_active=False))
    with pytest.raises(ApplicationError, match="already allocated"):
        allocation_create(actor=access, task=work, resource=li)
    other = make_resource(make_tenant(), "外单位")
    with pytest.raises(NotFound):
        allocation_create(actor=access, task=work, resource=other)
    viewer = make_member(tenant, "viewer")
    with pytest.raises(PermissionDenied):
        allocation_create(actor=access_for(viewer), task=work, resource=make_resource(tenant, "周工"))
    assert Allocation.objects.filter(tenant=tenant).count() == 1


def test_replace_sets_the_allocations_in_one_change(tenant, pm):
    task = _task(tenant, pm, days=6, task_type=TaskType.EFFORT_DRIVEN)
    li, zhou, wang = (make_resource(tenant, n) for n in ("李工", "周工", "王工"))
    access = access_for(pm)
    allocation_create(actor=access, task=task, resource=li)

    rows = allocations_replace(actor=access, task=task, resource_ids=[li.pk, zhou.pk, wang.pk])
    task.refresh_from_db()
    assert {a.resource_id for a in rows} == {li.pk, zhou.pk, wang.pk} and task.duration == 2 * DAY

    rows = allocations_replace(actor=access, task=task, resource_ids=[wang.pk])
    task.refresh_from_db()
    assert [a.resource_id for a in rows] == [wang.pk] and task.duration == 6 * DAY
    with pytest.raises(ApplicationError):
        allocations_replace(actor=access, task=task, resource_ids=[999999])


def test_assigning_a_member_through_the_task_service_allocates_their_resource(tenant, pm):
    engineer = make_member(tenant, "engineer", display_name="李工")
    access = access_for(pm)
    project = make_project(tenant, member=pm)
    task = task_create(access=access, project=project, name="弱电调试", duration=3 * DAY, assignees=[engineer.user])

    allocation = Allocation.objects.get(task=task)
    resource = allocation.resource
    assert resource.user_id == engineer.user_id and resource.name == "李工" and resource.kind == "person"
    assert allocation.units == 100 and allocation.work == 3 * DAY

    task_update(access=access, task=task, assignees=[engineer.user, pm.user])
    assert set(Allocation.objects.filter(task=task).values_list("resource__user_id", flat=True)) == {
        engineer.user_id,
        pm.user_id,
    }
    task_update(access=access, task=task, assignees=[pm.user])
    assert list(Allocation.objects.filter(task=task).values_list("resource__user_id", flat=True)) == [pm.user_id]
    assert Resource.objects.filter(tenant=tenant, user=engineer.user).count() == 1  # the resource stays


def test_assignees_on_an_effort_driven_task_share_its_work(tenant, pm):
    engineer = make_member(tenant, "engineer", display_name="李工")
    task = _task(tenant, pm, days=4, task_type=TaskType.EFFORT_DRIVEN)
    access = access_for(pm)
    task_update(access=access, task=task, assignees=[pm.user])
    updated = task_update(access=access, task=task, assignees=[pm.user, engineer.user])
    assert updated.duration == 2 * DAY
    assert Task.objects.get(pk=task.pk).duration == 2 * DAY


def test_allocating_a_member_resource_adds_the_assignee_and_removing_takes_it_off(tenant, pm):
    engineer = make_member(tenant, "engineer", display_name="李工")
    task = _task(tenant, pm, days=2)
    resource = make_resource(tenant, "李工", user=engineer.user)
    access = access_for(pm)

    allocation = allocation_create(actor=access, task=task, resource=resource)
    assert list(task.assignees.values_list("pk", flat=True)) == [engineer.user_id]
    assert Allocation.objects.filter(task=task).count() == 1

    allocation_delete(actor=access, allocation=allocation)
    assert not task.assignees.exists()
    assert not Allocation.objects.filter(task=task).exists()


def test_member_resource_name_is_unique_in_the_tenant(tenant, pm):
    make_resource(tenant, "李工")  # a crew member of that name, not the member
    engineer = make_member(tenant, "engineer", display_name="李工", username="ligong")
    project = make_project(tenant, member=pm)
    task = task_create(access=access_for(pm), project=project, name="弱电调试", assignees=[engineer.user])
    assert Allocation.objects.get(task=task).resource.name == "李工 (ligong)"


def test_a_project_from_a_template_allocates_the_people_its_roles_name(tenant, pm):
    from datetime import date

    from tandem.projects.services.templates import template_define, template_instantiate

    admin = access_for(make_member(tenant, "admin"))
    engineer = make_member(tenant, "engineer", display_name="李工")
    tasks = [
        {"key": "kickoff", "name": "开工会", "is_milestone": True, "duration": 0, "role": "pm"},
        {"key": "design", "name": "深化设计", "duration": 3 * DAY, "role": "engineer"},
        {"key": "survey", "name": "现场复测", "duration": DAY, "role": "engineer"},
    ]
    template = template_define(access=admin, name="机电安装标准模板", tasks=tasks, links=[])
    project = template_instantiate(
        access=admin,
        template=template,
        name="浦东园区弱电改造",
        start_date=date(2025, 3, 3),
        owner=pm.user,
        roles={"engineer": engineer.user},
    )

    rows = sorted(Allocation.objects.filter(project=project).values_list("task__name", "resource__user", "work"))
    assert rows == [("深化设计", engineer.user_id, 3 * DAY), ("现场复测", engineer.user_id, DAY)]  # not the milestone
    (changed,) = OutboxEvent.objects.filter(name=events.ALLOCATION_CHANGED, payload__project_id=project.pk)
    assert changed.payload["resource_ids"] == [Resource.objects.get(tenant=tenant, user=engineer.user).pk]
