"""Reads of contracts (合同), their payment periods (回款计划) with what was received, and receipts (回款)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Case, CharField, DecimalField, F, OuterRef, Prefetch, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from tandem.crm.choices import MilestoneStatus
from tandem.crm.models import Contract, PaymentMilestone, Receipt

MONEY_OUT = DecimalField(max_digits=18, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY_OUT)


def _receipts_total(by: str):
    """Sum of the receipts of each row, where `by` is the receipt's foreign key to the row."""
    total = (
        Receipt.objects.filter(**{by: OuterRef("pk")})
        .order_by()
        .values(by)
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=MONEY_OUT), ZERO)


def milestone_annotate(qs, *, today: date | None = None):
    """Received so far and the status (pending, partly received, received, overdue, void) of each period."""
    today = today or timezone.localdate()
    return qs.annotate(received=_receipts_total("milestone")).annotate(
        status=Case(
            When(is_void=True, then=Value(MilestoneStatus.VOID)),
            When(received__gte=F("amount"), then=Value(MilestoneStatus.RECEIVED)),
            When(due_on__lt=today, then=Value(MilestoneStatus.OVERDUE)),
            When(received__gt=0, then=Value(MilestoneStatus.PARTLY_RECEIVED)),
            default=Value(MilestoneStatus.PENDING),
            output_field=CharField(),
        )
    )


def milestone_related(qs):
    return milestone_annotate(qs.select_related("contract"))


def milestone_list(*, access):
    return milestone_related(PaymentMilestone.objects.restrict(access)).order_by("due_on", "id")


def contract_related(qs):
    milestones = milestone_annotate(PaymentMilestone.objects.order_by("sequence", "id"))
    return (
        qs.select_related("owner", "account", "deal", "company_signatory")
        .annotate(received=_receipts_total("contract"))
        .prefetch_related(Prefetch("milestones", queryset=milestones))
    )


def contract_list(*, access, action: str = "view"):
    return contract_related(Contract.objects.restrict(access, action)).order_by("-id")


def receipt_related(qs):
    return qs.select_related("contract", "milestone", "created_by")


def receipt_list(*, access):
    return receipt_related(Receipt.objects.restrict(access)).order_by("-received_on", "-id")
