"""Contract services: from a deal, payment plans that add up exactly, signing once."""

from datetime import date
from decimal import Decimal

import pytest

from tandem.core.errors import ApplicationError
from tandem.core.models import OutboxEvent
from tandem.crm import events
from tandem.crm.choices import ContractStatus, DealStatus, DueRule
from tandem.crm.models import Contract, PaymentMilestone
from tandem.crm.services.contracts import contract_create, contract_sign, contract_update, payment_plan_set
from tandem.crm.tests.factories import make_contract, make_deal, make_milestone

PLAN = [
    {"name": "预付款", "percent": Decimal("30"), "due_rule": DueRule.ON_DATE, "due_on": date(2026, 1, 15)},
    {"name": "进度款", "percent": Decimal("60"), "due_rule": DueRule.ON_MILESTONE, "project_milestone": "主体完工"},
    {
        "name": "验收款",
        "percent": Decimal("7"),
        "due_rule": DueRule.AFTER_ACCEPTANCE,
        "days_after_acceptance": 30,
    },
    {
        "name": "质保金",
        "percent": Decimal("3"),
        "due_rule": DueRule.AFTER_ACCEPTANCE,
        "days_after_acceptance": 730,
        "is_retention": True,
    },
]


def amounts(contract):
    return list(contract.milestones.order_by("sequence").values_list("amount", flat=True))


def test_create_from_a_deal_takes_its_customer_name_and_amount_and_a_30_60_7_3_plan(team):
    deal = make_deal(team.tenant, team.rep.user, amount=Decimal("1000000.01"), name="数据中心暖通工程")
    contract = contract_create(access=team.rep_access, deal=deal, periods=PLAN)
    assert contract.number.startswith("HT-") and contract.status == ContractStatus.DRAFT
    assert contract.account == deal.account and contract.name == "数据中心暖通工程"
    assert contract.amount == Decimal("1000000.01")
    assert amounts(contract) == [Decimal("300000.00"), Decimal("600000.01"), Decimal("70000.00"), Decimal("30000.00")]
    assert sum(amounts(contract)) == contract.amount
    retention = contract.milestones.get(is_retention=True)
    assert retention.due_on is None  # not accepted yet


def test_a_plan_that_does_not_add_up_is_refused_and_nothing_is_written(team):
    deal = make_deal(team.tenant, team.rep.user, amount=Decimal("1000000"))
    bad = [{**PLAN[0]}, {**PLAN[1], "percent": Decimal("50")}]
    with pytest.raises(ApplicationError) as exc:
        contract_create(access=team.rep_access, deal=deal, periods=bad)
    assert exc.value.code == "plan_total" and "800,000.00" in exc.value.message
    assert not Contract.objects.exists() and not PaymentMilestone.objects.exists()


def test_amount_periods_must_match_exactly(team):
    contract = make_contract(team.tenant, team.rep.user, amount=Decimal("100.00"))
    periods = [
        {"name": "一期", "amount": Decimal("33.33"), "due_rule": DueRule.ON_DATE, "due_on": date(2026, 1, 1)},
        {"name": "二期", "amount": Decimal("66.66"), "due_rule": DueRule.ON_DATE, "due_on": date(2026, 2, 1)},
    ]
    with pytest.raises(ApplicationError):
        payment_plan_set(access=team.rep_access, contract=contract, periods=periods)
    periods[1]["amount"] = Decimal("66.67")
    payment_plan_set(access=team.rep_access, contract=contract, periods=periods)
    assert amounts(contract) == [Decimal("33.33"), Decimal("66.67")]


def test_a_period_needs_what_its_due_rule_depends_on(team):
    contract = make_contract(team.tenant, team.rep.user, amount=Decimal("100.00"))
    with pytest.raises(ApplicationError) as exc:
        payment_plan_set(
            access=team.rep_access,
            contract=contract,
            periods=[{"name": "全款", "percent": Decimal("100"), "due_rule": DueRule.ON_DATE}],
        )
    assert "periods[0]" in exc.value.errors


def test_changing_the_amount_needs_a_matching_plan(team):
    contract = make_contract(team.tenant, team.rep.user, amount=Decimal("1000.00"))
    make_milestone(contract, "1000.00")
    with pytest.raises(ApplicationError) as exc:
        contract_update(access=team.rep_access, contract=contract, amount=Decimal("1200.00"))
    assert "amount" in exc.value.errors
    contract.refresh_from_db()
    assert contract.amount == Decimal("1000.00")
    period = contract.milestones.get()
    contract_update(
        access=team.rep_access,
        contract=contract,
        amount=Decimal("1200.00"),
        periods=[{"id": period.pk, "name": period.name, "amount": Decimal("1200.00"), "due_on": period.due_on}],
    )
    assert amounts(contract) == [Decimal("1200.00")]
    assert contract.milestones.get().pk == period.pk


def test_void_periods_do_not_count_and_periods_with_receipts_stay(team):
    from tandem.crm.models import Receipt

    contract = make_contract(team.tenant, team.rep.user, amount=Decimal("1000.00"))
    paid = make_milestone(contract, "600.00")
    spare = make_milestone(contract, "400.00")
    Receipt.objects.create(
        tenant=team.tenant,
        contract=contract,
        milestone=paid,
        amount=Decimal("100"),
        received_on=date(2026, 1, 1),
        created_by=team.rep.user,
    )
    keep_paid = {"id": paid.pk, "name": paid.name, "amount": Decimal("600.00"), "due_on": paid.due_on}
    with pytest.raises(ApplicationError):
        payment_plan_set(access=team.rep_access, contract=contract, periods=[])
    with pytest.raises(ApplicationError):
        payment_plan_set(access=team.rep_access, contract=contract, periods=[{**keep_paid, "is_void": True}])
    payment_plan_set(
        access=team.rep_access,
        contract=contract,
        periods=[
            keep_paid,
            {"id": spare.pk, "name": spare.name, "amount": Decimal("400.00"), "due_on": spare.due_on, "is_void": True},
            {"name": "新增", "amount": Decimal("400.00"), "due_on": date(2026, 6, 1)},
        ],
    )
    assert list(contract.milestones.values_list("is_void", flat=True)) == [False, True, False]


def test_acceptance_dates_the_periods_due_after_it(team):
    deal = make_deal(team.tenant, team.rep.user, amount=Decimal("1000000"))
    contract = contract_create(access=team.rep_access, deal=deal, periods=PLAN)
    contract_update(access=team.rep_access, contract=contract, accepted_on=date(2026, 3, 1))
    due = dict(contract.milestones.values_list("name", "due_on"))
    assert due["验收款"] == date(2026, 3, 31) and due["质保金"] == date(2028, 2, 29)


def test_signing_emits_once_and_a_lost_deal_gets_no_contract(team):
    contract = make_contract(team.tenant, team.rep.user, status=ContractStatus.DRAFT)
    contract_sign(access=team.rep_access, contract=contract, signed_on=date(2026, 2, 1))
    again = contract_sign(access=team.rep_access, contract=contract)
    assert again.status == ContractStatus.SIGNED and again.signed_on == date(2026, 2, 1)
    event = OutboxEvent.objects.get(name=events.CONTRACT_SIGNED)
    assert event.payload["contract_id"] == contract.pk and event.payload["signed_on"] == "2026-02-01"
    lost = make_deal(team.tenant, team.rep.user, status=DealStatus.LOST)
    with pytest.raises(ApplicationError):
        contract_create(access=team.rep_access, deal=lost)
