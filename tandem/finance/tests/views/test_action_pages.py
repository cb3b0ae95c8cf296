"""Change orders and commitments written from the pages: a draft with lines, submitted, approved (the amount
moves from pending to approved changes on the budget page), rejected, voided; a commitment moved along its flow."""

import re
from decimal import Decimal

import pytest

from tandem.finance.choices import ChangeOrderStatus, CommitmentKind, CommitmentStatus
from tandem.finance.models import ChangeOrder, Commitment, CostSettings
from tandem.finance.tests.view_fixtures import seed_budget
from tandem.projects.tests.factories import make_project, pm_member
from tandem.testing.kit import make_member, page_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(tenant):
    # The thresholds row exists already (a fresh one made on first use keeps its default "0.90" as text until
    # read back, which the alerts refresh cannot compare: reported to the services side).
    CostSettings.objects.create(tenant=tenant)
    member = pm_member(tenant)
    return member, seed_budget(make_project(tenant, member=member), member)


def _cell(client, s, column: str) -> str:
    page = client.get(f"/finance/projects/{s.project.pk}/budget/").content.decode()
    row = re.search(rf'<tr [^>]*data-line="{s.l1.pk}".*?</tr>', page, re.S).group(0)
    return re.search(rf'data-column="{column}" data-value="([-0-9.]+)"', row).group(1)


def _rows(**rows):
    data = {
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
    }
    for i, row in rows.items():
        for k, v in row.items():
            data[f"lines-{i[1:]}-{k}"] = v
    return data


def test_a_change_order_goes_from_draft_to_approved_and_moves_its_amount(tenant, seeded):
    member, s = seeded
    pm = page_client(member)
    data = {
        "kind": "prime",
        "title": "增加弱电点位",
        "reason": "业主追加",
        "contract_amount": "3000.00",
        **_rows(r0={"budget_line": s.l1.pk, "amount": "1200.00", "description": "点位"}),
    }
    response = pm.post(f"/finance/projects/{s.project.pk}/change-orders/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    co = ChangeOrder.objects.get(title="增加弱电点位")
    assert co.status == ChangeOrderStatus.DRAFT and co.lines.get().amount == Decimal("1200.00")
    pm.post(f"/finance/change-orders/{co.pk}/submit/")
    co.refresh_from_db()
    assert co.status == ChangeOrderStatus.PENDING
    assert _cell(pm, s, "pending_changes") == "2000.00"  # 800 + 1,200
    # The PM may not approve; finance may.
    assert pm.post(f"/finance/change-orders/{co.pk}/approve/").status_code == 403
    finance = page_client(make_member(tenant, "finance"))
    detail = finance.get(f"/finance/change-orders/{co.pk}/").content.decode()
    assert 'id="co-approve"' in detail and 'id="co-reject"' in detail
    finance.post(f"/finance/change-orders/{co.pk}/approve/")
    co.refresh_from_db()
    assert co.status == ChangeOrderStatus.APPROVED
    assert _cell(pm, s, "pending_changes") == "800.00" and _cell(pm, s, "approved_changes") == "1200.00"
    # Approving again is refused and changes nothing.
    finance.post(f"/finance/change-orders/{co.pk}/approve/")
    assert _cell(pm, s, "approved_changes") == "1200.00"


def test_a_change_order_line_error_lands_on_its_row(seeded):
    member, s = seeded
    data = {
        "kind": "budget",
        "title": "内部调整",
        "contract_amount": "0",
        **_rows(r0={"budget_line": s.l1.pk, "amount": "0"}),
    }
    response = page_client(member).post(f"/finance/projects/{s.project.pk}/change-orders/new/", data)
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    assert not ChangeOrder.objects.filter(title="内部调整").exists()


def test_a_pending_change_order_is_rejected_or_voided(tenant, seeded):
    member, s = seeded
    finance = page_client(make_member(tenant, "finance"))
    finance.post(f"/finance/change-orders/{s.co_pending.pk}/reject/")
    s.co_pending.refresh_from_db()
    assert s.co_pending.status == ChangeOrderStatus.REJECTED
    page_client(member).post(f"/finance/change-orders/{s.co_pending.pk}/void/")
    s.co_pending.refresh_from_db()
    assert s.co_pending.status == ChangeOrderStatus.VOID


def test_a_purchase_order_is_created_submitted_and_approved_from_its_page(tenant, seeded):
    member, s = seeded
    pm = page_client(member)
    data = {
        "kind": CommitmentKind.PURCHASE_ORDER,
        "title": "线缆采购",
        "vendor": "上海线缆厂",
        "retention_percent": "5",
        **_rows(r0={"budget_line": s.l2.pk, "quantity": "10", "unit": "卷", "unit_price": "120.00"}),
    }
    response = pm.post(f"/finance/projects/{s.project.pk}/commitments/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    po = Commitment.objects.get(title="线缆采购")
    assert po.lines.get().amount == Decimal("1200.00")
    detail = pm.get(f"/finance/commitments/{po.pk}/").content.decode()
    assert 'data-move="submitted"' in detail and 'id="commitment-edit"' in detail
    pm.post(f"/finance/commitments/{po.pk}/move/", {"status": CommitmentStatus.SUBMITTED})
    po.refresh_from_db()
    assert po.status == CommitmentStatus.SUBMITTED
    page_client(make_member(tenant, "finance")).post(
        f"/finance/commitments/{po.pk}/move/", {"status": CommitmentStatus.APPROVED}
    )
    po.refresh_from_db()
    assert po.status == CommitmentStatus.APPROVED
    page = pm.get(f"/finance/projects/{s.project.pk}/budget/").content.decode()
    row = re.search(rf'<tr [^>]*data-line="{s.l2.pk}".*?</tr>', page, re.S).group(0)
    assert 'data-column="committed" data-value="1200.00"' in row


def test_sales_cannot_write(tenant, seeded):
    _member, s = seeded
    sales = page_client(make_member(tenant, "sales"))
    assert sales.get(f"/finance/projects/{s.project.pk}/change-orders/new/").status_code == 403
    assert sales.post(f"/finance/change-orders/{s.co_pending.pk}/approve/").status_code == 403
    assert sales.post(f"/finance/commitments/{s.po_pending.pk}/move/", {"status": "approved"}).status_code == 403


def test_a_pm_books_a_direct_cost_and_an_invoice_and_the_budget_view_follows(seeded):
    from tandem.finance.models import CostRecord

    member, s = seeded
    pm = page_client(member)
    url = f"/finance/projects/{s.project.pk}/costs/new/"
    response = pm.post(
        url,
        {
            "kind": "expense",
            "budget_line": s.l1.pk,
            "date": "2025-03-21",
            "amount": "250.00",
            "vendor": "五金店",
            "reference": "FP-001",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    assert _cell(pm, s, "direct") == "8750.00"
    # An expense may not name a commitment; the service's refusal lands on the form.
    refused = pm.post(
        url,
        {
            "kind": "expense",
            "budget_line": s.l1.pk,
            "commitment": s.sc_approved.pk,
            "date": "2025-03-21",
            "amount": "1.00",
        },
    )
    assert refused.status_code == 200 and "is-invalid" in refused.content.decode()
    record = CostRecord.objects.get(reference="FP-001")
    pm.post(f"/finance/costs/{record.pk}/edit/", {"budget_line": s.l1.pk, "date": "2025-03-21", "amount": "300.00"})
    assert _cell(pm, s, "direct") == "8800.00"
    listed = pm.get("/finance/costs/", {"project": s.project.pk}).content.decode()
    assert f'data-cost-record="{record.pk}"' in listed
