"""Contracts API: payment plan validation, signing, receipts and period statuses, activities."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from tandem.core.models import OutboxEvent
from tandem.crm import events
from tandem.crm.models import Activity, Contract, PaymentMilestone
from tandem.crm.tests.factories import make_account, make_contract, make_deal, make_milestone
from tandem.testing.kit import api_client

URL = "/api/v1/crm/contracts/"
PLAN = [
    {"name": "预付款", "percent": "30", "due_on": "2026-01-15"},
    {"name": "进度款", "percent": "60", "due_rule": "on_milestone", "project_milestone": "主体完工"},
    {"name": "验收款", "percent": "7", "due_rule": "after_acceptance_days", "days_after_acceptance": 30},
    {
        "name": "质保金",
        "percent": "3",
        "due_rule": "after_acceptance_days",
        "days_after_acceptance": 730,
        "is_retention": True,
    },
]


def test_contract_from_a_won_deal_with_a_plan_then_sign_and_collect(team):
    deal = make_deal(team.tenant, team.rep.user, amount=Decimal("2000000"), status="won")
    client = api_client(team.rep)
    response = client.post(URL, {"deal": deal.pk, "tax_rate": "9", "periods": PLAN}, format="json")
    assert response.status_code == 201, response.content
    contract = response.json()
    assert contract["account"] == deal.account_id and contract["amount"] == "2000000.00"
    assert [m["amount"] for m in contract["milestones"]] == ["600000.00", "1200000.00", "140000.00", "60000.00"]
    assert contract["received"] == "0.00" and contract["outstanding"] == "2000000.00"

    signed = client.post(f"{URL}{contract['id']}/sign/", {"signed_on": "2026-01-05"}, format="json")
    assert signed.status_code == 200 and signed.json()["status"] == "signed"
    assert OutboxEvent.objects.filter(name=events.CONTRACT_SIGNED).count() == 1

    advance = contract["milestones"][0]["id"]
    receipts = api_client(team.finance)
    paid = receipts.post(
        "/api/v1/crm/receipts/", {"milestone": advance, "amount": "600000", "bank": "招商银行"}, format="json"
    )
    assert paid.status_code == 201, paid.content
    body = client.get(f"{URL}{contract['id']}/").json()
    assert (
        body["received"] == "600000.00" and body["outstanding"] == "1400000.00" and body["percent_collected"] == "30.0"
    )
    assert body["milestones"][0]["status"] == "received" and body["milestones"][0]["outstanding"] == "0.00"
    over = receipts.post("/api/v1/crm/receipts/", {"milestone": advance, "amount": "1"}, format="json")
    assert over.status_code == 400 and "amount" in over.json()["errors"]


def test_a_plan_that_does_not_add_up_is_400_and_writes_nothing(team):
    account = make_account(team.tenant, team.rep.user)
    plan = [dict(p) for p in PLAN]
    plan[3]["percent"] = "5"
    response = api_client(team.rep).post(
        URL, {"account": account.pk, "name": "x", "amount": "100", "periods": plan}, format="json"
    )
    assert response.status_code == 400 and "periods" in response.json()["errors"]
    assert not Contract.objects.exists() and not PaymentMilestone.objects.exists()


def test_payment_plan_endpoint_replaces_the_plan(team):
    contract = make_contract(team.tenant, team.rep.user, amount=Decimal("1000.00"))
    client = api_client(team.rep)
    response = client.post(
        f"{URL}{contract.pk}/payment-plan/",
        {"periods": [{"name": "全款", "amount": "1000.00", "due_on": "2026-05-01"}]},
        format="json",
    )
    assert response.status_code == 200 and len(response.json()["milestones"]) == 1
    bad = client.post(f"{URL}{contract.pk}/payment-plan/", {"periods": [{"name": "x", "amount": "1"}]}, format="json")
    assert bad.status_code == 400


def test_period_statuses_and_filters(team):
    contract = make_contract(team.tenant, team.rep.user, amount=Decimal("400.00"))
    today = timezone.localdate()
    overdue = make_milestone(contract, "100", due_on=today - timedelta(days=3))
    make_milestone(contract, "100", due_on=today + timedelta(days=30))
    void = make_milestone(contract, "100", is_void=True)
    partly = make_milestone(contract, "100", due_on=today + timedelta(days=3))
    partly.receipts.create(
        tenant=team.tenant, contract=contract, amount=Decimal("40"), received_on=today, created_by=team.rep.user
    )
    client = api_client(team.finance)
    rows = client.get(f"/api/v1/crm/payment-milestones/?contract={contract.pk}&ordering=id").json()["results"]
    assert [r["status"] for r in rows] == ["overdue", "pending", "void", "partly_received"]
    overdue_rows = client.get("/api/v1/crm/payment-milestones/?status=overdue").json()["results"]
    assert [r["id"] for r in overdue_rows] == [overdue.pk]
    assert void.pk not in [r["id"] for r in overdue_rows]


def test_a_rep_cannot_record_receipts_on_contracts_out_of_scope(team):
    contract = make_contract(team.tenant, team.rep2.user)
    period = make_milestone(contract, "100")
    response = api_client(team.rep).post(
        "/api/v1/crm/receipts/", {"milestone": period.pk, "amount": "10"}, format="json"
    )
    assert response.status_code == 400 and list(response.json()["errors"]) == ["milestone"]


def test_activities_on_my_account_by_a_colleague_show_for_me(team):
    account = make_account(team.tenant, team.rep.user)
    response = api_client(team.manager).post(
        "/api/v1/crm/activities/", {"kind": "visit", "subject": "经理陪同拜访", "account": account.pk}, format="json"
    )
    assert response.status_code == 201, response.content
    rows = api_client(team.rep).get("/api/v1/crm/activities/").json()["results"]
    assert [r["subject"] for r in rows] == ["经理陪同拜访"]
    assert api_client(team.rep2).get("/api/v1/crm/activities/").json()["results"] == []
    bad = api_client(team.rep).post("/api/v1/crm/activities/", {"subject": "无关联"}, format="json")
    assert bad.status_code == 400 and Activity.objects.count() == 1


def test_crm_settings_are_read_by_sales_and_changed_by_admins(team):
    assert api_client(team.rep).get("/api/v1/crm/settings/").json() == {
        "lead_response_hours": 24,
        "max_owned_accounts": None,
        "max_locked_accounts": None,
        "forgotten_after_days": 30,
    }
    assert (
        api_client(team.rep).patch("/api/v1/crm/settings/", {"lead_response_hours": 4}, format="json").status_code
        == 403
    )
    client = api_client(team.admin)
    assert client.patch("/api/v1/crm/settings/", {"lead_response_hours": 0}, format="json").status_code == 400
    assert (
        client.patch("/api/v1/crm/settings/", {"lead_response_hours": 4}, format="json").json()["lead_response_hours"]
        == 4
    )
