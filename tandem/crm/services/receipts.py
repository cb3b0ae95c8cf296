"""Recording money received (回款) against a contract's payment periods."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.approvals.guards import ensure_editable
from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.errors import ApplicationError
from tandem.core.events import emit
from tandem.core.services import actor_of, check_tenant, full_clean, require, set_fields
from tandem.crm import events
from tandem.crm.choices import ContractStatus
from tandem.crm.models import PaymentMilestone, Receipt
from tandem.crm.models.contracts import milestone_status

RECEIPT_FIELDS = ("received_on", "amount", "method", "bank", "reference", "notes")
ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def contract_totals(contract) -> dict:
    """Received, outstanding and % collected of a contract (void periods excluded from what is due)."""
    received = (contract.receipts.aggregate(total=Sum("amount"))["total"] or ZERO).quantize(CENT)
    outstanding = max(contract.amount - received, ZERO)
    percent = (received * 100 / contract.amount).quantize(Decimal("0.1")) if contract.amount else ZERO
    return {"received": received, "outstanding": outstanding, "percent_collected": percent}


@transaction.atomic
def receipt_record(*, access, milestone: PaymentMilestone, amount: Decimal, received_on=None, **fields) -> Receipt:
    """Record a receipt against one payment period of a signed contract; never more than the period's balance."""
    require(access, "crm.add_receipt")
    check_tenant(access, milestone)
    milestone = PaymentMilestone.objects.select_for_update().select_related("contract").get(pk=milestone.pk)
    contract = milestone.contract
    if contract.deleted_at is not None:
        raise ApplicationError(_("Not found."), errors={"milestone": [_("Not found.")]})
    if contract.status not in (ContractStatus.SIGNED, ContractStatus.COMPLETED):
        raise ApplicationError(
            _("Record receipts on signed contracts."), errors={"milestone": [_("The contract is not signed.")]}
        )
    if milestone.is_void:
        raise ApplicationError(_("This payment period is void."), errors={"milestone": [_("Void.")]})
    amount = Decimal(str(amount)).quantize(CENT)
    received = milestone.receipts.aggregate(total=Sum("amount"))["total"] or ZERO
    balance = milestone.amount - received
    if amount <= ZERO:
        raise ApplicationError(_("The amount must be more than zero."), errors={"amount": [_("Must be positive.")]})
    if amount > balance:
        message = _("The period has %(balance)s outstanding; record at most that.") % {"balance": f"{balance:,.2f}"}
        raise ApplicationError(message, errors={"amount": [message]})
    receipt = Receipt(
        tenant_id=access.tenant_id,
        contract=contract,
        milestone=milestone,
        created_by=actor_of(access),
        received_on=received_on or timezone.localdate(),
    )
    set_fields(receipt, {"amount": amount, **fields}, RECEIPT_FIELDS)
    full_clean(receipt, exclude=["contract", "milestone", "created_by"])
    receipt.save()
    audit_record(obj=receipt, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(receipt))
    totals = contract_totals(contract)
    status = milestone_status(
        amount=milestone.amount,
        received=received + amount,
        due_on=milestone.due_on,
        is_void=False,
        today=timezone.localdate(),
    )
    emit(
        events.RECEIPT_RECORDED,
        tenant=access.membership.tenant,
        actor=actor_of(access),
        payload={
            "receipt_id": receipt.pk,
            "contract_id": contract.pk,
            "contract_number": contract.number,
            "account_id": contract.account_id,
            "milestone_id": milestone.pk,
            "milestone_status": status,
            "amount": str(amount),
            "currency": contract.currency,
            "received_on": receipt.received_on.isoformat(),
            "contract_received": str(totals["received"]),
            "contract_outstanding": str(totals["outstanding"]),
        },
    )
    return receipt


@transaction.atomic
def receipt_delete(*, access, receipt: Receipt) -> None:
    """Remove a receipt entered in error; audited."""
    require(access, "crm.delete_receipt")
    check_tenant(access, receipt)
    ensure_editable(receipt)
    audit_record(obj=receipt, action=AuditAction.DELETE, actor=actor_of(access), before=snapshot(receipt))
    receipt.delete()
