"""Who approves a node and how the node passes: every approver type, 依次 / 会签 / 或签, CC, branches."""

import pytest

from tandem.approvals.models import ApprovalTask
from tandem.approvals.services import approval_approve, approval_reject
from tandem.approvals.tests.factories import contract_of, flow_of, node, pending, submit, task_of
from tandem.testing.kit import access_for, make_member

pytestmark = pytest.mark.django_db


def test_named_member_approves_and_the_approval_passes(org):
    flow_of(org, node("n1", "财务", {"type": "members", "users": [org.finance.user_id]}))
    approval = submit(org, contract_of(org))
    assert approval.status == "pending" and approval.current_node == "n1"
    approval_approve(access=access_for(org.finance), task=task_of(approval, org.finance), comment="同意")
    approval.refresh_from_db()
    assert approval.status == "approved" and approval.decided_at is not None
    assert list(approval.steps.values_list("action", flat=True)) == ["submit", "approve", "complete"]


def test_direct_manager_and_two_levels_up(org):
    flow_of(
        org,
        node("n1", "部门经理", {"type": "manager", "level": 1}),
        node("n2", "总经理", {"type": "manager", "level": 2}),
    )
    approval = submit(org, contract_of(org))
    assert [t.assignee_id for t in pending(approval)] == [org.manager.user_id]
    approval_approve(access=access_for(org.manager), task=task_of(approval, org.manager))
    assert [t.assignee_id for t in pending(approval)] == [org.boss.user_id]
    approval_approve(access=org.admin, task=task_of(approval, org.boss))
    approval.refresh_from_db()
    assert approval.status == "approved"


def test_manager_chain_is_a_sequence_up_to_the_level(org):
    flow_of(org, node("n1", "逐级审批", {"type": "manager_chain", "level": 3}, mode="all"))
    approval = submit(org, contract_of(org))
    tasks = ApprovalTask.objects.filter(approval=approval).order_by("order")
    # Two managers exist above the rep (the chain stops where it ends); the second waits for the first.
    assert [(t.assignee_id, t.status) for t in tasks] == [
        (org.manager.user_id, "pending"),
        (org.boss.user_id, "waiting"),
    ]
    approval_approve(access=access_for(org.manager), task=task_of(approval, org.manager))
    assert [t.assignee_id for t in pending(approval)] == [org.boss.user_id]
    approval_approve(access=org.admin, task=task_of(approval, org.boss))
    approval.refresh_from_db()
    assert approval.status == "approved"


def test_role_node_goes_to_every_holder_of_the_role(org):
    second = make_member(org.tenant, "finance", display_name="钱出纳")
    flow_of(org, node("n1", "财务", {"type": "role", "role": "finance"}, mode="any"))
    approval = submit(org, contract_of(org))
    assert {t.assignee_id for t in pending(approval)} == {org.finance.user_id, second.user_id}


def test_submitter_chooses_the_approvers(org):
    flow_of(org, node("n1", "指定审批人", {"type": "submitter_choice", "count": 2}, mode="all"))
    picked = [org.crew[0].user_id, org.crew[1].user_id]
    approval = submit(org, contract_of(org), chosen={"n1": picked})
    assert sorted(t.assignee_id for t in pending(approval)) == sorted(picked)


def test_submitter_choice_refuses_none_and_too_many(org):
    from tandem.core.errors import ApplicationError

    flow_of(org, node("n1", "指定审批人", {"type": "submitter_choice", "count": 1}))
    contract = contract_of(org)
    with pytest.raises(ApplicationError) as none:
        submit(org, contract)
    assert "chosen.n1" in none.value.errors
    with pytest.raises(ApplicationError) as many:
        submit(org, contract, chosen={"n1": [org.crew[0].user_id, org.crew[1].user_id]})
    assert many.value.errors == {"chosen.n1": ["Choose at most 1."]}
    assert not contract_approvals(contract)


def contract_approvals(contract):
    from tandem.approvals.models import Approval

    return list(Approval.objects.filter(object_type="crm.contract", object_id=str(contract.pk)))


def _crew_node(org, **extra):
    return node("n1", "会签", {"type": "members", "users": [m.user_id for m in org.crew]}, **extra)


def test_countersign_passes_at_60_percent_of_five(org):
    flow_of(org, _crew_node(org, mode="all", pass_percent=60))
    approval = submit(org, contract_of(org))
    assert len(pending(approval)) == 5
    for member in org.crew[:2]:
        approval_approve(access=access_for(member), task=task_of(approval, member))
    approval_reject(access=access_for(org.crew[2]), task=task_of(approval, org.crew[2]), comment="价格偏高")
    approval.refresh_from_db()
    assert approval.status == "pending"  # 2 of 5 approved, 3 still reachable
    approval_approve(access=access_for(org.crew[3]), task=task_of(approval, org.crew[3]))
    approval.refresh_from_db()
    assert approval.status == "approved"  # 3 of 5 = 60 %
    # The fifth no longer has anything to decide.
    assert ApprovalTask.objects.get(approval=approval, assignee=org.crew[4].user).status == "cancelled"


def test_countersign_fails_as_soon_as_60_percent_is_out_of_reach(org):
    flow_of(org, _crew_node(org, mode="all", pass_percent=60))
    approval = submit(org, contract_of(org))
    approval_reject(access=access_for(org.crew[0]), task=task_of(approval, org.crew[0]), comment="不同意")
    approval_reject(access=access_for(org.crew[1]), task=task_of(approval, org.crew[1]), comment="不同意")
    approval.refresh_from_db()
    assert approval.status == "pending"
    approval_reject(access=access_for(org.crew[2]), task=task_of(approval, org.crew[2]), comment="不同意")
    approval.refresh_from_db()
    assert approval.status == "rejected"  # at most 2 of 5 could still approve
    assert pending(approval) == []


def test_any_one_decides(org):
    flow_of(org, _crew_node(org, mode="any"))
    approval = submit(org, contract_of(org))
    approval_approve(access=access_for(org.crew[3]), task=task_of(approval, org.crew[3]))
    approval.refresh_from_db()
    assert approval.status == "approved"
    assert ApprovalTask.objects.filter(approval=approval, status="cancelled").count() == 4


def test_any_one_rejection_decides_too(org):
    flow_of(org, _crew_node(org, mode="any"))
    approval = submit(org, contract_of(org))
    approval_reject(access=access_for(org.crew[0]), task=task_of(approval, org.crew[0]), comment="不符合")
    approval.refresh_from_db()
    assert approval.status == "rejected"


def test_sequence_goes_one_after_another(org):
    flow_of(org, _crew_node(org, mode="sequence"))
    approval = submit(org, contract_of(org))
    for member in org.crew:
        assert [t.assignee_id for t in pending(approval)] == [member.user_id]
        approval_approve(access=access_for(member), task=task_of(approval, member))
    approval.refresh_from_db()
    assert approval.status == "approved"


def test_sequence_stops_at_the_first_rejection(org):
    flow_of(org, _crew_node(org, mode="sequence"))
    approval = submit(org, contract_of(org))
    approval_approve(access=access_for(org.crew[0]), task=task_of(approval, org.crew[0]))
    approval_reject(access=access_for(org.crew[1]), task=task_of(approval, org.crew[1]), comment="退回")
    approval.refresh_from_db()
    assert approval.status == "rejected"
    assert ApprovalTask.objects.filter(approval=approval, status="cancelled").count() == 3


def test_cc_on_a_node_and_a_cc_node(org):
    flow_of(
        org,
        node(
            "n1",
            "部门经理",
            {"type": "manager", "level": 1},
            cc=[{"type": "members", "users": [org.crew[0].user_id]}],
        ),
        {"key": "n2", "name": "财务知会", "kind": "cc", "approvers": {"type": "role", "role": "finance"}},
    )
    approval = submit(org, contract_of(org))
    cc = ApprovalTask.objects.filter(approval=approval, kind="cc")
    assert [t.assignee_id for t in cc] == [org.crew[0].user_id]  # CC'd when the node is reached
    approval_approve(access=access_for(org.manager), task=task_of(approval, org.manager))
    approval.refresh_from_db()
    assert approval.status == "approved"  # the CC node passes on its own
    assert sorted(t.assignee_id for t in cc.all()) == sorted([org.crew[0].user_id, org.finance.user_id])


def _threshold_flow(org):
    flow_of(
        org,
        branches=[
            {
                "key": "big",
                "name": "≥ 50万",
                "priority": 1,
                "condition": {"all": [{"field": "amount", "op": "gte", "value": "500000"}]},
                "nodes": [
                    node("n1", "部门经理", {"type": "manager", "level": 1}),
                    node("n2", "总经理", {"type": "role", "role": "owner"}),
                ],
            },
            {
                "key": "small",
                "name": "其他",
                "priority": 99,
                "condition": None,
                "nodes": [node("n1", "部门经理", {"type": "manager", "level": 1})],
            },
        ],
    )


@pytest.mark.parametrize(
    ("amount", "branch", "nodes"),
    [("499999.99", "small", 1), ("500000.00", "big", 2), ("500000.01", "big", 2)],
)
def test_amount_threshold_branches(org, amount, branch, nodes):
    _threshold_flow(org)
    approval = submit(org, contract_of(org, amount=amount))
    assert approval.branch_key == branch
    approval_approve(access=access_for(org.manager), task=task_of(approval, org.manager))
    approval.refresh_from_db()
    assert approval.status == ("approved" if nodes == 1 else "pending")


def test_branch_on_type_department_and_priority(org):
    from tandem.accounts.models import Department, Membership

    dept = Department.objects.create(tenant=org.tenant, name="工程部")
    Membership.objects.filter(pk=org.rep.pk).update(department=dept)
    flow_of(
        org,
        branches=[
            {
                "key": "eng",
                "name": "工程部",
                "priority": 2,
                "condition": {"all": [{"field": "department", "op": "eq", "value": dept.pk}]},
                "nodes": [node("n1", "财务", {"type": "members", "users": [org.finance.user_id]})],
            },
            {
                "key": "maint",
                "name": "维保合同",
                "priority": 1,
                "condition": {"all": [{"field": "contract_type", "op": "eq", "value": "maintenance"}]},
                "nodes": [node("n1", "经理", {"type": "manager", "level": 1})],
            },
        ],
    )
    assert submit(org, contract_of(org, contract_type="maintenance")).branch_key == "maint"  # priority 1 first
    assert submit(org, contract_of(org, contract_type="construction")).branch_key == "eng"


def test_no_branch_and_no_default_refuses_the_submission(org):
    from tandem.core.errors import ApplicationError

    flow_of(
        org,
        branches=[
            {
                "key": "big",
                "name": "大额",
                "condition": {"all": [{"field": "amount", "op": "gte", "value": 1000000}]},
                "nodes": [node("n1", "经理", {"type": "manager", "level": 1})],
            }
        ],
    )
    with pytest.raises(ApplicationError, match="no default branch"):
        submit(org, contract_of(org, amount="10"))
