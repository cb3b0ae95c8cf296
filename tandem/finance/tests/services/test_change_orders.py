"""Change orders: draft → pending → approved / rejected, directly or through the approval engine; the approval
moves the amount from pending to approved changes exactly once however often the event is replayed."""

from decimal import Decimal

import pytest

from tandem.approvals.choices import ApprovalStatus
from tandem.approvals.models import Approval, ApprovalTask
from tandem.approvals.services import approval_approve, approval_reject, flow_create
from tandem.core.errors import ApplicationError, PermissionDenied
from tandem.core.events import dispatch
from tandem.core.models import OutboxEvent
from tandem.finance import events
from tandem.finance.choices import ChangeOrderKind, ChangeOrderStatus
from tandem.finance.handlers import on_approval_event
from tandem.finance.services.alerts import project_cost_figures
from tandem.finance.services.change_orders import (
    change_order_approve,
    change_order_create,
    change_order_reject,
    change_order_submit,
    change_order_update,
    change_order_void,
)
from tandem.finance.tests.factories import lock, make_line
from tandem.testing.kit import access_for, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def co(org):
    line = make_line(org.budget, org.pm, unit_price="10000")
    lock(org.budget, org.pm)
    change_order = change_order_create(
        access=org.pm_access,
        budget=org.budget,
        kind=ChangeOrderKind.PRIME,
        title="增加机房空调",
        contract_amount="3000",
        lines=[{"budget_line": line, "amount": "2500.50", "description": "精密空调"}],
    )
    return change_order, line


def _columns(org):
    total = project_cost_figures(tenant_id=org.tenant.pk, project_id=org.project.pk)
    return total.total.pending_changes, total.total.approved_changes, total.margin.contract_value


def _flow(org, approver):
    admin = access_for(make_member(org.tenant, "admin"))
    definition = {
        "branches": [
            {
                "key": "all",
                "name": "全部",
                "condition": None,
                "nodes": [
                    {
                        "key": "n1",
                        "name": "财务审批",
                        "kind": "approve",
                        "approvers": {"type": "members", "users": [approver.user.pk]},
                    }
                ],
            }
        ]
    }
    return flow_create(access=admin, object_type="finance.changeorder", name="变更审批", definition=definition)


def test_numbers_run_per_tenant_and_the_lines_must_be_the_budgets(org, co):
    change_order, line = co
    assert change_order.number.startswith("BG-") and change_order.number.endswith("-0001")
    assert change_order.status == ChangeOrderStatus.DRAFT
    with pytest.raises(ApplicationError) as exc:
        change_order_create(access=org.pm_access, budget=org.budget, title="空", lines=[])
    assert "lines" in exc.value.errors
    with pytest.raises(ApplicationError) as exc:
        change_order_create(
            access=org.pm_access,
            budget=org.budget,
            kind=ChangeOrderKind.BUDGET,
            title="预算变更",
            contract_amount="1",
            lines=[{"budget_line": line, "amount": "1"}],
        )
    assert "contract_amount" in exc.value.errors
    with pytest.raises(ApplicationError) as exc:
        change_order_create(
            access=org.pm_access, budget=org.budget, title="零", lines=[{"budget_line": line, "amount": "0"}]
        )
    assert "lines[0]" in exc.value.errors


def test_direct_decision_moves_the_amount_from_pending_to_approved_once(org, co):
    change_order, _line = co
    assert _columns(org) == (Decimal("0"), Decimal("0"), Decimal("100000.00"))
    change_order_submit(access=org.pm_access, change_order=change_order)
    assert _columns(org) == (Decimal("2500.50"), Decimal("0"), Decimal("100000.00"))
    with pytest.raises(PermissionDenied):
        change_order_approve(access=org.pm_access, change_order=change_order)
    change_order_approve(access=org.finance_access, change_order=change_order)
    assert _columns(org) == (Decimal("0"), Decimal("2500.50"), Decimal("103000.00"))
    with pytest.raises(ApplicationError) as exc:
        change_order_approve(access=org.finance_access, change_order=change_order)
    assert exc.value.code == "bad_status"
    # Approved ones are immutable.
    for act in (change_order_update, change_order_void, change_order_submit):
        with pytest.raises(ApplicationError):
            act(access=org.pm_access, change_order=change_order)
    assert OutboxEvent.objects.filter(name=events.CHANGE_ORDER_APPROVED).count() == 1


def test_a_rejected_change_order_is_edited_resubmitted_or_voided(org, co):
    change_order, line = co
    change_order_submit(access=org.pm_access, change_order=change_order)
    with pytest.raises(ApplicationError):
        change_order_update(access=org.pm_access, change_order=change_order, title="改")
    change_order_reject(access=org.finance_access, change_order=change_order)
    assert _columns(org)[0] == Decimal("0")
    change_order = change_order_update(
        access=org.pm_access, change_order=change_order, lines=[{"budget_line": line, "amount": "-200"}]
    )
    change_order_submit(access=org.pm_access, change_order=change_order)
    assert _columns(org)[0] == Decimal("-200.00")
    change_order = change_order_void(access=org.pm_access, change_order=change_order)
    assert change_order.status == ChangeOrderStatus.VOID
    assert _columns(org)[0] == Decimal("0")


def test_approval_through_the_flow_moves_the_amount_exactly_once_when_the_event_replays(
    org, co, django_capture_on_commit_callbacks
):
    change_order, _line = co
    _flow(org, org.finance)
    with django_capture_on_commit_callbacks(execute=True):
        change_order_submit(access=org.pm_access, change_order=change_order)
    change_order.refresh_from_db()
    assert change_order.status == ChangeOrderStatus.PENDING
    # While the flow runs there is no direct decision.
    with pytest.raises(ApplicationError) as exc:
        change_order_approve(access=org.finance_access, change_order=change_order)
    assert exc.value.code == "approval_pending"
    task = ApprovalTask.objects.get(approval__object_type="finance.changeorder", status="pending")
    with django_capture_on_commit_callbacks(execute=True):
        approval_approve(access=org.finance_access, task=task)
    change_order.refresh_from_db()
    assert change_order.status == ChangeOrderStatus.APPROVED
    assert _columns(org) == (Decimal("0"), Decimal("2500.50"), Decimal("103000.00"))
    approved = OutboxEvent.objects.get(name="approvals.approval.approved")
    # Replayed twice: through the outbox (already handled) and straight into the handler.
    OutboxEvent.objects.filter(pk=approved.pk).update(dispatched_at=None)
    dispatch(approved.pk)
    on_approval_event(approved)
    on_approval_event(approved)
    assert _columns(org) == (Decimal("0"), Decimal("2500.50"), Decimal("103000.00"))
    assert OutboxEvent.objects.filter(name=events.CHANGE_ORDER_APPROVED).count() == 1


def test_a_rejection_in_the_flow_makes_it_rejected_and_it_may_be_resubmitted(
    org, co, django_capture_on_commit_callbacks
):
    change_order, _line = co
    _flow(org, org.finance)
    with django_capture_on_commit_callbacks(execute=True):
        change_order_submit(access=org.pm_access, change_order=change_order)
    task = ApprovalTask.objects.get(approval__object_type="finance.changeorder", status="pending")
    with django_capture_on_commit_callbacks(execute=True):
        approval_reject(access=org.finance_access, task=task, comment="价格偏高")
    change_order.refresh_from_db()
    assert change_order.status == ChangeOrderStatus.REJECTED
    with django_capture_on_commit_callbacks(execute=True):
        change_order_submit(access=org.pm_access, change_order=change_order)
    change_order.refresh_from_db()
    assert change_order.status == ChangeOrderStatus.PENDING
    approval = Approval.objects.get(object_type="finance.changeorder")
    assert approval.status == ApprovalStatus.PENDING and approval.round == 2


def test_voiding_a_pending_change_order_withdraws_its_approval(org, co, django_capture_on_commit_callbacks):
    change_order, _line = co
    _flow(org, org.finance)
    with django_capture_on_commit_callbacks(execute=True):
        change_order_submit(access=org.pm_access, change_order=change_order)
    with django_capture_on_commit_callbacks(execute=True):
        change_order_void(access=org.pm_access, change_order=change_order)
    change_order.refresh_from_db()
    assert change_order.status == ChangeOrderStatus.VOID
    assert Approval.objects.get(object_type="finance.changeorder").status == ApprovalStatus.WITHDRAWN
    assert _columns(org)[0] == Decimal("0")
