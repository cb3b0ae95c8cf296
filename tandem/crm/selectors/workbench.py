"""The sales workbench (销售工作台) of the signed-in member: funnel, targets, team ranking, customers needing care.

One call gathers everything the page and `GET /api/v1/crm/workbench/` show, in a fixed number of queries:
deals and accounts within the member's data scope, the member's own accounts for upcoming recalls, and the
targets and ranking of the member's team (their departments, or everyone for a member without one).
"""

from __future__ import annotations

import zoneinfo
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import F, Prefetch, Q
from django.utils import timezone

from tandem.core.scopes import DataScope
from tandem.crm.choices import TargetLevel, TargetMetric
from tandem.crm.kpi import completion, period_span
from tandem.crm.models import Account, Deal, Pipeline, SalesTarget, Stage
from tandem.crm.selectors.sales import Org, leads_overdue, monthly_actuals, period_actuals, stage_funnel
from tandem.crm.selectors.sales import targets_with_progress as _with_progress
from tandem.crm.services.pipelines import crm_settings
from tandem.crm.services.pool_recall import TenantRules, owned_accounts_with_clocks

LIST_SIZE = 10
RANKING_SIZE = 20
RECALL_HORIZON_DAYS = 14


def _my_departments(access) -> set[int]:
    from tandem.accounts.models import Department

    own = set(
        Department.objects.filter(tenant_id=access.tenant_id, head_id=access.user_id).values_list("pk", flat=True)
    )
    if getattr(access.membership, "department_id", None):
        own.add(access.membership.department_id)
    return own


def _team_departments(access, org: Org) -> set[int]:
    """Whom the ranking compares: a head's departments; else the member's department with its sibling groups
    (the department above it), so a rep in 销售一组 is ranked within 销售部."""
    from tandem.accounts.models import Department

    heads = set(
        Department.objects.filter(tenant_id=access.tenant_id, head_id=access.user_id).values_list("pk", flat=True)
    )
    if heads:
        return heads
    own = getattr(access.membership, "department_id", None)
    if own is None:
        return set()
    return {org.parent_of.get(own) or own}


def _my_targets(access, today: date, heads: set[int]) -> list[SalesTarget]:
    if not access.has_perm("crm.view_salestarget"):
        return []
    subjects = Q(level=TargetLevel.PERSON, user_id=access.user_id) | Q(
        level=TargetLevel.DEPARTMENT, department_id__in=heads
    )
    if access.scope_for("crm.view_salestarget") == DataScope.ALL:
        subjects |= Q(level=TargetLevel.COMPANY)
    targets = (
        SalesTarget.objects.for_tenant(access.tenant_id)
        .filter(subjects, year=today.year, month__in=(0, today.month))
        .select_related("department", "user")
        .order_by("level", "department__name", "-month", "metric")
    )
    order = {TargetLevel.PERSON: 0, TargetLevel.DEPARTMENT: 1, TargetLevel.COMPANY: 2}
    return sorted(_with_progress(targets, tenant_id=access.tenant_id), key=lambda t: order[t.level])


def _ranking(access, org: Org, by_month, today: date) -> list[dict]:
    from tandem.accounts.models import User

    month = period_actuals(by_month, today.year, today.month)
    team: set[int] = set()
    for department_id in _team_departments(access, org):
        team |= org.members_of(department_id)
    targets = dict(
        SalesTarget.objects.for_tenant(access.tenant_id)
        .filter(level=TargetLevel.PERSON, metric=TargetMetric.CONTRACTS, year=today.year, month=today.month)
        .values_list("user_id", "amount")
    )
    if not team:  # no department: the whole organisation, as far as anyone sold or has a target
        team = set(month.contracts) | set(month.receipts) | set(targets)
    names = {u.pk: str(u) for u in User.objects.filter(pk__in=team)}
    rows = [
        {
            "user_id": user_id,
            "name": names.get(user_id, "—"),
            "contracts": month.contracts.get(user_id, Decimal("0.00")),
            "receipts": month.receipts.get(user_id, Decimal("0.00")),
            "target": targets.get(user_id),
            "percent": completion(month.contracts.get(user_id, Decimal("0.00")), targets.get(user_id)),
            "is_me": user_id == access.user_id,
        }
        for user_id in team
        if user_id in names
    ]
    rows.sort(key=lambda r: (-r["contracts"], -r["receipts"], r["name"]))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return rows[:RANKING_SIZE]


def forgotten_accounts(*, access, days: int, now=None):
    """Owned accounts in the caller's scope without a follow-up for `days` days (never followed up counts from
    creation), longest forgotten first."""
    cutoff = (now or timezone.now()) - timedelta(days=days)
    return (
        Account.objects.restrict(access)
        .filter(owner__isnull=False)
        .filter(Q(last_activity_at__lt=cutoff) | Q(last_activity_at__isnull=True, created_at__lt=cutoff))
        .select_related("owner")
        .order_by(F("last_activity_at").asc(nulls_first=True), "id")
    )


def upcoming_recalls(*, access, today: date, horizon_days: int = RECALL_HORIZON_DAYS) -> list[dict]:
    """The caller's own accounts that go back to a pool within `horizon_days`, soonest first."""
    from tandem.accounts.models import Tenant

    zone = zoneinfo.ZoneInfo(Tenant.objects.values_list("timezone", flat=True).get(pk=access.tenant_id))
    rules = TenantRules.load(access.tenant_id, zone)
    if not any(rules.rules.values()):
        return []
    rows = []
    for row in owned_accounts_with_clocks(access.tenant_id).filter(owner_id=access.user_id):
        found = rules.due(row)
        if found is not None and found[1].on <= today + timedelta(days=horizon_days):
            pool, due = found
            rows.append(
                {
                    "account_id": row["pk"],
                    "name": row["name"],
                    "tier": row["tier"],
                    "pool": pool.name,
                    "on": due.on,
                    "reason": due.reason,
                    "days": due.days,
                    "days_left": (due.on - today).days,
                }
            )
    rows.sort(key=lambda r: (r["on"], r["name"]))
    return rows


def workbench(*, access, today: date | None = None) -> dict:
    """Everything on the member's workbench, in a fixed number of queries."""
    today = today or timezone.localdate()
    tenant_id = access.tenant_id
    settings = crm_settings(tenant_id=tenant_id)
    org = Org.load(tenant_id)
    by_month = monthly_actuals(
        tenant_id=tenant_id, start=period_span(today.year, 0)[0], end=period_span(today.year, 0)[1]
    )
    data: dict = {"today": today, "year": today.year, "month": today.month, "funnel": [], "pipeline": None}
    if access.has_perm("crm.view_deal"):
        pipeline = (
            Pipeline.objects.for_tenant(tenant_id)
            .order_by("-is_default", "sort_order", "id")
            .prefetch_related(Prefetch("stages", queryset=Stage.objects.order_by("order", "id")))
            .first()
        )
        if pipeline is not None:
            data["pipeline"] = pipeline.name
            data["funnel"] = stage_funnel(
                Deal.objects.restrict(access), pipeline=pipeline, month_start=today.replace(day=1)
            )
    data["targets"] = _my_targets(access, today, _my_departments(access))
    data["ranking"] = _ranking(access, org, by_month, today)
    forgotten = forgotten_accounts(access=access, days=settings.forgotten_after_days)
    data["forgotten"] = {
        "days": settings.forgotten_after_days,
        "count": forgotten.count(),
        "accounts": list(forgotten[:LIST_SIZE]),
    }
    data["overdue_leads"] = {"count": 0, "leads": []}
    if access.has_perm("crm.view_lead"):
        overdue = leads_overdue(access=access)
        data["overdue_leads"] = {"count": overdue.count(), "leads": list(overdue[:LIST_SIZE])}
    recalls = upcoming_recalls(access=access, today=today)
    data["upcoming_recalls"] = {"count": len(recalls), "accounts": recalls[:LIST_SIZE]}
    return data
