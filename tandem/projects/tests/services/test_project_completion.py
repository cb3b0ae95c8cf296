"""Completing a project while tasks are open: refused with the count, or with a reason (kept as a status update
and audited), or with the open tasks completed too."""

import pytest

from tandem.audit.models import AuditEntry
from tandem.core.errors import ApplicationError
from tandem.core.models import OutboxEvent
from tandem.projects import events
from tandem.projects.choices import ProjectStatus
from tandem.projects.models import ProjectStatusUpdate, Task
from tandem.projects.services.projects import project_complete, project_update
from tandem.projects.services.tasks import task_update
from tandem.projects.tests.factories import make_chain, make_project, pm_member
from tandem.testing.kit import access_for


@pytest.fixture
def job(tenant):
    """A project of three tasks, one of them done."""
    pm = pm_member(tenant)
    project = make_project(tenant, member=pm, name="配电室改造")
    first, second, third = make_chain(project, pm, "拆除", "配电柜安装", "送电调试", days=2)
    task_update(access=access_for(pm), task=first, percent_complete=100)
    return pm, project, (first, second, third)


def completion_audit(project) -> dict:
    entry = AuditEntry.objects.filter(object_type="projects.project", object_id=str(project.pk)).latest("id")
    return entry.after


@pytest.mark.parametrize("complete", ["action", "edit"])
def test_completing_with_open_tasks_and_no_reason_is_refused_and_says_how_many(job, complete):
    pm, project, _tasks = job
    with pytest.raises(ApplicationError) as refused:
        if complete == "action":
            project_complete(access=access_for(pm), project=project, reason="  ")
        else:
            project_update(access=access_for(pm), project=project, status=ProjectStatus.COMPLETED, name="改名")
    assert refused.value.code == "open_tasks"
    assert "2 of 3 tasks are not done yet" in refused.value.message
    assert ("reason" if complete == "action" else "completion_reason") in refused.value.errors
    project.refresh_from_db()
    assert project.status == ProjectStatus.PLANNING and project.completed_at is None and project.name == "配电室改造"
    assert not OutboxEvent.objects.filter(name=events.PROJECT_COMPLETED).exists()


def test_a_reason_completes_it_and_is_kept_as_a_status_update_and_in_the_audit_trail(job):
    pm, project, _tasks = job
    project_complete(access=access_for(pm), project=project, reason="业主取消了二期，剩余工作不再实施")
    project.refresh_from_db()
    assert project.status == ProjectStatus.COMPLETED
    note = ProjectStatusUpdate.objects.get(project=project)
    assert note.text == "Completed with 2 of 3 tasks not done: 业主取消了二期，剩余工作不再实施"
    assert note.author_id == pm.user_id and note.health == project.health
    after = completion_audit(project)
    assert after["status"] == ProjectStatus.COMPLETED
    assert after["completion_reason"] == "业主取消了二期，剩余工作不再实施" and after["open_tasks"] == 2
    assert Task.objects.filter(project=project, percent_complete=100).count() == 1  # the tasks stay as they are
    assert OutboxEvent.objects.filter(name=events.PROJECT_COMPLETED).count() == 1


def test_an_edit_to_completed_takes_the_reason_too(job):
    pm, project, _tasks = job
    project_update(
        access=access_for(pm), project=project, status=ProjectStatus.COMPLETED, completion_reason="合同变更，提前结项"
    )
    project.refresh_from_db()
    assert project.status == ProjectStatus.COMPLETED
    assert "合同变更，提前结项" in ProjectStatusUpdate.objects.get(project=project).text
    assert completion_audit(project)["completion_reason"] == "合同变更，提前结项"


def test_completing_the_open_tasks_with_it_marks_them_done_and_keeps_their_durations(job):
    pm, project, (_first, second, third) = job
    project_complete(access=access_for(pm), project=project, complete_open_tasks=True)
    project.refresh_from_db()
    assert project.status == ProjectStatus.COMPLETED
    for task in (second, third):
        task.refresh_from_db()
        assert task.percent_complete == 100 and task.actual_finish is not None
        assert task.duration == 2 * 480
    assert completion_audit(project)["open_tasks_completed"] is True
    assert not ProjectStatusUpdate.objects.filter(project=project).exists()
    assert OutboxEvent.objects.filter(name=events.TASK_COMPLETED).count() == 3


def test_a_project_whose_tasks_are_all_done_completes_without_a_reason(job):
    pm, project, (_first, second, third) = job
    access = access_for(pm)
    task_update(access=access, task=second, percent_complete=100)
    task_update(access=access, task=third, percent_complete=100)
    project_complete(access=access, project=project)
    project.refresh_from_db()
    assert project.status == ProjectStatus.COMPLETED
    assert "completion_reason" not in completion_audit(project)
