"""A project's customer contract: the deal's signed contract links itself to the deal's project, its value
becomes the budget while the budget is still the deal's provisional figure, and its payment periods due on a
project milestone are tied to the milestone task of that name."""

from __future__ import annotations

from django.db import transaction

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.events import emit
from tandem.projects import events
from tandem.projects.models import Project, Task


def payment_milestones_link(*, project: Project, contract) -> dict:
    """Each contract payment period due on a project milestone is tied to the milestone task of that name
    (exact name first, then one name containing the other); returns what was linked and what was not."""
    from tandem.crm.choices import DueRule

    if contract is None:
        return {"linked": [], "unmatched": []}
    milestones = list(Task.objects.filter(project=project, is_milestone=True).order_by("sort_order", "id"))
    tied = dict(
        Task.objects.filter(project=project)
        .exclude(payment_milestone_id=None)
        .values_list("pk", "payment_milestone_id")
    )
    taken, already = set(tied), set(tied.values())
    linked, unmatched = [], []
    periods = contract.milestones.filter(is_void=False, due_rule=DueRule.ON_MILESTONE).order_by("sequence", "id")
    for period in periods:
        if period.pk in already:
            continue
        wanted = (period.project_milestone or period.name).strip().casefold()
        free = [t for t in milestones if t.pk not in taken]
        match = next((t for t in free if t.name.strip().casefold() == wanted), None) or next(
            (t for t in free if wanted and (wanted in t.name.casefold() or t.name.casefold() in wanted)), None
        )
        if match is None:
            unmatched.append(period.name)
            continue
        taken.add(match.pk)
        Task.objects.filter(pk=match.pk).update(payment_milestone_id=period.pk, payment_percent=period.percent)
        linked.append({"period": period.name, "task": match.name, "percent": str(period.percent)})
    return {"linked": linked, "unmatched": unmatched}


@transaction.atomic
def project_contract_link(*, project: Project, contract, actor=None) -> bool:
    """Link a signed contract of the project's deal to the project (once; audited as the signer's change).

    The budget follows the contract's amount while it is empty or still the deal's amount (the provisional
    figure the won-deal handoff set); a budget someone set by hand stays. The contract's end date fills an
    empty contract finish. Returns whether anything changed."""
    from tandem.crm.models import Deal

    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.contract_id not in (None, contract.pk) or contract.tenant_id != project.tenant_id:
        return False
    if project.account_id and contract.account_id != project.account_id:
        return False
    before = snapshot(project)
    project.contract_id = contract.pk
    project.account_id = project.account_id or contract.account_id
    deal_amount = Deal.all_objects.filter(pk=project.deal_id).values_list("amount", flat=True).first()
    if project.budget is None or project.budget == deal_amount:
        project.budget = contract.amount
    if project.contract_finish is None and contract.end_on and contract.end_on >= project.start_date:
        project.contract_finish = contract.end_on
    project.save(update_fields=["contract_id", "account_id", "budget", "contract_finish", "updated_at"])
    payment_milestones_link(project=project, contract=contract)
    after = snapshot(project)
    entry = audit_record(obj=project, action=AuditAction.UPDATE, actor=actor, before=before, after=after)
    if entry is None:
        return False
    emit(
        events.PROJECT_UPDATED,
        tenant=project.tenant_id,
        payload={"project_id": project.pk, "changed": sorted(k for k in after if before.get(k) != after.get(k))},
        actor=actor,
    )
    return True


def on_contract_signed(event) -> None:
    """crm.contract.signed: the deal's projects without a contract take this one, as the signer's change."""
    from django.contrib.auth import get_user_model

    from tandem.crm.models import Contract

    deal_id = event.payload.get("deal_id")
    contract = Contract.objects.filter(tenant_id=event.tenant_id, pk=event.payload.get("contract_id")).first()
    if not deal_id or contract is None:
        return
    signer = get_user_model().objects.filter(pk=event.actor_id).first() if event.actor_id else None
    projects = Project.objects.filter(tenant_id=event.tenant_id, deal_id=deal_id, contract_id__isnull=True)
    for project in projects.order_by("id"):
        project_contract_link(project=project, contract=contract, actor=signer)
