"""Objects for the generic permission test: each approvals page with parameters, filled with a colleague's flow,
approval or task (on a contract of a colleague's)."""

from django.utils import timezone

from tandem.approvals.choices import ApprovalStatus, TaskStatus
from tandem.approvals.links import approval_link_token
from tandem.approvals.models import Approval, ApprovalTask, Flow, FlowVersion
from tandem.crm.tests.factories import make_contract
from tandem.testing.permissions import colleague, seed_name, url_objects

CONTRACT = "crm.contract"


def definition(user_ids: list[int]) -> dict:
    """One default branch with one node that the named members approve."""
    node = {"key": "n1", "name": "部门经理", "kind": "approve", "approvers": {"type": "members", "users": user_ids}}
    branch = {"key": "default", "name": "全部", "priority": 99, "condition": None, "nodes": [node]}
    return {"branches": [branch], "restart": "first", "on_deactivated": "skip"}


def seed_flow(tenant, *, approver_ids: list[int], name: str | None = None) -> Flow:
    # One active flow per type: the seeds after the first are inactive.
    active = not Flow.objects.filter(tenant=tenant, object_type=CONTRACT, is_active=True).exists()
    flow = Flow.objects.create(
        tenant=tenant, object_type=CONTRACT, name=name or seed_name(tenant, "flow"), is_active=active
    )
    version = FlowVersion.objects.create(tenant=tenant, flow=flow, number=1, definition=definition(approver_ids))
    flow.current_version = version
    flow.save(update_fields=["current_version"])
    return flow


def seed_task(tenant, *, submitter=None, approver=None, contract=None, flow=None) -> ApprovalTask:
    """A pending approval of a contract with one pending task of `approver`'s (colleagues when not given)."""
    submitter = submitter or colleague(tenant, "sales").user
    approver = approver or colleague(tenant, "sales_manager").user
    contract = contract or make_contract(tenant, submitter, name=seed_name(tenant, "contract"), status="draft")
    flow = flow or Flow.objects.filter(tenant=tenant, object_type=CONTRACT, is_active=True).first()
    flow = flow or seed_flow(tenant, approver_ids=[approver.pk])
    approval = Approval.objects.create(
        tenant=tenant,
        object_type=CONTRACT,
        object_id=str(contract.pk),
        flow_version=flow.current_version,
        branch_key="default",
        status=ApprovalStatus.PENDING,
        submitter=submitter,
        submitted_at=timezone.now(),
        title=f"{contract.number} {contract.name}",
        current_node="n1",
        values={"amount": str(contract.amount)},
    )
    return ApprovalTask.objects.create(
        tenant=tenant,
        approval=approval,
        node_key="n1",
        node_name="部门经理",
        assignee=approver,
        status=TaskStatus.PENDING,
    )


@url_objects(
    "approvals:task_approve",
    "approvals:task_reject",
    "approvals:task_transfer",
    "approvals:task_send_back",
    "approvals:task_add_approver",
)
def task(tenant):
    return {"pk": seed_task(tenant).pk}


@url_objects("approvals:open", "approvals:withdraw", "approvals:void")
def approval(tenant):
    return {"pk": seed_task(tenant).approval_id}


@url_objects("approvals:submit")
def record(tenant):
    owner = colleague(tenant, "sales").user
    return {"object_type": CONTRACT, "object_id": make_contract(tenant, owner, name=seed_name(tenant, "c")).pk}


@url_objects("approvals:flow_edit", "approvals:flow_toggle", "approvals:flow_delete")
def flow(tenant):
    return {"pk": seed_flow(tenant, approver_ids=[colleague(tenant).user.pk]).pk}


@url_objects("approvals:flow_version")
def flow_version(tenant):
    return {"pk": seed_flow(tenant, approver_ids=[colleague(tenant).user.pk]).pk, "number": 1}


@url_objects("approvals:im_link")
def im_link(tenant):
    """The signed link of an IM card for a colleague's pending approval."""
    task = seed_task(tenant)
    return {"token": approval_link_token(tenant_id=tenant.pk, approval_id=task.approval_id, decision="approve")}
