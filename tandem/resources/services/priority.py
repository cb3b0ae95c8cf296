"""Project priority: the recommendation from the customer's value (`tandem.resources.priority`), applied unless a
person set the priority by hand with a reason; recomputed when its inputs change.

Inputs, read here: the account's tier, its lifetime value (signed and completed contracts), its health score
(feedback), the project's contract amount or budget, and the planned cost of its allocations (work × cost rate).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import DecimalField, ExpressionWrapper, F, Sum
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.errors import ApplicationError
from tandem.core.services import actor_of, check_tenant, require
from tandem.crm.choices import ContractStatus
from tandem.crm.models import Account, Contract
from tandem.feedback.models import HealthScore
from tandem.projects.models import Project
from tandem.resources import priority as formula
from tandem.resources.models import Allocation
from tandem.resources.services.conflicts import resource_settings

REASON_MAX = 300
# Fields of a project the recommendation reads: a change to one of them recomputes it.
PROJECT_INPUTS = ("account_id", "contract_id", "budget")


def priority_inputs(project: Project) -> formula.Inputs:
    """What the recommendation is computed from, read from the tenant's records."""
    tier, ltv, health = "", Decimal(0), None
    if project.account_id:
        account = Account.objects.filter(tenant_id=project.tenant_id, pk=project.account_id).first()
        if account is not None:
            tier = account.tier
            ltv = Contract.objects.filter(
                tenant_id=project.tenant_id,
                account_id=account.pk,
                status__in=(ContractStatus.SIGNED, ContractStatus.COMPLETED),
            ).aggregate(total=Sum("amount"))["total"] or Decimal(0)
            health = HealthScore.objects.filter(account_id=account.pk).values_list("score", flat=True).first()
    contract_amount = None
    if project.contract_id:
        contract_amount = (
            Contract.objects.filter(tenant_id=project.tenant_id, pk=project.contract_id)
            .values_list("amount", flat=True)
            .first()
        )
    planned = Allocation.objects.filter(tenant_id=project.tenant_id, project_id=project.pk).aggregate(
        cost=Sum(
            ExpressionWrapper(
                F("work") * F("resource__cost_rate") / 60, output_field=DecimalField(max_digits=20, decimal_places=2)
            )
        )
    )["cost"]
    revenue = contract_amount if contract_amount is not None else project.budget
    cost = Decimal(planned) if planned else (project.budget if contract_amount is not None else None)
    return formula.Inputs(tier=tier, lifetime_value=Decimal(ltv), health=health, revenue=revenue, cost=cost)


def priority_recommend(project: Project) -> formula.Priority:
    """The recommended priority of the project with its parts and formula (whether or not it is applied)."""
    settings = resource_settings(project.tenant_id)
    return formula.recommend(priority_inputs(project), tier_weights=settings.tier_weights)


def _save(project: Project, actor, **values) -> bool:
    before = snapshot(project)
    for name, value in values.items():
        setattr(project, name, value)
    Project.all_objects.filter(pk=project.pk).update(**values)
    entry = audit_record(obj=project, action=AuditAction.UPDATE, actor=actor, before=before, after=snapshot(project))
    if entry is not None:
        _rerank(project)
    return entry is not None


def _rerank(project: Project) -> None:
    """Conflicts are ranked by the project's priority: refresh those of its resources."""
    from tandem.resources.services.conflicts import conflicts_refresh

    resource_ids = set(
        Allocation.objects.filter(tenant_id=project.tenant_id, project_id=project.pk).values_list(
            "resource_id", flat=True
        )
    )
    if resource_ids:
        conflicts_refresh(tenant_id=project.tenant_id, resource_ids=resource_ids)


@transaction.atomic
def priority_refresh(*, project: Project, actor=None) -> formula.Priority:
    """Apply the recommendation unless the priority was set by hand; returns the recommendation (system work)."""
    recommended = priority_recommend(project)
    if not project.priority_overridden and project.priority != recommended.value:
        _save(project, actor, priority=recommended.value)
    return recommended


@transaction.atomic
def priority_override(*, access, project: Project, priority: int, reason: str) -> Project:
    """Set the priority by hand: it stays until the override is cleared; the reason is required and audited."""
    require(access, "projects.change_project")
    check_tenant(access, project)
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = [_("Say why the priority is set by hand.")]
    elif len(reason) > REASON_MAX:
        errors["reason"] = [_("At most %(n)s characters.") % {"n": REASON_MAX}]
    if isinstance(priority, bool) or not isinstance(priority, int) or not 0 <= priority <= 1000:
        errors["priority"] = [_("A priority is a whole number from 0 to 1000.")]
    if errors:
        raise ApplicationError(next(iter(errors.values()))[0], errors=errors)
    _save(project, actor_of(access), priority=priority, priority_overridden=True, priority_reason=reason)
    return project


@transaction.atomic
def priority_clear_override(*, access, project: Project) -> Project:
    """Go back to the recommended priority."""
    require(access, "projects.change_project")
    check_tenant(access, project)
    if project.priority_overridden:
        _save(project, actor_of(access), priority_overridden=False, priority_reason="")
    priority_refresh(project=project, actor=actor_of(access))
    return project


def priorities_refresh_for_account(*, tenant_id: int, account_id: int | None) -> int:
    """Recompute every live project of the account (its tier, contracts or health changed); returns how many."""
    if not account_id:
        return 0
    projects = list(Project.objects.filter(tenant_id=tenant_id, account_id=account_id))
    for project in projects:
        priority_refresh(project=project)
    return len(projects)


def on_input_event(event) -> None:
    """Domain-event handler: a contract signed, an answer, a request or a receipt of an account may move its
    projects' priority (idempotent: it reads the current state)."""
    payload = event.payload or {}
    account_id = payload.get("account_id")
    if account_id is None and payload.get("project_id"):
        account_id = (
            Project.objects.filter(tenant_id=event.tenant_id, pk=payload["project_id"])
            .values_list("account_id", flat=True)
            .first()
        )
    priorities_refresh_for_account(tenant_id=event.tenant_id, account_id=account_id)


def on_project_event(event) -> None:
    """Domain-event handler: a project was created, or its account, contract or budget changed."""
    payload = event.payload or {}
    changed = set(payload.get("changed") or ())
    if event.name.endswith(".updated") and not changed & {*PROJECT_INPUTS, "account", "contract"}:
        return
    project = Project.objects.filter(tenant_id=event.tenant_id, pk=payload.get("project_id")).first()
    if project is not None:
        priority_refresh(project=project)


def on_record_changed(obj, action: str, before: dict | None, after: dict | None) -> None:
    """Audit listener: an account's tier changed (no domain event says so); recomputed in the writer's
    transaction."""
    if not isinstance(obj, Account) or action != AuditAction.UPDATE:
        return
    before, after = before or {}, after or {}
    if "tier" in after and before.get("tier") != after.get("tier"):
        priorities_refresh_for_account(tenant_id=obj.tenant_id, account_id=obj.pk)


def priorities_refresh_tenant(*, tenant_id: int) -> int:
    """Recompute every live project of the tenant that is not set by hand; returns how many."""
    projects = list(Project.objects.filter(tenant_id=tenant_id, priority_overridden=False).order_by("pk"))
    for project in projects:
        priority_refresh(project=project)
    return len(projects)


def demo_priorities() -> None:
    """Demo loader: the demo projects get the priority their customers' value recommends (idempotent)."""
    from tandem.accounts.models import Tenant

    for tenant_id in Tenant.objects.values_list("pk", flat=True).order_by("pk"):
        priorities_refresh_tenant(tenant_id=tenant_id)
