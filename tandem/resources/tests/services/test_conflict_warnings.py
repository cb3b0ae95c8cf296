"""A conflict within the warning lead time is warned once: the PM and the resource managers get a notification,
`resources.conflict.detected` is emitted with its documented payload; a warned conflict that ends emits resolved."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tandem.core.models import OutboxEvent
from tandem.crm.models import Account
from tandem.notifications.models import Notification
from tandem.projects.tests.factories import START, make_chain, make_project, pm_member
from tandem.resources import events
from tandem.resources.choices import ConflictStatus
from tandem.resources.models import Conflict, ResourceSettings
from tandem.resources.services.conflict_actions import conflict_dismiss
from tandem.resources.services.conflicts import conflicts_refresh
from tandem.resources.tests.factories import make_allocation, make_resource
from tandem.testing.kit import access_for, make_member

pytestmark = pytest.mark.django_db
ZONE = ZoneInfo("Asia/Shanghai")


def _at(*args):
    return time_machine.travel(datetime(*args, 9, 0, tzinfo=ZONE), tick=False)


@pytest.fixture
def setup(tenant):
    pm = pm_member(tenant)
    manager = make_member(tenant, "admin")
    settings = ResourceSettings.objects.create(tenant=tenant, warning_days=3)
    settings.managers.set([manager.user, pm.user])  # the PM is told once even as a manager too
    account = Account.objects.create(tenant=tenant, name="华东数据中心", tier="vip", owner=pm.user)
    project = make_project(tenant, member=pm, name="机房改造", account_id=account.pk)
    (a,) = make_chain(project, pm, "主机房布线", days=2)
    (b,) = make_chain(project, pm, "弱电调试", days=2)
    engineer = make_resource(tenant, "李工")
    make_allocation(engineer, a, pm)
    make_allocation(engineer, b, pm)
    return pm, manager, project, engineer


def _detected(tenant):
    return list(OutboxEvent.objects.filter(tenant_id=tenant.pk, name=events.CONFLICT_DETECTED))


def test_warned_once_within_the_lead_time(tenant, setup, django_capture_on_commit_callbacks):
    pm, manager, project, engineer = setup
    # Monday 24 February: START (3 March) is five working days ahead, more than the three of the settings.
    with _at(2025, 2, 24):
        conflicts_refresh(tenant_id=tenant.pk)
    (conflict,) = Conflict.objects.filter(resource=engineer, status=ConflictStatus.OPEN)
    assert conflict.warned_at is None and _detected(tenant) == []

    # Wednesday 26 February: three working days (27, 28 February, 3 March): warned.
    with _at(2025, 2, 26), django_capture_on_commit_callbacks(execute=True):
        conflicts_refresh(tenant_id=tenant.pk)
    conflict.refresh_from_db()
    assert conflict.warned_at is not None
    (event,) = _detected(tenant)
    assert event.payload == {
        "conflict_id": conflict.pk,
        "resource_id": engineer.pk,
        "resource_name": "李工",
        "start": START.isoformat(),
        "end": date(2025, 3, 4).isoformat(),
        "peak_load": 200,
        "score": float(conflict.score),
        "task_id": conflict.task_id,
        "task_name": conflict.task.name,
        "project_id": project.pk,
        "project_name": "机房改造",
        "account_tier": "vip",
        "url": f"/resources/conflicts/{conflict.pk}/",
    }
    told = Notification.objects.filter(tenant=tenant, event_id=event.pk)
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted([pm.user_id, manager.user_id])
    assert "李工" in told.first().title and told.first().url == f"/resources/conflicts/{conflict.pk}/"

    # Later refreshes do not warn again.
    with _at(2025, 2, 27), django_capture_on_commit_callbacks(execute=True):
        conflicts_refresh(tenant_id=tenant.pk)
    assert len(_detected(tenant)) == 1 and Notification.objects.filter(tenant=tenant).count() == 2

    # Dismissed: resolved is emitted, and the overload stays dismissed on the next refresh.
    with _at(2025, 2, 27), django_capture_on_commit_callbacks(execute=True):
        conflict_dismiss(access=access_for(pm), conflict=conflict, reason="客户同意加班")
        conflicts_refresh(tenant_id=tenant.pk)
    (resolved,) = OutboxEvent.objects.filter(tenant_id=tenant.pk, name=events.CONFLICT_RESOLVED)
    assert resolved.payload == {"conflict_id": conflict.pk, "resource_id": engineer.pk, "resolution": "客户同意加班"}
    assert list(Conflict.objects.filter(resource=engineer).values_list("status", flat=True)) == ["dismissed"]


def test_a_conflict_already_started_is_warned_and_resolved_when_it_ends(tenant, setup):
    pm, manager, project, engineer = setup
    with _at(2025, 3, 3):
        conflicts_refresh(tenant_id=tenant.pk)
    (conflict,) = Conflict.objects.filter(resource=engineer)
    assert conflict.warned_at is not None
    with _at(2025, 3, 5):
        conflicts_refresh(tenant_id=tenant.pk)
    conflict.refresh_from_db()
    assert (conflict.status, conflict.resolution) == (ConflictStatus.RESOLVED, "ended")
    (resolved,) = OutboxEvent.objects.filter(tenant_id=tenant.pk, name=events.CONFLICT_RESOLVED)
    assert resolved.payload["resolution"] == "ended"


def test_dismissing_needs_a_reason_and_an_open_conflict(tenant, setup):
    from tandem.core.errors import ApplicationError

    pm, manager, project, engineer = setup
    with _at(2025, 2, 24):
        conflicts_refresh(tenant_id=tenant.pk)
    conflict = Conflict.objects.get(resource=engineer)
    with pytest.raises(ApplicationError) as exc:
        conflict_dismiss(access=access_for(pm), conflict=conflict, reason="  ")
    assert "reason" in exc.value.errors
    conflict_dismiss(access=access_for(pm), conflict=conflict, reason="已协调")
    with pytest.raises(ApplicationError):
        conflict_dismiss(access=access_for(pm), conflict=conflict, reason="再次")


def test_an_automation_rule_reacts_to_the_detected_event(tenant, setup, django_capture_on_commit_callbacks):
    from tandem.automation.models import Run, RunStatus
    from tandem.automation.services.rules import rule_create

    pm, manager, project, engineer = setup
    boss = make_member(tenant, "owner")
    rule_create(
        access=access_for(manager),
        name="VIP 资源冲突上报",
        trigger_type="event",
        model="resources.conflict",
        trigger={"event": events.CONFLICT_DETECTED},
        conditions={"field": "conflict.account_tier", "op": "eq", "value": "vip"},
        actions=[
            {
                "type": "notify",
                "params": {
                    "recipients": [f"user:{boss.user_id}", "project_manager"],
                    "subject": "VIP冲突：{{ conflict.resource_name }} {{ conflict.peak_load }}% · {{ project.name }}",
                },
            }
        ],
    )
    with _at(2025, 2, 26), django_capture_on_commit_callbacks(execute=True):
        conflicts_refresh(tenant_id=tenant.pk)
    run = Run.objects.get(tenant=tenant)
    assert run.status == RunStatus.SUCCEEDED and run.record_model == "resources.conflict"
    assert Notification.objects.filter(recipient=boss.user, title="VIP冲突：李工 200% · 机房改造").exists()
