"""Acting on an approval: transfer, send back, add an approver, withdraw, restart rules, empty / deactivated /
self approvers, versioning, and who may act."""

import pytest

from tandem.accounts.models import Membership
from tandem.approvals.models import Approval, ApprovalTask
from tandem.approvals.services import (
    approval_add_approver,
    approval_approve,
    approval_reject,
    approval_send_back,
    approval_transfer,
    approval_void,
    approval_withdraw,
    flow_update,
)
from tandem.approvals.tests.factories import contract_of, flow_of, node, pending, submit, task_of
from tandem.core.errors import ApplicationError, Conflict, PermissionDenied
from tandem.testing.kit import access_for

pytestmark = pytest.mark.django_db


def two_managers(org, **options):
    return flow_of(
        org,
        node("n1", "部门经理", {"type": "manager", "level": 1}),
        node("n2", "总经理", {"type": "manager", "level": 2}),
        **options,
    )


def test_transfer_hands_the_decision_to_someone_else(org):
    two_managers(org)
    approval = submit(org, contract_of(org))
    task = task_of(approval, org.manager)
    new = approval_transfer(access=access_for(org.manager), task=task, to_user=org.crew[0].user, comment="出差")
    task.refresh_from_db()
    assert task.status == "transferred"
    assert new.assignee_id == org.crew[0].user_id and new.transferred_from_id == org.manager.user_id
    with pytest.raises(Conflict, match="already decided"):
        approval_approve(access=access_for(org.manager), task=task)
    approval_approve(access=access_for(org.crew[0]), task=new)
    assert [t.assignee_id for t in pending(approval)] == [org.boss.user_id]  # on to the next node


def test_transfer_refuses_someone_outside_the_tenant_or_already_on_the_node(org, other_tenant):
    from tandem.testing.kit import make_member

    two_managers(org)
    approval = submit(org, contract_of(org))
    task = task_of(approval, org.manager)
    stranger = make_member(other_tenant, "sales")
    with pytest.raises(ApplicationError) as err:
        approval_transfer(access=access_for(org.manager), task=task, to_user=stranger.user)
    assert err.value.errors == {"to_user": ["Not an active member."]}
    with pytest.raises(ApplicationError, match="already have"):
        approval_transfer(access=access_for(org.manager), task=task, to_user=org.manager.user)


def test_send_back_to_an_earlier_node(org):
    two_managers(org)
    approval = submit(org, contract_of(org))
    approval_approve(access=access_for(org.manager), task=task_of(approval, org.manager))
    boss_task = task_of(approval, org.boss)
    approval_send_back(access=org.admin, task=boss_task, to_node_key="n1", comment="补充付款条件")
    approval.refresh_from_db()
    assert approval.current_node == "n1" and approval.status == "pending"
    again = task_of(approval, org.manager)
    assert again.visit == 2
    approval_approve(access=access_for(org.manager), task=again)
    assert [t.assignee_id for t in pending(approval)] == [org.boss.user_id]
    approval_approve(access=org.admin, task=task_of(approval, org.boss))
    approval.refresh_from_db()
    assert approval.status == "approved"
    assert "send_back" in approval.steps.values_list("action", flat=True)


def test_send_back_only_to_an_earlier_node(org):
    two_managers(org)
    approval = submit(org, contract_of(org))
    with pytest.raises(ApplicationError) as err:
        approval_send_back(
            access=access_for(org.manager), task=task_of(approval, org.manager), to_node_key="n2", comment="x"
        )
    assert "to_node_key" in err.value.errors


def test_add_approver_after_me(org):
    two_managers(org)
    approval = submit(org, contract_of(org))
    task = task_of(approval, org.manager)
    (added,) = approval_add_approver(
        access=access_for(org.manager), task=task, users=[org.finance.user], position="after"
    )
    assert added.status == "waiting" and added.added_by_id == org.manager.user_id
    approval_approve(access=access_for(org.manager), task=task)
    # The node waits for the added approver before it moves on.
    assert [t.assignee_id for t in pending(approval)] == [org.finance.user_id]
    approval_approve(access=access_for(org.finance), task=task_of(approval, org.finance))
    assert [t.assignee_id for t in pending(approval)] == [org.boss.user_id]


def test_add_approver_before_me(org):
    two_managers(org)
    approval = submit(org, contract_of(org))
    task = task_of(approval, org.manager)
    approval_add_approver(access=access_for(org.manager), task=task, users=[org.finance.user], position="before")
    task.refresh_from_db()
    assert task.status == "waiting"
    assert [t.assignee_id for t in pending(approval)] == [org.finance.user_id]
    approval_approve(access=access_for(org.finance), task=task_of(approval, org.finance))
    assert [t.assignee_id for t in pending(approval)] == [org.manager.user_id]
    approval_approve(access=access_for(org.manager), task=task_of(approval, org.manager))
    assert [t.assignee_id for t in pending(approval)] == [org.boss.user_id]


def test_an_added_approver_rejecting_rejects_that_part(org):
    two_managers(org)
    approval = submit(org, contract_of(org))
    task = task_of(approval, org.manager)
    approval_add_approver(access=access_for(org.manager), task=task, users=[org.finance.user], position="before")
    approval_reject(access=access_for(org.finance), task=task_of(approval, org.finance), comment="预算不足")
    approval.refresh_from_db()
    assert approval.status == "rejected"


def test_withdraw_by_the_submitter_only_and_the_record_is_a_draft_again(org):
    from tandem.approvals.selectors import approval_state

    two_managers(org)
    contract = contract_of(org)
    approval = submit(org, contract)
    assert approval_state(contract) == "pending"
    with pytest.raises(PermissionDenied):
        approval_withdraw(access=access_for(org.manager), approval=approval)
    approval_withdraw(access=access_for(org.rep), approval=approval, comment="改金额")
    approval.refresh_from_db()
    assert approval.status == "withdrawn" and pending(approval) == []
    assert approval_state(contract) == "draft"
    with pytest.raises(Conflict):
        approval_withdraw(access=access_for(org.rep), approval=approval)


def _reject_at_second_node(org, contract):
    approval = submit(org, contract)
    approval_approve(access=access_for(org.manager), task=task_of(approval, org.manager))
    approval_reject(access=org.admin, task=task_of(approval, org.boss), comment="再议")
    approval.refresh_from_db()
    assert approval.status == "rejected" and approval.current_node == "n2"
    return approval


def test_resubmission_restarts_from_the_first_node(org):
    two_managers(org, restart="first")
    contract = contract_of(org)
    first = _reject_at_second_node(org, contract)
    again = submit(org, contract)
    assert again.pk == first.pk and again.round == 2 and again.current_node == "n1"
    assert [t.assignee_id for t in pending(again)] == [org.manager.user_id]
    assert list(again.steps.values_list("action", flat=True))[-1] == "resubmit"


def test_resubmission_restarts_from_the_rejecting_node(org):
    two_managers(org, restart="rejected")
    contract = contract_of(org)
    _reject_at_second_node(org, contract)
    again = submit(org, contract)
    assert again.round == 2 and again.current_node == "n2"
    assert [t.assignee_id for t in pending(again)] == [org.boss.user_id]


def test_resubmission_after_withdrawal_restarts_where_it_was(org):
    two_managers(org, restart="rejected")
    contract = contract_of(org)
    approval = submit(org, contract)
    approval_approve(access=access_for(org.manager), task=task_of(approval, org.manager))
    approval_withdraw(access=access_for(org.rep), approval=approval)
    again = submit(org, contract)
    assert again.current_node == "n2" and [t.assignee_id for t in pending(again)] == [org.boss.user_id]


def _nobody(on_empty):
    # The rep's chain has two managers: level 5 names nobody.
    return node("n1", "五级经理", {"type": "manager", "level": 5}, on_empty=on_empty)


def test_empty_node_auto_approves(org):
    flow_of(org, _nobody("auto_approve"))
    approval = submit(org, contract_of(org))
    assert approval.status == "approved"
    assert "auto_approve" in approval.steps.values_list("action", flat=True)


def test_empty_node_auto_rejects(org):
    flow_of(org, _nobody("auto_reject"))
    approval = submit(org, contract_of(org))
    assert approval.status == "rejected"
    assert "auto_reject" in approval.steps.values_list("action", flat=True)


def test_empty_node_goes_to_the_administrators(org):
    flow_of(org, _nobody("admin"))
    approval = submit(org, contract_of(org))
    assert [t.assignee_id for t in pending(approval)] == [org.boss.user_id]  # the owner


def test_deactivated_approver_is_skipped_and_others_decide(org):
    flow_of(org, node("n1", "会签", {"type": "members", "users": [m.user_id for m in org.crew[:2]]}, mode="all"))
    Membership.objects.filter(pk=org.crew[0].pk).update(is_active=False)  # left after the flow was set up
    approval = submit(org, contract_of(org))
    assert [t.assignee_id for t in pending(approval)] == [org.crew[1].user_id]


def test_deactivated_approver_goes_to_the_administrators(org):
    Membership.objects.filter(pk=org.manager.pk).update(is_active=False)
    flow_of(
        org, node("n1", "部门经理", {"type": "manager", "level": 1}, on_empty="auto_reject"), on_deactivated="admin"
    )
    approval = submit(org, contract_of(org))
    assert [t.assignee_id for t in pending(approval)] == [org.boss.user_id]


def test_deactivated_only_approver_falls_to_the_empty_rule(org):
    Membership.objects.filter(pk=org.manager.pk).update(is_active=False)
    flow_of(org, node("n1", "部门经理", {"type": "manager", "level": 1}, on_empty="auto_approve"))
    assert submit(org, contract_of(org)).status == "approved"


def test_submitter_as_approver_counts_as_approved(org):
    flow_of(
        org,
        node(
            "n1",
            "经办",
            {"type": "members", "users": [org.rep.user_id, org.crew[0].user_id]},
            mode="all",
            on_self="auto_approve",
        ),
    )
    approval = submit(org, contract_of(org))
    mine = ApprovalTask.objects.get(approval=approval, assignee=org.rep.user)
    assert mine.status == "approved"
    assert [t.assignee_id for t in pending(approval)] == [org.crew[0].user_id]


def test_submitter_as_approver_approves_themselves(org):
    flow_of(org, node("n1", "经办", {"type": "members", "users": [org.rep.user_id]}, on_self="approve"))
    approval = submit(org, contract_of(org))
    approval_approve(access=access_for(org.rep), task=task_of(approval, org.rep))
    approval.refresh_from_db()
    assert approval.status == "approved"


def test_editing_a_flow_does_not_change_a_running_approval(org):
    flow = two_managers(org)
    approval = submit(org, contract_of(org))
    flow_update(
        access=org.admin,
        flow=flow,
        definition={
            "branches": [
                {
                    "key": "all",
                    "name": "全部",
                    "condition": None,
                    "nodes": [node("x", "财务", {"type": "role", "role": "finance"})],
                }
            ]
        },
    )
    flow.refresh_from_db()
    assert flow.current_version.number == 2
    approval_approve(access=access_for(org.manager), task=task_of(approval, org.manager))
    # Still the first version's second node, not the new finance node.
    assert [t.assignee_id for t in pending(approval)] == [org.boss.user_id]
    assert approval.flow_version.number == 1
    new = submit(org, contract_of(org))
    assert new.flow_version.number == 2 and [t.assignee_id for t in pending(new)] == [org.finance.user_id]


def test_only_the_assignee_acts_and_only_once(org):
    two_managers(org)
    approval = submit(org, contract_of(org))
    task = task_of(approval, org.manager)
    with pytest.raises(PermissionDenied):
        approval_approve(access=org.admin, task=task)
    approval_approve(access=access_for(org.manager), task=task)
    with pytest.raises(Conflict, match="already decided"):
        approval_approve(access=access_for(org.manager), task=task)


def test_reject_needs_a_comment(org):
    two_managers(org)
    approval = submit(org, contract_of(org))
    with pytest.raises(ApplicationError) as err:
        approval_reject(access=access_for(org.manager), task=task_of(approval, org.manager), comment="  ")
    assert "comment" in err.value.errors
    assert approval.tasks.filter(status="rejected").count() == 0


def test_submit_twice_and_after_approval_is_refused(org):
    flow_of(org, node("n1", "财务", {"type": "members", "users": [org.finance.user_id]}))
    contract = contract_of(org)
    approval = submit(org, contract)
    with pytest.raises(Conflict, match="already awaiting"):
        submit(org, contract)
    approval_approve(access=access_for(org.finance), task=task_of(approval, org.finance))
    with pytest.raises(ApplicationError, match="already approved"):
        submit(org, contract)


def test_no_flow_refuses_the_submission(org):
    with pytest.raises(ApplicationError, match="No approval flow"):
        submit(org, contract_of(org))


def test_void_by_an_administrator_then_a_new_approval(org):
    flow_of(org, node("n1", "财务", {"type": "members", "users": [org.finance.user_id]}))
    contract = contract_of(org)
    approval = submit(org, contract)
    with pytest.raises(PermissionDenied):
        approval_void(access=access_for(org.rep), approval=approval, comment="x")
    approval_void(access=org.admin, approval=approval, comment="作废重报")
    approval.refresh_from_db()
    assert approval.status == "void" and pending(approval) == []
    again = submit(org, contract)
    assert again.pk != approval.pk and again.round == 1
    assert Approval.objects.filter(object_id=str(contract.pk)).count() == 2
