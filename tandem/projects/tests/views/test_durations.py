"""Durations and dates agree in every view: the days a task lasts are working days of the calendar it is
scheduled on, and a finished task lasted the working time between its actual start and finish."""

from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from tandem.calendars.services.calendars import calendar_create
from tandem.projects.choices import TaskStatus
from tandem.projects.services.dependencies import dependency_add
from tandem.projects.services.progress import task_status_set
from tandem.projects.services.tasks import task_create, task_update
from tandem.projects.tests.factories import DAY, make_project, pm_member
from tandem.testing.kit import access_for, make_member, page_client

SHANGHAI = ZoneInfo("Asia/Shanghai")
HTMX = {"HTTP_HX_REQUEST": "true"}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def task_row(client, project, task) -> str:
    text = client.get(f"/projects/{project.pk}/tasks/").content.decode()
    row = text[text.index(f'id="task-{task.pk}"') :]
    return row[: row.index("</tr>")]


def cells(row: str) -> list[str]:
    """The text of a task row's cells."""
    import re

    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


@pytest.fixture
def pm(tenant):
    return pm_member(tenant)


@pytest.fixture
def project(tenant, pm):
    # Starts Monday 2025-03-31: the Qingming holiday is Friday 2025-04-04, then the weekend.
    return make_project(tenant, member=pm, name="工期核对", start_date=date(2025, 3, 31))


def test_a_task_that_starts_and_ends_the_same_day_reads_one_day(pm, project):
    task = task_create(access=access_for(pm), project=project, name="配电箱安装", duration=DAY)
    row = cells(task_row(page_client(pm), project, task))
    assert row[2:5] == ["1 天", "2025-03-31", "2025-03-31"]


def test_a_planned_task_over_a_holiday_and_a_weekend_counts_working_days_only(pm, project):
    access = access_for(pm)
    task = task_create(access=access, project=project, name="桥架安装", duration=5 * DAY)
    # Mon–Thu, then Friday (清明) and the weekend off, then Monday: five working days.
    row = cells(task_row(page_client(pm), project, task))
    assert row[2:5] == ["5 天", "2025-03-31", "2025-04-07"]


def test_a_task_finished_the_day_it_started_reads_one_day_not_its_planned_two(pm, project):
    access = access_for(pm)
    task = task_create(access=access, project=project, name="图纸会审", duration=2 * DAY)
    task_update(access=access, task=task, actual_start=at("2025-03-31 08:00"), actual_finish=at("2025-03-31 17:00"))
    task.refresh_from_db()
    assert task.duration == DAY and task.percent_complete == 100
    row = cells(task_row(page_client(pm), project, task))
    assert row[2:5] == ["1 天", "2025-03-31", "2025-03-31"]


def test_a_finished_task_over_a_holiday_and_a_weekend_lasted_its_working_days(pm, project):
    access = access_for(pm)
    task = task_create(access=access, project=project, name="风管安装", duration=5 * DAY)
    # Thursday 04-03 to Tuesday 04-08: Thursday, Monday and Tuesday are worked (Friday is 清明).
    task_update(access=access, task=task, actual_start=at("2025-04-03 08:00"), actual_finish=at("2025-04-08 17:00"))
    task.refresh_from_db()
    assert task.duration == 3 * DAY
    client = page_client(pm)
    assert cells(task_row(client, project, task))[2:5] == ["3 天", "2025-04-03", "2025-04-08"]
    gantt = client.get(f"/projects/{project.pk}/gantt/data/").json()
    shown = next(t for t in gantt["tasks"] if t["id"] == task.pk)
    assert (shown["duration"], shown["start"], shown["finish"]) == (3.0, "2025-04-03", "2025-04-08")
    form = client.get(f"/projects/{project.pk}/tasks/{task.pk}/edit/", **HTMX).content.decode()
    assert 'name="duration_days"' in form and 'value="3"' in form


def test_a_new_duration_for_a_finished_task_moves_its_actual_finish(pm, project):
    access = access_for(pm)
    task = task_create(access=access, project=project, name="电缆敷设", duration=2 * DAY)
    task_update(access=access, task=task, actual_start=at("2025-04-03 08:00"), actual_finish=at("2025-04-03 17:00"))
    url = f"/projects/{project.pk}/tasks/{task.pk}/edit/"
    page_client(pm).post(url, {"name": task.name, "duration_days": "2", "percent_complete": "100"}, **HTMX)
    task.refresh_from_db()
    assert task.duration == 2 * DAY
    assert task.actual_finish == at("2025-04-07 17:00")  # Thursday and, after 清明 and the weekend, Monday


def test_a_card_dropped_on_done_early_keeps_its_duration(pm, project):
    access = access_for(pm)
    first = task_create(access=access, project=project, name="桥架安装", duration=3 * DAY)
    task = task_create(access=access, project=project, name="灯具安装", duration=2 * DAY)
    dependency_add(access=access, predecessor=first, successor=task)
    task.refresh_from_db()
    # Due Thursday 04-03 and, after 清明 and the weekend, Monday 04-07; dropped on "done" on Thursday at 15:00:
    # it took its two days, up to now (it used to read "2 days" from Thursday to Thursday).
    task = task_status_set(access=access, task=task, status=TaskStatus.DONE, now=at("2025-04-03 15:00"))
    assert task.duration == 2 * DAY
    assert (task.actual_start, task.actual_finish) == (at("2025-04-01 15:00"), at("2025-04-03 15:00"))
    client = page_client(pm)
    card = client.get(f"/projects/{project.pk}/kanban/").content.decode()
    card = card[card.index(f'id="card-{task.pk}"') :]
    assert "04-01 → 04-03" in card[: card.index("kanban-percent")]
    assert cells(task_row(client, project, task))[2:5] == ["2 天", "2025-04-01", "2025-04-03"]


def test_durations_are_days_of_the_calendar_the_task_is_scheduled_on(tenant, pm, project):
    admin = make_member(tenant, "admin")
    long_days = calendar_create(
        access=access_for(admin),
        name="十小时日历",
        week=[[["07:00", "12:00"], ["13:00", "18:00"]]] * 6 + [[]],
        seed_holidays=False,
    )
    access = access_for(pm)
    task = task_create(access=access, project=project, name="夜间吊装", duration=600, calendar=long_days)
    client = page_client(pm)
    assert cells(task_row(client, project, task))[2:5] == ["1 天", "2025-03-31", "2025-03-31"]
    form = client.get(f"/projects/{project.pk}/tasks/{task.pk}/edit/", **HTMX).content.decode()
    assert 'value="1"' in form
    shown = next(t for t in client.get(f"/projects/{project.pk}/gantt/data/").json()["tasks"] if t["id"] == task.pk)
    assert (shown["duration"], shown["minutes_per_day"]) == (1.0, 600)
    client.post(
        f"/projects/{project.pk}/tasks/{task.pk}/edit/",
        {"name": task.name, "duration_days": "2", "percent_complete": "0"},
        **HTMX,
    )
    task.refresh_from_db()
    assert task.duration == 2 * 600


def test_the_excel_sheet_and_the_print_view_show_the_same_days(pm, project):
    access = access_for(pm)
    task = task_create(access=access, project=project, name="调试", duration=3 * DAY)
    task_update(access=access, task=task, actual_start=at("2025-03-31 08:00"), actual_finish=at("2025-03-31 17:00"))
    client = page_client(pm)
    sheet = load_workbook(BytesIO(client.get(f"/projects/{project.pk}/gantt/export/").content)).active
    row = next(r for r in sheet.iter_rows(values_only=True) if r[1] == "调试")
    assert row[2:5] == (1, datetime(2025, 3, 31), datetime(2025, 3, 31))
    printed = client.get(f"/projects/{project.pk}/gantt/print/").content.decode()
    line = printed[printed.index("调试") :]
    assert "1 天" in line[: line.index("</tr>")]
