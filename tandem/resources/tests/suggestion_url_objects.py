"""URL objects of the suggestions and staff requests pages and endpoints (imported by `url_objects`)."""

from datetime import date

from tandem.projects.services.projects import project_create
from tandem.projects.services.tasks import task_create
from tandem.resources.models import Allocation, Conflict, Resource, StaffRequest
from tandem.testing.kit import access_for
from tandem.testing.permissions import colleague, seed_name, url_objects


def _suggestion_conflict(tenant):
    member = colleague(tenant, "pm")
    access = access_for(member)
    project = project_create(access=access, name=seed_name(tenant, "project"), start_date=date(2025, 3, 3))
    task = task_create(access=access, project=project, name=seed_name(tenant, "task"), duration=480)
    resource = Resource.objects.create(tenant=tenant, name=seed_name(tenant, "resource"))
    Allocation.objects.create(
        tenant=tenant, resource=resource, task=task, project=project, units=200, created_by=member.user
    )
    conflict = Conflict.objects.create(
        tenant=tenant,
        resource=resource,
        start=date(2025, 3, 3),
        end=date(2025, 3, 3),
        peak_load=200,
        task=task,
        project=project,
        task_ids=[task.pk],
        project_ids=[project.pk],
    )
    request = StaffRequest.objects.create(
        tenant=tenant,
        project=project,
        task=task,
        start=conflict.start,
        end=conflict.end,
        hours=8,
        number=seed_name(tenant, "request"),
        requested_by=member.user,
    )
    return conflict, request


@url_objects("resources:conflict_suggestions", "resources:suggestion_apply")
def _conflict_suggestions(tenant):
    return {"pk": _suggestion_conflict(tenant)[0].pk}


@url_objects("api:conflict-suggestion-list", "api:conflict-suggestion-apply")
def _conflict_suggestions_api(tenant):
    return {"conflict_pk": _suggestion_conflict(tenant)[0].pk}


@url_objects(
    "resources:staff_request_fulfil",
    "resources:staff_request_decline",
    "api:staffrequest-detail",
    "api:staffrequest-fulfil",
    "api:staffrequest-decline",
)
def _staff_request(tenant):
    return {"pk": _suggestion_conflict(tenant)[1].pk}
