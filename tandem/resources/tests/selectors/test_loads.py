"""Loads read from the database: tasks booked on their working days, capacity on the resource's calendar less
leave, the overloads the engine finds in them."""

from datetime import date

import pytest

from tandem.projects.tests.factories import DAY, START, make_chain, make_project, pm_member
from tandem.resources.models import Allocation, Leave, Resource
from tandem.resources.selectors.loads import resource_loads
from tandem.scheduling.engine.loads import overloads

pytestmark = pytest.mark.django_db


def _allocate(resource, task, member, units=100):
    return Allocation.objects.create(
        tenant=task.tenant, resource=resource, task=task, project=task.project, units=units, created_by=member.user
    )


def test_two_parallel_tasks_overload_one_engineer_and_leave_takes_a_day(tenant):
    member = pm_member(tenant)
    first = make_project(tenant, member=member)
    second = make_project(tenant, member=member)
    (a,) = make_chain(first, member, "布线", days=3)
    (b,) = make_chain(second, member, "调试", days=2)
    engineer = Resource.objects.create(tenant=tenant, name="李工")
    _allocate(engineer, a, member)
    _allocate(engineer, b, member, units=50)
    Leave.objects.create(
        tenant=tenant, resource=engineer, start=date(2025, 3, 5), end=date(2025, 3, 5), created_by=member.user
    )

    loads = resource_loads(tenant.pk, START, date(2025, 3, 31))

    assert dict(loads.load[engineer.pk]) == {START: 720, date(2025, 3, 4): 720, date(2025, 3, 5): 480}
    assert loads.capacity_on(engineer.pk, START) == DAY
    assert loads.capacity_on(engineer.pk, date(2025, 3, 5)) == 0
    (run,) = overloads(loads.load[engineer.pk], loads.behind[engineer.pk], loads.capacity[engineer.pk])
    assert (run.start, run.end, run.peak_percent) == (START, date(2025, 3, 5), 999)
    assert run.tasks == {a.pk, b.pk}
