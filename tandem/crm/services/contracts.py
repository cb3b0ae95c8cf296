"""Writing contracts (合同) and their payment plans (回款计划); a plan always adds up to the contract amount."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.approvals.guards import ensure_approved, ensure_editable
from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.errors import ApplicationError
from tandem.core.events import emit
from tandem.core.services import actor_of, check_member, check_tenant, ensure_visible, full_clean, require, set_fields
from tandem.crm import events
from tandem.crm.choices import ContractStatus, DealStatus, DueRule
from tandem.crm.models import Contract, PaymentMilestone
from tandem.crm.models.contracts import CONTRACT_FIELDS, PERIOD_FIELDS
from tandem.records.services.numbering import number_next
from tandem.records.services.recycle_bin import record_soft_delete

CENT = Decimal("0.01")
HUNDRED = Decimal("100")


def _money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def plan_snapshot(contract: Contract) -> list[dict]:
    return [
        {
            "id": m.pk,
            "name": m.name,
            "percent": str(m.percent) if m.percent is not None else None,
            "amount": str(m.amount),
            "due_rule": m.due_rule,
            "due_on": m.due_on.isoformat() if m.due_on else None,
            "is_retention": m.is_retention,
            "is_void": m.is_void,
        }
        for m in contract.milestones.order_by("sequence", "id")
    ]


def _received_by_milestone(contract: Contract) -> dict[int, Decimal]:
    rows = contract.receipts.values("milestone_id").annotate(total=Sum("amount"))
    return {r["milestone_id"]: r["total"] for r in rows}


def _amounts(contract: Contract, periods: list[dict]) -> list[Decimal]:
    """Each period's amount: given, or its percent of the contract amount; percent plans absorb the rounding."""
    amounts, errors = [], {}
    for index, period in enumerate(periods):
        amount, percent = period.get("amount"), period.get("percent")
        if amount is None and percent is None:
            errors[f"periods[{index}]"] = [_("Give a percent or an amount.")]
            amounts.append(Decimal("0"))
            continue
        from_percent = _money(contract.amount * Decimal(percent) / HUNDRED) if percent is not None else None
        if amount is not None and from_percent is not None and abs(_money(amount) - from_percent) > CENT:
            errors[f"periods[{index}]"] = [_("The amount does not match the percent.")]
        amounts.append(_money(amount) if amount is not None else from_percent)
    if errors:
        raise ApplicationError(_("Please correct the payment plan."), errors=errors)
    live = [i for i, p in enumerate(periods) if not p.get("is_void")]
    by_percent = live and all(periods[i].get("amount") is None for i in live)
    if by_percent and sum(Decimal(periods[i]["percent"]) for i in live) == HUNDRED:
        amounts[live[-1]] += contract.amount - sum(amounts[i] for i in live)
    return amounts


def _check_total(contract: Contract, periods: list[dict], amounts: list[Decimal]) -> None:
    total = sum((a for a, p in zip(amounts, periods, strict=True) if not p.get("is_void")), Decimal("0"))
    if periods and total != contract.amount:
        message = _("The payment periods add up to %(total)s but the contract amount is %(amount)s.") % {
            "total": f"{total:,.2f}",
            "amount": f"{contract.amount:,.2f}",
        }
        raise ApplicationError(message, errors={"periods": [message]}, code="plan_total")


def _save_plan(access, contract: Contract, periods: list[dict]) -> None:
    existing = {m.pk: m for m in contract.milestones.all()}
    received = _received_by_milestone(contract)
    wanted = {p["id"] for p in periods if p.get("id")}
    unknown = wanted - set(existing)
    if unknown:
        raise ApplicationError(
            _("Unknown payment period."), errors={"periods": [_("Unknown id %(id)s.") % {"id": min(unknown)}]}
        )
    removed = [m for pk, m in existing.items() if pk not in wanted]
    if any(received.get(m.pk) for m in removed):
        raise ApplicationError(_("Periods with receipts cannot be removed."), errors={"periods": [_("Has receipts.")]})
    amounts = _amounts(contract, periods)
    _check_total(contract, periods, amounts)
    for m in removed:
        m.delete()
    for index, (period, amount) in enumerate(zip(periods, amounts, strict=True)):
        milestone = existing.get(period.get("id")) or PaymentMilestone(
            tenant_id=access.tenant_id, contract=contract, created_by=actor_of(access)
        )
        values = {k: v for k, v in period.items() if k in PERIOD_FIELDS}
        values["amount"] = amount
        set_fields(milestone, values, PERIOD_FIELDS)
        milestone.sequence = index + 1
        got = received.get(milestone.pk) or Decimal("0")
        if milestone.is_void and got:
            raise ApplicationError(
                _("A period with receipts cannot be void."), errors={f"periods[{index}]": [_("Has receipts.")]}
            )
        if got > milestone.amount:
            raise ApplicationError(
                _("A period cannot be less than what was already received."),
                errors={f"periods[{index}]": [_("Received %(got)s already.") % {"got": f"{got:,.2f}"}]},
            )
        if milestone.due_rule == DueRule.AFTER_ACCEPTANCE:
            milestone.due_on = milestone.due_date_for(contract.accepted_on)
        try:
            full_clean(milestone, exclude=["contract", "created_by"])
        except ApplicationError as exc:
            raise ApplicationError(exc.message, errors={f"periods[{index}]": exc.errors}) from exc
        milestone.save()


def _check_plan_matches(contract: Contract) -> None:
    live = contract.milestones.filter(is_void=False)
    if not live.exists():
        return
    total = live.aggregate(total=Sum("amount"))["total"]
    if total != contract.amount:
        message = _("Change the payment plan together with the amount: the periods add up to %(total)s.") % {
            "total": f"{total:,.2f}"
        }
        raise ApplicationError(message, errors={"amount": [message]}, code="plan_total")


def _redate_after_acceptance(contract: Contract) -> None:
    for milestone in contract.milestones.filter(due_rule=DueRule.AFTER_ACCEPTANCE):
        milestone.due_on = milestone.due_date_for(contract.accepted_on)
        milestone.save(update_fields=["due_on", "updated_at"])


@transaction.atomic
def contract_create(
    *, access, account=None, deal=None, owner=None, periods: list[dict] | None = None, **fields
) -> Contract:
    """A draft contract (numbered HT-…), from a deal or directly for an account, with an optional payment plan."""
    require(access, "crm.add_contract")
    check_tenant(access, account, deal)
    if deal is not None:
        if deal.status == DealStatus.LOST:
            raise ApplicationError(_("A lost deal cannot get a contract."), errors={"deal": [_("Deal lost.")]})
        account = account or deal.account
        fields.setdefault("name", deal.name)
        fields.setdefault("amount", deal.amount)
        fields.setdefault("currency", deal.currency)
    if account is None:
        raise ApplicationError(_("Choose the customer."), errors={"account": [_("Required.")]})
    owner = owner or actor_of(access)
    check_member(access, owner)
    check_member(access, fields.get("company_signatory"), "company_signatory")
    fields.setdefault("currency", access.membership.tenant.currency)
    contract = Contract(tenant_id=access.tenant_id, owner=owner, status=ContractStatus.DRAFT)
    set_fields(contract, {"account": account, "deal": deal, **fields}, CONTRACT_FIELDS)
    full_clean(contract, exclude=["number"])
    contract.number = number_next(tenant_id=access.tenant_id, object_type="crm.contract", default_prefix="HT")
    contract.save()
    if periods:
        _save_plan(access, contract, periods)
    ensure_visible(access, contract)
    audit_record(
        obj=contract,
        action=AuditAction.CREATE,
        actor=actor_of(access),
        after={**snapshot(contract), "payment_plan": plan_snapshot(contract)},
    )
    return contract


@transaction.atomic
def contract_update(*, access, contract: Contract, periods: list[dict] | None = None, **fields) -> Contract:
    """Change a contract; a new amount needs a payment plan that adds up to it (pass `periods` together)."""
    require(access, "crm.change_contract")
    check_tenant(access, contract, fields.get("account"), fields.get("deal"))
    ensure_editable(contract)
    if "company_signatory" in fields:
        check_member(access, fields["company_signatory"], "company_signatory")
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    before = {**snapshot(contract), "payment_plan": plan_snapshot(contract)}
    accepted_before = contract.accepted_on
    set_fields(contract, fields, CONTRACT_FIELDS)
    full_clean(contract)
    contract.save()
    if periods is not None:
        _save_plan(access, contract, periods)
    else:
        _check_plan_matches(contract)
        if contract.accepted_on != accepted_before:
            _redate_after_acceptance(contract)
    after = {**snapshot(contract), "payment_plan": plan_snapshot(contract)}
    audit_record(obj=contract, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=after)
    return contract


@transaction.atomic
def payment_plan_set(*, access, contract: Contract, periods: list[dict]) -> Contract:
    """Replace a contract's payment plan (回款计划): periods with an id are kept, others created, missing removed."""
    return contract_update(access=access, contract=contract, periods=periods)


@transaction.atomic
def contract_sign(*, access, contract: Contract, signed_on=None) -> Contract:
    """Mark a draft contract signed and emit crm.contract.signed; signing a signed contract changes nothing."""
    require(access, "crm.change_contract")
    check_tenant(access, contract)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.status != ContractStatus.DRAFT:
        if contract.status == ContractStatus.TERMINATED:
            raise ApplicationError(_("A terminated contract cannot be signed."))
        return contract
    # Where the tenant has a contract approval flow, only an approved contract is signed.
    ensure_editable(contract)
    ensure_approved(contract, "sign")
    before = snapshot(contract)
    contract.status = ContractStatus.SIGNED
    contract.signed_on = signed_on or contract.signed_on or timezone.localdate()
    full_clean(contract)
    contract.save()
    audit_record(
        obj=contract, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=snapshot(contract)
    )
    emit(
        events.CONTRACT_SIGNED,
        tenant=access.membership.tenant,
        actor=actor_of(access),
        payload={
            "contract_id": contract.pk,
            "number": contract.number,
            "account_id": contract.account_id,
            "deal_id": contract.deal_id,
            "owner_id": contract.owner_id,
            "amount": str(contract.amount),
            "currency": contract.currency,
            "contract_type": contract.contract_type,
            "signed_on": contract.signed_on.isoformat(),
            "start_on": contract.start_on.isoformat() if contract.start_on else None,
            "end_on": contract.end_on.isoformat() if contract.end_on else None,
            "payment_plan": plan_snapshot(contract),
        },
    )
    return contract


@transaction.atomic
def contract_close(*, access, contract: Contract, status: str) -> Contract:
    """Complete or terminate a signed contract."""
    require(access, "crm.change_contract")
    check_tenant(access, contract)
    if status not in (ContractStatus.COMPLETED, ContractStatus.TERMINATED):
        raise ApplicationError(_("Close a contract as completed or terminated."), errors={"status": [_("Invalid.")]})
    ensure_editable(contract)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.status == status:
        return contract
    if contract.status != ContractStatus.SIGNED:
        raise ApplicationError(_("Only a signed contract can be completed or terminated."))
    before = snapshot(contract)
    contract.status = status
    contract.save(update_fields=["status", "updated_at"])
    audit_record(
        obj=contract, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=snapshot(contract)
    )
    return contract


@transaction.atomic
def contract_delete(*, access, contract: Contract) -> None:
    """Move a draft contract to the recycle bin; signed ones are terminated, not deleted."""
    check_tenant(access, contract)
    ensure_editable(contract)
    if contract.status == ContractStatus.SIGNED or contract.receipts.exists():
        raise ApplicationError(_("A signed contract or one with receipts cannot be deleted; terminate it instead."))
    record_soft_delete(access=access, obj=contract)
