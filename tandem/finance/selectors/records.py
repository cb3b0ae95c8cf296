"""The cost center's record lists, scoped to the caller: change orders, commitments, cost records (each with its
amount summed in the query), and the tenant's cost code tree."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from tandem.finance.models import ChangeOrder, ChangeOrderLine, Commitment, CommitmentLine, CostCode, CostRecord

_MONEY = DecimalField(max_digits=16, decimal_places=2)


def _line_total(model, parent: str):
    lines = model.objects.filter(**{parent: OuterRef("pk")}).order_by().values(parent)
    return Coalesce(Subquery(lines.annotate(s=Sum("amount")).values("s")), Value(0), output_field=_MONEY)


def change_order_list(*, access, action: str = "view"):
    """Change orders with their lines' total (`lines_total`), newest first."""
    return (
        ChangeOrder.objects.restrict(access, action)
        .filter(project__deleted_at__isnull=True)
        .select_related("project", "created_by")
        .annotate(lines_total=_line_total(ChangeOrderLine, "change_order"))
        .order_by("-id")
    )


def commitment_list(*, access, action: str = "view"):
    """Commitments with their lines' total (`lines_total`) and what was invoiced against them (`invoiced`)."""
    invoices = (
        CostRecord.objects.filter(commitment=OuterRef("pk"))
        .order_by()
        .values("commitment")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    return (
        Commitment.objects.restrict(access, action)
        .filter(project__deleted_at__isnull=True)
        .select_related("project", "created_by")
        .annotate(
            lines_total=_line_total(CommitmentLine, "commitment"),
            invoiced=Coalesce(Subquery(invoices), Value(0), output_field=_MONEY),
        )
        .order_by("-id")
    )


def cost_record_list(*, access, action: str = "view"):
    return (
        CostRecord.objects.restrict(access, action)
        .filter(project__deleted_at__isnull=True)
        .select_related("project", "budget_line__cost_code", "commitment", "created_by")
        .order_by("-date", "-id")
    )


def change_order_lines(change_order):
    return (
        ChangeOrderLine.objects.filter(tenant_id=change_order.tenant_id, change_order=change_order)
        .select_related("budget_line__cost_code")
        .order_by("id")
    )


def commitment_lines(commitment):
    return (
        CommitmentLine.objects.filter(tenant_id=commitment.tenant_id, commitment=commitment)
        .select_related("budget_line__cost_code")
        .order_by("id")
    )


@dataclass
class CodeNode:
    code: CostCode
    depth: int
    children: list = field(default_factory=list)


def cost_code_tree(*, access) -> list[CodeNode]:
    """The tenant's cost codes depth first (parents before their children, by code), each with its depth; one query."""
    codes = list(CostCode.objects.restrict(access).order_by("code"))
    by_parent: dict = {}
    for code in codes:
        by_parent.setdefault(code.parent_id, []).append(code)
    known = {c.pk for c in codes}
    out: list[CodeNode] = []

    def walk(parent_id, depth):
        for code in by_parent.get(parent_id, []):
            out.append(CodeNode(code, depth))
            walk(code.pk, depth + 1)

    walk(None, 0)
    # Codes whose parent is out of reach still show, at the top.
    for code in codes:
        if code.parent_id is not None and code.parent_id not in known:
            out.append(CodeNode(code, 0))
            walk(code.pk, 1)
    return out
