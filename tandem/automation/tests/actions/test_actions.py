"""Each action through a real run: assign strategies, create task, update field, follow-up, notify by email,
signed webhook with retries, continue on failure, and a wait in working days that resumes."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from tandem.automation.engine import runner
from tandem.automation.models import ActionStatus, Run, RunStatus
from tandem.automation.services.rules import rule_create, rule_run_manual
from tandem.automation.tests.factories import handoff_world
from tandem.automation.tests.webhook_receiver import receiver_fixture  # noqa: F401  (the receiver fixture)
from tandem.automation.webhooks.signing import new_secret
from tandem.crm.models import Activity
from tandem.projects.models import Project, Task

pytestmark = pytest.mark.django_db
ZONE = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def world(tenant):
    return handoff_world(tenant)


def manual(world, model, actions, capture, record, **extra):
    rule = rule_create(
        access=world.admin_access, name="手动规则", trigger_type="manual", model=model, actions=actions, **extra
    )
    with capture(execute=True):
        run = rule_run_manual(access=world.admin_access, rule=rule, record_id=record.pk)
    run.refresh_from_db()
    return run


def test_assign_round_robin_takes_turns(world, django_capture_on_commit_callbacks):
    from tandem.crm.services.leads import lead_create

    rule = rule_create(
        access=world.admin_access,
        name="线索轮流分配",
        trigger_type="record_created",
        model="crm.lead",
        actions=[{"type": "assign", "params": {"to": {"strategy": "round_robin", "role": "pm"}}}],
    )
    owners = []
    for i in range(4):
        with django_capture_on_commit_callbacks(execute=True):
            lead = lead_create(access=world.sales_access, company=f"轮询客户{i}")
        lead.refresh_from_db()
        owners.append(lead.owner_id)
    pms = sorted([world.pm_light.user_id, world.pm_busy.user_id, *_other_pm(world)])
    assert owners == [pms[0], pms[1], pms[2], pms[0]]
    assert Run.objects.filter(rule=rule, status=RunStatus.SUCCEEDED).count() == 4


def _other_pm(world):
    from tandem.accounts.models import Membership

    return list(
        Membership.objects.filter(tenant=world.tenant, roles__key="pm")
        .exclude(user_id__in=[world.pm_light.user_id, world.pm_busy.user_id])
        .values_list("user_id", flat=True)
    )


def test_assign_least_loaded_and_by_skill(world, django_capture_on_commit_callbacks):
    # 赵工 (busy) manages a project; 王工 and 孙工 manage none: least loaded picks the lower id of those two.
    run = manual(
        world,
        "crm.deal",
        [{"type": "assign", "params": {"to": {"strategy": "least_loaded", "role": "pm"}}}],
        django_capture_on_commit_callbacks,
        world.deal,
    )
    world.deal.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED
    assert world.deal.owner_id == min(world.pm_light.user_id, *_other_pm(world))
    run = manual(
        world,
        "crm.deal",
        [{"type": "assign", "params": {"to": {"strategy": "by_skill", "role": "pm", "skill": "暖通"}}}],
        django_capture_on_commit_callbacks,
        world.deal,
    )
    world.deal.refresh_from_db()
    assert world.deal.owner_id == _other_pm(world)[0]
    run = manual(
        world,
        "crm.deal",
        [{"type": "assign", "params": {"to": {"strategy": "by_skill", "role": "pm", "skill": "幕墙"}}}],
        django_capture_on_commit_callbacks,
        world.deal,
    )
    assert run.status == RunStatus.FAILED
    assert run.steps.get().status == ActionStatus.FAILED


def test_update_field_and_follow_up(world, django_capture_on_commit_callbacks):
    run = manual(
        world,
        "crm.account",
        [
            {"type": "update_field", "params": {"field": "tier", "value": "a"}},
            {"type": "add_activity", "params": {"subject": "升级为 A 类客户", "kind": "task", "due_in_days": 3}},
        ],
        django_capture_on_commit_callbacks,
        world.account,
    )
    assert run.status == RunStatus.SUCCEEDED
    world.account.refresh_from_db()
    assert world.account.tier == "a"
    activity = Activity.objects.get(account=world.account, subject="升级为 A 类客户")
    assert activity.kind == "task" and not activity.done and activity.due_at > timezone.now() + timedelta(days=2)


def test_update_field_refuses_fields_outside_the_allow_list(world):
    from tandem.core.errors import ApplicationError

    with pytest.raises(ApplicationError) as error:
        rule_create(
            access=world.admin_access,
            name="改编号",
            trigger_type="manual",
            model="crm.deal",
            actions=[{"type": "update_field", "params": {"field": "number", "value": "X"}}],
        )
    assert "actions.0.params.field" in error.value.errors


def test_create_task_in_the_project_the_first_step_made(world, django_capture_on_commit_callbacks):
    run = manual(
        world,
        "crm.deal",
        [
            {
                "type": "create_project",
                "params": {
                    "template": {"mode": "fixed", "id": world.template.pk},
                    "manager": {"strategy": "user", "user": world.pm_light.user_id},
                },
            },
            {
                "type": "create_task",
                "params": {
                    "name": "开工交底：{{ deal.name }}",
                    "duration_days": 2,
                    "assignee": {"strategy": "record_owner"},
                },
            },
        ],
        django_capture_on_commit_callbacks,
        world.deal,
    )
    assert run.status == RunStatus.SUCCEEDED, [s.error for s in run.steps.all()]
    project = Project.objects.get(deal_id=world.deal.pk)
    task = Task.objects.get(project=project, name="开工交底：滨江园区智能化")
    assert list(task.assignees.values_list("pk", flat=True)) == [world.sales.user_id]
    assert task.duration == 960
    assert task.early_start is not None


def test_notify_by_email(world, django_capture_on_commit_callbacks, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world.pm_light.user.email = "wang@example.com"
    world.pm_light.user.save()
    run = manual(
        world,
        "crm.deal",
        [
            {
                "type": "notify",
                "params": {
                    "recipients": [f"user:{world.pm_light.user_id}"],
                    "channels": ["in_app", "email"],
                    "subject": "请准备 {{ deal.name }}",
                    "body": "{{ recipient.name }}，金额 {{ deal.amount|cny }}",
                },
            }
        ],
        django_capture_on_commit_callbacks,
        world.deal,
    )
    assert run.status == RunStatus.SUCCEEDED
    assert [m.to for m in mail.outbox] == [["wang@example.com"]]
    assert mail.outbox[0].subject == "请准备 滨江园区智能化"
    assert mail.outbox[0].body.startswith("王工，金额 ¥900,000.00")


def test_signed_webhook_retries_then_delivers(world, receiver, django_capture_on_commit_callbacks, settings):
    settings.TANDEM_WEBHOOK_ALLOW_PRIVATE = True
    secret = new_secret()
    receiver.secrets = [secret]
    receiver.script(503)
    run = manual(
        world,
        "crm.deal",
        [{"type": "send_webhook", "params": {"url": receiver.url("/erp"), "secret": secret}}],
        django_capture_on_commit_callbacks,
        world.deal,
    )
    step = run.steps.get()
    assert (run.status, step.status, step.attempts) == (RunStatus.WAITING, ActionStatus.RETRYING, 1)
    assert step.next_attempt_at > timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert runner.resume_due(now=step.next_attempt_at + timedelta(seconds=1)) == 1
    runner.execute(run.pk, now=step.next_attempt_at + timedelta(seconds=1))
    run.refresh_from_db()
    step.refresh_from_db()
    assert (run.status, step.status, step.attempts) == (RunStatus.SUCCEEDED, ActionStatus.SUCCEEDED, 2)
    assert len(receiver.requests) == 2
    assert receiver.requests[1].verified_with == [secret]
    # The same message id both times: the receiver can drop the duplicate.
    assert receiver.requests[0].message_id == receiver.requests[1].message_id
    assert receiver.requests[1].json()["data"]["deal"]["name"] == "滨江园区智能化"


def test_refused_address_fails_and_continue_on_failure_runs_the_rest(world, django_capture_on_commit_callbacks):
    run = manual(
        world,
        "crm.deal",
        [
            {"type": "send_webhook", "params": {"url": "http://169.254.169.254/latest"}, "continue_on_failure": True},
            {"type": "add_activity", "params": {"subject": "仍然记录"}},
            {"type": "send_webhook", "params": {"url": "http://127.0.0.1:9/"}},
            {"type": "add_activity", "params": {"subject": "不会记录"}},
        ],
        django_capture_on_commit_callbacks,
        world.deal,
    )
    statuses = [s.status for s in run.steps.order_by("index")]
    assert statuses == [ActionStatus.FAILED, ActionStatus.SUCCEEDED, ActionStatus.FAILED, ActionStatus.SKIPPED]
    assert run.status == RunStatus.FAILED
    assert Activity.objects.filter(subject="仍然记录").exists()
    assert not Activity.objects.filter(subject="不会记录").exists()


def test_wait_in_working_days_then_resume(world, django_capture_on_commit_callbacks, time_machine):
    time_machine.move_to(datetime(2026, 9, 30, 10, 0, tzinfo=ZONE))  # the day before the National Day holiday
    run = manual(
        world,
        "crm.deal",
        [
            {"type": "delay", "params": {"amount": 1, "unit": "working_days"}},
            {"type": "add_activity", "params": {"subject": "节后回访"}},
        ],
        django_capture_on_commit_callbacks,
        world.deal,
    )
    wait = run.steps.get(index=0)
    assert run.status == RunStatus.WAITING and wait.status == ActionStatus.WAITING
    # 1–7 October are holidays: one working day after 30 September is 8 October.
    assert wait.next_attempt_at.astimezone(ZONE).replace(microsecond=0) == datetime(2026, 10, 8, 10, 0, tzinfo=ZONE)
    assert runner.resume_due(now=datetime(2026, 10, 7, 10, 0, tzinfo=ZONE)) == 0
    time_machine.move_to(datetime(2026, 10, 8, 10, 1, tzinfo=ZONE))
    with django_capture_on_commit_callbacks(execute=True):
        runner.resume_due()
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED
    assert Activity.objects.filter(subject="节后回访").exists()


def test_a_run_whose_worker_died_is_picked_up_again(world, django_capture_on_commit_callbacks):
    rule = rule_create(
        access=world.admin_access,
        name="手动规则",
        trigger_type="manual",
        model="crm.deal",
        actions=[{"type": "add_activity", "params": {"subject": "补跑"}}],
    )
    run = rule_run_manual(access=world.admin_access, rule=rule, record_id=world.deal.pk)  # task never ran
    Run.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, updated_at=timezone.now() - timedelta(minutes=5))
    assert runner.resume_due() == 0  # still within the grace period: maybe a slow worker
    Run.objects.filter(pk=run.pk).update(updated_at=timezone.now() - timedelta(minutes=16))
    with django_capture_on_commit_callbacks(execute=True):
        assert runner.resume_due() == 1
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED
    assert Activity.objects.filter(subject="补跑").count() == 1
