"""The approvals API: flows, submit, act on tasks, withdraw, void, bulk approve; problem JSON on every refusal;
a pending record refused by crm's own endpoints."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.approvals.models import Approval, Flow
from tandem.approvals.tests.factories import contract_of, flow_of, node, pending
from tandem.crm.services.receipts import receipt_record
from tandem.crm.tests.factories import make_milestone
from tandem.testing.kit import api_client, make_member

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
BASE = "/api/v1/approvals"
PENDING = "urn:tandem:problem:approval_pending"  # "This record is awaiting approval and cannot be changed."


def _manager_flow(org):
    return flow_of(org, node("n1", "部门经理", {"type": "manager", "level": 1}))


def _submit(org, contract, member=None):
    return api_client(member or org.rep).post(
        f"{BASE}/approvals/submit/", {"object_type": "crm.contract", "object_id": contract.pk, "comment": "请审批"}
    )


def test_flow_crud_and_versions(org):
    admin = api_client(org.boss)
    definition = {
        "branches": [
            {"key": "all", "name": "全部", "condition": None, "nodes": [node("n1", "经理", {"type": "manager"})]}
        ]
    }
    created = admin.post(
        f"{BASE}/flows/", {"object_type": "crm.contract", "name": "合同审批", "definition": definition}
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["version"] == 1 and body["definition"]["restart"] == "first"  # defaults filled in
    definition["branches"][0]["nodes"][0]["approvers"]["level"] = 2
    changed = admin.patch(f"{BASE}/flows/{body['id']}/", {"definition": definition})
    assert changed.json()["version"] == 2
    same = admin.patch(f"{BASE}/flows/{body['id']}/", {"definition": definition, "name": "合同审批流"})
    assert same.json()["version"] == 2 and same.json()["name"] == "合同审批流"
    assert admin.delete(f"{BASE}/flows/{body['id']}/").status_code == 204
    assert not Flow.objects.exists()


def test_invalid_definition_is_problem_json_keyed_by_path(org):
    admin = api_client(org.boss)
    bad = {
        "branches": [
            {"key": "all", "name": "全部", "nodes": [{"key": "n1", "name": "x", "approvers": {"type": "role"}}]}
        ]
    }
    response = admin.post(f"{BASE}/flows/", {"object_type": "crm.contract", "name": "x", "definition": bad})
    assert response.status_code == 400 and response["Content-Type"].startswith(PROBLEM)
    assert "branches.0.nodes.0.approvers.role" in response.json()["errors"]


def test_flows_are_for_administrators(org):
    response = api_client(org.rep).get(f"{BASE}/flows/")
    assert response.status_code == 403 and response["Content-Type"].startswith(PROBLEM)


def test_submit_approve_and_the_boxes(org):
    _manager_flow(org)
    contract = contract_of(org)
    response = _submit(org, contract)
    assert response.status_code == 201, response.content
    approval = response.json()
    assert approval["status"] == "pending" and approval["steps"][0]["action"] == "submit"
    manager = api_client(org.manager)
    todo = manager.get(f"{BASE}/tasks/?box=todo").json()
    assert todo["count"] == 1
    task_id = todo["results"][0]["id"]
    assert todo["results"][0]["approval"]["title"] == str(contract)
    done = manager.post(f"{BASE}/tasks/{task_id}/approve/", {"comment": "同意"})
    assert done.status_code == 200 and done.json()["status"] == "approved"
    assert manager.get(f"{BASE}/tasks/?box=done").json()["count"] == 1
    mine = api_client(org.rep).get(f"{BASE}/approvals/?box=submitted").json()
    assert [a["status"] for a in mine["results"]] == ["approved"]
    again = manager.post(f"{BASE}/tasks/{task_id}/approve/", {})
    assert again.status_code == 409 and again["Content-Type"].startswith(PROBLEM)


def test_someone_elses_task_is_not_found(org):
    _manager_flow(org)
    approval = Approval.objects.get(pk=_submit(org, contract_of(org)).json()["id"])
    (task,) = pending(approval)
    response = api_client(org.finance).post(f"{BASE}/tasks/{task.pk}/approve/", {})
    assert response.status_code == 404 and response["Content-Type"].startswith(PROBLEM)


def test_reject_transfer_send_back_add_approver(org):
    flow_of(
        org,
        node("n1", "部门经理", {"type": "manager", "level": 1}),
        node("n2", "总经理", {"type": "manager", "level": 2}),
    )
    approval = Approval.objects.get(pk=_submit(org, contract_of(org)).json()["id"])
    manager = api_client(org.manager)
    (task,) = pending(approval)
    no_comment = manager.post(f"{BASE}/tasks/{task.pk}/reject/", {"comment": ""})
    assert no_comment.status_code == 400 and "comment" in no_comment.json()["errors"]
    added = manager.post(f"{BASE}/tasks/{task.pk}/add-approver/", {"users": [org.finance.user_id], "position": "after"})
    assert added.status_code == 200, added.content
    assert manager.post(f"{BASE}/tasks/{task.pk}/approve/", {}).status_code == 200
    (fin_task,) = pending(approval)
    finance = api_client(org.finance)
    moved = finance.post(f"{BASE}/tasks/{fin_task.pk}/transfer/", {"to_user": org.crew[0].user_id})
    assert moved.status_code == 200 and moved.json()["assignee"] == org.crew[0].user_id
    (crew_task,) = pending(approval)
    assert api_client(org.crew[0]).post(f"{BASE}/tasks/{crew_task.pk}/approve/", {}).status_code == 200
    (boss_task,) = pending(approval)
    back = api_client(org.boss).post(
        f"{BASE}/tasks/{boss_task.pk}/send-back/", {"to_node_key": "n1", "comment": "补充"}
    )
    assert back.status_code == 200, back.content
    assert [t.assignee_id for t in pending(approval)] == [org.manager.user_id]
    refused = api_client(org.manager).post(
        f"{BASE}/tasks/{pending(approval)[0].pk}/send-back/", {"to_node_key": "n2", "comment": "x"}
    )
    assert refused.status_code == 400 and "to_node_key" in refused.json()["errors"]


def test_withdraw_and_void(org):
    _manager_flow(org)
    approval_id = _submit(org, contract_of(org)).json()["id"]
    other = api_client(org.manager).post(f"{BASE}/approvals/{approval_id}/withdraw/", {})
    assert other.status_code == 403 and other["Content-Type"].startswith(PROBLEM)
    withdrawn = api_client(org.rep).post(f"{BASE}/approvals/{approval_id}/withdraw/", {"comment": "改一下"})
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    denied = api_client(org.rep).post(f"{BASE}/approvals/{approval_id}/void/", {"comment": "x"})
    assert denied.status_code == 403
    voided = api_client(org.boss).post(f"{BASE}/approvals/{approval_id}/void/", {"comment": "作废"})
    assert voided.status_code == 200 and voided.json()["status"] == "void"


def test_bulk_approve(org):
    _manager_flow(org)
    ids = [_submit(org, contract_of(org)).json()["id"] for _ in range(3)]
    tasks = [pending(Approval.objects.get(pk=i))[0].pk for i in ids]
    response = api_client(org.manager).post(
        f"{BASE}/tasks/bulk-approve/", {"tasks": [*tasks, 999999], "comment": "同意"}
    )
    assert response.status_code == 200
    assert sorted(response.json()["approved"]) == sorted(tasks)
    assert list(response.json()["failed"]) == ["999999"]
    assert set(Approval.objects.values_list("status", flat=True)) == {"approved"}


def test_submit_refusals_are_problem_json(org, other_tenant):
    contract = contract_of(org)
    no_flow = _submit(org, contract)
    assert no_flow.status_code == 400 and no_flow["Content-Type"].startswith(PROBLEM)
    _manager_flow(org)
    stranger = make_member(other_tenant, "owner")
    elsewhere = _submit(org, contract, member=stranger)
    assert elsewhere.status_code == 400 and "object_id" in elsewhere.json()["errors"]
    assert _submit(org, contract).status_code == 201
    twice = _submit(org, contract)
    assert twice.status_code == 409 and twice["Content-Type"].startswith(PROBLEM)


def test_pending_contract_refused_by_the_crm_api(org):
    _manager_flow(org)
    contract = contract_of(org)
    assert _submit(org, contract).status_code == 201
    crm = api_client(org.boss)
    update = crm.patch(f"/api/v1/crm/contracts/{contract.pk}/", {"name": "改名"})
    assert update.status_code == 400 and update["Content-Type"].startswith(PROBLEM)
    assert update.json()["type"] == PENDING
    sign = crm.post(f"/api/v1/crm/contracts/{contract.pk}/sign/", {})
    assert sign.status_code == 400 and sign.json()["type"] == PENDING
    contract.refresh_from_db()
    assert contract.status == "draft" and contract.name != "改名"


def test_unapproved_contract_cannot_be_signed_through_the_api(org):
    _manager_flow(org)
    contract = contract_of(org)
    sign = api_client(org.boss).post(f"/api/v1/crm/contracts/{contract.pk}/sign/", {})
    assert sign.status_code == 400 and sign.json()["type"] == "urn:tandem:problem:approval_required"


def test_pending_receipt_refused_by_the_crm_api(org):
    from tandem.approvals.services import approval_submit, flow_create

    flow_create(
        access=org.admin,
        object_type="crm.receipt",
        name="回款审批",
        definition={
            "branches": [
                {
                    "key": "all",
                    "name": "全部",
                    "condition": None,
                    "nodes": [node("n1", "财务", {"type": "role", "role": "finance"})],
                }
            ]
        },
    )
    contract = contract_of(org, status="signed")
    receipt = receipt_record(
        access=org.admin, milestone=make_milestone(contract, Decimal("1000")), amount=Decimal("100")
    )
    approval_submit(access=org.admin, obj=receipt)
    response = api_client(org.boss).delete(f"/api/v1/crm/receipts/{receipt.pk}/")
    assert response.status_code == 400 and response.json()["type"] == PENDING


def test_todo_list_query_count_is_constant(org):
    _manager_flow(org)
    manager = api_client(org.manager)
    _submit(org, contract_of(org))
    manager.get(f"{BASE}/tasks/?box=todo")  # warm the token/session caches
    with CaptureQueriesContext(connection) as one:
        assert manager.get(f"{BASE}/tasks/?box=todo").json()["count"] == 1
    for _ in range(4):
        _submit(org, contract_of(org))
    with CaptureQueriesContext(connection) as five:
        assert manager.get(f"{BASE}/tasks/?box=todo").json()["count"] == 5
    assert len(five) == len(one)
