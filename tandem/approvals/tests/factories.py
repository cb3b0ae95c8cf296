"""Helpers of the approvals tests: flows, contracts to submit, the tasks to act on."""

from decimal import Decimal

from tandem.approvals.models import ApprovalTask
from tandem.approvals.services import approval_submit, flow_create
from tandem.crm.choices import ContractStatus
from tandem.crm.tests.factories import make_contract
from tandem.testing.kit import access_for


def node(key, name, approvers, **extra):
    return {"key": key, "name": name, "kind": "approve", "approvers": approvers, **extra}


def flow_of(org, *nodes, branches=None, **options):
    """A contract flow with one default branch of these nodes (or the given branches)."""
    definition = {"branches": branches or [{"key": "all", "name": "全部", "condition": None, "nodes": list(nodes)}]}
    definition.update(options)
    return flow_create(access=org.admin, object_type="crm.contract", name="合同审批", definition=definition)


def contract_of(org, amount="100000", member=None, **fields):
    member = member or org.rep
    return make_contract(
        org.tenant, member.user, amount=Decimal(amount), status=fields.pop("status", ContractStatus.DRAFT), **fields
    )


def submit(org, contract, member=None, **kwargs):
    return approval_submit(access=access_for(member or org.rep), obj=contract, **kwargs)


def pending(approval, member=None):
    """The pending approval tasks of an approval (of one member when given)."""
    qs = ApprovalTask.objects.filter(approval=approval, kind="approve", status="pending")
    if member is not None:
        qs = qs.filter(assignee=member.user)
    return list(qs.order_by("pk"))


def task_of(approval, member):
    (task,) = pending(approval, member)
    return task
