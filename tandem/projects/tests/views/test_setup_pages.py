"""Template, work calendar and delay warning pages: render in Chinese, write through the services (audited,
rescheduling), refuse bad input without writing, refuse members without rights, constant queries on lists."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.audit.models import AuditEntry
from tandem.calendars.models import CalendarException, WorkCalendar
from tandem.calendars.services.calendars import calendar_create
from tandem.calendars.tests.helpers import week_data
from tandem.projects.models import ProjectTemplate, TemplateTask
from tandem.projects.services.tasks import task_update
from tandem.projects.services.templates import template_define
from tandem.projects.tests.api.test_query_counts import add_calendars, add_late_projects, add_templates
from tandem.projects.tests.factories import DAY, make_chain, make_project, pm_member
from tandem.testing.kit import access_for, make_member, page_client


def assert_constant_queries(client, url, tenant, add_rows, key="page"):
    client.get(url)  # warm-up
    with CaptureQueriesContext(connection) as few_queries:
        few = client.get(url)
    add_rows(tenant, 27)
    with CaptureQueriesContext(connection) as many_queries:
        many = client.get(url)
    assert few.status_code == many.status_code == 200
    assert len(many.context[key].object_list if key == "page" else many.context[key]) >= 30
    assert len(many_queries) == len(few_queries), "\n".join(q["sql"] for q in many_queries.captured_queries)


# --- templates ---------------------------------------------------------------------------------------


def test_save_as_template_turns_people_into_roles_and_the_template_shows_its_milestones(tenant):
    pm = pm_member(tenant)
    foreman = make_member(tenant, "foreman")
    project = make_project(tenant, member=pm, name="水泵房改造")
    dig, lay, done = make_chain(project, pm, "开挖", "管道安装", "试压验收")
    access = access_for(pm)
    task_update(access=access, task=lay, assignees=[foreman.user])
    task_update(access=access, task=done, is_milestone=True, payment_percent=40)
    client = page_client(pm)
    page = client.get(f"/projects/{project.pk}/save-as-template/")
    assert page.status_code == 200 and "另存为模板" in page.content.decode()
    data = {"name": "泵房模板", "description": "", f"role_{pm.user_id}": "pm", f"role_{foreman.user_id}": "管道工"}
    response = client.post(f"/projects/{project.pk}/save-as-template/", data)
    template = ProjectTemplate.objects.get(tenant=tenant, name="泵房模板")
    assert response["Location"] == f"/projects/templates/{template.pk}/"
    assert TemplateTask.objects.get(template=template, name="管道安装").role == "管道工"
    assert AuditEntry.objects.filter(object_type="projects.projecttemplate", object_id=str(template.pk)).exists()
    detail = client.get(response["Location"])
    text = detail.content.decode()
    assert detail.status_code == 200 and "试压验收" in text and "40%" in text and "里程碑" in text
    assert 'id="use-template"' in text


def test_save_as_template_without_a_name_writes_nothing(tenant):
    pm = pm_member(tenant)
    project = make_project(tenant, member=pm)
    response = page_client(pm).post(
        f"/projects/{project.pk}/save-as-template/", {"name": " ", f"role_{pm.user_id}": ""}
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not ProjectTemplate.objects.filter(tenant=tenant).exists()


def test_the_template_list_shows_versions_and_deleting_the_current_one_brings_back_the_previous(tenant):
    admin = make_member(tenant, "admin")
    access = access_for(admin)
    first = template_define(access=access, name="标准模板", tasks=[{"key": "a", "name": "A", "duration": DAY}])
    second = template_define(access=access, name="标准模板", tasks=[{"key": "a", "name": "B", "duration": DAY}])
    client = page_client(admin)
    listing = client.get("/projects/templates/")
    text = listing.content.decode()
    assert listing.status_code == 200 and "项目模板" in text and "v1" in text and "v2" in text
    response = client.post(f"/projects/templates/{second.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/projects/templates/"
    first.refresh_from_db()
    assert first.is_current and not ProjectTemplate.objects.filter(pk=second.pk).exists()
    assert AuditEntry.objects.filter(object_type="projects.projecttemplate", action="delete").count() == 1


def test_template_pages_refuse_members_without_rights(tenant):
    admin = make_member(tenant, "admin")
    template = template_define(access=access_for(admin), name="模板", tasks=[{"key": "a", "name": "A"}])
    project = make_project(tenant, member=make_member(tenant, "pm"))
    sales = page_client(make_member(tenant, "sales_manager"))  # may view, not add or delete
    assert sales.post(f"/projects/templates/{template.pk}/delete/").status_code == 403
    assert sales.get(f"/projects/{project.pk}/save-as-template/").status_code == 403
    assert ProjectTemplate.objects.filter(pk=template.pk).exists()
    nobody = page_client(make_member(tenant))
    assert nobody.get("/projects/templates/").status_code == 403
    assert nobody.get(f"/projects/templates/{template.pk}/").status_code == 403


def test_the_template_list_queries_do_not_grow(tenant):
    add_templates(tenant, 3)
    assert_constant_queries(page_client(make_member(tenant, "admin")), "/projects/templates/", tenant, add_templates)


# --- work calendars ----------------------------------------------------------------------------------


def test_the_calendar_pages_render_in_chinese(tenant):
    pm = pm_member(tenant)
    project = make_project(tenant, member=pm)
    client = page_client(pm)
    listing = client.get("/projects/calendars/")
    assert listing.status_code == 200 and "工作日历" in listing.content.decode()
    detail = client.get(f"/projects/calendars/{project.calendar_id}/?year=2025")
    text = detail.content.decode()
    assert detail.status_code == 200 and "春节" in text and "调休" in text and 'id="library-note"' in text


def test_creating_a_calendar_seeds_holidays_and_bad_hours_write_nothing(tenant):
    pm = pm_member(tenant)
    client = page_client(pm)
    data = {"name": "六天工作制", "seed_holidays": "on", **{f"day_{i}": "08:00-12:00, 13:00-17:00" for i in range(6)}}
    response = client.post("/projects/calendars/new/", data)
    calendar = WorkCalendar.objects.get(tenant=tenant, name="六天工作制")
    assert response["Location"] == f"/projects/calendars/{calendar.pk}/"
    assert calendar.week[5] == [["08:00", "12:00"], ["13:00", "17:00"]] and calendar.week[6] == []
    assert CalendarException.objects.filter(calendar=calendar).exists()
    assert AuditEntry.objects.filter(object_type="projects.workcalendar", object_id=str(calendar.pk)).exists()

    for bad in ({"day_0": "8点到12点"}, {"day_0": "13:00-12:00"}, {"day_0": "25:00-26:00"}):
        response = client.post("/projects/calendars/new/", {**data, "name": "坏日历", **bad})
        assert response.status_code == 400 and 'id="form-errors"' in response.content.decode()
    empty = {"name": "坏日历", **{f"day_{i}": "" for i in range(7)}}
    assert client.post("/projects/calendars/new/", empty).status_code == 400
    assert client.post("/projects/calendars/new/", {**data, "name": "六天工作制"}).status_code == 400
    assert not WorkCalendar.objects.filter(tenant=tenant, name="坏日历").exists()
    assert WorkCalendar.objects.filter(tenant=tenant, name="六天工作制").count() == 1


def test_editing_the_week_reschedules_the_projects_on_the_calendar(tenant):
    pm = pm_member(tenant)
    project = make_project(tenant, member=pm)  # Monday 2025-03-03
    (task,) = make_chain(project, pm, "连续施工", days=6)
    assert task.early_finish.date() == date(2025, 3, 10)  # Mon–Fri, then Monday
    calendar = project.calendar
    client = page_client(pm)
    response = client.post(f"/projects/calendars/{calendar.pk}/", week_data(calendar, day_5="08:00-12:00, 13:00-17:00"))
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.early_finish.date() == date(2025, 3, 8)  # the Saturday now works
    calendar.refresh_from_db()
    assert calendar.week[5] and AuditEntry.objects.filter(object_type="projects.workcalendar", action="update").exists()

    before = calendar.week
    response = client.post(f"/projects/calendars/{calendar.pk}/", week_data(calendar, day_2="17:00-08:00"))
    assert response.status_code == 400 and 'id="form-errors"' in response.content.decode()
    calendar.refresh_from_db()
    assert calendar.week == before


def test_holidays_and_make_up_workdays_are_added_and_removed_with_a_reschedule(tenant):
    pm = pm_member(tenant)
    project = make_project(tenant, member=pm, start_date=date(2031, 3, 3))  # past the holiday library
    (task,) = make_chain(project, pm, "设备安装", days=2)
    assert task.early_finish.date() == date(2031, 3, 4)
    calendar = project.calendar
    client = page_client(pm)
    detail = client.get(f"/projects/calendars/{calendar.pk}/?year=2031").content.decode()
    assert 'id="library-gap"' in detail and "唯一来源" in detail
    url = f"/projects/calendars/{calendar.pk}/exceptions/add/"
    response = client.post(url, {"date": "2031-03-04", "kind": "holiday", "name": "停电检修"})
    assert response["Location"] == f"/projects/calendars/{calendar.pk}/?year=2031"
    task.refresh_from_db()
    assert task.early_finish.date() == date(2031, 3, 5)
    exception = CalendarException.objects.get(calendar=calendar, date=date(2031, 3, 4))
    assert exception.name == "停电检修" and not exception.is_working
    assert "停电检修" in client.get(response["Location"]).content.decode()

    bad = client.post(url, {"date": "2031-03-08", "kind": "holiday", "hours": "08:00-12:00"})
    assert bad.status_code == 400 and bad.context["exception_form"].errors["hours"]
    bad = client.post(url, {"date": "2031-03-08", "kind": "workday", "hours": "12:00-08:00"})
    assert bad.status_code == 400 and bad.context["exception_form"].errors["hours"]
    assert client.post(url, {"date": "", "kind": "holiday"}).status_code == 400
    assert not CalendarException.objects.filter(calendar=calendar, date=date(2031, 3, 8)).exists()

    response = client.post(f"/projects/calendars/{calendar.pk}/exceptions/{exception.pk}/delete/")
    assert response.status_code == 302 and not CalendarException.objects.filter(pk=exception.pk).exists()
    task.refresh_from_db()
    assert task.early_finish.date() == date(2031, 3, 4)


def test_a_calendar_in_use_is_not_deleted(tenant):
    pm = pm_member(tenant)
    calendar = calendar_create(access=access_for(pm), name="在用日历", seed_holidays=False)
    make_project(tenant, member=pm, calendar=calendar)
    response = page_client(pm).post(f"/projects/calendars/{calendar.pk}/delete/", follow=True)
    assert response.status_code == 200 and WorkCalendar.objects.filter(pk=calendar.pk).exists()
    spare = calendar_create(access=access_for(pm), name="闲置日历", seed_holidays=False)
    assert page_client(pm).post(f"/projects/calendars/{spare.pk}/delete/").status_code == 302
    assert not WorkCalendar.objects.filter(pk=spare.pk).exists()


def test_the_calendar_list_queries_do_not_grow(tenant):
    add_calendars(tenant, 3)
    client = page_client(make_member(tenant, "admin"))
    assert_constant_queries(client, "/projects/calendars/", tenant, add_calendars, key="calendars")


# --- delay warnings ----------------------------------------------------------------------------------


def test_the_warning_list_shows_who_acts_and_filters_by_kind_and_person(tenant):
    pm = pm_member(tenant)
    project = make_project(
        tenant, member=pm, name="延误项目", start_date=date(2024, 3, 4), contract_finish=date(2024, 3, 4)
    )
    (task,) = make_chain(project, pm, "未开工的任务", days=3)
    foreman = make_member(tenant, "foreman")
    task_update(access=access_for(pm), task=task, assignees=[foreman.user])
    client = page_client(pm)
    response = client.get("/projects/warnings/")
    text = response.content.decode()
    assert response.status_code == 200 and "延期预警" in text and "延误项目" in text
    kinds = {w.kind for w in response.context["page"]}
    assert kinds == {"project_late", "not_started"}
    late = client.get("/projects/warnings/?kind=not_started").context["page"]
    assert [w.owner for w in late] == [foreman.user]
    mine = client.get("/projects/warnings/?owner=me").context["page"]
    assert [w.kind for w in mine] == ["project_late"]
    assert len(client.get(f"/projects/warnings/?owner={foreman.user_id}").context["page"].object_list) == 1
    partial = client.get("/projects/warnings/?kind=project_late", HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode() and "延误项目" in partial.content.decode()
    assert 'href="/projects/warnings/"' in client.get("/").content.decode()


def test_the_warning_list_shows_only_projects_the_member_may_see(tenant):
    pm = pm_member(tenant)
    project = make_project(
        tenant, member=pm, name="别人的项目", start_date=date(2024, 3, 4), contract_finish=date(2024, 3, 4)
    )
    make_chain(project, pm, "任务")
    foreman = make_member(tenant, "foreman")  # sees their own projects only
    response = page_client(foreman).get("/projects/warnings/")
    assert response.status_code == 200 and "别人的项目" not in response.content.decode()
    assert page_client(make_member(tenant)).get("/projects/warnings/").status_code == 403


def test_the_warning_list_queries_do_not_grow(tenant):
    add_late_projects(tenant, 3)
    client = page_client(make_member(tenant, "admin"))
    assert_constant_queries(client, "/projects/warnings/?per_page=200", tenant, add_late_projects)


@pytest.mark.parametrize("url", ["/projects/warnings/?kind=nonsense&owner=abc&page=-3", "/projects/warnings/?q=%00"])
def test_odd_warning_filters_do_not_fail(tenant, url):
    assert page_client(pm_member(tenant)).get(url).status_code == 200
