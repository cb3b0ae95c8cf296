"""An approval's decision is a business event automation rules start on, with the approval as their record."""

import pytest

from tandem.approvals.services import approval_approve
from tandem.approvals.tests.factories import contract_of, flow_of, node, submit, task_of
from tandem.automation.services.rules import rule_create
from tandem.notifications.models import Notification
from tandem.testing.kit import access_for

pytestmark = pytest.mark.django_db


def test_rule_on_approval_approved_fires_once_with_the_approval(org, django_capture_on_commit_callbacks):
    flow_of(org, node("n1", "部门经理", {"type": "manager", "level": 1}))
    rule_create(
        access=org.admin,
        name="合同审批通过提醒",
        trigger_type="event",
        model="approvals.approval",
        trigger={"event": "approvals.approval.approved"},
        conditions={"field": "approval.record_type", "op": "eq", "value": "crm.contract"},
        actions=[
            {
                "type": "notify",
                "params": {"recipients": [f"user:{org.finance.user_id}"], "subject": "已审批：{{ approval.title }}"},
            }
        ],
    )
    contract = contract_of(org)
    approval = submit(org, contract)
    with django_capture_on_commit_callbacks(execute=True):
        approval_approve(access=access_for(org.manager), task=task_of(approval, org.manager))
    assert list(Notification.objects.filter(recipient=org.finance.user).values_list("title", flat=True)) == [
        f"已审批：{contract}"
    ]
