"""The crm records the approvals app approves: contracts (signing needs an approved contract when a flow exists)
and receipts (locked while their approval is pending). Registered from `CrmConfig.ready()`."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tandem.accounts.models import Membership
from tandem.approvals.registry import ApprovableType, FieldSpec, register
from tandem.crm.choices import ContractType, PaymentMethod


def _department_of(tenant_id: int, user_id) -> int | None:
    if not user_id:
        return None
    return (
        Membership.objects.filter(tenant_id=tenant_id, user_id=user_id).values_list("department_id", flat=True).first()
    )


def _money(amount, currency: str) -> str:
    return f"{currency} {amount:,.2f}"


def _contract_values(contract) -> dict:
    return {
        "amount": float(contract.amount),
        "contract_type": contract.contract_type,
        "department": _department_of(contract.tenant_id, contract.owner_id),
        "owner": contract.owner_id,
        "account": contract.account_id,
        "currency": contract.currency,
    }


def _contract_summary(contract) -> list[tuple[str, str]]:
    return [
        (_("Customer"), contract.account.name),
        (_("Amount"), _money(contract.amount, contract.currency)),
        (_("Type"), contract.get_contract_type_display()),
        (_("Owner"), str(contract.owner) if contract.owner_id else "—"),
    ]


def _receipt_values(receipt) -> dict:
    contract = receipt.contract
    return {
        "amount": float(receipt.amount),
        "method": receipt.method,
        "department": _department_of(receipt.tenant_id, contract.owner_id),
        "owner": contract.owner_id,
        "account": contract.account_id,
    }


def _receipt_summary(receipt) -> list[tuple[str, str]]:
    contract = receipt.contract
    return [
        (_("Contract"), str(contract)),
        (_("Customer"), contract.account.name),
        (_("Amount"), _money(receipt.amount, contract.currency)),
        (_("Received on"), receipt.received_on.isoformat()),
        (_("Method"), receipt.get_method_display()),
    ]


def register_approvables() -> None:
    common = {
        "department": FieldSpec(_("Owner's department"), "department"),
        "owner": FieldSpec(_("Owner"), "user"),
        "account": FieldSpec(_("Customer"), "number"),
    }
    register(
        ApprovableType(
            object_type="crm.contract",
            label=_("Contract"),
            model="crm.Contract",
            fields={
                "amount": FieldSpec(_("Amount"), "number"),
                "contract_type": FieldSpec(_("Type"), "choice", choices=list(ContractType.choices)),
                "currency": FieldSpec(_("Currency"), "text"),
                **common,
            },
            values=_contract_values,
            title=lambda c: str(c)[:300],
            url=lambda c: reverse("crm:contract_detail", args=[c.pk]),
            summary=_contract_summary,
            gated_actions={"sign": pgettext_lazy("contract", "sign")},
        )
    )
    register(
        ApprovableType(
            object_type="crm.receipt",
            label=_("Receipt"),
            model="crm.Receipt",
            fields={
                "amount": FieldSpec(_("Amount"), "number"),
                "method": FieldSpec(_("Method"), "choice", choices=list(PaymentMethod.choices)),
                **common,
            },
            values=_receipt_values,
            title=lambda r: f"{r.contract.number} · {r.received_on.isoformat()} · {r.amount:,.2f}",
            url=lambda r: reverse("crm:contract_detail", args=[r.contract_id]),
            summary=_receipt_summary,
        )
    )
