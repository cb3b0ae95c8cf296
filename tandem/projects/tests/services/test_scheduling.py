"""Rescheduling after task, link and calendar changes updates the stored dates."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from tandem.calendars.services.calendars import calendar_exception_set, calendar_update
from tandem.core.errors import ApplicationError
from tandem.projects.models import Task
from tandem.projects.services.dependencies import dependency_add, dependency_remove
from tandem.projects.services.tasks import task_create, task_delete, task_update
from tandem.projects.tests.factories import DAY, make_chain, make_project, pm_member
from tandem.testing.kit import access_for


def local(dt):
    return timezone.localtime(dt).replace(tzinfo=None)


@pytest.fixture
def pm(tenant):
    return pm_member(tenant)


def test_a_chain_is_scheduled_on_working_days_and_stored(tenant, pm):
    project = make_project(tenant, member=pm)
    a, b, c = make_chain(project, pm, "放线", "桥架安装", "电缆敷设", days=2)
    assert local(a.early_start) == datetime(2025, 3, 3, 8, 0)
    assert local(a.early_finish) == datetime(2025, 3, 4, 17, 0)
    assert local(b.early_start) == datetime(2025, 3, 5, 8, 0)
    assert local(c.early_finish) == datetime(2025, 3, 10, 17, 0)  # over the weekend
    assert all(t.is_critical and t.total_float == 0 for t in (a, b, c))
    assert all(t.scheduled_at is not None for t in (a, b, c))
    project.refresh_from_db()
    assert local(project.scheduled_finish) == datetime(2025, 3, 10, 17, 0)


def test_changing_a_duration_moves_the_successors(tenant, pm):
    project = make_project(tenant, member=pm)
    a, b = make_chain(project, pm, "A", "B")
    task_update(access=access_for(pm), task=a, duration=3 * DAY)
    b.refresh_from_db()
    assert local(b.early_start) == datetime(2025, 3, 6, 8, 0)


def test_adding_and_removing_a_link_reschedules(tenant, pm):
    project = make_project(tenant, member=pm)
    access = access_for(pm)
    a = task_create(access=access, project=project, name="A", duration=2 * DAY)
    b = task_create(access=access, project=project, name="B", duration=DAY)
    assert local(b.early_start) == datetime(2025, 3, 3, 8, 0)
    assert b.total_float == DAY
    link = dependency_add(access=access, predecessor=a, successor=b, lag=DAY)
    b.refresh_from_db()
    assert local(b.early_start) == datetime(2025, 3, 6, 8, 0)
    dependency_remove(access=access, dependency=link)
    b.refresh_from_db()
    assert local(b.early_start) == datetime(2025, 3, 3, 8, 0)


def test_a_holiday_added_to_the_calendar_pushes_the_work(tenant, pm):
    project = make_project(tenant, member=pm)
    a, b = make_chain(project, pm, "A", "B")
    calendar_exception_set(
        access=access_for(pm), calendar=project.calendar, date=date(2025, 3, 4), is_working=False, name="停电"
    )
    b.refresh_from_db()
    assert local(b.early_start) == datetime(2025, 3, 5, 8, 0)


def test_a_shorter_working_week_reschedules_every_project_on_the_calendar(tenant, pm):
    project = make_project(tenant, member=pm)
    (a,) = make_chain(project, pm, "A", days=5)
    week = [[["08:00", "12:00"], ["13:00", "17:00"]]] * 4 + [[], [], []]
    calendar_update(access=access_for(pm), calendar=project.calendar, week=week)
    a.refresh_from_db()
    assert local(a.early_finish) == datetime(2025, 3, 10, 17, 0)  # Mon–Thu, then Mon


def test_chinese_holidays_are_seeded_into_the_default_calendar(tenant, pm):
    project = make_project(tenant, member=pm, start_date=date(2025, 9, 29))
    (a,) = make_chain(project, pm, "国庆前后", days=3)
    # 30 Sep works; 1–8 Oct is the National Day holiday; Sat 11 Oct is a 调休 make-up workday.
    assert local(a.early_finish) == datetime(2025, 10, 9, 17, 0)
    exceptions = project.calendar.exceptions
    assert exceptions.get(date=date(2025, 10, 11)).is_working
    assert not exceptions.get(date=date(2025, 10, 1)).is_working


def test_deleting_a_task_reschedules_and_renumbers(tenant, pm):
    project = make_project(tenant, member=pm)
    a, b, c = make_chain(project, pm, "A", "B", "C")
    task_delete(access=access_for(pm), task=a)
    b.refresh_from_db()
    c.refresh_from_db()
    assert (b.outline_number, c.outline_number) == ("1", "2")
    assert local(b.early_start) == datetime(2025, 3, 3, 8, 0)


def test_summary_tasks_roll_up_and_wbs_codes_follow_the_tree(tenant, pm):
    project = make_project(tenant, member=pm)
    access = access_for(pm)
    phase = task_create(access=access, project=project, name="施工准备")
    one = task_create(access=access, project=project, name="图纸会审", parent=phase, duration=DAY)
    two = task_create(access=access, project=project, name="材料进场", parent=phase, duration=2 * DAY)
    first = task_create(access=access, project=project, name="开工会", position=0, duration=0, is_milestone=True)
    phase.refresh_from_db()
    one.refresh_from_db()
    two.refresh_from_db()
    first.refresh_from_db()
    assert [first.outline_number, phase.outline_number, one.outline_number, two.outline_number] == [
        "1",
        "2",
        "2.1",
        "2.2",
    ]
    assert phase.is_summary and phase.outline_level == 1 and one.outline_level == 2
    assert local(phase.early_finish) == datetime(2025, 3, 4, 17, 0)


def test_a_loop_is_refused_with_the_names_of_its_tasks_and_nothing_changes(tenant, pm):
    project = make_project(tenant, member=pm)
    a, b, c = make_chain(project, pm, "基础", "主体", "装修")
    with pytest.raises(ApplicationError) as caught:
        dependency_add(access=access_for(pm), predecessor=c, successor=a)
    message = caught.value.message
    assert caught.value.code == "cycle"
    assert "装修 → 基础 → 主体 → 装修" in message
    assert Task.objects.get(pk=a.pk).early_start == a.early_start


def test_a_task_on_its_own_calendar_works_that_calendars_days(tenant, pm):
    from tandem.calendars.services.calendars import calendar_create

    project = make_project(tenant, member=pm)
    access = access_for(pm)
    weekend_crew = calendar_create(
        access=access,
        name="周末班",
        week=[[], [], [], [], [], [["08:00", "12:00"], ["13:00", "17:00"]], [["08:00", "12:00"], ["13:00", "17:00"]]],
        seed_holidays=False,
    )
    task = task_create(access=access, project=project, name="周末停产检修", duration=2 * DAY, calendar=weekend_crew)
    assert local(task.early_start) == datetime(2025, 3, 8, 8, 0)
    assert local(task.early_finish) == datetime(2025, 3, 9, 17, 0)


def test_progress_keeps_actuals_and_schedules_remaining_work_after_the_status_date(tenant, pm):
    from tandem.projects.services.projects import project_update

    project = make_project(tenant, member=pm)
    a, b = make_chain(project, pm, "A", "B", days=4)
    access = access_for(pm)
    task_update(access=access, task=a, actual_start=timezone.make_aware(datetime(2025, 3, 3, 8)), percent_complete=25)
    project_update(access=access, project=project, status_date=date(2025, 3, 5))
    a.refresh_from_db()
    b.refresh_from_db()
    assert local(a.early_start) == datetime(2025, 3, 3, 8, 0)
    # Three days of work remain and resume after the status date (Thursday 6 March).
    assert local(a.early_finish) == datetime(2025, 3, 10, 17, 0)
    assert local(b.early_start) == datetime(2025, 3, 11, 8, 0)


def test_a_must_start_on_constraint_pins_the_task(tenant, pm):
    project = make_project(tenant, member=pm)
    access = access_for(pm)
    task = task_create(
        access=access,
        project=project,
        name="设备吊装",
        duration=DAY,
        constraint_type="MSO",
        constraint_date=timezone.make_aware(datetime(2025, 3, 12, 8)),
    )
    assert local(task.early_start) == datetime(2025, 3, 12, 8, 0)
    with pytest.raises(ApplicationError) as caught:
        task_create(access=access, project=project, name="缺日期", constraint_type="SNET")
    assert "constraint_date" in caught.value.errors
