"""Reads of automation rules and their runs, already scoped to the caller's tenant and permission."""

from __future__ import annotations

from datetime import date

from django.db.models import OuterRef, Prefetch, Subquery

from tandem.automation.models import ActionRun, Rule, RuleVersion, Run, TriggerType


def rule_list(*, access, action: str = "view"):
    """The tenant's rules the caller may ``action``, each with its last run's status and time."""
    last_run = Run.objects.filter(rule=OuterRef("pk")).order_by("-created_at", "-id")
    return (
        Rule.objects.restrict(access, action)
        .select_related("owner")
        .annotate(
            last_run_status=Subquery(last_run.values("status")[:1]),
            last_run_at=Subquery(last_run.values("created_at")[:1]),
            last_run_id=Subquery(last_run.values("id")[:1]),
        )
        .order_by("name", "id")
    )


def rule_get(*, access, pk, action: str = "view") -> Rule | None:
    return Rule.objects.restrict(access, action).select_related("owner").filter(pk=pk).first()


def rule_versions(*, rule: Rule):
    return RuleVersion.objects.filter(rule=rule).select_related("created_by").order_by("-number")


def manual_rules(*, access, model: str):
    """Enabled manual-button rules on a record type, for the "Run automation" menu of a record page."""
    return Rule.objects.restrict(access, "view").filter(trigger_type=TriggerType.MANUAL, model=model, enabled=True)


def run_list(*, access, filters: dict | None = None):
    """Runs of the rules the caller may see (newest first), filtered by rule, status and day range."""
    filters = filters or {}
    rules = Rule.all_objects.filter(tenant_id=access.tenant_id)
    qs = Run.objects.restrict(access, "view").filter(rule__in=rules).select_related("rule", "version")
    if filters.get("rule"):
        qs = qs.filter(rule_id=filters["rule"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if isinstance(filters.get("since"), date):
        qs = qs.filter(created_at__date__gte=filters["since"])
    if isinstance(filters.get("until"), date):
        qs = qs.filter(created_at__date__lte=filters["until"])
    return qs.order_by("-created_at", "-id")


def run_get(*, access, pk) -> Run | None:
    steps = Prefetch("steps", queryset=ActionRun.objects.order_by("index"))
    return (
        run_list(access=access)
        .select_related("triggered_by", "version__created_by")
        .prefetch_related(steps)
        .filter(pk=pk)
        .first()
    )
