"""Each trigger kind: record created/updated/field changed/deleted, business event, date-relative, schedule,
inbound webhook and manual; the loop stop; rolled-back changes fire nothing."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.automation.engine import schedules, triggers
from tandem.automation.models import Run, RunStatus
from tandem.automation.services.rules import rule_create
from tandem.automation.tests.factories import handoff_world
from tandem.automation.webhooks import signing
from tandem.crm.models import Activity
from tandem.crm.services.accounts import account_create, account_update
from tandem.crm.services.leads import lead_create
from tandem.notifications.models import Notification

pytestmark = pytest.mark.django_db
ZONE = ZoneInfo("Asia/Shanghai")
NOTE = {"type": "add_activity", "params": {"subject": "自动：{{ account.name }}"}}


@pytest.fixture
def world(tenant):
    return handoff_world(tenant)


def make_rule(world, **definition):
    return rule_create(access=world.admin_access, name=definition.pop("name", "规则"), **definition)


def notes(account) -> list[str]:
    return list(Activity.objects.filter(account=account, subject__startswith="自动").values_list("subject", flat=True))


def test_record_created_fires_once_after_commit(world, django_capture_on_commit_callbacks):
    make_rule(world, trigger_type="record_created", model="crm.account", actions=[NOTE])
    with django_capture_on_commit_callbacks(execute=True):
        account = account_create(access=world.sales_access, name="武汉宏达机电有限公司")
    assert notes(account) == ["自动：武汉宏达机电有限公司"]
    run = Run.objects.get(trigger_type="record_created")
    assert (run.record_model, run.record_id, run.status) == ("crm.account", str(account.pk), RunStatus.SUCCEEDED)


def test_rolled_back_change_fires_nothing(world, django_capture_on_commit_callbacks):
    make_rule(world, trigger_type="record_created", model="crm.account", actions=[NOTE])
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                account_create(access=world.sales_access, name="回滚公司")
                raise RuntimeError
        except RuntimeError:
            pass
    assert not Run.objects.exists()
    assert not Activity.objects.filter(subject__startswith="自动").exists()


def test_record_updated_only_when_a_watched_field_changes(world, django_capture_on_commit_callbacks):
    make_rule(world, trigger_type="record_updated", model="crm.account", trigger={"fields": ["tier"]}, actions=[NOTE])
    with django_capture_on_commit_callbacks(execute=True):
        account_update(access=world.sales_access, account=world.account, notes="只改备注")
    assert notes(world.account) == []
    with django_capture_on_commit_callbacks(execute=True):
        account_update(access=world.sales_access, account=world.account, tier="a")
    assert len(notes(world.account)) == 1


def test_field_changed_to_a_value_with_changed_from_condition(world, django_capture_on_commit_callbacks):
    make_rule(
        world,
        trigger_type="field_changed",
        model="crm.account",
        trigger={"field": "tier", "to": "a"},
        conditions={"field": "account.tier", "op": "changed_from", "value": world.account.tier},
        actions=[NOTE],
    )
    with django_capture_on_commit_callbacks(execute=True):
        account_update(access=world.sales_access, account=world.account, tier="b")
    assert notes(world.account) == []
    with django_capture_on_commit_callbacks(execute=True):
        account_update(access=world.sales_access, account=world.account, tier="a")
    run = Run.objects.get()
    # The tier went b → a, so "changed from <the original tier>" is false: logged as skipped.
    assert run.status == RunStatus.SKIPPED


def test_record_deleted(world, django_capture_on_commit_callbacks):
    from tandem.crm.services.deals import deal_delete

    make_rule(
        world,
        trigger_type="record_deleted",
        model="crm.deal",
        actions=[
            {
                "type": "notify",
                "params": {
                    "recipients": ["owner_manager", f"user:{world.admin.user_id}"],
                    "subject": "商机 {{ deal.name }} 被删除",
                },
            }
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        deal_delete(access=world.admin_access, deal=world.deal)
    assert Notification.objects.filter(recipient=world.admin.user, title="商机 滨江园区智能化 被删除").exists()


def test_business_event_with_payload_condition(world, django_capture_on_commit_callbacks):
    from tandem.crm.services.deals import deal_move_stage

    make_rule(
        world,
        trigger_type="event",
        model="crm.deal",
        trigger={"event": "crm.deal.stage_changed"},
        conditions={"field": "trigger.to_stage", "op": "contains", "value": "谈判"},
        actions=[{"type": "add_activity", "params": {"subject": "自动：进入{{ trigger.to_stage }}"}}],
    )
    stages = {s.name: s for s in world.deal.pipeline.stages.all()}
    target = next(s for name, s in stages.items() if "谈判" in name)
    with django_capture_on_commit_callbacks(execute=True):
        deal_move_stage(access=world.sales_access, deal=world.deal, stage=target)
    assert notes(world.account) == [f"自动：进入{target.name}"]


def test_date_relative_fires_once_per_record_and_time(world):
    from tandem.crm.models import Lead

    make_rule(
        world,
        trigger_type="date_relative",
        model="crm.lead",
        trigger={"field": "response_due_at", "offset": -30, "unit": "minutes"},
        conditions={"field": "lead.first_response_at", "op": "is_empty"},
        actions=[
            {"type": "notify", "params": {"recipients": ["owner"], "subject": "线索 {{ lead.company }} 30分钟后到期"}}
        ],
    )
    lead = lead_create(access=world.sales_access, company="宁波港务", contact_name="陈先生")
    due = timezone.now() + timedelta(hours=2)
    Lead.objects.filter(pk=lead.pk).update(response_due_at=due)
    assert schedules.scan_time_triggers(now=due - timedelta(minutes=40)) == 0
    assert schedules.scan_time_triggers(now=due - timedelta(minutes=29)) == 1
    assert schedules.scan_time_triggers(now=due - timedelta(minutes=20)) == 0
    run = Run.objects.get()
    assert run.dedup_key.endswith((due - timedelta(minutes=30)).isoformat())


def test_date_relative_in_working_days_before_a_date_field(world):
    from tandem.projects.models import Project

    project = Project.objects.filter(tenant=world.tenant).first()
    Project.objects.filter(pk=project.pk).update(contract_finish="2026-10-09")  # Friday after National Day
    make_rule(
        world,
        trigger_type="date_relative",
        model="projects.project",
        trigger={"field": "contract_finish", "offset": -3, "unit": "working_days"},
        actions=[
            {
                "type": "notify",
                "params": {"recipients": ["owner"], "subject": "{{ project.name }} 三个工作日后到合同工期"},
            }
        ],
    )
    from tandem.automation.models import Rule

    Rule.objects.filter(tenant=world.tenant, trigger_type="date_relative").update(
        scanned_until=datetime(2026, 9, 20, tzinfo=ZONE)
    )
    # 3 working days before Fri 9 Oct, counting back over the holiday (1–7 Oct): 8 Oct, 30 Sep, 29 Sep at 09:00.
    assert schedules.scan_time_triggers(now=datetime(2026, 9, 29, 8, 59, tzinfo=ZONE)) == 0
    assert schedules.scan_time_triggers(now=datetime(2026, 9, 29, 9, 1, tzinfo=ZONE)) == 1


def test_schedule_fires_each_due_minute_once(world, django_capture_on_commit_callbacks):
    from tandem.automation.models import Rule

    make_rule(
        world,
        trigger_type="schedule",
        trigger={"cron": "0 9 * * 1-5"},
        actions=[{"type": "notify", "params": {"recipients": ["role:admin"], "subject": "早会提醒"}}],
    )
    Rule.objects.filter(trigger_type="schedule").update(scanned_until=datetime(2026, 11, 27, 8, 0, tzinfo=ZONE))
    with django_capture_on_commit_callbacks(execute=True):
        assert schedules.scan_time_triggers(now=datetime(2026, 11, 27, 9, 30, tzinfo=ZONE)) == 1  # Friday 09:00
        assert schedules.scan_time_triggers(now=datetime(2026, 11, 27, 9, 31, tzinfo=ZONE)) == 0
        # Saturday and Sunday are skipped; Monday 09:00 fires.
        assert schedules.scan_time_triggers(now=datetime(2026, 11, 30, 9, 0, tzinfo=ZONE)) == 1
    assert Notification.objects.filter(recipient=world.admin.user, title="早会提醒").count() == 2


def test_inbound_webhook_needs_a_valid_signature_and_runs_once_per_message(world, django_capture_on_commit_callbacks):
    rule = make_rule(
        world,
        trigger_type="webhook",
        model="crm.deal",
        actions=[{"type": "add_activity", "params": {"subject": "自动：ERP 回款 {{ trigger.amount }}"}}],
    )
    url = reverse("automation:hook", args=[rule.webhook_token])
    body = b'{"record_id": %d, "amount": "300000.00"}' % world.deal.pk
    now = timezone.now()
    headers = signing.webhook_headers([rule.webhook_secret], "msg_erp_1", body, now=now)
    meta = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    client = Client()
    bad = {**meta, "HTTP_WEBHOOK_SIGNATURE": "v1,AAAA"}
    assert client.post(url, body, content_type="application/json", **bad).status_code == 401
    assert client.post("/automation/hooks/nope/", body, content_type="application/json", **meta).status_code == 401
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, body, content_type="application/json", **meta)
    assert first.status_code == 202
    second = client.post(url, body, content_type="application/json", **meta)
    assert second.json()["duplicate"] is True
    assert notes(world.account) == ["自动：ERP 回款 300000.00"]
    not_json = signing.webhook_headers([rule.webhook_secret], "msg_erp_2", b"[1,", now=now)
    meta2 = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in not_json.items()}
    assert client.post(url, b"[1,", content_type="application/json", **meta2).status_code == 400


def test_a_rule_that_triggers_itself_is_stopped_at_depth_five(world, django_capture_on_commit_callbacks):
    make_rule(
        world,
        trigger_type="record_updated",
        model="crm.account",
        trigger={"fields": ["notes"]},
        actions=[{"type": "update_field", "params": {"field": "notes", "value": "{{ account.notes }}+"}}],
    )
    with django_capture_on_commit_callbacks(execute=True):
        account_update(access=world.sales_access, account=world.account, notes="起点")
    runs = list(Run.objects.order_by("depth"))
    assert [r.depth for r in runs] == [0, 1, 2, 3, 4, 5, 6]
    assert [r.status for r in runs[:-1]] == [RunStatus.SUCCEEDED] * 6
    assert runs[-1].status == RunStatus.STOPPED
    world.account.refresh_from_db()
    assert world.account.notes == "起点++++++"


def _stage_rules(world, n: int) -> None:
    for i in range(n):
        make_rule(
            world,
            name=f"金额规则{i}",
            trigger_type="event",
            model="crm.deal",
            trigger={"event": "crm.deal.stage_changed"},
            conditions={"field": "deal.amount", "op": "gt", "value": 10_000_000 + i},
            actions=[{"type": "add_activity", "params": {"subject": "自动：大单"}}],
        )


def _dispatch_stage_change(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tandem.core.events import emit

    event = emit("crm.deal.stage_changed", tenant=world.tenant, payload={"deal_id": world.deal.pk})
    with CaptureQueriesContext(connection) as queries:
        triggers.on_event(event)
    return len(queries)


def test_the_dispatcher_reads_a_record_once_however_many_rules_listen(world):
    _stage_rules(world, 3)
    few = _dispatch_stage_change(world)
    _stage_rules(world, 12)
    many = _dispatch_stage_change(world)
    assert Run.objects.filter(status=RunStatus.SKIPPED).count() == 3 + 15
    assert many == few  # skipped runs are written in one statement, the deal read once


def test_an_owner_transfer_fires_owner_changed_rules(world, django_capture_on_commit_callbacks):
    from tandem.records.services.transfer import record_transfer_owner

    make_rule(
        world,
        trigger_type="field_changed",
        model="crm.account",
        trigger={"field": "owner_id", "to": world.admin.user_id},
        conditions={"field": "account.owner_id", "op": "changed_from", "value": world.sales.user_id},
        actions=[
            {"type": "notify", "params": {"recipients": ["owner"], "subject": "客户 {{ account.name }} 已转给您"}}
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        record_transfer_owner(
            access=world.admin_access, obj=world.account, new_owner=world.admin.user, reason="销售调岗"
        )
    run = Run.objects.get(trigger_type="field_changed")
    assert run.status == RunStatus.SUCCEEDED
    assert Notification.objects.filter(recipient=world.admin.user, title="客户 杭州滨江科技有限公司 已转给您").exists()
