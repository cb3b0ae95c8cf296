"""Reads of automation rules and their runs, already scoped to the caller's tenant and permission, and what the
rule pages show beside them (the people a rule can run as, recent records to test on, the records runs point at)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import OuterRef, Prefetch, Subquery

from tandem.automation import catalog
from tandem.automation.models import ActionRun, Rule, RuleVersion, Run, TriggerType

RECENT_RECORDS = 30


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


def rule_versions(*, rule: Rule):
    return RuleVersion.objects.filter(rule=rule).select_related("created_by").order_by("-number")


def manual_rules(*, access, model: str):
    """Enabled manual-button rules on a record type, for the "Run automation" menu of a record page."""
    return Rule.objects.restrict(access, "view").filter(trigger_type=TriggerType.MANUAL, model=model, enabled=True)


def rule_owners(*, access):
    """The tenant's active members, whom a rule can run as."""
    from tandem.accounts.models import Membership

    return (
        Membership.objects.filter(tenant_id=access.tenant_id, is_active=True, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    )


def recent_records(*, access) -> dict[str, list[dict]]:
    """The latest records of each type the member may see, for the builder's "test on a record" picker."""
    out = {}
    for record_type in catalog.RECORD_TYPES.values():
        if not access.has_perm(f"{record_type.model._meta.app_label}.view_{record_type.model._meta.model_name}"):
            out[record_type.key] = []
            continue
        qs = record_type.model._default_manager.all()
        qs = qs.restrict(access, "view") if hasattr(qs, "restrict") else qs.filter(tenant_id=access.tenant_id)
        out[record_type.key] = [{"id": obj.pk, "label": str(obj)[:80]} for obj in qs.order_by("-pk")[:RECENT_RECORDS]]
    return out


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


def runs_with_steps(*, access):
    """The runs the caller may see with what a run's page shows: its steps, who triggered it, who made its version."""
    steps = Prefetch("steps", queryset=ActionRun.objects.order_by("index"))
    return run_list(access=access).select_related("triggered_by", "version__created_by").prefetch_related(steps)


def run_rules(*, access):
    """Every rule of the tenant, deleted ones too, for the run log's rule filter."""
    return Rule.all_objects.filter(tenant_id=access.tenant_id).order_by("name")


def run_record_urls(*, access, runs) -> dict[tuple[str, str], str]:
    """The page of each run's record, one query per record type (deleted records have none)."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for run in runs:
        if run.record_model and run.record_id.isdigit():
            wanted[run.record_model].add(int(run.record_id))
    urls = {}
    for model, ids in wanted.items():
        record_type = catalog.get(model)
        if record_type is None:
            continue
        for obj in record_type.queryset(access.tenant_id).filter(pk__in=ids):
            urls[(model, str(obj.pk))] = record_type.url(obj)
    return urls
