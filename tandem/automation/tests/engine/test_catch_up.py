"""Default time rules catch up, exactly once, on the records already past their moment when switched on."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tandem.automation.engine import schedules
from tandem.automation.models import Rule, Run, RunStatus
from tandem.automation.services.defaults import LEAD_KEY, TASK_KEY
from tandem.automation.services.rules import rule_update
from tandem.crm.models import Lead
from tandem.crm.services.leads import lead_create
from tandem.notifications.models import Notification
from tandem.projects.models import Project, Task
from tandem.projects.services.projects import project_create
from tandem.projects.services.tasks import task_create
from tandem.testing.kit import access_for, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(tenant):
    admin = make_member(tenant, "admin")
    manager = make_member(tenant, "sales_manager")
    sales = make_member(tenant, "sales", manager=manager.user)
    pm = make_member(tenant, "pm")
    return {"tenant": tenant, "admin": admin, "manager": manager, "sales": sales, "pm": pm}


def overdue_lead(office, company: str, *, days: float, answered: bool = False) -> Lead:
    lead = lead_create(access=access_for(office["sales"]), company=company, contact_name="陈先生")
    fields = {"response_due_at": timezone.now() - timedelta(days=days)}
    if answered:
        fields.update(first_response_at=timezone.now() - timedelta(days=days + 1), status="contacted")
    Lead.objects.filter(pk=lead.pk).update(**fields)
    return lead


def late_tasks(office, specs: list[tuple[Project, str, int]]) -> list[Task]:
    """Tasks (project, name, % complete) whose scheduled finish was five days ago; set once all exist, since each
    new task reschedules its project."""
    access = access_for(office["pm"])
    tasks = [
        task_create(access=access, project=project, name=name, assignees=[office["pm"].user])
        for project, name, _percent in specs
    ]
    for task, (_project, _name, percent) in zip(tasks, specs, strict=True):
        Task.objects.filter(pk=task.pk).update(
            early_finish=timezone.now() - timedelta(days=5), percent_complete=percent
        )
    return tasks


def scan(capture, now=None) -> int:
    with capture(execute=True):
        return schedules.scan_time_triggers(now=now or timezone.now())


def fired(rule_key: str) -> list[str]:
    runs = Run.objects.filter(rule__key=rule_key).exclude(status=RunStatus.SKIPPED).order_by("record_repr")
    return list(runs.values_list("record_repr", flat=True))


def test_default_time_rules_catch_up_existing_overdue_records_exactly_once(office, django_capture_on_commit_callbacks):
    waiting = [overdue_lead(office, "宁波港务", days=3), overdue_lead(office, "杭州地铁", days=20)]
    overdue_lead(office, "已联系公司", days=2, answered=True)
    overdue_lead(office, "远古线索", days=120)  # older than the catch-up window
    future = lead_create(access=access_for(office["sales"]), company="明日之星")
    pm_access = access_for(office["pm"])
    open_project = project_create(access=pm_access, name="在建工程", start_date=timezone.localdate())
    cancelled = project_create(access=pm_access, name="取消工程", start_date=timezone.localdate())
    late, _done, _called_off = late_tasks(
        office, [(open_project, "桥架安装", 30), (open_project, "已完成工作", 100), (cancelled, "取消的工作", 30)]
    )
    Project.objects.filter(pk=cancelled.pk).update(status="cancelled")

    assert scan(django_capture_on_commit_callbacks) == 3
    assert fired(LEAD_KEY) == sorted(str(lead) for lead in waiting)
    assert fired(TASK_KEY) == [str(late)]
    assert not Run.objects.filter(status=RunStatus.SKIPPED).exists()  # catching up logs no "not met" runs
    assert Run.objects.filter(status=RunStatus.SUCCEEDED).count() == 3
    reminders = Notification.objects.filter(recipient=office["sales"].user, title__startswith="【线索待跟进】")
    assert reminders.count() == 2
    named = reminders.get(title__startswith="【线索待跟进】宁波港务 已")
    assert "线索「宁波港务」（联系人：陈先生，来源：其他）" in named.body
    assert (
        Notification.objects.filter(recipient=office["manager"].user, title__startswith="【线索待跟进】").count() == 2
    )
    assert Notification.objects.filter(recipient=office["pm"].user, title__startswith="【任务逾期】").count() == 1
    assert not Rule.objects.filter(key__in=[LEAD_KEY, TASK_KEY], catch_up_pending=True).exists()

    # The next tick fires nothing again.
    assert scan(django_capture_on_commit_callbacks, timezone.now() + timedelta(minutes=1)) == 0

    # Disabled and enabled again: the same records already fired, so nothing new; the one that fell due
    # while the rule was off is caught up.
    rule = Rule.objects.get(tenant=office["tenant"], key=LEAD_KEY)
    admin = access_for(office["admin"])
    rule_update(access=admin, rule=rule, enabled=False)
    Lead.objects.filter(pk=future.pk).update(response_due_at=timezone.now() - timedelta(hours=6))
    assert scan(django_capture_on_commit_callbacks) == 0  # disabled: not looked at
    rule_update(access=admin, rule=rule, enabled=True)
    assert scan(django_capture_on_commit_callbacks) == 1
    assert fired(LEAD_KEY) == sorted([*(str(lead) for lead in waiting), str(Lead.objects.get(pk=future.pk))])
    assert reminders.count() == 3
    assert scan(django_capture_on_commit_callbacks, timezone.now() + timedelta(minutes=2)) == 0


def test_a_new_version_does_not_fire_again_what_an_earlier_one_fired(office, django_capture_on_commit_callbacks):
    overdue_lead(office, "宁波港务", days=3)
    assert scan(django_capture_on_commit_callbacks) == 1
    rule = Rule.objects.get(tenant=office["tenant"], key=LEAD_KEY)
    actions = rule.actions
    actions[0]["params"]["subject"] = "线索 {{ lead.company }} 待响应"
    rule_update(access=access_for(office["admin"]), rule=rule, actions=actions, enabled=False)
    rule_update(access=access_for(office["admin"]), rule=rule, enabled=True)
    assert scan(django_capture_on_commit_callbacks) == 0
    assert Run.objects.filter(rule=rule).count() == 1


def test_the_prefilter_keeps_every_record_the_condition_can_hold_for():
    from tandem.automation import catalog

    lead = catalog.get("crm.lead")
    condition = {
        "all": [
            {"field": "lead.first_response_at", "op": "is_empty"},
            {"field": "lead.status", "op": "eq", "value": "new"},
            {"field": "lead.company", "op": "contains", "value": "港"},  # left to the evaluator
            {"field": "account.tier", "op": "eq", "value": "a"},  # a related record: left too
        ]
    }
    narrowed = schedules.prefilter(lead, condition)
    assert dict(narrowed.children) == {"first_response_at__isnull": True, "status": "new"}
    task = catalog.get("projects.task")
    narrowed = schedules.prefilter(task, {"field": "task.percent_complete", "op": "lt", "value": 100})
    assert narrowed.children == [("percent_complete__lt", 100)]
    assert schedules.prefilter(task, {"any": [{"field": "task.is_summary", "op": "eq", "value": True}]}).children == []
