"""Contract pages: a contract from a won deal with its payment plan, signing, receipts and what was collected."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from tandem.core.models import OutboxEvent
from tandem.crm import events
from tandem.crm.choices import ContractStatus
from tandem.crm.models import Contract, PaymentMilestone, Receipt
from tandem.crm.tests.factories import make_contract, make_deal, make_milestone, stage_named
from tandem.testing.kit import page_client


def plan(periods):
    data = {"periods-TOTAL_FORMS": str(len(periods)), "periods-INITIAL_FORMS": "0"}
    for i, period in enumerate(periods):
        for key, value in {"due_rule": "on_date", "reminder_days": "7", **period}.items():
            data[f"periods-{i}-{key}"] = value
    return data


def contract_data(**fields):
    return {"name": "机电安装合同", "contract_type": "construction", "amount": "1000000", "tax_rate": "9", **fields}


def test_contract_form_from_a_won_deal_proposes_a_plan(team):
    deal = make_deal(team.tenant, team.rep.user, stage=stage_named(team.tenant, 5), amount=Decimal("1000000"))
    page = page_client(team.rep).get(f"/crm/deals/{deal.pk}/contract/")
    assert page.status_code == 200
    assert page.context["form"].initial["amount"] == deal.amount
    assert [p["percent"] for p in page.context["periods"].initial] == [30, 60, 7, 3]
    assert "data-plan-sum" in page.content.decode()
    assert 'id="new-contract"' in page_client(team.rep).get(f"/crm/deals/{deal.pk}/").content.decode()


def test_contract_with_a_plan_that_adds_up_is_created(team):
    deal = make_deal(team.tenant, team.rep.user, stage=stage_named(team.tenant, 5))
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    data = contract_data(**plan([
        {"name": "预付款", "percent": "30", "due_on": due},
        {"name": "进度款", "percent": "67", "due_rule": "on_milestone", "project_milestone": "主体完工"},
        {"name": "质保金", "amount": "30000", "due_rule": "after_acceptance_days", "days_after_acceptance": "365",
         "is_retention": "on"},
    ]))  # fmt: skip
    response = page_client(team.rep).post(f"/crm/deals/{deal.pk}/contract/", data)
    contract = Contract.objects.get(tenant=team.tenant, deal=deal)
    assert response.status_code == 302 and response["Location"] == f"/crm/contracts/{contract.pk}/"
    amounts = list(contract.milestones.order_by("sequence").values_list("amount", flat=True))
    assert amounts == [Decimal("300000.00"), Decimal("670000.00"), Decimal("30000.00")]
    assert contract.number.startswith("HT") and contract.status == ContractStatus.DRAFT


def test_a_plan_that_does_not_add_up_writes_nothing(team):
    deal = make_deal(team.tenant, team.rep.user, stage=stage_named(team.tenant, 5))
    due = timezone.localdate().isoformat()
    client = page_client(team.rep)
    response = client.post(
        f"/crm/deals/{deal.pk}/contract/",
        contract_data(**plan([{"name": "预付款", "percent": "30", "due_on": due}, {"name": "尾款", "amount": "100"}])),
    )
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    response = client.post(
        f"/crm/deals/{deal.pk}/contract/", contract_data(**plan([{"name": "无日期", "percent": "100", "due_on": ""}]))
    )
    assert response.status_code == 200
    assert response.context["periods"].forms[0].errors  # the service's period error lands on its row
    response = client.post(f"/crm/deals/{deal.pk}/contract/", contract_data(**plan([{"name": "空"}])))
    assert "percent" in response.context["periods"].forms[0].errors
    assert not Contract.objects.filter(tenant=team.tenant).exists()
    assert not PaymentMilestone.objects.filter(tenant=team.tenant).exists()


def test_lost_deals_get_no_contract_and_others_are_not_found(team):
    lost = make_deal(team.tenant, team.rep.user, stage=stage_named(team.tenant, 6))
    assert page_client(team.rep).get(f"/crm/deals/{lost.pk}/contract/").status_code == 302
    theirs = make_deal(team.tenant, team.rep2.user, stage=stage_named(team.tenant, 5))
    assert page_client(team.rep).get(f"/crm/deals/{theirs.pk}/contract/").status_code == 404


def test_sign_then_record_receipts_and_see_what_was_collected(team):
    contract = make_contract(team.tenant, team.rep.user, status=ContractStatus.DRAFT, amount=Decimal("1000000"))
    first = make_milestone(contract, "300000", name="预付款")
    make_milestone(contract, "700000", name="进度款")
    client = page_client(team.rep)
    page = client.get(f"/crm/contracts/{contract.pk}/").content.decode()
    assert 'id="sign"' in page and 'id="receipt-form"' not in page  # receipts wait for the signature
    assert client.post(f"/crm/contracts/{contract.pk}/sign/").status_code == 302
    assert OutboxEvent.objects.filter(name=events.CONTRACT_SIGNED, payload__contract_id=contract.pk).count() == 1
    finance = page_client(team.finance)
    too_much = finance.post(
        f"/crm/contracts/{contract.pk}/receipts/",
        {"milestone": first.pk, "amount": "300000.01", "received_on": timezone.localdate(), "method": "bank_transfer"},
    )
    assert too_much.status_code == 200 and too_much.context["receipt_form"].errors
    assert not Receipt.objects.filter(contract=contract).exists()
    ok = finance.post(
        f"/crm/contracts/{contract.pk}/receipts/",
        {"milestone": first.pk, "amount": "100000", "received_on": timezone.localdate(), "method": "bank_transfer",
         "bank": "招商银行"},
    )  # fmt: skip
    assert ok.status_code == 302
    response = client.get(f"/crm/contracts/{contract.pk}/")
    assert response.context["collected"] == {
        "received": Decimal("100000.00"),
        "outstanding": Decimal("900000.00"),
        "percent": Decimal("10.0"),
    }
    assert "招商银行" in response.content.decode()
    statuses = [m.status for m in response.context["milestones"]]
    assert statuses[0] == "partly_received"
    listing = client.get("/crm/contracts/").content.decode()
    assert "¥100,000.00" in listing and "¥900,000.00" in listing and "10.0%" in listing


def test_contract_edit_keeps_the_plan_consistent(team):
    contract = make_contract(team.tenant, team.rep.user, status=ContractStatus.DRAFT, amount=Decimal("1000"))
    period = make_milestone(contract, "1000", name="全款")
    client = page_client(team.rep)
    assert client.get(f"/crm/contracts/{contract.pk}/edit/").status_code == 200
    data = contract_data(amount="2000", **plan([{"id": str(period.pk), "name": "全款", "amount": "1000",
                                                 "due_on": timezone.localdate().isoformat()}]))  # fmt: skip
    data["periods-INITIAL_FORMS"] = "1"
    response = client.post(f"/crm/contracts/{contract.pk}/edit/", data)
    assert response.status_code == 200
    contract.refresh_from_db()
    assert contract.amount == Decimal("1000")
    data["periods-0-amount"] = "2000"
    assert client.post(f"/crm/contracts/{contract.pk}/edit/", data).status_code == 302
    contract.refresh_from_db()
    period.refresh_from_db()
    assert contract.amount == Decimal("2000") and period.amount == Decimal("2000")
