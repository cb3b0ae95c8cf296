"""Kanban status: derived from % complete and actuals; moving a task sets them and reschedules."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tandem.core.errors import ApplicationError
from tandem.projects.choices import TaskStatus
from tandem.projects.services.progress import task_status, task_status_set
from tandem.projects.services.tasks import task_create
from tandem.projects.tests.factories import make_chain, make_project, pm_member
from tandem.testing.kit import access_for

SHANGHAI = ZoneInfo("Asia/Shanghai")
LATER = datetime(2025, 6, 2, 10, 0, tzinfo=SHANGHAI)  # long after the chain's scheduled dates


@pytest.fixture
def chain(tenant):
    pm = pm_member(tenant)
    project = make_project(tenant, member=pm)
    return pm, make_chain(project, pm, "配电箱安装", "照明灯具安装", days=2)


def test_status_is_derived_from_progress_and_actual_dates(chain):
    _pm, (first, _second) = chain
    assert task_status(first) == TaskStatus.NOT_STARTED
    first.actual_start = first.early_start
    assert task_status(first) == TaskStatus.IN_PROGRESS
    first.actual_start, first.percent_complete = None, 30
    assert task_status(first) == TaskStatus.IN_PROGRESS
    first.percent_complete = 100
    assert task_status(first) == TaskStatus.DONE


def test_done_records_100_percent_and_actuals_at_the_scheduled_dates_once_they_have_passed(chain):
    pm, (first, second) = chain
    task = task_status_set(access=access_for(pm), task=first, status=TaskStatus.DONE, now=LATER)
    assert task.percent_complete == 100
    assert task.actual_start == first.early_start and task.actual_finish == first.early_finish
    assert task_status(task) == TaskStatus.DONE


def test_starting_a_task_before_its_scheduled_start_records_now(chain):
    pm, (first, _second) = chain
    early = first.early_start - timedelta(days=3)
    task = task_status_set(access=access_for(pm), task=first, status=TaskStatus.IN_PROGRESS, now=early)
    assert task.actual_start == early and task.actual_finish is None and task.percent_complete == 0


def test_reopening_a_done_task_clears_its_finish_and_takes_it_as_half_done(chain):
    pm, (first, _second) = chain
    access = access_for(pm)
    task_status_set(access=access, task=first, status=TaskStatus.DONE, now=LATER)
    task = task_status_set(access=access, task=first, status=TaskStatus.IN_PROGRESS, now=LATER)
    assert task.actual_finish is None and task.actual_start is not None and task.percent_complete == 50
    task = task_status_set(access=access, task=task, status=TaskStatus.NOT_STARTED, now=LATER)
    assert (task.actual_start, task.actual_finish, task.percent_complete) == (None, None, 0)


def test_a_summary_task_or_an_unknown_status_is_refused(chain, tenant):
    pm, (first, _second) = chain
    access = access_for(pm)
    parent = task_create(access=access, project=first.project, name="照明系统")
    task_create(access=access, project=first.project, name="灯具", parent=parent)
    parent.refresh_from_db()
    with pytest.raises(ApplicationError):
        task_status_set(access=access, task=parent, status=TaskStatus.DONE)
    with pytest.raises(ApplicationError):
        task_status_set(access=access, task=first, status="archived")
