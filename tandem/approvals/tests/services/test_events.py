"""Events are emitted once and only after the commit; assigned people hear of it in Tandem and by email."""

import pytest

from tandem.approvals import events
from tandem.approvals.services import approval_approve
from tandem.approvals.tests.factories import contract_of, flow_of, node, submit, task_of
from tandem.automation.tests.channels_support import smtp_inbox, subject_of  # noqa: F401  (a real SMTP server)
from tandem.core.models import OutboxEvent
from tandem.notifications.models import Notification
from tandem.testing.kit import access_for

pytestmark = pytest.mark.django_db


def _flow(org):
    flow_of(
        org,
        node(
            "n1", "部门经理", {"type": "manager", "level": 1}, cc=[{"type": "members", "users": [org.finance.user_id]}]
        ),
    )


def test_assignment_event_payload_once_and_after_commit(org, django_capture_on_commit_callbacks, smtp_inbox):  # noqa: F811
    _flow(org)
    contract = contract_of(org)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        approval = submit(org, contract)
    # Nothing reached anyone before the commit.
    assert Notification.objects.count() == 0 and smtp_inbox.envelopes == []
    assigned = OutboxEvent.objects.filter(name=events.TASK_ASSIGNED, payload__kind="approve").get()
    payload = assigned.payload
    assert payload["approval_id"] == approval.pk and payload["node_key"] == "n1" and payload["node_name"] == "部门经理"
    assert payload["assignee_ids"] == [org.manager.user_id] and len(payload["task_ids"]) == 1
    assert payload["object_type"] == "crm.contract" and payload["object_id"] == str(contract.pk)
    assert payload["url"] == f"/crm/contracts/{contract.pk}/" and payload["submitter_name"] == "陈晓"
    assert payload["round"] == 1 and payload["title"] == str(contract)
    # The tenant's language (zh-hans) labels the summary lines the IM cards show.
    assert ["客户", contract.account.name] in payload["summary"]
    assert OutboxEvent.objects.filter(name=events.APPROVAL_SUBMITTED).count() == 1
    with django_capture_on_commit_callbacks(execute=True):  # the handlers queue the mail after their own commit
        for callback in callbacks:
            callback()
    notes = Notification.objects.filter(recipient=org.manager.user)
    assert notes.count() == 1 and str(contract) in notes.get().title
    assert Notification.objects.filter(recipient=org.finance.user).count() == 1  # CC'd
    recipients = sorted(r for m in smtp_inbox.envelopes for r in m.rcpt_tos)
    assert recipients == ["fin@example.com", "li@example.com"]
    assert any("待您审批" in subject_of(m) or "Awaiting" in subject_of(m) for m in smtp_inbox.envelopes)


def test_approved_event_once_and_the_submitter_is_told(org, django_capture_on_commit_callbacks, smtp_inbox):  # noqa: F811
    _flow(org)
    approval = submit(org, contract_of(org))
    with django_capture_on_commit_callbacks(execute=True):
        approval_approve(access=access_for(org.manager), task=task_of(approval, org.manager))
    assert OutboxEvent.objects.filter(name=events.APPROVAL_APPROVED).count() == 1
    event = OutboxEvent.objects.get(name=events.APPROVAL_APPROVED)
    assert event.payload["approval_id"] == approval.pk and event.payload["status"] == "approved"
    assert event.dispatched_at is not None
    (told,) = Notification.objects.filter(recipient=org.rep.user)
    assert told.title.startswith("审批通过") or told.title.startswith("Approved")
    assert OutboxEvent.objects.filter(name=events.APPROVAL_REJECTED).count() == 0
