"""Objects for the generic permission test: each resources URL with parameters, filled with a colleague's record."""

from tandem.resources.tests import suggestion_url_objects  # noqa: F401  (registers its factories)
from tandem.testing.permissions import url_objects


# Resources, skills and leave.
@url_objects(
    "resources:resource_detail",
    "resources:resource_update",
    "resources:resource_deactivate",
    "resources:leave_create",
    "api:resource-detail",
)
def resource(tenant):
    from tandem.resources.tests.factories import make_resource
    from tandem.testing.permissions import seed_name

    return {"pk": make_resource(tenant, seed_name(tenant, "resource")).pk}


@url_objects("resources:skill_update", "resources:skill_delete", "api:skill-detail")
def skill(tenant):
    from tandem.resources.tests.factories import make_skill
    from tandem.testing.permissions import seed_name

    return {"pk": make_skill(tenant, seed_name(tenant, "skill")).pk}


@url_objects("resources:leave_update", "resources:leave_delete", "api:leave-detail")
def leave(tenant):
    from datetime import date

    from tandem.resources.tests.factories import make_leave, make_resource
    from tandem.testing.permissions import colleague, seed_name

    resource = make_resource(tenant, seed_name(tenant, "on leave"))
    return {"pk": make_leave(resource, colleague(tenant, "pm"), date(2026, 5, 6), date(2026, 5, 8)).pk}


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
@url_objects("resources:timeline", "resources:utilisation_cell", "api:resourceutilisation_cell")
def _utilisation(tenant):
    from tandem.resources.tests.factories import make_resource
    from tandem.testing.permissions import seed_name

    return {"pk": make_resource(tenant, seed_name(tenant, "utilisation")).pk, "week": "2026-03-02"}


# Conflicts.


@url_objects("resources:conflict_detail", "resources:conflict_dismiss", "api:conflict-detail", "api:conflict-dismiss")
def conflict(tenant):
    from datetime import date

    from tandem.resources.models import Conflict, Resource
    from tandem.testing.permissions import seed_name

    resource = Resource.objects.create(tenant=tenant, name=seed_name(tenant, "conflict resource"))
    return {"pk": Conflict.objects.create(tenant=tenant, resource=resource, start=date.today(), end=date.today()).pk}


# Suggestions and staff requests.


# Leveling and priority.
@url_objects(
    "resources:project_level",
    "resources:priority_override",
    "api:projects-project-level",
    "api:projects-project-level-accept",
)
def _leveling_project(tenant):
    from tandem.projects.tests.url_objects import _project

    project, _member = _project(tenant)
    return {"pk": project.pk}


@url_objects(
    "resources:leveling_detail",
    "resources:leveling_accept",
    "resources:leveling_discard",
    "api:resources-levelingproposal-detail",
    "api:resources-levelingproposal-discard",
)
def _leveling_proposal(tenant):
    from tandem.projects.tests.url_objects import _project
    from tandem.resources.models import LevelingProposal

    project, member = _project(tenant)
    proposal = LevelingProposal.objects.create(
        tenant=tenant,
        project_ids=[project.pk],
        result={"projects": [], "tasks": [], "moved": 0, "violations": [], "schedules": 0},
        created_by=member.user,
    )
    return {"pk": proposal.pk}
