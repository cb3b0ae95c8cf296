"""Leveling proposals: never break a link or a capacity, accepted in one go, refused when stale or started."""

from datetime import datetime, timedelta

import pytest

from tandem.core.errors import ApplicationError
from tandem.projects.models import Project, Task
from tandem.projects.services.dependencies import dependency_add
from tandem.projects.services.scheduling import tenant_zone, to_local
from tandem.projects.services.tasks import task_create, task_update
from tandem.projects.tests.factories import DAY, START, make_chain, make_project, pm_member
from tandem.resources.choices import ProposalStatus
from tandem.resources.services import leveling as services
from tandem.resources.tests.factories import make_allocation, make_leave, make_resource
from tandem.scheduling.engine import feasibility
from tandem.testing.kit import access_for

pytestmark = pytest.mark.django_db


def _dates(proposal, key):
    return {str(r["id"]): datetime.fromisoformat(r[f"{key}_start"]) for r in proposal.result["tasks"]}, {
        str(r["id"]): datetime.fromisoformat(r[f"{key}_finish"]) for r in proposal.result["tasks"]
    }


def _site(tenant):
    """One project: 布线 → 调试 and, in parallel, 安装 — 布线 and 安装 both need 李工 full time."""
    member = pm_member(tenant)
    access = access_for(member)
    project = make_project(tenant, member=member, name="机房改造")
    wiring, testing = make_chain(project, member, "机房布线", "弱电调试", days=2)
    install = task_create(access=access, project=project, name="设备安装", duration=3 * DAY)
    li = make_resource(tenant, "李工")
    zhou = make_resource(tenant, "周工")
    make_allocation(li, wiring, member)
    make_allocation(li, install, member)
    make_allocation(zhou, testing, member)
    return member, access, project, (wiring, testing, install), li


def test_proposal_keeps_every_link_and_capacity_and_says_why_tasks_moved(tenant):
    _member, access, project, (wiring, testing, install), li = _site(tenant)

    proposal = services.leveling_propose(access=access, projects=[project], budget=200)

    assert proposal.status == ProposalStatus.PROPOSED and proposal.fingerprint
    data = services.leveling_input(tenant_id=tenant.pk, projects=[project])
    start, finish = _dates(proposal, "after")
    assert feasibility.check(data.project, data.resources, data.demands, start, finish) == []
    # Before: 布线 and 安装 overlap on 李工 — the checker sees it.
    before = _dates(proposal, "before")
    assert [v.kind for v in feasibility.check(data.project, data.resources, data.demands, *before)] == ["capacity"]

    rows = {r["id"]: r for r in proposal.result["tasks"]}
    moved = [r for r in rows.values() if r["moved"]]
    assert moved and proposal.result["moved"] == len(moved)
    first = min(moved, key=lambda r: r["after_start"])
    assert first["reason"] == "resource" and first["resource"] == "李工" and first["delay_minutes"] > 0
    (summary,) = proposal.result["projects"]
    assert summary["finish_after"] > summary["finish_before"]
    # Nothing in the project changed yet.
    assert Task.objects.get(pk=install.pk).constraint_type == "ASAP"


def test_accept_writes_the_moves_and_the_schedule_follows(tenant):
    _member, access, project, tasks, _li = _site(tenant)
    proposal = services.leveling_propose(access=access, projects=[project], budget=100)
    after = {r["id"]: (r["after_start"], r["after_finish"]) for r in proposal.result["tasks"]}

    services.leveling_accept(access=access, proposal=proposal)

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED and proposal.decided_at
    zone = tenant_zone(tenant.pk)
    for task in Task.objects.filter(project=project):
        start, end = after[task.pk]
        assert to_local(task.early_start, zone).isoformat(timespec="minutes") == start
        assert to_local(task.early_finish, zone).isoformat(timespec="minutes") == end
    moved = [r["id"] for r in proposal.result["tasks"] if r["moved"]]
    assert set(Task.objects.filter(constraint_type="SNET").values_list("pk", flat=True)) == set(moved)
    with pytest.raises(ApplicationError):
        services.leveling_accept(access=access, proposal=proposal)  # decided already


def test_a_stale_proposal_is_refused_and_changes_nothing(tenant):
    _member, access, project, (wiring, _testing, install), _li = _site(tenant)
    proposal = services.leveling_propose(access=access, projects=[project], budget=50)
    task_update(access=access, task=wiring, duration=4 * DAY)

    with pytest.raises(ApplicationError) as refused:
        services.leveling_accept(access=access, proposal=proposal)

    assert refused.value.code == "stale"
    assert not Task.objects.filter(project=project, constraint_type="SNET").exists()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED
    services.leveling_discard(access=access, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DISCARDED


def test_started_work_and_bad_input_are_refused_clearly(tenant):
    _member, access, project, (wiring, _t, _i), _li = _site(tenant)
    with pytest.raises(ApplicationError) as refused:
        services.leveling_propose(access=access, projects=[project], budget=0)
    assert "budget" in refused.value.errors
    with pytest.raises(ApplicationError) as refused:
        services.leveling_propose(access=access, projects=[])
    assert "projects" in refused.value.errors
    task_update(access=access, task=wiring, actual_start=wiring.early_start)
    with pytest.raises(ApplicationError) as refused:
        services.leveling_propose(access=access, projects=[project])
    assert refused.value.code == "progress" and "机房布线" in refused.value.message


def test_leave_and_other_projects_take_capacity_and_priority_goes_first(tenant):
    member = pm_member(tenant)
    access = access_for(member)
    li = make_resource(tenant, "李工")
    vip = make_project(tenant, member=member, name="VIP项目")
    small = make_project(tenant, member=member, name="小项目", start_date=START + timedelta(days=1))
    Project.objects.filter(pk=vip.pk).update(priority=900)
    Project.objects.filter(pk=small.pk).update(priority=100)
    vip.refresh_from_db()
    small.refresh_from_db()
    (vip_task,) = make_chain(vip, member, "核心机房布线", days=2)
    (small_task,) = make_chain(small, member, "标识标牌", days=2)
    make_allocation(li, vip_task, member)
    make_allocation(li, small_task, member)
    make_leave(li, member, START)  # 李工 is off the first day

    proposal = services.leveling_propose(access=access, projects=[small, vip], budget=100)

    rows = {r["id"]: r for r in proposal.result["tasks"]}
    assert rows[vip_task.pk]["after_start"] < rows[small_task.pk]["after_start"]
    assert rows[vip_task.pk]["after_start"].startswith((START + timedelta(days=1)).isoformat())
    data = services.leveling_input(tenant_id=tenant.pk, projects=[small, vip])
    start, finish = _dates(proposal, "after")
    for task in data.project.tasks:
        if task.id.startswith("start-"):
            start[task.id] = finish[task.id] = task.constraint_date
    assert feasibility.check(data.project, data.resources, data.demands, start, finish) == []
    assert {p["name"] for p in proposal.result["projects"]} == {"VIP项目", "小项目"}

    # Accepted, each project's own schedule lands on the leveled dates.
    services.leveling_accept(access=access, proposal=proposal)
    zone = tenant_zone(tenant.pk)
    for task in Task.objects.filter(pk__in=[vip_task.pk, small_task.pk]):
        assert to_local(task.early_start, zone).isoformat(timespec="minutes") == rows[task.pk]["after_start"]

    # Leveling the small project alone still sees 李工 booked on the VIP project.
    alone = services.leveling_propose(access=access, projects=[small], budget=50)
    (row,) = alone.result["tasks"]
    assert row["after_start"] >= rows[vip_task.pk]["after_finish"][:10]


def test_different_calendars_are_refused(tenant):
    from tandem.calendars.models import WorkCalendar

    _member, access, project, (wiring, _t, _i), _li = _site(tenant)
    other = WorkCalendar.objects.create(tenant=tenant, name="六天工作制")
    task_update(access=access, task=wiring, calendar=other)
    with pytest.raises(ApplicationError) as refused:
        services.leveling_propose(access=access, projects=[project])
    assert refused.value.code == "calendar" and "六天工作制" in refused.value.message


def test_dependency_lags_are_kept(tenant):
    member = pm_member(tenant)
    access = access_for(member)
    project = make_project(tenant, member=member)
    a = task_create(access=access, project=project, name="管线预埋", duration=DAY)
    b = task_create(access=access, project=project, name="穿线", duration=DAY)
    c = task_create(access=access, project=project, name="配电箱安装", duration=2 * DAY)
    dependency_add(access=access, predecessor=a, successor=b, type="FS", lag=DAY)
    li = make_resource(tenant, "李工")
    for task in (b, c):
        make_allocation(li, Task.objects.get(pk=task.pk), member)
    proposal = services.leveling_propose(access=access, projects=[project], budget=100)
    data = services.leveling_input(tenant_id=tenant.pk, projects=[project])
    assert feasibility.check(data.project, data.resources, data.demands, *_dates(proposal, "after")) == []
