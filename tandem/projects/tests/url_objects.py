"""Objects for the generic URL permission test: each created in `tenant`, belonging to a colleague."""

from datetime import date

from tandem.testing.kit import access_for
from tandem.testing.permissions import colleague, seed_name, url_objects


def _pm(tenant):
    return colleague(tenant, "pm")


def _project(tenant, member=None):
    from tandem.projects.services.projects import project_create

    member = member or _pm(tenant)
    return project_create(
        access=access_for(member), name=seed_name(tenant, "project"), start_date=date(2025, 3, 3)
    ), member


@url_objects(
    "projects:detail",
    "projects:calendar_feed",
    "projects:status_update_add",
    "projects:gantt",
    "projects:calendar_subscribe",
    "projects:gantt_data",
    "projects:gantt_export",
    "projects:gantt_print",
    "projects:tasks",
    "projects:task_add",
    "projects:kanban",
    "projects:calendar",
    "projects:baselines",
    "projects:baseline_save",
    "projects:edit",
    "projects:export_mspdi",
    "projects:save_as_template",
    "api:projects-project-detail",
    "api:projects-project-schedule",
    "api:projects-project-complete",
    "api:projects-project-status-updates",
    "api:projects-project-calendar-feed",
    "api:projects-project-save-as-template",
    "api:projects-project-export-mspdi",
    "api:projects-project-warnings",
)
def _project_url(tenant):
    project, _member = _project(tenant)
    return {"pk": project.pk}


def _task(tenant):
    from tandem.projects.services.tasks import task_create

    project, member = _project(tenant)
    return task_create(access=access_for(member), project=project, name=seed_name(tenant, "task")), member


@url_objects("api:projects-task-detail", "api:projects-task-move")
def _task_url(tenant):
    return {"pk": _task(tenant)[0].pk}


@url_objects("projects:task_edit", "projects:task_delete", "projects:kanban_move")
def _project_task_url(tenant):
    task = _task(tenant)[0]
    return {"pk": task.project_id, "task_id": task.pk}


@url_objects("api:projects-dependency-detail")
def _dependency_url(tenant):
    from tandem.projects.services.dependencies import dependency_add
    from tandem.projects.services.tasks import task_create

    first, member = _task(tenant)
    second = task_create(access=access_for(member), project=first.project, name=seed_name(tenant, "task"))
    return {"pk": dependency_add(access=access_for(member), predecessor=first, successor=second).pk}


@url_objects("api:projects-baseline-detail", "api:projects-baseline-variance")
def _baseline_url(tenant):
    from tandem.projects.services.baselines import baseline_save

    project, member = _project(tenant)
    return {"pk": baseline_save(access=access_for(member), project=project, name=seed_name(tenant, "baseline")).pk}


@url_objects(
    "api:projects-projecttemplate-detail",
    "api:projects-projecttemplate-instantiate",
    "projects:template_detail",
    "projects:template_delete",
)
def _template_url(tenant):
    from tandem.projects.services.templates import template_define

    admin = colleague(tenant, "admin")
    template = template_define(
        access=access_for(admin),
        name=seed_name(tenant, "template"),
        tasks=[{"key": "a", "name": seed_name(tenant, "tpl-task"), "duration": 480}],
    )
    return {"pk": template.pk}


@url_objects("projects:baseline_delete")
def _project_baseline_url(tenant):
    from tandem.projects.services.baselines import baseline_save

    project, member = _project(tenant)
    baseline = baseline_save(access=access_for(member), project=project, name=seed_name(tenant, "baseline"))
    return {"pk": project.pk, "baseline_id": baseline.pk}
