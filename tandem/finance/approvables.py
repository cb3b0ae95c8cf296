"""The finance records the approvals app approves: change orders (pending while their approval runs) and
commitments (approved through the flow when the tenant has one). Registered from `FinanceConfig.ready()`."""

from __future__ import annotations

from django.db.models import Sum
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Membership
from tandem.approvals.registry import ApprovableType, FieldSpec, register
from tandem.finance.choices import ChangeOrderKind, CommitmentKind


def _department_of(tenant_id: int, user_id) -> int | None:
    if not user_id:
        return None
    return (
        Membership.objects.filter(tenant_id=tenant_id, user_id=user_id).values_list("department_id", flat=True).first()
    )


def _money(amount) -> str:
    return f"{amount:,.2f}"


def _url(name: str, obj) -> str:
    try:
        return reverse(name, args=[obj.pk])
    except NoReverseMatch:
        return reverse("projects:detail", args=[obj.project_id])


def _total(lines) -> float:
    return float(lines.aggregate(s=Sum("amount"))["s"] or 0)


def _change_order_values(change_order) -> dict:
    owner_id = change_order.project.owner_id
    return {
        "amount": _total(change_order.lines),
        "contract_amount": float(change_order.contract_amount),
        "kind": change_order.kind,
        "department": _department_of(change_order.tenant_id, owner_id),
        "owner": owner_id,
        "project": change_order.project_id,
    }


def _change_order_summary(change_order) -> list[tuple[str, str]]:
    return [
        (_("Project"), str(change_order.project)),
        (_("Kind"), change_order.get_kind_display()),
        (_("Budget change"), _money(change_order.lines.aggregate(s=Sum("amount"))["s"] or 0)),
        (_("Contract value change"), _money(change_order.contract_amount)),
        (_("Reason"), change_order.reason[:200] or "—"),
    ]


def _commitment_values(commitment) -> dict:
    owner_id = commitment.project.owner_id
    return {
        "amount": _total(commitment.lines),
        "kind": commitment.kind,
        "vendor": commitment.vendor,
        "department": _department_of(commitment.tenant_id, owner_id),
        "owner": owner_id,
        "project": commitment.project_id,
    }


def _commitment_summary(commitment) -> list[tuple[str, str]]:
    return [
        (_("Project"), str(commitment.project)),
        (_("Kind"), commitment.get_kind_display()),
        (_("Vendor"), commitment.vendor),
        (_("Amount"), _money(commitment.lines.aggregate(s=Sum("amount"))["s"] or 0)),
        (_("Retention (%)"), f"{commitment.retention_percent}"),
    ]


def register_approvables() -> None:
    common = {
        "amount": FieldSpec(_("Amount"), "number"),
        "department": FieldSpec(_("Project manager's department"), "department"),
        "owner": FieldSpec(_("Project manager"), "user"),
        "project": FieldSpec(_("Project"), "number"),
    }
    register(
        ApprovableType(
            object_type="finance.changeorder",
            label=_("Change order"),
            model="finance.ChangeOrder",
            fields={
                **common,
                "contract_amount": FieldSpec(_("Contract value change"), "number"),
                "kind": FieldSpec(_("Kind"), "choice", choices=list(ChangeOrderKind.choices)),
            },
            values=_change_order_values,
            title=lambda c: str(c)[:300],
            url=lambda c: _url("finance:change_order_detail", c),
            summary=_change_order_summary,
        )
    )
    register(
        ApprovableType(
            object_type="finance.commitment",
            label=_("Commitment"),
            model="finance.Commitment",
            fields={
                **common,
                "kind": FieldSpec(_("Kind"), "choice", choices=list(CommitmentKind.choices)),
                "vendor": FieldSpec(_("Vendor"), "text"),
            },
            values=_commitment_values,
            title=lambda c: str(c)[:300],
            url=lambda c: _url("finance:commitment_detail", c),
            summary=_commitment_summary,
        )
    )
