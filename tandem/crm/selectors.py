"""Reads of the crm app: querysets already restricted to the caller's tenant and data scope, with what
their list pages and endpoints show loaded in a constant number of queries.

Each `<entity>_related(qs)` adds the joins and prefetches to a queryset that is already restricted
(the API base class restricts; pages start from `<entity>_list`).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import connections
from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce, RowNumber
from django.utils import timezone

from tandem.audit.models import AuditEntry
from tandem.crm.choices import ActivityKind, DealStatus, MilestoneStatus
from tandem.crm.models import (
    Account,
    AccountContact,
    Activity,
    Contact,
    Contract,
    Deal,
    Lead,
    PaymentMilestone,
    Pipeline,
    Receipt,
    Stage,
)

MONEY_OUT = DecimalField(max_digits=18, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY_OUT)


# --- accounts and contacts ----------------------------------------------------------------------


def account_related(qs):
    return qs.select_related("owner", "parent", "risk_owner")


def account_list(*, access, action: str = "view"):
    return account_related(Account.objects.restrict(access, action)).order_by("-id")


def contact_related(qs):
    links = AccountContact.objects.select_related("account").order_by("-is_primary", "id")
    # A contact reached through two visible accounts would appear twice without distinct().
    return qs.select_related("owner").prefetch_related(Prefetch("account_links", queryset=links)).distinct()


def contact_list(*, access, action: str = "view"):
    return contact_related(Contact.objects.restrict(access, action)).order_by("-id")


# --- leads, pipelines, deals --------------------------------------------------------------------


def lead_related(qs):
    return qs.select_related("owner", "converted_account", "converted_deal")


def lead_list(*, access, action: str = "view"):
    return lead_related(Lead.objects.restrict(access, action)).order_by("-id")


def pipeline_list(*, access):
    stages = Stage.objects.order_by("order", "id")
    return (
        Pipeline.objects.restrict(access)
        .prefetch_related(Prefetch("stages", queryset=stages))
        .order_by("-is_default", "sort_order", "id")
    )


def deal_related(qs):
    return qs.select_related("owner", "account", "contact", "pipeline", "stage").prefetch_related("lines")


def deal_list(*, access, action: str = "view"):
    return deal_related(Deal.objects.restrict(access, action)).order_by("-id")


def deal_forecast(qs) -> list[dict]:
    """Open deals by expected close month: count, amount, and amount weighted by stage probability.

    The database groups by day and probability and the months are summed up here: on a list of tens of
    thousands of deals, truncating every date and weighting every deal in SQL costs twice as much."""
    rows = (
        qs.filter(status=DealStatus.OPEN)
        .order_by()
        .values("expected_close_date", "currency", "stage__probability")
        .annotate(deal_count=Count("pk"), total=Sum("amount"))
    )
    months: dict[tuple, dict] = {}
    for row in rows:
        day = row["expected_close_date"]
        month = months.setdefault(
            (day.strftime("%Y-%m") if day else None, row["currency"]),
            {"deals": 0, "amount": Decimal("0"), "weighted": Decimal("0")},
        )
        total = Decimal(str(row["total"] or 0))
        month["deals"] += row["deal_count"]
        month["amount"] += total
        month["weighted"] += total * row["stage__probability"]
    cent = Decimal("0.01")
    return [
        {
            "month": month,
            "currency": currency,
            "deals": sums["deals"],
            "amount": sums["amount"].quantize(cent),
            "weighted": (sums["weighted"] / 100).quantize(cent),
        }
        for (month, currency), sums in sorted(months.items(), key=lambda item: (item[0][0] is None, item[0]))
    ]


# --- activities ---------------------------------------------------------------------------------


def activity_related(qs):
    return qs.select_related("owner", "account", "contact", "lead", "deal")


def activity_list(*, access, action: str = "view"):
    return activity_related(Activity.objects.restrict(access, action)).order_by("-occurred_at", "-id")


# --- contracts, payment periods, receipts --------------------------------------------------------


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


# --- the account timeline ------------------------------------------------------------------------


def _ids_as_text(qs):
    return qs.annotate(text_id=Cast("pk", output_field=CharField())).values("text_id")


def account_timeline(*, access, account: Account):
    """One stream of the account's follow-ups and the recorded changes to it, its deals, contracts and
    receipts, newest first: rows of (kind, id, at) to paginate, then load with `timeline_load`."""
    activities = (
        Activity.objects.restrict(access)
        .filter(account=account)
        .order_by()
        .annotate(row_kind=Value("activity", output_field=CharField()), row_id=F("pk"), row_at=F("occurred_at"))
        .values_list("row_kind", "row_id", "row_at")
    )
    deals = Deal.all_objects.filter(tenant_id=access.tenant_id, account=account)
    contracts = Contract.all_objects.filter(tenant_id=access.tenant_id, account=account)
    receipts = Receipt.objects.filter(tenant_id=access.tenant_id, contract__account=account)
    changes = (
        AuditEntry.objects.filter(tenant_id=access.tenant_id)
        .filter(
            Q(object_type="crm.account", object_id=str(account.pk))
            | Q(object_type="crm.deal", object_id__in=_ids_as_text(deals))
            | Q(object_type="crm.contract", object_id__in=_ids_as_text(contracts))
            | Q(object_type="crm.receipt", object_id__in=_ids_as_text(receipts))
        )
        .order_by()
        .annotate(row_kind=Value("change", output_field=CharField()), row_id=F("pk"), row_at=F("created_at"))
        .values_list("row_kind", "row_id", "row_at")
    )
    return activities.union(changes, all=True).order_by("-row_at", "-row_id")


def timeline_load(rows) -> list[dict]:
    """The activities and audit entries behind a page of timeline rows, in the rows' order."""
    activity_ids = [row_id for kind, row_id, _at in rows if kind == "activity"]
    change_ids = [row_id for kind, row_id, _at in rows if kind == "change"]
    activities = activity_related(Activity.objects.filter(pk__in=activity_ids)).in_bulk() if activity_ids else {}
    changes = AuditEntry.objects.in_bulk(change_ids) if change_ids else {}
    items = []
    for kind, row_id, at in rows:
        obj = activities.get(row_id) if kind == "activity" else changes.get(row_id)
        if obj is not None:
            is_activity = kind == "activity"
            items.append(
                {
                    "type": kind,
                    "at": at,
                    "activity": obj if is_activity else None,
                    "change": None if is_activity else obj,
                }
            )
    return items


# --- what the pages add: last follow-up, the kanban board, record timelines -----------------------

KANBAN_CARDS_PER_STAGE = 30


def with_last_follow_up(qs, *, via: str):
    """Each row's latest follow-up (time, kind, subject) through the activity's `via` foreign key, in the
    same query: open tasks are plans, not follow-ups."""
    latest = (
        Activity.objects.filter(tenant_id=OuterRef("tenant_id"), **{via: OuterRef("pk")})
        .exclude(kind=ActivityKind.TASK, done=False)
        .order_by("-occurred_at", "-id")
    )
    return qs.annotate(
        last_follow_up_at=Subquery(latest.values("occurred_at")[:1]),
        last_follow_up_kind=Subquery(latest.values("kind")[:1]),
        last_follow_up_subject=Subquery(latest.values("subject")[:1]),
    )


def stage_totals(qs, *, stage_ids: list[int]) -> dict[int, dict]:
    """Deal count and totals per currency of each stage, from already restricted and filtered deals."""
    totals: dict[int, dict] = {pk: {"count": 0, "totals": []} for pk in stage_ids}
    rows = (
        qs.filter(stage_id__in=stage_ids)
        .order_by()
        .values("stage_id", "currency")
        .annotate(n=Count("pk"), total=Sum("amount"))
        .order_by("stage_id", "currency")
    )
    for row in rows:
        column = totals[row["stage_id"]]
        column["count"] += row["n"]
        column["totals"].append({"currency": row["currency"], "amount": row["total"] or Decimal("0")})
    return totals


def deal_board(qs, *, stages: list[Stage], per_stage: int = KANBAN_CARDS_PER_STAGE) -> list[dict]:
    """A pipeline's kanban columns from already restricted and filtered deals: every stage with its deal
    count and totals, and its most recently moved cards (two queries, whatever the number of deals)."""
    stage_ids = [s.pk for s in stages]
    totals = stage_totals(qs, stage_ids=stage_ids)
    by_id = {s.pk: s for s in stages}
    cards: dict[int, list] = {pk: [] for pk in stage_ids}
    today = timezone.localdate()
    for deal in _board_cards(qs, stage_ids=stage_ids, per_stage=per_stage).select_related("account", "owner"):
        cards[deal.stage_id].append(deal_card(deal, by_id[deal.stage_id], today=today))
    for column in cards.values():
        column.sort(key=_last_moved, reverse=True)
        del column[per_stage:]
    return [{"stage": stage, "deals": cards[stage.pk], **totals[stage.pk]} for stage in stages]


def _last_moved(deal: Deal) -> tuple:
    """The board's order: most recently moved first, never moved last, newest first among equals."""
    return (deal.stage_changed_at is not None, deal.stage_changed_at, deal.pk)


def _board_cards(qs, *, stage_ids: list[int], per_stage: int):
    """At least the `per_stage` most recently moved deals of each stage (see `_last_moved`), as one query.

    Where each part of a UNION may have its own LIMIT (PostgreSQL), every stage reads only its first rows of
    crm_deal_stage_recent_idx backwards, once for moved deals and once for never moved ones: the index sorts
    NULLs the default way because SQLite cannot build it otherwise. Ranking with a window function, as SQLite
    still does here, sorts every deal of the pipeline instead: over a second at 200k deals."""
    if not stage_ids:
        return qs.none()
    if connections[qs.db].features.supports_slicing_ordering_in_compound:
        parts = []
        for pk in stage_ids:
            stage = qs.filter(stage_id=pk)
            moved = stage.filter(stage_changed_at__isnull=False).order_by("-stage_changed_at", "-id")
            parts.append(moved.values("pk")[:per_stage])
            parts.append(stage.filter(stage_changed_at__isnull=True).order_by("-id").values("pk")[:per_stage])
        return qs.filter(pk__in=parts[0].union(*parts[1:], all=True))
    newest = [F("stage_changed_at").desc(nulls_last=True), F("id").desc()]
    ranked = qs.filter(stage_id__in=stage_ids).annotate(
        rank=Window(RowNumber(), partition_by=[F("stage_id")], order_by=newest)
    )
    return ranked.filter(rank__lte=per_stage)


def deal_card(deal: Deal, stage: Stage, *, today: date | None = None) -> Deal:
    """The deal with what its kanban card shows about time: days in the stage and whether it went stale."""
    deal.days_in_stage = deal_days_in_stage(deal, today=today)
    deal.is_rotting = deal_is_rotting(deal, stage, today=today)
    return deal


def deal_days_in_stage(deal: Deal, *, today: date | None = None) -> int | None:
    """Whole days the deal has been in its current stage."""
    if deal.stage_changed_at is None:
        return None
    today = today or timezone.localdate()
    return max(0, (today - timezone.localtime(deal.stage_changed_at).date()).days)


def deal_is_rotting(deal: Deal, stage: Stage, *, today: date | None = None) -> bool:
    """An open deal left in its stage longer than the stage's stale-after days."""
    if deal.status != DealStatus.OPEN or not stage.rotting_days:
        return False
    days = deal_days_in_stage(deal, today=today)
    return days is not None and days > stage.rotting_days


def _record_timeline(*, access, activities: Q, changes: Q):
    rows = (
        Activity.objects.restrict(access)
        .filter(activities)
        .order_by()
        .annotate(row_kind=Value("activity", output_field=CharField()), row_id=F("pk"), row_at=F("occurred_at"))
        .values_list("row_kind", "row_id", "row_at")
    )
    audit = (
        AuditEntry.objects.filter(tenant_id=access.tenant_id)
        .filter(changes)
        .order_by()
        .annotate(row_kind=Value("change", output_field=CharField()), row_id=F("pk"), row_at=F("created_at"))
        .values_list("row_kind", "row_id", "row_at")
    )
    return rows.union(audit, all=True).order_by("-row_at", "-row_id")


def deal_timeline(*, access, deal: Deal):
    """The deal's follow-ups and the recorded changes to it and its contracts, newest first (see timeline_load)."""
    contracts = Contract.all_objects.filter(tenant_id=access.tenant_id, deal=deal)
    return _record_timeline(
        access=access,
        activities=Q(deal=deal),
        changes=Q(object_type="crm.deal", object_id=str(deal.pk))
        | Q(object_type="crm.contract", object_id__in=_ids_as_text(contracts)),
    )


def lead_timeline(*, access, lead: Lead):
    """The lead's follow-ups and the recorded changes to it, newest first (see timeline_load)."""
    return _record_timeline(
        access=access, activities=Q(lead=lead), changes=Q(object_type="crm.lead", object_id=str(lead.pk))
    )


def contact_timeline(*, access, contact: Contact):
    """The contact's follow-ups and the recorded changes to it, newest first (see timeline_load)."""
    return _record_timeline(
        access=access, activities=Q(contact=contact), changes=Q(object_type="crm.contact", object_id=str(contact.pk))
    )


def contract_timeline(*, access, contract: Contract):
    """The recorded changes to a contract and its receipts, newest first (see timeline_load)."""
    receipts = Receipt.objects.filter(tenant_id=access.tenant_id, contract=contract)
    return _record_timeline(
        access=access,
        activities=Q(pk__in=[]),
        changes=Q(object_type="crm.contract", object_id=str(contract.pk))
        | Q(object_type="crm.receipt", object_id__in=_ids_as_text(receipts)),
    )


def contact_links(contact: Contact):
    """The accounts a contact works at (its links), oldest first."""
    return (
        AccountContact.objects.filter(tenant_id=contact.tenant_id, contact=contact)
        .select_related("account")
        .order_by("id")
    )
