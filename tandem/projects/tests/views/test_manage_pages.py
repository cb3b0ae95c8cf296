"""Project set-up pages: create and edit (audited, bad input changes nothing), new from a template,
MS Project import (hostile XML refused on the page) and export."""

from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.audit.models import AuditEntry
from tandem.calendars.models import WorkCalendar
from tandem.crm.tests.factories import make_account, make_deal
from tandem.projects.models import Project, Task
from tandem.projects.services.templates import template_define
from tandem.projects.tests.factories import DAY, make_chain, make_project, pm_member
from tandem.scheduling.engine.mspdi import read
from tandem.testing.kit import access_for, make_member, page_client

DATA = Path(__file__).resolve().parents[5] / "shared" / "data" / "mspdi"
SAMPLE = DATA / "mspdirelations.xml"


def audits(project, action):
    return AuditEntry.objects.filter(object_type="projects.project", object_id=str(project.pk), action=action)


def new_project_data(pm, **overrides):
    data = {
        "name": "综合楼机电安装",
        "code": "JD-01",
        "owner": pm.user_id,
        "start_date": "2025-03-03",
        "calendar": "",
        "status": "planning",
        "health": "on_track",
    }
    data.update(overrides)
    return data


def test_the_new_project_page_renders_in_chinese_with_crm_links(tenant):
    pm = pm_member(tenant)
    response = page_client(pm).get("/projects/new/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "新建项目" in text and "项目经理" in text
    assert 'name="account"' in text and 'name="deal"' in text and 'name="contract"' in text
    listing = page_client(pm).get("/projects/").content.decode()
    assert 'href="/projects/new/"' in listing and 'href="/projects/import/"' in listing


def test_creating_a_project_saves_it_with_its_team_and_audits_it(tenant):
    pm = pm_member(tenant)
    engineer = make_member(tenant, "pm")
    account = make_account(tenant, pm.user, name="华东电力")
    client = page_client(pm)
    calendar_id = client.get("/projects/new/").context["form"].initial["calendar"]
    data = new_project_data(pm, calendar=calendar_id, team=[engineer.user_id], account=account.pk)
    response = client.post("/projects/new/", data)
    project = Project.objects.get(tenant=tenant, code="JD-01")
    assert response.status_code == 302 and response["Location"] == f"/projects/{project.pk}/"
    assert (project.name, project.owner_id, project.account_id) == ("综合楼机电安装", pm.user_id, account.pk)
    assert list(project.team.all()) == [engineer.user]
    assert audits(project, "create").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"start_date": "2025-02-30"}, "start_date"),
        ({"planned_finish": "2025-01-01"}, "planned_finish"),
        ({"contract_finish": "2024-12-31"}, "contract_finish"),
        ({"status": "completed"}, "status"),
        ({"owner": 999999}, "owner"),
    ],
)
def test_bad_input_is_shown_on_the_form_and_writes_nothing(tenant, overrides, field):
    pm = pm_member(tenant)
    client = page_client(pm)
    calendar_id = client.get("/projects/new/").context["form"].initial["calendar"]
    audit_before = AuditEntry.objects.count()
    response = client.post("/projects/new/", new_project_data(pm, calendar=calendar_id, **overrides))
    assert response.status_code == 200
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert 'id="form-errors"' in response.content.decode()
    assert not Project.objects.filter(tenant=tenant).exists()
    assert AuditEntry.objects.filter(object_type="projects.project").count() == 0
    assert AuditEntry.objects.count() == audit_before


def test_a_code_already_taken_is_refused(tenant):
    pm = pm_member(tenant)
    make_project(tenant, member=pm, code="JD-01")
    client = page_client(pm)
    calendar_id = client.get("/projects/new/").context["form"].initial["calendar"]
    response = client.post("/projects/new/", new_project_data(pm, calendar=calendar_id))
    assert response.status_code == 200 and response.context["form"].errors
    assert Project.objects.filter(tenant=tenant).count() == 1


def test_a_deal_of_another_account_is_refused(tenant):
    pm = pm_member(tenant)
    ours, theirs = make_account(tenant, pm.user), make_account(tenant, pm.user)
    deal = make_deal(tenant, pm.user, theirs)
    client = page_client(pm)
    calendar_id = client.get("/projects/new/").context["form"].initial["calendar"]
    response = client.post("/projects/new/", new_project_data(pm, calendar=calendar_id, account=ours.pk, deal=deal.pk))
    assert response.context["form"].errors["deal"]
    assert not Project.objects.filter(tenant=tenant).exists()


def test_editing_a_project_reschedules_and_audits_what_changed(tenant):
    pm = pm_member(tenant)
    project = make_project(tenant, member=pm, name="旧名称")
    make_chain(project, pm, "放线", "安装")
    client = page_client(pm)
    form = client.get(f"/projects/{project.pk}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("account", "deal", "contract")}
    data.update(name="新名称", start_date="2025-03-10", health="at_risk")
    response = client.post(f"/projects/{project.pk}/edit/", data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.name, project.start_date, project.health) == ("新名称", date(2025, 3, 10), "at_risk")
    first = Task.objects.filter(project=project).order_by("sort_order").first()
    assert first.early_start.date() == date(2025, 3, 10)
    entry = audits(project, "update").latest("id")
    assert entry.before["name"] == "旧名称" and entry.after["name"] == "新名称"
    assert 'id="project-edit"' in client.get(f"/projects/{project.pk}/").content.decode()


def test_a_bad_edit_changes_nothing(tenant):
    pm = pm_member(tenant)
    project = make_project(tenant, member=pm, name="原项目")
    client = page_client(pm)
    form = client.get(f"/projects/{project.pk}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("account", "deal", "contract")}
    data.update(name="改了", contract_finish="2024-01-01")
    updates = audits(project, "update").count()
    response = client.post(f"/projects/{project.pk}/edit/", data)
    assert response.status_code == 200 and response.context["form"].errors["contract_finish"]
    project.refresh_from_db()
    assert project.name == "原项目" and project.contract_finish is None
    assert audits(project, "update").count() == updates
    assert "原项目" in response.content.decode()


def test_members_without_rights_are_refused(tenant):
    pm = pm_member(tenant)
    project = make_project(tenant, member=pm)
    sales = make_member(tenant, "sales_manager")  # may see projects, not change or create them
    client = page_client(sales)
    for url in ("/projects/new/", "/projects/new/from-template/", "/projects/import/"):
        assert client.get(url).status_code == 403, url
    assert client.get(f"/projects/{project.pk}/edit/").status_code == 403
    assert client.post(f"/projects/{project.pk}/edit/", {"name": "x"}).status_code == 403
    assert Project.objects.get(pk=project.pk).name == project.name
    assert 'href="/projects/new/"' not in client.get("/projects/").content.decode()


def _template(pm):
    return template_define(
        access=access_for(pm),
        name="配电房安装模板",
        tasks=[
            {"key": "a", "name": "设备进场", "duration": 2 * DAY, "role": "pm"},
            {"key": "b", "name": "接线", "duration": 3 * DAY, "role": "电工"},
            {"key": "c", "name": "送电验收", "is_milestone": True, "duration": 0, "payment_percent": "30"},
        ],
        links=[{"predecessor_key": "a", "successor_key": "b"}, {"predecessor_key": "b", "successor_key": "c"}],
    )


def test_a_project_from_a_template_gives_each_role_a_person(tenant):
    pm = pm_member(tenant)
    electrician = make_member(tenant, "foreman")
    template = _template(pm)
    client = page_client(pm)
    page = client.get(f"/projects/new/from-template/?template={template.pk}")
    assert page.status_code == 200 and "电工" in page.content.decode()
    form = page.context["form"]
    assert [f.label for f in form.role_fields()] == ["电工"]
    data = {
        "template": template.pk,
        "name": "3号配电房",
        "start_date": "2025-03-03",
        "owner": pm.user_id,
        "calendar": form.initial["calendar"],
        "role_0": electrician.user_id,
    }
    response = client.post("/projects/new/from-template/", data)
    project = Project.objects.get(tenant=tenant, name="3号配电房")
    assert response["Location"] == f"/projects/{project.pk}/gantt/"
    tasks = {t.name: t for t in Task.objects.filter(project=project).prefetch_related("assignees")}
    assert [u.pk for u in tasks["接线"].assignees.all()] == [electrician.user_id]
    assert [u.pk for u in tasks["设备进场"].assignees.all()] == [pm.user_id]
    assert tasks["送电验收"].payment_percent == 30


def test_a_project_from_a_template_without_a_start_date_writes_nothing(tenant):
    pm = pm_member(tenant)
    template = _template(pm)
    client = page_client(pm)
    data = {"template": template.pk, "name": "X", "start_date": "", "owner": pm.user_id}
    response = client.post("/projects/new/from-template/", data)
    assert response.status_code == 200 and response.context["form"].errors["start_date"]
    assert not Project.objects.filter(tenant=tenant).exists()
    assert client.get("/projects/new/from-template/").status_code == 200


def upload(client, content: bytes, name="plan.xml", **extra):
    file = SimpleUploadedFile(name, content, "application/xml")
    return client.post("/projects/import/", {"file": file, **extra})


@pytest.mark.skipif(not SAMPLE.is_file(), reason=f"MSPDI sample not found at {SAMPLE}")
def test_importing_a_file_lands_on_the_new_projects_gantt(tenant):
    pm = pm_member(tenant)
    client = page_client(pm)
    assert "导入" in client.get("/projects/import/").content.decode()
    response = upload(client, SAMPLE.read_bytes(), name=SAMPLE.name, code="MSP-9")
    project = Project.objects.get(tenant=tenant, code="MSP-9")
    assert response.status_code == 302 and response["Location"] == f"/projects/{project.pk}/gantt/"
    assert Task.objects.filter(project=project).count() > 0


HOSTILE = {
    "xxe": b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<Project xmlns="http://schemas.microsoft.com/project"><Name>&x;</Name></Project>',
    "billion-laughs": b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    b"<Project><Name>&lol3;</Name></Project>",
    "truncated": b'<?xml version="1.0"?><Project xmlns="http://schemas.microsoft.com/project"><Tasks><Task>',
    "empty": b"",
}


@pytest.mark.parametrize("kind", HOSTILE, ids=list(HOSTILE))
def test_hostile_or_broken_files_are_refused_on_the_page_and_write_nothing(tenant, kind):
    pm = pm_member(tenant)
    client = page_client(pm)
    calendars = WorkCalendar.objects.count()
    response = upload(client, HOSTILE[kind])
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors
    if kind in ("xxe", "billion-laughs"):
        assert "DTD" in errors[0]
    text = response.content.decode()
    assert "root:" not in text and "lollol" not in text
    assert not Project.objects.filter(tenant=tenant).exists()
    assert WorkCalendar.objects.count() == calendars


def test_export_to_ms_project_downloads_xml_that_reads_back(tenant):
    pm = pm_member(tenant)
    project = make_project(tenant, member=pm, name="导出测试")
    make_chain(project, pm, "基础", "主体")
    client = page_client(pm)
    assert f'href="/projects/{project.pk}/export/mspdi/"' in client.get(f"/projects/{project.pk}/").content.decode()
    response = client.get(f"/projects/{project.pk}/export/mspdi/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    assert f'{project.number}.xml"' in response["Content-Disposition"]
    document = read(response.content)
    assert [t.name for t in document.tasks if not t.is_project_summary] == ["基础", "主体"]
