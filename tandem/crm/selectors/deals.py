"""Reads of pipelines and deals (商机): lists, the forecast, the kanban board and its cards, delivery projects."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import connections
from django.db.models import Count, F, Prefetch, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from tandem.crm.choices import DealStatus
from tandem.crm.models import Deal, Pipeline, Stage
from tandem.crm.models.common import project_model


def pipeline_list(*, access):
    stages = Stage.objects.order_by("order", "id")
    return (
        Pipeline.objects.restrict(access)
        .prefetch_related(Prefetch("stages", queryset=stages))
        .order_by("-is_default", "sort_order", "id")
    )


def deal_lookup(*, access, q: str, account_id: int | None = None):
    """Deals matching a name or number, optionally of one account, for the pickers on forms (newest first)."""
    from tandem.crm.selectors.accounts import LOOKUP_ROWS

    qs = Deal.objects.restrict(access).select_related("account", "stage").order_by("-id")
    if account_id is not None:
        qs = qs.filter(account_id=account_id)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(number__iexact=q))
    return qs[:LOOKUP_ROWS]


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


KANBAN_CARDS_PER_STAGE = 30


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


def deal_scope(*, access, action: str = "view"):
    """The caller's deals with nothing joined: the base of the board, its column totals and the stage moves."""
    return Deal.objects.restrict(access, action)


def stage_list(*, access):
    """The tenant's stages, pipeline by pipeline, for the list's stage filter."""
    return (
        Stage.objects.for_tenant(access.tenant_id)
        .select_related("pipeline")
        .order_by("pipeline__sort_order", "pipeline_id", "order")
    )


def delivery_projects(*, access, deal: Deal) -> list:
    """The projects delivering this deal (made by hand or by the won-deal rule) that the member may see."""
    project = project_model()
    if project is None or not access.has_perm("projects.view_project"):
        return []
    return list(project.objects.restrict(access, "view").filter(deal_id=deal.pk).select_related("owner")[:10])
