"""Receipts against payment periods: balance checks, event, and the period statuses."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tandem.core.errors import ApplicationError, PermissionDenied
from tandem.core.models import OutboxEvent
from tandem.crm import events
from tandem.crm.choices import ContractStatus, MilestoneStatus
from tandem.crm.models.contracts import milestone_status
from tandem.crm.services.receipts import contract_totals, receipt_delete, receipt_record
from tandem.crm.tests.factories import make_contract, make_milestone


def test_recording_a_receipt_emits_with_the_contract_totals(team):
    contract = make_contract(team.tenant, team.rep.user, amount=Decimal("1000000.00"))
    advance = make_milestone(contract, "300000.00")
    make_milestone(contract, "700000.00")
    receipt = receipt_record(
        access=team.finance_access, milestone=advance, amount=Decimal("100000"), bank="招商银行", reference="HD001"
    )
    assert receipt.contract == contract and receipt.received_on == timezone.localdate()
    payload = OutboxEvent.objects.get(name=events.RECEIPT_RECORDED).payload
    assert payload["milestone_status"] == MilestoneStatus.PARTLY_RECEIVED
    assert payload["contract_received"] == "100000.00" and payload["contract_outstanding"] == "900000.00"
    assert contract_totals(contract)["percent_collected"] == Decimal("10.0")


def test_a_receipt_never_exceeds_the_periods_balance(team):
    contract = make_contract(team.tenant, team.rep.user, amount=Decimal("1000.00"))
    period = make_milestone(contract, "1000.00")
    receipt_record(access=team.finance_access, milestone=period, amount=Decimal("600"))
    with pytest.raises(ApplicationError) as exc:
        receipt_record(access=team.finance_access, milestone=period, amount=Decimal("400.01"))
    assert "400.00" in exc.value.message
    with pytest.raises(ApplicationError):
        receipt_record(access=team.finance_access, milestone=period, amount=Decimal("0"))
    assert period.receipts.count() == 1


def test_receipts_need_a_signed_contract_and_a_live_period(team):
    draft = make_contract(team.tenant, team.rep.user, status=ContractStatus.DRAFT)
    with pytest.raises(ApplicationError):
        receipt_record(access=team.finance_access, milestone=make_milestone(draft, "10"), amount=Decimal("1"))
    signed = make_contract(team.tenant, team.rep.user)
    with pytest.raises(ApplicationError):
        receipt_record(
            access=team.finance_access, milestone=make_milestone(signed, "10", is_void=True), amount=Decimal("1")
        )


def test_deleting_a_receipt_needs_the_permission(team):
    contract = make_contract(team.tenant, team.rep.user)
    receipt = receipt_record(access=team.finance_access, milestone=make_milestone(contract, "10"), amount=Decimal("5"))
    with pytest.raises(PermissionDenied):
        receipt_delete(access=team.rep_access, receipt=receipt)
    receipt_delete(access=team.admin_access, receipt=receipt)
    assert not contract.receipts.exists()


TODAY = date(2026, 5, 1)


@pytest.mark.parametrize(
    ("received", "due_on", "is_void", "status"),
    [
        ("0", TODAY + timedelta(days=1), False, MilestoneStatus.PENDING),
        ("0", None, False, MilestoneStatus.PENDING),
        ("0", TODAY, False, MilestoneStatus.PENDING),
        ("40", TODAY, False, MilestoneStatus.PARTLY_RECEIVED),
        ("40", TODAY - timedelta(days=1), False, MilestoneStatus.OVERDUE),
        ("0", TODAY - timedelta(days=1), False, MilestoneStatus.OVERDUE),
        ("100", TODAY - timedelta(days=1), False, MilestoneStatus.RECEIVED),
        ("0", TODAY - timedelta(days=1), True, MilestoneStatus.VOID),
    ],
)
def test_period_status(received, due_on, is_void, status):
    assert (
        milestone_status(amount=Decimal("100"), received=Decimal(received), due_on=due_on, is_void=is_void, today=TODAY)
        == status
    )
