"""The task list tab: WBS rows with the schedule, the critical filter, inline edit (HTMX), add, delete."""

from tandem.projects.models import Task
from tandem.testing.kit import make_member, page_client

HTMX = {"HTTP_HX_REQUEST": "true"}


def rows_text(response):
    assert response.status_code == 200
    return response.content.decode()


def test_rows_show_wbs_dates_floats_critical_progress_assignees_and_baseline_variance(plan):
    text = rows_text(page_client(plan.pm).get(f"/projects/{plan.project.pk}/tasks/"))
    row = text[text.index(f'id="task-{plan.cable.pk}"') :]
    row = row[: row.index("</tr>")]
    for expected in ("1.2", "电缆敷设", "2 天", "2025-03-06", "2025-03-07", "关键", "0 天"):
        assert expected in row
    assert "--level: 2" in row


def test_the_critical_filter_keeps_critical_tasks_and_their_summaries(plan):
    text = rows_text(page_client(plan.pm).get(f"/projects/{plan.project.pk}/tasks/", {"critical": "1"}, **HTMX))
    assert text.lstrip().startswith('<tbody id="task-rows">')
    assert "桥架安装" in text and "A区机电安装" in text and "送电验收" in text
    assert "标识牌制作" not in text


def test_inline_edit_saves_and_returns_the_rescheduled_list(plan):
    client = page_client(plan.pm)
    url = f"/projects/{plan.project.pk}/tasks/{plan.bridge.pk}/edit/"
    form = rows_text(client.get(url, **HTMX))
    assert 'name="duration_days"' in form and 'value="3"' in form
    text = rows_text(
        client.post(url, {"name": "桥架安装（含支吊架）", "duration_days": "5", "percent_complete": "20"}, **HTMX)
    )
    assert "桥架安装（含支吊架）" in text
    plan.cable.refresh_from_db()
    plan.bridge.refresh_from_db()
    assert plan.bridge.duration == 5 * 480 and plan.bridge.percent_complete == 20
    cable_row = text[text.index(f'id="task-{plan.cable.pk}"') :]
    assert "2025-03-10" in cable_row[: cable_row.index("</tr>")]  # the successor moved past the weekend


def test_a_refused_edit_stays_in_its_row_and_changes_nothing(plan):
    url = f"/projects/{plan.project.pk}/tasks/{plan.bridge.pk}/edit/"
    response = page_client(plan.pm).post(url, {"name": "", "duration_days": "3", "percent_complete": "150"}, **HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#task-{plan.bridge.pk}"
    assert "is-invalid" in response.content.decode()
    plan.bridge.refresh_from_db()
    assert plan.bridge.name == "桥架安装" and plan.bridge.percent_complete == 0


def test_a_summary_row_edits_only_its_name(plan):
    url = f"/projects/{plan.project.pk}/tasks/{plan.zone.pk}/edit/"
    client = page_client(plan.pm)
    assert 'name="duration_days"' not in rows_text(client.get(url, **HTMX))
    rows_text(client.post(url, {"name": "A区", "duration_days": "30", "percent_complete": "50"}, **HTMX))
    plan.zone.refresh_from_db()
    assert plan.zone.name == "A区" and plan.zone.percent_complete == 0


def test_adding_a_sub_task_and_a_milestone(plan):
    client = page_client(plan.pm)
    url = f"/projects/{plan.project.pk}/tasks/add/"
    response = client.post(url, {"name": "接地测试", "parent": plan.zone.pk, "duration_days": "1.5"})
    assert response.status_code == 302
    task = Task.objects.get(project=plan.project, name="接地测试")
    assert task.parent_id == plan.zone.pk and task.outline_number == "1.4" and task.duration == 720
    client.post(url, {"name": "竣工验收", "duration_days": "3", "is_milestone": "on"})
    milestone = Task.objects.get(project=plan.project, name="竣工验收")
    assert milestone.is_milestone and milestone.duration == 0 and milestone.outline_number == "3"
    text = rows_text(client.get(f"/projects/{plan.project.pk}/tasks/?parent={plan.zone.pk}"))
    assert f'<option value="{plan.zone.pk}" selected>' in text


def test_deleting_a_task_returns_the_list_without_it(plan):
    url = f"/projects/{plan.project.pk}/tasks/{plan.signs.pk}/delete/"
    text = rows_text(page_client(plan.pm).post(url, **HTMX))
    assert "标识牌制作" not in text and "电缆敷设" in text
    assert not Task.objects.filter(pk=plan.signs.pk).exists()


def test_readers_cannot_edit_add_or_delete(plan):
    finance = make_member(plan.project.tenant, "finance")
    client = page_client(finance)
    text = rows_text(client.get(f"/projects/{plan.project.pk}/tasks/"))
    assert 'id="task-add-form"' not in text and "/edit/" not in text and "/delete/" not in text
    base = f"/projects/{plan.project.pk}/tasks/"
    assert client.post(f"{base}{plan.bridge.pk}/edit/", {"name": "x"}).status_code == 403
    assert client.post(f"{base}add/", {"name": "x", "duration_days": "1"}).status_code == 403
    assert client.post(f"{base}{plan.bridge.pk}/delete/").status_code == 403
    assert Task.objects.filter(project=plan.project).count() == 5


def test_a_task_of_another_project_is_not_found_under_this_one(plan, tenant):
    from tandem.projects.tests.factories import make_chain, make_project

    other = make_project(tenant, member=plan.pm)
    (foreign,) = make_chain(other, plan.pm, "别的项目的任务")
    url = f"/projects/{plan.project.pk}/tasks/{foreign.pk}/edit/"
    assert page_client(plan.pm).get(url, **HTMX).status_code == 404
