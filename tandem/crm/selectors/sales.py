"""Sales figures: target progress from contracts and receipts, first-response times, and the sales workbench.

Progress counts contracts signed or completed by their signing date and receipts by their date, credited to
the contract's owner; a department's figures add up its members' (sub-departments included, by each
member's current department) and the company's everyone's. Every reader here issues a fixed number of
queries whatever the number of rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from tandem.crm.choices import ContractStatus, DealStatus, LeadStatus, TargetLevel, TargetMetric
from tandem.crm.kpi import completion, percentile, period_span, share
from tandem.crm.models import Contract, Lead, Receipt, SalesTarget
from tandem.crm.services.pipelines import crm_settings
from tandem.crm.services.sla import business_clock

ZERO = Decimal("0.00")
COUNTED_CONTRACTS = (ContractStatus.SIGNED, ContractStatus.COMPLETED)


# --- who belongs where -----------------------------------------------------------------------------


@dataclass
class Org:
    """Members' departments and the department tree of one tenant, read once."""

    department_of: dict[int, int | None]
    children: dict[int, set[int]]
    parent_of: dict[int, int | None]

    @classmethod
    def load(cls, tenant_id: int) -> Org:
        from tandem.accounts.models import Department, Membership

        members = Membership.objects.filter(tenant_id=tenant_id).values_list("user_id", "department_id")
        children: dict[int, set[int]] = defaultdict(set)
        parent_of = {}
        for dept_id, parent_id in Department.objects.filter(tenant_id=tenant_id).values_list("id", "parent_id"):
            parent_of[dept_id] = parent_id
            if parent_id:
                children[parent_id].add(dept_id)
        return cls(dict(members), children, parent_of)

    def subtree(self, department_id: int) -> set[int]:
        seen, stack = set(), [department_id]
        while stack:
            dept = stack.pop()
            if dept not in seen:
                seen.add(dept)
                stack.extend(self.children.get(dept, ()))
        return seen

    def members_of(self, department_id: int) -> set[int]:
        departments = self.subtree(department_id)
        return {user for user, dept in self.department_of.items() if dept in departments}


# --- actual figures --------------------------------------------------------------------------------


@dataclass
class Actuals:
    """Contract amounts and receipts in one period, by the owner of the contract."""

    contracts: dict[int, Decimal] = field(default_factory=dict)
    receipts: dict[int, Decimal] = field(default_factory=dict)

    def of(self, metric: str, users: set[int] | None) -> Decimal:
        """The total for these users (None: everyone)."""
        source = self.contracts if metric == TargetMetric.CONTRACTS else self.receipts
        if users is None:
            return sum(source.values(), ZERO)
        return sum((source.get(u, ZERO) for u in users), ZERO)


def monthly_actuals(*, tenant_id: int, start: date, end: date) -> dict[tuple[int, int], Actuals]:
    """What was signed and received in each month of [start, end), by contract owner (two queries)."""
    by_month: dict[tuple[int, int], Actuals] = defaultdict(Actuals)
    contracts = (
        Contract.objects.filter(
            tenant_id=tenant_id, status__in=COUNTED_CONTRACTS, signed_on__gte=start, signed_on__lt=end
        )
        .order_by()
        .values("owner_id", year=ExtractYear("signed_on"), month=ExtractMonth("signed_on"))
        .annotate(total=Sum("amount"))
    )
    for row in contracts:
        by_month[row["year"], row["month"]].contracts[row["owner_id"]] = row["total"] or ZERO
    receipts = (
        Receipt.objects.filter(
            tenant_id=tenant_id, received_on__gte=start, received_on__lt=end, contract__deleted_at__isnull=True
        )
        .order_by()
        .values("contract__owner_id", year=ExtractYear("received_on"), month=ExtractMonth("received_on"))
        .annotate(total=Sum("amount"))
    )
    for row in receipts:
        by_month[row["year"], row["month"]].receipts[row["contract__owner_id"]] = row["total"] or ZERO
    return by_month


def period_actuals(by_month: dict[tuple[int, int], Actuals], year: int, month: int) -> Actuals:
    """One month's figures, or the whole year's (month 0) added up from its months."""
    if month:
        return by_month.get((year, month), Actuals())
    total = Actuals()
    for (row_year, _month), figures in by_month.items():
        if row_year != year:
            continue
        for source, target in ((figures.contracts, total.contracts), (figures.receipts, total.receipts)):
            for user_id, amount in source.items():
                target[user_id] = target.get(user_id, ZERO) + amount
    return total


def actuals(*, tenant_id: int, year: int, month: int) -> Actuals:
    """What was signed and received in one month (or whole year) by contract owner."""
    return period_actuals(
        monthly_actuals(tenant_id=tenant_id, start=period_span(year, 0)[0], end=period_span(year, 0)[1]), year, month
    )


def _subject_users(target: SalesTarget, org: Org) -> set[int] | None:
    if target.level == TargetLevel.PERSON:
        return {target.user_id}
    if target.level == TargetLevel.DEPARTMENT:
        return org.members_of(target.department_id)
    return None


def targets_with_progress(targets, *, tenant_id: int) -> list[SalesTarget]:
    """The targets with `actual` and `percent` set, in four queries whatever their number and periods."""
    targets = list(targets)
    if not targets:
        return targets
    org = Org.load(tenant_id)
    years = [t.year for t in targets]
    by_month = monthly_actuals(
        tenant_id=tenant_id, start=period_span(min(years), 0)[0], end=period_span(max(years), 0)[1]
    )
    periods: dict[tuple[int, int], Actuals] = {}
    for target in targets:
        key = (target.year, target.month)
        if key not in periods:
            periods[key] = period_actuals(by_month, *key)
        target.actual = periods[key].of(target.metric, _subject_users(target, org))
        target.percent = completion(target.actual, target.amount)
    return targets


def target_list(*, access):
    """The tenant's targets (none without `crm.view_salestarget`): figures the whole team sees on its workbench."""
    return (
        SalesTarget.objects.restrict(access)
        .select_related("department", "user")
        .order_by("-year", "month", "level", "department__name", "user__username", "metric")
    )


def period_targets(*, access, year: int, month: int | None = None) -> list[SalesTarget]:
    """The targets of one year (and month, when given) with their progress."""
    targets = target_list(access=access).filter(year=year)
    if month is not None:
        targets = targets.filter(month=month)
    return targets_with_progress(targets, tenant_id=access.tenant_id)


# --- first-response times --------------------------------------------------------------------------


def _row(key, label, samples: list[int], within: int, measured: int, waiting_overdue: int, leads: int) -> dict:
    median = percentile(samples, 0.5)
    p90 = percentile(samples, 0.9)
    return {
        "key": key,
        "label": label,
        "leads": leads,
        "responded": len(samples),
        "median_hours": round(median / 60, 1) if median is not None else None,
        "p90_hours": round(p90 / 60, 1) if p90 is not None else None,
        "within_sla_percent": share(within, measured),
        "waiting_overdue": waiting_overdue,
    }


def response_window(query: dict, today) -> tuple:
    """The requested dates, by default the last six months (at most five years)."""
    until = query.get("until") or today
    since = query.get("since") or (until.replace(day=1) - timedelta(days=150)).replace(day=1)
    return max(since, until - timedelta(days=366 * 5)), until


def response_times(*, access, since: date, until: date, now: datetime | None = None) -> dict:
    """First-response times of the leads created in [since, until] that the caller sees, in working hours of
    the tenant calendar: median, p90 and the share answered within the SLA, per owner and per month.

    A lead counts toward the SLA share once it is answered or overdue; leads still within their time wait.
    """
    from tandem.accounts.models import User

    now = now or timezone.now()
    clock = business_clock(tenant_id=access.tenant_id)
    sla_minutes = crm_settings(tenant_id=access.tenant_id).lead_response_hours * 60
    leads = (
        Lead.objects.restrict(access)
        .filter(created_at__date__gte=since, created_at__date__lte=until)
        .order_by("created_at")
        .values_list("owner_id", "created_at", "first_response_at", "response_due_at")
    )
    groups = {"owner": defaultdict(lambda: [[], 0, 0, 0, 0]), "month": defaultdict(lambda: [[], 0, 0, 0, 0])}
    total = [[], 0, 0, 0, 0]
    for owner_id, created, responded, due in leads:
        month = timezone.localtime(created, clock.zone).strftime("%Y-%m")
        due = due or clock.add_hours(created, sla_minutes / 60)
        for bucket in (groups["owner"][owner_id], groups["month"][month], total):
            bucket[4] += 1
            if responded is not None:
                bucket[0].append(clock.minutes_between(created, responded))
                bucket[2] += 1
                bucket[1] += responded <= due
            elif due < now:
                bucket[2] += 1
                bucket[3] += 1
    names = {u.pk: str(u) for u in User.objects.filter(pk__in=[k for k in groups["owner"] if k])}
    return {
        "since": since,
        "until": until,
        "sla_hours": sla_minutes // 60,
        "working_hours": clock.uses_calendar,
        "total": _row("all", "", *total),
        "by_owner": sorted(
            (_row(k, names.get(k, "—"), *v) for k, v in groups["owner"].items()), key=lambda r: r["label"]
        ),
        "by_month": [_row(k, k, *v) for k, v in sorted(groups["month"].items())],
    }


def leads_overdue(*, access, now: datetime | None = None):
    """New leads nobody has answered past their first-response deadline, oldest deadline first."""
    now = now or timezone.now()
    return (
        Lead.objects.restrict(access)
        .filter(status=LeadStatus.NEW, first_response_at__isnull=True, response_due_at__lt=now)
        .select_related("owner")
        .order_by("response_due_at", "id")
    )


def stage_funnel(deals, *, pipeline, month_start: date) -> list[dict]:
    """Deals per stage of one pipeline: open ones in the open stages, this month's in the won stage."""
    counted = Q(status=DealStatus.OPEN) | Q(status=DealStatus.WON, won_at__date__gte=month_start)
    rows = {
        row["stage_id"]: row
        for row in deals.filter(counted, pipeline=pipeline)
        .order_by()
        .values("stage_id")
        .annotate(deals=Count("pk"), amount=Sum("amount"))
    }
    return [
        {
            "stage_id": stage.pk,
            "stage": stage.name,
            "probability": stage.probability,
            "is_won": stage.is_won,
            "deals": rows.get(stage.pk, {}).get("deals", 0),
            "amount": rows.get(stage.pk, {}).get("amount") or ZERO,
        }
        for stage in pipeline.stages.all()
        if not stage.is_lost
    ]
