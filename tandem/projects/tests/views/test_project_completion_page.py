"""The project form warns when a project with open tasks is set to completed, and asks why."""

from tandem.projects.models import ProjectStatusUpdate
from tandem.projects.tests.factories import make_chain, make_project
from tandem.testing.kit import make_member, page_client


def form_data(project, **changes):
    data = {
        "name": project.name,
        "code": project.code,
        "owner": project.owner_id,
        "start_date": project.start_date.isoformat(),
        "calendar": project.calendar_id,
        "status": project.status,
        "health": project.health,
    }
    data.update(changes)
    return data


def test_the_warning_waits_for_the_completed_status_then_asks_for_a_reason(tenant):
    pm = make_member(tenant, "pm")
    project = make_project(tenant, member=pm, name="机房改造")
    make_chain(project, pm, "拆除旧机柜", "新机柜安装", "联调")
    client = page_client(pm)
    page = client.get(f"/projects/{project.pk}/edit/").content.decode()
    panel = page[page.index('id="completion-panel"') - 40 :]
    assert "d-none" in panel[: panel.index(">")]  # hidden until 已完成 is chosen
    assert 'data-shown-value="completed"' in panel
    assert "只完成了 0 / 3 项任务" in panel

    refused = client.post(f"/projects/{project.pk}/edit/", form_data(project, status="completed"))
    assert refused.status_code == 200
    text = refused.content.decode()
    shown = text[text.index('id="completion-panel"') - 40 :]
    assert "d-none" not in shown[: shown.index(">")]
    assert "3 项任务中有 3 项尚未完成" in text
    project.refresh_from_db()
    assert project.status == "planning"

    saved = client.post(
        f"/projects/{project.pk}/edit/", form_data(project, status="completed", completion_reason="甲方要求提前移交")
    )
    assert saved.status_code == 302
    project.refresh_from_db()
    assert project.status == "completed"
    assert "甲方要求提前移交" in ProjectStatusUpdate.objects.get(project=project).text
    overview = client.get(f"/projects/{project.pk}/").content.decode()
    assert "甲方要求提前移交" in overview


def test_a_project_without_open_tasks_has_no_warning(tenant):
    pm = make_member(tenant, "pm")
    project = make_project(tenant, member=pm)
    page = page_client(pm).get(f"/projects/{project.pk}/edit/").content.decode()
    assert 'id="completion-panel"' not in page
