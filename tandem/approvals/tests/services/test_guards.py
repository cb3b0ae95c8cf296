"""A pending record is refused by its own services; a contract is signed only once approved (where a flow exists)."""

from decimal import Decimal

import pytest

from tandem.approvals.services import approval_approve, approval_reject, flow_update
from tandem.approvals.tests.factories import contract_of, flow_of, node, submit, task_of
from tandem.audit.models import AuditEntry
from tandem.core.errors import ApplicationError
from tandem.crm.models import Contract
from tandem.crm.services.contracts import contract_close, contract_delete, contract_sign, contract_update
from tandem.crm.services.receipts import receipt_delete
from tandem.crm.templatetags.crm import change_note
from tandem.crm.tests.factories import make_milestone
from tandem.testing.kit import access_for

pytestmark = pytest.mark.django_db

AWAITING = "This record is awaiting approval and cannot be changed."


def _finance_flow(org, object_type="crm.contract"):
    from tandem.approvals.services import flow_create

    return flow_create(
        access=org.admin,
        object_type=object_type,
        name="审批",
        definition={
            "branches": [
                {
                    "key": "all",
                    "name": "全部",
                    "condition": None,
                    "nodes": [node("n1", "财务", {"type": "members", "users": [org.finance.user_id]})],
                }
            ]
        },
    )


def test_pending_contract_cannot_be_updated_signed_closed_or_deleted(org):
    _finance_flow(org)
    contract = contract_of(org)
    submit(org, contract)
    rep = access_for(org.rep)
    for call in (
        lambda: contract_update(access=rep, contract=contract, name="改名"),
        lambda: contract_sign(access=org.admin, contract=contract),
        lambda: contract_delete(access=org.admin, contract=contract),
    ):
        with pytest.raises(ApplicationError, match=AWAITING):
            call()
    contract.refresh_from_db()
    assert contract.name != "改名" and contract.status == "draft"
    signed = contract_of(org, status="signed")
    Contract.objects.filter(pk=signed.pk).update(status="draft")
    submit(org, signed)
    Contract.objects.filter(pk=signed.pk).update(status="signed")
    with pytest.raises(ApplicationError, match=AWAITING):
        contract_close(access=org.admin, contract=signed, status="completed")


def test_contract_is_signed_only_once_approved(org):
    _finance_flow(org)
    contract = contract_of(org)
    with pytest.raises(ApplicationError, match="Approve this contract before you sign it."):
        contract_sign(access=org.admin, contract=contract)
    approval = submit(org, contract)
    approval_approve(access=access_for(org.finance), task=task_of(approval, org.finance))
    contract = contract_sign(access=org.admin, contract=contract)
    assert contract.status == "signed"


def test_a_rejected_contract_is_editable_but_not_signable(org):
    _finance_flow(org)
    contract = contract_of(org)
    approval = submit(org, contract)
    approval_reject(access=access_for(org.finance), task=task_of(approval, org.finance), comment="金额有误")
    contract_update(access=access_for(org.rep), contract=contract, name="改后")
    with pytest.raises(ApplicationError, match="Approve this contract"):
        contract_sign(access=org.admin, contract=contract)


def test_without_an_active_flow_signing_is_not_gated(org):
    flow = _finance_flow(org)
    flow_update(access=org.admin, flow=flow, is_active=False)
    contract = contract_of(org)
    assert contract_sign(access=org.admin, contract=contract).status == "signed"


def test_pending_receipt_cannot_be_deleted(org):
    _finance_flow(org, "crm.receipt")
    contract = contract_of(org, status="signed")
    milestone = make_milestone(contract, Decimal("1000"))
    from tandem.crm.services.receipts import receipt_record

    receipt = receipt_record(access=org.admin, milestone=milestone, amount=Decimal("500"))
    submit(org, receipt)
    with pytest.raises(ApplicationError, match=AWAITING):
        receipt_delete(access=org.admin, receipt=receipt)


def test_each_step_is_a_timeline_line_on_the_record(org):
    flow_of(org, node("n1", "部门经理", {"type": "manager", "level": 1}))
    contract = contract_of(org)
    approval = submit(org, contract, comment="请审批")
    approval_approve(access=access_for(org.manager), task=task_of(approval, org.manager), comment="同意")
    rows = AuditEntry.objects.filter(object_type="crm.contract", object_id=str(contract.pk)).order_by("pk")
    assert [change_note(r) for r in rows] == [
        "Submitted for approval · 请审批",
        "Approved · 部门经理 · 同意",
        "Approval passed",
    ]
    assert rows[0].before["approval_status"] == "draft" and rows[0].after["approval_status"] == "pending"
    assert rows[2].after["approval_status"] == "approved"
