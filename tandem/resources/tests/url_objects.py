"""Objects for the generic permission test: each resources URL with parameters, filled with a colleague's record."""

from tandem.testing.permissions import url_objects  # noqa: F401

# Resources, skills and leave.


# Allocations.
def _allocated_task(tenant):
    from datetime import date

    from tandem.projects.services.projects import project_create
    from tandem.projects.services.tasks import task_create
    from tandem.resources.models import Resource
    from tandem.resources.services.allocations import allocation_create
    from tandem.testing.kit import access_for
    from tandem.testing.permissions import colleague, seed_name

    access = access_for(colleague(tenant, "pm"))
    project = project_create(access=access, name=seed_name(tenant, "project"), start_date=date(2025, 3, 3))
    task = task_create(access=access, project=project, name=seed_name(tenant, "task"))
    resource = Resource.objects.create(tenant=tenant, name=seed_name(tenant, "resource"))
    return allocation_create(actor=access, task=task, resource=resource)


@url_objects("resources:task_allocations")
def _task_allocations(tenant):
    return {"task_id": _allocated_task(tenant).task_id}


@url_objects("resources:allocation_update", "resources:allocation_delete", "api:allocation-detail")
def _allocation(tenant):
    return {"pk": _allocated_task(tenant).pk}


# Utilisation and timelines.

# Conflicts.

# Suggestions and staff requests.
__import__("tandem.resources.tests.suggestion_url_objects")  # registers its factories (no import line to sort)

# Leveling and priority.
