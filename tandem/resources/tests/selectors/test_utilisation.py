"""Utilisation per resource × ISO week: booked hours against capacity on the tenant calendar (holidays, 调休),
less leave; grouped by department or skill; the tasks behind one cell."""

from datetime import date
from decimal import Decimal

import pytest

from tandem.accounts.models import Department
from tandem.crm.tests.factories import make_account
from tandem.projects.tests.factories import START, make_chain, make_project, pm_member
from tandem.resources.selectors.utilisation import cell_tasks, utilisation, week_start, weeks_between
from tandem.resources.tests.factories import make_allocation, make_leave, make_resource
from tandem.testing.kit import access_for, make_member

pytestmark = pytest.mark.django_db


def _rows(result):
    return {row.resource.name: row for group in result.groups for row in group.rows}


def _cell(result, name, monday):
    (cell,) = [c for c in _rows(result)[name].cells if c.week == monday]
    return cell


def test_weeks_are_whole_iso_weeks():
    assert week_start(date(2025, 3, 9)) == START  # a Sunday belongs to the week before
    assert weeks_between(date(2025, 3, 5), date(2025, 3, 17)) == [START, date(2025, 3, 10), date(2025, 3, 17)]


def test_one_engineer_on_two_overlapping_tasks_is_over_200_percent_that_week(tenant):
    member = pm_member(tenant)
    (wiring,) = make_chain(make_project(tenant, member=member, name="机房布线"), member, "布线", days=5)
    (testing,) = make_chain(make_project(tenant, member=member, name="弱电调试"), member, "调试", days=3)
    engineer = make_resource(tenant, "李工")
    idle = make_resource(tenant, "王工")
    make_allocation(engineer, wiring, member)
    make_allocation(engineer, testing, member)

    result = utilisation(access_for(member), START, date(2025, 3, 16))

    assert result.weeks == [START, date(2025, 3, 10)] and (result.first, result.last) == (START, date(2025, 3, 16))
    busy = _cell(result, "李工", START)
    assert (busy.booked_hours, busy.capacity_hours, busy.percent, busy.over_days) == (64.0, 40.0, 160, 3)
    assert busy.level == "over" and busy.iso_week == "2025-W10"
    after = _cell(result, "李工", date(2025, 3, 10))
    assert (after.booked, after.capacity_hours, after.percent, after.level) == (0, 40.0, 0, "under")
    assert _cell(result, "王工", START).level == "under" and result.over_cells == 1
    assert _rows(result)["李工"].percent == 80 and _rows(result)["李工"].over_weeks == 1
    assert idle.pk in {r.resource.pk for r in result.groups[0].rows}


def test_holidays_and_the_working_saturday_of_the_tenant_calendar_set_the_capacity(tenant):
    member = pm_member(tenant)
    make_project(tenant, member=member)  # creates the default calendar with the Chinese holidays
    make_resource(tenant, "李工")
    crew = make_resource(tenant, "安装一班", kind="crew", headcount=5)

    result = utilisation(access_for(member), date(2025, 9, 22), date(2025, 10, 12))

    # 9/22–9/28: six days (Sunday 9/28 is a 调休 workday); 9/29–10/5: two days before the National Day holiday;
    # 10/6–10/12: Thursday, Friday and the working Saturday 10/11.
    capacities = [c.capacity_hours for c in _rows(result)["李工"].cells]
    assert capacities == [48.0, 16.0, 24.0]
    assert [c.capacity_hours for c in _rows(result)["安装一班"].cells] == [240.0, 80.0, 120.0]
    assert crew.headcount == 5


def test_leave_takes_capacity_away_whole_days_or_hours(tenant):
    member = pm_member(tenant)
    (task,) = make_chain(make_project(tenant, member=member), member, "机柜安装", days=5)
    engineer = make_resource(tenant, "李工")
    make_allocation(engineer, task, member)
    make_leave(engineer, member, date(2025, 3, 4), date(2025, 3, 5))
    make_leave(engineer, member, date(2025, 3, 6), hours_off=Decimal("4"))

    cell = _cell(utilisation(access_for(member), START, START), "李工", START)

    # 40 h booked against 8 + 0 + 0 + 4 + 8 = 20 h.
    assert (cell.booked_hours, cell.capacity_hours, cell.percent, cell.over_days) == (40.0, 20.0, 200, 3)


def test_grouping_by_skill_puts_a_resource_in_each_of_its_skills(tenant):
    member = pm_member(tenant)
    make_resource(tenant, "李工", skills=[("弱电调试", 5), ("电工", 2)])
    make_resource(tenant, "王工", skills=["电工"])
    make_resource(tenant, "张工")

    result = utilisation(access_for(member), START, START, group="skill")

    groups = [(g.label, [(r.resource.name, r.skill_level) for r in g.rows]) for g in result.groups]
    assert groups[:2] == [("弱电调试", [("李工", 5)]), ("电工", [("王工", 3), ("李工", 2)])]
    assert groups[2][1] == [("张工", None)] and result.groups[2].key == "skill-none"
    assert result.resource_count == 3


def test_grouping_by_department_and_the_filters(tenant):
    member = pm_member(tenant)
    weak = Department.objects.create(tenant=tenant, name="弱电班组")
    power = Department.objects.create(tenant=tenant, name="强电班组")
    project = make_project(tenant, member=member)
    (task,) = make_chain(project, member, "布线", days=2)
    li = make_resource(tenant, "李工", department=weak, skills=["弱电调试"])
    make_resource(tenant, "王工", department=power, code="W-02")
    make_resource(tenant, "安装一班", kind="crew", headcount=4, department=weak)
    make_resource(tenant, "张工")
    make_resource(tenant, "退休老赵", is_active=False)
    make_allocation(li, task, member)
    access = access_for(member)

    result = utilisation(access, START, START, group="department")
    assert [(g.label, [r.resource.name for r in g.rows]) for g in result.groups][:2] == [
        ("弱电班组", ["安装一班", "李工"]),
        ("强电班组", ["王工"]),
    ]
    assert [r.resource.name for r in result.groups[2].rows] == ["张工"] and result.groups[2].key == "department-none"

    def names(**filters):
        return sorted(_rows(utilisation(access, START, START, group="none", **filters)))

    assert names(department=weak.pk) == ["安装一班", "李工"]
    assert names(kind="crew") == ["安装一班"]
    assert names(search="w-0") == ["王工"]
    assert names(project=project.pk) == ["李工"]
    assert names(skill=li.skill_levels.get().skill_id) == ["李工"]
    assert names(project=project.pk, search="王") == []
    # A project whose work is outside the range books nobody in it.
    assert names(project=project.pk) == sorted(_rows(utilisation(access, START, START, project=project.pk)))
    assert _rows(utilisation(access, date(2025, 6, 2), date(2025, 6, 2), project=project.pk)) == {}


def test_the_tasks_behind_a_cell_with_their_hours_project_and_customer_tier(tenant):
    member = pm_member(tenant)
    account = make_account(tenant, member.user, name="上海浦东建设有限公司", tier="vip")
    vip = make_project(tenant, member=member, name="浦东园区弱电改造")
    vip.account_id = account.pk
    vip.save(update_fields=["account_id"])
    (cabling,) = make_chain(vip, member, "机房布线", days=3)
    (other,) = make_chain(make_project(tenant, member=member, name="内部培训"), member, "培训", days=5)
    engineer = make_resource(tenant, "李工")
    make_allocation(engineer, cabling, member)
    make_allocation(engineer, other, member, units=50)
    make_leave(engineer, member, date(2025, 3, 7))

    detail = cell_tasks(access_for(member), engineer, date(2025, 3, 5))

    assert (detail.cell.week, detail.cell.booked_hours, detail.cell.capacity_hours) == (START, 44.0, 32.0)
    rows = [(t.name, t.hours, t.project_id, t.tier) for t in detail.tasks]
    assert rows == [("机房布线", 24.0, vip.pk, "vip"), ("培训", 20.0, other.project_id, "")]
    assert detail.tasks[0].tier_label and "浦东园区弱电改造" in detail.tasks[0].project_label
    assert [(d.booked, d.capacity) for d in detail.days[:5]] == [
        (720, 480),
        (720, 480),
        (720, 480),
        (240, 480),
        (240, 0),
    ]
    assert [leave.start for leave in detail.leave] == [date(2025, 3, 7)]


def test_tasks_of_projects_the_caller_cannot_see_are_summed_anonymously(tenant):
    owner = pm_member(tenant)
    (secret,) = make_chain(make_project(tenant, member=owner, name="保密项目"), owner, "保密任务", days=1)
    engineer = make_resource(tenant, "李工")
    make_allocation(engineer, secret, owner)
    foreman = make_member(tenant, "foreman")  # sees his own projects only

    detail = cell_tasks(access_for(foreman), engineer, START)

    assert [(t.task_id, t.hours) for t in detail.tasks] == [(None, 8.0)]
    assert "保密任务" not in {t.name for t in detail.tasks}
