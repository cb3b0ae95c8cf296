"""The data migration that turns existing task assignees into person resources and allocations."""

import importlib

import pytest
from django.apps import apps

from tandem.projects.models import Task
from tandem.projects.services.tasks import task_create
from tandem.projects.tests.factories import DAY, make_chain, make_project, pm_member
from tandem.resources.models import Allocation, Resource
from tandem.resources.tests.factories import make_resource
from tandem.testing.kit import access_for, make_member

pytestmark = pytest.mark.django_db

migration = importlib.import_module("tandem.resources.migrations.0002_allocations_from_assignees")


def test_assignees_become_resources_and_allocations_once(tenant):
    pm = pm_member(tenant, display_name="王经理")
    engineer = make_member(tenant, "engineer", display_name="李工")
    make_resource(tenant, "李工")  # a namesake already there: the member's resource gets another name
    project = make_project(tenant, member=pm, name="浦东园区弱电改造")
    cabling, testing = make_chain(project, pm, "机房布线", "弱电调试", days=2)
    milestone = task_create(access=access_for(pm), project=project, name="竣工验收", is_milestone=True)
    # Assignees written before allocations existed (straight to the table, as old data is).
    through = Task.assignees.through
    through.objects.bulk_create(
        [
            through(task_id=cabling.pk, user_id=engineer.user_id),
            through(task_id=cabling.pk, user_id=pm.user_id),
            through(task_id=testing.pk, user_id=engineer.user_id),
            through(task_id=milestone.pk, user_id=engineer.user_id),
        ]
    )
    assert not Allocation.objects.exists()

    migration.allocations_from_assignees(apps, None)
    migration.allocations_from_assignees(apps, None)  # again: nothing more

    li = Resource.objects.get(tenant=tenant, user=engineer.user)
    wang = Resource.objects.get(tenant=tenant, user=pm.user)
    assert (li.name, li.kind, wang.name) == ("李工 (2)", "person", "王经理")
    rows = sorted(Allocation.objects.values_list("task_id", "resource_id", "units", "work"))
    assert rows == sorted(
        [(cabling.pk, li.pk, 100, 2 * DAY), (cabling.pk, wang.pk, 100, 2 * DAY), (testing.pk, li.pk, 100, 2 * DAY)]
    )
    assert through.objects.count() == 4  # the assignees stay
