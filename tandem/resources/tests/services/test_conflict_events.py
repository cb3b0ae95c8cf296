"""Conflicts follow every change that moves a load or a capacity: task and project events, allocation and leave
changes, calendar holidays and 调休 workdays; only the resources touched are refreshed."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tandem.calendars.models import WorkCalendar
from tandem.calendars.services.calendars import calendar_exception_set
from tandem.core.events import emit
from tandem.crm.models import Account
from tandem.projects.services.projects import project_delete, project_update
from tandem.projects.services.tasks import task_create, task_delete, task_update
from tandem.projects.tests.factories import DAY, START, make_chain, make_project, pm_member
from tandem.resources import events
from tandem.resources.choices import ConflictStatus
from tandem.resources.models import Conflict, ResourceSettings
from tandem.resources.services.conflicts import conflicts_refresh, conflicts_refresh_all
from tandem.resources.tests.factories import make_allocation, make_leave, make_resource
from tandem.testing.kit import access_for, make_member

pytestmark = pytest.mark.django_db
ZONE = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _before_start():
    """The clock stands on the Friday before the projects start (2025-03-03), so their work is ahead."""
    with time_machine.travel(datetime(2025, 2, 28, 9, 0, tzinfo=ZONE), tick=False):
        yield


@pytest.fixture
def pm(tenant):
    return pm_member(tenant)


def _open(resource):
    return list(Conflict.objects.filter(resource=resource, status=ConflictStatus.OPEN))


def _days(conflict, resource):
    """The overloaded days of a conflict, as the loads see them now."""
    from tandem.resources.selectors.loads import resource_loads
    from tandem.scheduling.engine.loads import overloads

    loads = resource_loads(resource.tenant_id, conflict.start, conflict.end, [resource.pk])
    runs = overloads(loads.load[resource.pk], loads.behind[resource.pk], loads.capacity[resource.pk])
    return [day for run in runs for day, _load, _cap in run.days]


def _two_parallel(tenant, pm, start, days=2, names=("主机房布线", "弱电调试")):
    project = make_project(tenant, member=pm, start_date=start)
    (a,) = make_chain(project, pm, names[0], days=days)
    (b,) = make_chain(project, pm, names[1], days=days)
    return project, a, b


def test_over_allocation_skips_a_public_holiday(tenant, pm):
    """Labour Day 2025 (May 1–5) is off: two parallel three-day tasks from 30 April overload 30 April, 6 and 7 May
    as one conflict, the holiday in between neither loaded nor breaking it."""
    project, a, b = _two_parallel(tenant, pm, date(2025, 4, 30), days=3)
    engineer = make_resource(tenant, "李工")
    make_allocation(engineer, a, pm)
    make_allocation(engineer, b, pm)

    conflicts_refresh(tenant_id=tenant.pk)

    (conflict,) = _open(engineer)
    assert (conflict.start, conflict.end, conflict.peak_load) == (date(2025, 4, 30), date(2025, 5, 7), 200)
    assert _days(conflict, engineer) == [date(2025, 4, 30), date(2025, 5, 6), date(2025, 5, 7)]
    assert conflict.overload_minutes == 3 * DAY


def test_over_allocation_on_a_working_saturday(tenant, pm):
    """调休: Saturday 11 October 2025 is a workday, so two-day tasks from Friday the 10th end on the Saturday."""
    ResourceSettings.objects.create(tenant=tenant, horizon_weeks=40)
    project, a, b = _two_parallel(tenant, pm, date(2025, 10, 10), days=2)
    engineer = make_resource(tenant, "李工")
    make_allocation(engineer, a, pm)
    make_allocation(engineer, b, pm)

    conflicts_refresh(tenant_id=tenant.pk)

    (conflict,) = _open(engineer)
    assert (conflict.start, conflict.end) == (date(2025, 10, 10), date(2025, 10, 11))
    assert _days(conflict, engineer) == [date(2025, 10, 10), date(2025, 10, 11)]


def test_leave_makes_a_full_booking_an_overload_and_its_event_refreshes(tenant, pm, django_capture_on_commit_callbacks):
    project = make_project(tenant, member=pm)
    (task,) = make_chain(project, pm, "机房布线", days=3)
    engineer = make_resource(tenant, "李工")
    make_allocation(engineer, task, pm)
    conflicts_refresh(tenant_id=tenant.pk)
    assert _open(engineer) == []

    with django_capture_on_commit_callbacks(execute=True):
        make_leave(engineer, pm, START + timedelta(days=1))
        emit(events.LEAVE_CHANGED, tenant=tenant, payload={"resource_id": engineer.pk, "start": "", "end": ""})

    (conflict,) = _open(engineer)
    assert (conflict.start, conflict.end, conflict.peak_load) == (START + timedelta(days=1),) * 2 + (999,)

    half = make_resource(tenant, "周工")
    make_allocation(half, task, pm, units=50)
    with django_capture_on_commit_callbacks(execute=True):
        make_leave(half, pm, START, START + timedelta(days=2), hours_off=6)  # two hours a day left: 4 h booked
        emit(events.LEAVE_CHANGED, tenant=tenant, payload={"resource_id": half.pk, "start": "", "end": ""})
    (conflict,) = _open(half)
    assert (conflict.start, conflict.end, conflict.peak_load) == (START, START + timedelta(days=2), 200)


def test_allocation_changed_refreshes_the_resources_named(tenant, pm, django_capture_on_commit_callbacks):
    project, a, b = _two_parallel(tenant, pm, START)
    engineer = make_resource(tenant, "李工")
    make_allocation(engineer, a, pm)
    conflicts_refresh(tenant_id=tenant.pk)
    with django_capture_on_commit_callbacks(execute=True):
        make_allocation(engineer, b, pm)
        emit(
            events.ALLOCATION_CHANGED,
            tenant=tenant,
            payload={"project_id": project.pk, "task_id": b.pk, "resource_ids": [engineer.pk]},
        )
    (conflict,) = _open(engineer)
    assert sorted(conflict.task_ids) == sorted([a.pk, b.pk]) and conflict.project_ids == [project.pk]

    with django_capture_on_commit_callbacks(execute=True):
        engineer.allocations.filter(task=b).delete()
        emit(
            events.ALLOCATION_CHANGED,
            tenant=tenant,
            payload={"project_id": project.pk, "task_id": b.pk, "resource_ids": [engineer.pk]},
        )
    assert _open(engineer) == []
    assert Conflict.objects.get(pk=conflict.pk).resolution == "cleared"


def test_task_events_open_move_and_resolve_conflicts(tenant, pm, django_capture_on_commit_callbacks):
    access = access_for(pm)
    project = make_project(tenant, member=pm)
    first, second = make_chain(project, pm, "桥架安装", "线缆敷设", days=2)
    engineer = make_resource(tenant, "李工")
    make_allocation(engineer, first, pm)
    make_allocation(engineer, second, pm)
    conflicts_refresh(tenant_id=tenant.pk)
    assert _open(engineer) == []  # one after the other: no overload

    # A task created in parallel and allocated: its allocation event opens the conflict.
    with django_capture_on_commit_callbacks(execute=True):
        extra = task_create(access=access, project=project, name="标识标牌", duration=DAY)
        make_allocation(engineer, extra, pm)
        emit(events.ALLOCATION_CHANGED, tenant=tenant, payload={"project_id": project.pk, "resource_ids": []})
    (conflict,) = _open(engineer)
    assert (conflict.start, conflict.end) == (START, START)

    # Updated: the extra task grows to three days, so it runs into the second task too.
    with django_capture_on_commit_callbacks(execute=True):
        task_update(access=access, task=extra, duration=3 * DAY)
    (same,) = _open(engineer)
    assert same.pk == conflict.pk and (same.start, same.end) == (START, START + timedelta(days=2))

    # Completed: a finished task books nobody.
    with django_capture_on_commit_callbacks(execute=True):
        task_update(access=access, task=extra, percent_complete=100)
    assert _open(engineer) == []
    assert Conflict.objects.get(pk=conflict.pk).status == ConflictStatus.RESOLVED


def test_deleting_a_task_resolves_its_conflict(tenant, pm, django_capture_on_commit_callbacks):
    access = access_for(pm)
    project, a, b = _two_parallel(tenant, pm, START)
    engineer = make_resource(tenant, "李工")
    make_allocation(engineer, a, pm)
    make_allocation(engineer, b, pm)
    conflicts_refresh(tenant_id=tenant.pk)
    (conflict,) = _open(engineer)
    with django_capture_on_commit_callbacks(execute=True):
        task_delete(access=access, task=b)
    assert _open(engineer) == []
    assert Conflict.objects.get(pk=conflict.pk).status == ConflictStatus.RESOLVED


def test_project_events_rescore_and_resolve_and_leave_other_projects_alone(
    tenant, pm, django_capture_on_commit_callbacks
):
    access = access_for(pm)
    project, a, b = _two_parallel(tenant, pm, START)
    other, c, d = _two_parallel(tenant, pm, START, names=("验收准备", "资料归档"))
    engineer, fitter = make_resource(tenant, "李工"), make_resource(tenant, "周工")
    for resource, task in ((engineer, a), (engineer, b), (fitter, c), (fitter, d)):
        make_allocation(resource, task, pm)
    conflicts_refresh(tenant_id=tenant.pk)
    (conflict,), (untouched,) = _open(engineer), _open(fitter)
    Conflict.objects.filter(pk=untouched.pk).update(peak_load=123)  # a refresh of the fitter would put back 200

    with django_capture_on_commit_callbacks(execute=True):
        vip = Account.objects.create(tenant=tenant, name="华东数据中心", tier="vip", owner=pm.user)
        project_update(access=access, project=project, account_id=vip.pk)
    conflict.refresh_from_db()
    assert conflict.factors["parts"]["tier"] == 1.0 and conflict.factors["tier"] == "vip"

    with django_capture_on_commit_callbacks(execute=True):
        project_delete(access=access, project=project)
    assert _open(engineer) == []
    assert Conflict.objects.get(pk=untouched.pk).peak_load == 123  # the other project's resource was not refreshed


def test_a_holiday_added_to_the_calendar_moves_the_conflict(tenant, pm):
    admin = make_member(tenant, "admin")
    project, a, b = _two_parallel(tenant, pm, START)
    engineer = make_resource(tenant, "李工")
    make_allocation(engineer, a, pm)
    make_allocation(engineer, b, pm)
    conflicts_refresh(tenant_id=tenant.pk)
    (conflict,) = _open(engineer)
    assert conflict.start == START

    calendar = WorkCalendar.objects.get(tenant=tenant, is_default=True)
    calendar_exception_set(access=access_for(admin), calendar=calendar, date=START, is_working=False)

    (moved,) = _open(engineer)  # in the calendar write's transaction: no commit needed
    assert moved.pk == conflict.pk
    assert (moved.start, moved.end) == (START + timedelta(days=1), START + timedelta(days=2))


def test_the_daily_refresh_covers_every_tenant(tenant, other_tenant):
    pms = [pm_member(tenant), pm_member(other_tenant)]
    people = []
    for t, pm in zip((tenant, other_tenant), pms, strict=True):
        project, a, b = _two_parallel(t, pm, START)
        person = make_resource(t, "李工")
        make_allocation(person, a, pm)
        make_allocation(person, b, pm)
        people.append(person)
    assert conflicts_refresh_all() == 2
    assert all(len(_open(p)) == 1 for p in people)
    with time_machine.travel(datetime(2025, 3, 10, 9, 0, tzinfo=ZONE), tick=False):
        assert conflicts_refresh_all() == 0  # a week later the overload is past
    assert Conflict.objects.filter(status=ConflictStatus.RESOLVED, resolution="ended").count() == 2
