"""Suggestions for an over-allocation conflict: their effect on finish dates, applying one, and refusing a stale one
(the scenario: `tandem.resources.tests.suggestion_scenario`)."""

from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tandem.audit.models import AuditEntry
from tandem.core.errors import ApplicationError
from tandem.notifications.models import Notification
from tandem.projects.models import Project, Task
from tandem.projects.tests.factories import START
from tandem.resources.choices import ConflictStatus, StaffRequestStatus
from tandem.resources.models import Allocation, Conflict, ResourceSettings, StaffRequest
from tandem.resources.services.conflicts import conflicts_refresh
from tandem.resources.services.suggestions import conflict_suggestions, suggestion_apply
from tandem.resources.tests.suggestion_scenario import FRIDAY_BEFORE, build_plan
from tandem.testing.kit import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _friday_before():
    with time_machine.travel(FRIDAY_BEFORE, tick=False):
        yield


@pytest.fixture
def plan(tenant):
    return build_plan(tenant)


def _by_kind(suggestions, kind, task=None):
    return [s for s in suggestions if s.kind == kind and (task is None or s.task_id == task.pk)]


def test_suggestions_are_ranked_with_their_effect_on_each_project(plan):
    suggestions = conflict_suggestions(access=plan["access"], conflict=plan["conflict"])

    kinds = [s.kind for s in suggestions]
    assert kinds[0] == "move" and kinds[-1] == "request"
    assert set(kinds) == {"move", "swap", "split", "request"}
    (move,) = _by_kind(suggestions, "move")
    assert move.task_id == plan["short"].pk
    assert move.start == START + timedelta(days=2)  # Tuesday still overlaps the two-day task
    assert {e.project_name: e.delay_days for e in move.effects} == {"数据中心机房": 0, "门店弱电": 0}
    assert all(s.other_name == "周工" for s in suggestions if s.kind in ("swap", "split"))  # 王工 lacks the level
    assert not _by_kind(suggestions, "move", plan["critical"])  # critical work is not moved


def test_move_within_float_keeps_the_finish_and_clears_the_conflict(plan):
    small = plan["small"]
    finish = Project.objects.get(pk=small.pk).scheduled_finish
    (move,) = _by_kind(conflict_suggestions(access=plan["access"], conflict=plan["conflict"]), "move")

    applied = suggestion_apply(
        access=plan["access"], conflict=plan["conflict"], key=move.key, fingerprint=move.fingerprint
    )

    assert applied.resolved
    short = Task.objects.get(pk=plan["short"].pk)
    assert short.constraint_type == "SNET"
    assert short.early_start.astimezone(ZoneInfo("Asia/Shanghai")).date() == START + timedelta(days=2)
    assert Project.objects.get(pk=small.pk).scheduled_finish == finish
    conflict = Conflict.objects.get(pk=plan["conflict"].pk)
    assert conflict.status == ConflictStatus.RESOLVED and conflict.resolution.startswith("move")
    assert not Conflict.objects.filter(resource=plan["engineer"], status=ConflictStatus.OPEN).exists()


def test_swap_clears_the_conflict_and_is_audited(plan):
    swaps = _by_kind(conflict_suggestions(access=plan["access"], conflict=plan["conflict"]), "swap", plan["critical"])
    (swap,) = swaps
    assert swap.clears and swap.delay_days == 0

    suggestion_apply(access=plan["access"], conflict=plan["conflict"], key=swap.key, fingerprint=swap.fingerprint)

    on_task = set(Allocation.objects.filter(task=plan["critical"]).values_list("resource__name", flat=True))
    assert on_task == {"周工"}
    assert Conflict.objects.get(pk=plan["conflict"].pk).status == ConflictStatus.RESOLVED
    assert not Conflict.objects.filter(tenant=plan["conflict"].tenant, status=ConflictStatus.OPEN).exists()
    entry = AuditEntry.objects.get(object_type="resources.conflict", object_id=str(plan["conflict"].pk))
    assert entry.after["suggestion"] == swap.key and entry.actor_id == plan["member"].user_id
    assert entry.after["effects"][0]["delay_days"] == 0
    assert AuditEntry.objects.filter(object_type="resources.allocation", action="delete").count() == 1


def test_split_halves_the_load(plan):
    (split,) = _by_kind(
        conflict_suggestions(access=plan["access"], conflict=plan["conflict"]), "split", plan["critical"]
    )
    assert [(x.resource_name, x.before, x.after) for x in split.loads] == [("李工", 200, 150), ("周工", 0, 50)]
    assert not split.clears and "50" in split.detail and "E+" not in split.detail

    suggestion_apply(access=plan["access"], conflict=plan["conflict"], key=split.key, fingerprint=split.fingerprint)

    units = dict(Allocation.objects.filter(task=plan["critical"]).values_list("resource__name", "units"))
    assert units == {"李工": Decimal("50.00"), "周工": Decimal("50.00")}
    conflict = Conflict.objects.get(pk=plan["conflict"].pk)
    assert conflict.status == ConflictStatus.OPEN and conflict.peak_load == 150


def test_request_creates_a_staff_request_and_notifies_the_managers(plan, tenant):
    manager = make_member(tenant, "admin")
    settings = ResourceSettings.objects.create(tenant=tenant)
    settings.managers.add(manager.user)
    (request,) = _by_kind(conflict_suggestions(access=plan["access"], conflict=plan["conflict"]), "request")
    assert request.request["skill_name"] == "弱电调试" and request.request["hours"] == "8.00"

    applied = suggestion_apply(
        access=plan["access"], conflict=plan["conflict"], key=request.key, fingerprint=request.fingerprint
    )

    staff = StaffRequest.objects.get(tenant=tenant)
    assert applied.staff_request == staff
    assert (staff.status, staff.hours, staff.start, staff.end) == (
        StaffRequestStatus.OPEN,
        Decimal("8.00"),
        START,
        START,
    )
    assert staff.conflict_id == plan["conflict"].pk and staff.skill.name == "弱电调试"
    assert staff.number.startswith("ZY")
    (notice,) = Notification.objects.filter(tenant=tenant, recipient=manager.user)
    assert staff.number in notice.title
    from tandem.core.models import OutboxEvent

    assert OutboxEvent.objects.filter(name="resources.staff.requested").exists()


def test_a_stale_suggestion_is_refused_and_nothing_changes(plan):
    (move,) = _by_kind(conflict_suggestions(access=plan["access"], conflict=plan["conflict"]), "move")
    # Someone changes the plan meanwhile: 李工's share of the critical task.
    Allocation.objects.filter(resource=plan["engineer"], task=plan["critical"]).update(units=90)
    conflicts_refresh(tenant_id=plan["conflict"].tenant_id, resource_ids=[plan["engineer"].pk])

    with pytest.raises(ApplicationError) as exc:
        suggestion_apply(access=plan["access"], conflict=plan["conflict"], key=move.key, fingerprint=move.fingerprint)

    assert exc.value.code == "stale"
    short = Task.objects.get(pk=plan["short"].pk)
    assert short.constraint_type == "ASAP"
    assert Conflict.objects.get(pk=plan["conflict"].pk).status == ConflictStatus.OPEN
    assert not AuditEntry.objects.filter(object_type="resources.conflict").exists()


def test_a_tampered_fingerprint_is_refused(plan):
    (swap, *_rest) = _by_kind(conflict_suggestions(access=plan["access"], conflict=plan["conflict"]), "swap")
    with pytest.raises(ApplicationError):
        suggestion_apply(access=plan["access"], conflict=plan["conflict"], key=swap.key, fingerprint="0" * 32)
    assert Allocation.objects.filter(resource=plan["engineer"]).count() == 2


def test_swap_and_split_keep_an_effort_driven_task_as_long_as_shown(plan):
    Task.objects.filter(pk=plan["critical"].pk).update(task_type="effort_driven")
    finish = Project.objects.get(pk=plan["vip"].pk).scheduled_finish
    (split,) = _by_kind(
        conflict_suggestions(access=plan["access"], conflict=plan["conflict"]), "split", plan["critical"]
    )
    assert split.delay_days == 0

    suggestion_apply(access=plan["access"], conflict=plan["conflict"], key=split.key, fingerprint=split.fingerprint)

    task = Task.objects.get(pk=plan["critical"].pk)
    assert task.duration == 2 * 480
    assert sum(a.work for a in task.allocations.all()) == 2 * 480  # the work is shared, not doubled
    assert Project.objects.get(pk=plan["vip"].pk).scheduled_finish == finish


def test_a_move_does_not_overload_another_resource_of_the_task(plan, tenant):
    from tandem.projects.tests.factories import make_chain, make_project
    from tandem.resources.tests.factories import make_allocation, make_resource

    helper = make_resource(tenant, "赵工")
    other = make_project(tenant, member=plan["member"], name="展厅改造")
    *_before, cabinets = make_chain(other, plan["member"], "现场勘察", "图纸确认", "机柜安装", days=1)
    cabinets_day = cabinets.early_start.astimezone(ZoneInfo("Asia/Shanghai")).date()
    assert cabinets_day == START + timedelta(days=2)
    make_allocation(helper, plan["short"], plan["member"])
    make_allocation(helper, cabinets, plan["member"])

    (move,) = _by_kind(conflict_suggestions(access=plan["access"], conflict=plan["conflict"]), "move")

    assert move.start == START + timedelta(days=3)  # not Wednesday: 赵工 installs cabinets then


def test_summaries_milestones_and_member_resources(tenant):
    from tandem.projects.services.dependencies import dependency_add
    from tandem.projects.services.tasks import task_create
    from tandem.projects.tests.factories import make_chain, make_project, pm_member
    from tandem.resources.tests.factories import make_allocation, make_resource
    from tandem.testing.kit import access_for

    member = pm_member(tenant)
    access = access_for(member)
    vip = make_project(tenant, member=member, name="数据中心机房")
    (critical,) = make_chain(vip, member, "主机房布线", days=2)
    store = make_project(tenant, member=member, name="门店弱电")
    phase = task_create(access=access, project=store, name="机房工程")
    long_ = task_create(access=access, project=store, name="验收准备", parent=phase, duration=8 * 480)
    short = task_create(access=access, project=store, name="弱电调试", parent=phase, duration=480)
    done = task_create(access=access, project=store, name="竣工", duration=0, is_milestone=True)
    dependency_add(access=access, predecessor=long_, successor=done, type="FS")
    worker = make_member(tenant, "pm")
    engineer = make_resource(tenant, "李工", skills=[("弱电调试", 3)])
    make_resource(tenant, "周工", skills=[("弱电调试", 3)], user=worker.user)
    make_allocation(engineer, critical, member)
    make_allocation(engineer, Task.objects.get(pk=short.pk), member)
    conflicts_refresh(tenant_id=tenant.pk)
    conflict = Conflict.objects.get(tenant=tenant, resource=engineer, status=ConflictStatus.OPEN)
    finish = Project.objects.get(pk=store.pk).scheduled_finish

    found = conflict_suggestions(access=access, conflict=conflict)
    (move,) = _by_kind(found, "move")
    assert all(e.delay_days == 0 for s in found for e in s.effects)
    swap = _by_kind(found, "swap", critical)[0]
    suggestion_apply(access=access, conflict=conflict, key=swap.key, fingerprint=swap.fingerprint)

    assert list(Task.objects.get(pk=critical.pk).assignees.all()) == [worker.user]  # the member came with 周工
    assert Conflict.objects.get(pk=conflict.pk).status == ConflictStatus.RESOLVED
    assert Project.objects.get(pk=store.pk).scheduled_finish == finish
