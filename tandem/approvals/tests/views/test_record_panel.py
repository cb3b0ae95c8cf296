import pytest

from tandem.approvals.choices import ApprovalStatus
from tandem.approvals.models import Approval
from tandem.approvals.services import flow_create
from tandem.approvals.tests.url_objects import definition
from tandem.crm.models import Receipt
from tandem.crm.tests.factories import make_milestone
from tandem.testing.kit import page_client


def _contract_page(client, contract):
    response = client.get(f"/crm/contracts/{contract.pk}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_no_flow_no_panel_and_signing_stays_open(crew):
    html = _contract_page(page_client(crew.rep), crew.contract)
    assert 'id="approval-panel"' not in html
    assert 'id="sign-locked"' not in html and 'id="sign"' in html


@pytest.mark.django_db
def test_the_panel_submits_shows_progress_and_locks_the_buttons(crew):
    flow_create(
        access=crew.admin_access,
        object_type="crm.contract",
        name="合同审批",
        definition=definition([crew.admin.user.pk]),
    )
    client = page_client(crew.rep)
    html = _contract_page(client, crew.contract)
    assert 'data-state="draft"' in html and 'id="approval-submit"' in html
    assert 'id="sign-locked"' in html  # an active flow: signing waits for the approval
    url = f"/approvals/submit/crm.contract/{crew.contract.pk}/"
    response = client.post(url, {"comment": "请审批", "next": f"/crm/contracts/{crew.contract.pk}/"})
    assert response.status_code == 302 and response["Location"] == f"/crm/contracts/{crew.contract.pk}/"
    approval = Approval.objects.get(tenant=crew.tenant, object_id=str(crew.contract.pk))
    assert approval.status == ApprovalStatus.PENDING
    html = _contract_page(client, crew.contract)
    assert 'data-state="pending"' in html and 'id="edit-locked"' in html and 'id="approval-withdraw"' in html
    assert 'class="current node-n1"' in html and "管理员" in html
    # The approver decides from the record's page too (when the record is within their reach).
    approver_html = _contract_page(page_client(crew.admin), crew.contract)
    assert 'id="panel-approve"' in approver_html and 'id="approval-withdraw"' not in approver_html
    # Submitting twice is refused by the service, said on the page, and changes nothing.
    again = client.post(url, {"comment": ""}, follow=True)
    assert Approval.objects.filter(tenant=crew.tenant, object_id=str(crew.contract.pk)).count() == 1
    assert again.status_code == 200
    client.post(f"/approvals/{approval.pk}/withdraw/", {"next": f"/crm/contracts/{crew.contract.pk}/"})
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.WITHDRAWN
    assert 'id="approval-submit"' in _contract_page(client, crew.contract)


@pytest.mark.django_db
def test_a_colleague_cannot_withdraw_and_an_outsider_cannot_submit(crew):
    flow_create(
        access=crew.admin_access,
        object_type="crm.contract",
        name="合同审批",
        definition=definition([crew.manager.user.pk]),
    )
    page_client(crew.rep).post(f"/approvals/submit/crm.contract/{crew.contract.pk}/", {"comment": ""})
    approval = Approval.objects.get(tenant=crew.tenant, object_id=str(crew.contract.pk))
    assert page_client(crew.manager).post(f"/approvals/{approval.pk}/withdraw/").status_code == 404
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.PENDING
    assert page_client(crew.rep).post("/approvals/submit/nothing.here/1/").status_code == 404


@pytest.mark.django_db
def test_receipts_show_their_approval_when_a_receipt_flow_is_active(crew):
    contract = crew.contract
    contract.status = "signed"
    contract.save(update_fields=["status"])
    period = make_milestone(contract, "1000.00")
    receipt = Receipt.objects.create(
        tenant=crew.tenant,
        milestone=period,
        contract=contract,
        amount="500.00",
        received_on=period.due_on,
        created_by=crew.rep.user,
    )
    client = page_client(crew.rep)
    assert "approval-inline" not in _contract_page(client, contract)
    flow_create(
        access=crew.admin_access,
        object_type="crm.receipt",
        name="回款确认",
        definition=definition([crew.manager.user.pk]),
    )
    html = _contract_page(client, contract)
    assert "approval-inline-submit" in html
    client.post(f"/approvals/submit/crm.receipt/{receipt.pk}/", {"next": f"/crm/contracts/{contract.pk}/"})
    assert Approval.objects.get(tenant=crew.tenant, object_type="crm.receipt").status == ApprovalStatus.PENDING


@pytest.mark.django_db
def test_the_submitter_picks_the_approvers_of_a_submitter_choice_node(crew):
    chosen = definition([crew.manager.user.pk])
    chosen["branches"][0]["nodes"][0]["approvers"] = {"type": "submitter_choice"}
    flow_create(access=crew.admin_access, object_type="crm.contract", name="自选审批", definition=chosen)
    client = page_client(crew.rep)
    html = _contract_page(client, crew.contract)
    assert 'name="chosen_n1"' in html
    url = f"/approvals/submit/crm.contract/{crew.contract.pk}/"
    client.post(url, {"comment": ""})
    assert not Approval.objects.filter(tenant=crew.tenant).exists()
    client.post(url, {"chosen_n1": [crew.admin.user.pk], "comment": ""})
    approval = Approval.objects.get(tenant=crew.tenant, object_id=str(crew.contract.pk))
    assert list(approval.tasks.values_list("assignee_id", flat=True)) == [crew.admin.user.pk]


@pytest.mark.django_db
def test_an_administrator_voids_an_approval_saying_why(crew):
    flow_create(
        access=crew.admin_access,
        object_type="crm.contract",
        name="合同审批",
        definition=definition([crew.manager.user.pk]),
    )
    page_client(crew.rep).post(f"/approvals/submit/crm.contract/{crew.contract.pk}/", {"comment": ""})
    approval = Approval.objects.get(tenant=crew.tenant, object_id=str(crew.contract.pk))
    assert 'id="approval-void"' in _contract_page(page_client(crew.admin), crew.contract)
    assert 'id="approval-void"' not in _contract_page(page_client(crew.rep), crew.contract)
    assert page_client(crew.rep).post(f"/approvals/{approval.pk}/void/", {"comment": "x"}).status_code == 403
    admin = page_client(crew.admin)
    admin.post(f"/approvals/{approval.pk}/void/", {"comment": ""})
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.PENDING
    admin.post(f"/approvals/{approval.pk}/void/", {"comment": "合同作废重签"})
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.VOID
