"""Actual costs (实际成本): direct costs (expenses, supplier invoices outside any commitment), invoices against
commitments, and labor posted from day-work tickets through `labor_cost_post`, which posts a source once.

An invoice needs a commitment in a committed status on the same project, on one of the budget lines the
commitment's lines fall on, and the commitment's invoices may not add up to more than its amount.
"""

from __future__ import annotations

from datetime import date as date_type
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.errors import NON_FIELD
from tandem.core.events import emit
from tandem.core.services import actor_of, check_tenant, full_clean, require, set_fields
from tandem.finance import events
from tandem.finance.choices import COMMITTED_STATUSES, CostKind, CostType
from tandem.finance.models import BudgetLine, Commitment, CostRecord
from tandem.finance.services.commitments import commitment_amount
from tandem.finance.services.common import in_reach, money, money_moved, refuse
from tandem.projects.models import Project

RECORD_FIELDS = ("budget_line", "kind", "commitment", "date", "amount", "vendor", "reference", "description")
UPDATE_FIELDS = ("budget_line", "date", "amount", "vendor", "reference", "description")


def _check(access, record: CostRecord) -> None:
    if record.kind not in CostKind.values:
        refuse("kind", _("Choose the kind of cost."))
    line = record.budget_line
    if line is None or line.tenant_id != access.tenant_id or line.project_id != record.project_id:
        refuse("budget_line", _("Choose a budget line of this project."))
    record.amount = money(record.amount, "amount", allow_zero=False)
    if record.kind == CostKind.COMMITMENT_INVOICE:
        commitment = record.commitment
        if commitment is None:
            refuse("commitment", _("An invoice against a commitment names the commitment."))
        commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
        if commitment.tenant_id != access.tenant_id or commitment.project_id != record.project_id:
            refuse("commitment", _("Choose a commitment of this project."))
        if commitment.status not in COMMITTED_STATUSES:
            refuse(
                "commitment",
                _("The commitment is %(status)s; invoices are booked against approved commitments only.")
                % {"status": commitment.get_status_display()},
                code="not_committed",
            )
        if not commitment.lines.filter(budget_line_id=line.pk).exists():
            refuse("budget_line", _("Choose one of the budget lines the commitment's lines are on."))
        invoiced = (
            CostRecord.objects.filter(commitment=commitment).exclude(pk=record.pk).aggregate(s=Sum("amount"))["s"]
            or Decimal("0.00")
        ) + record.amount
        limit = commitment_amount(commitment)
        if invoiced > limit:
            refuse(
                "amount",
                _("Invoiced would be %(invoiced)s, more than the commitment's %(amount)s.")
                % {"invoiced": f"{invoiced:,.2f}", "amount": f"{limit:,.2f}"},
                code="over_commitment",
            )
    elif record.commitment_id is not None:
        refuse("commitment", _("Only an invoice against a commitment names a commitment."))
    full_clean(
        record,
        exclude=["tenant", "project", "budget_line", "commitment", "created_by"],
        validate_unique=False,
        validate_constraints=False,
    )


def _recorded(record: CostRecord, actor) -> None:
    emit(
        events.COST_RECORDED,
        tenant=record.tenant_id,
        actor=actor,
        payload={
            "cost_record_id": record.pk,
            "project_id": record.project_id,
            "budget_line_id": record.budget_line_id,
            "kind": record.kind,
            "amount": str(record.amount),
            "date": record.date.isoformat() if isinstance(record.date, date_type) else str(record.date),
        },
    )


@transaction.atomic
def cost_record_create(*, access, project: Project, **fields) -> CostRecord:
    """Book a direct cost or an invoice against a commitment."""
    require(access, "finance.add_costrecord")
    check_tenant(access, project, fields.get("budget_line"), fields.get("commitment"))
    in_reach(access, project, "view")
    record = CostRecord(tenant_id=access.tenant_id, project=project, created_by=actor_of(access))
    set_fields(record, fields, RECORD_FIELDS)
    _check(access, record)
    record.save()
    audit_record(obj=record, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(record))
    _recorded(record, actor_of(access))
    money_moved(access.tenant_id, project.pk)
    return record


def _lock(access, record: CostRecord) -> CostRecord:
    check_tenant(access, record)
    in_reach(access, record, "change")
    record = (
        CostRecord.objects.select_for_update(of=("self",)).select_related("commitment", "budget_line").get(pk=record.pk)
    )
    if record.source_type:
        refuse(
            NON_FIELD,
            _("This cost was posted from another record (%(source)s); change it there.")
            % {"source": record.source_type},
            code="posted",
        )
    return record


@transaction.atomic
def cost_record_update(*, access, record: CostRecord, **fields) -> CostRecord:
    require(access, "finance.change_costrecord")
    check_tenant(access, fields.get("budget_line"))
    record = _lock(access, record)
    before = snapshot(record)
    set_fields(record, fields, UPDATE_FIELDS)
    _check(access, record)
    record.save()
    audit_record(obj=record, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=snapshot(record))
    money_moved(access.tenant_id, record.project_id)
    return record


@transaction.atomic
def cost_record_delete(*, access, record: CostRecord) -> None:
    require(access, "finance.delete_costrecord")
    record = _lock(access, record)
    audit_record(obj=record, action=AuditAction.DELETE, actor=actor_of(access), before=snapshot(record))
    project_id = record.project_id
    record.delete()
    money_moved(access.tenant_id, project_id)


def _labor_line(tenant_id: int, project_id: int, cost_code=None) -> BudgetLine | None:
    lines = BudgetLine.objects.filter(tenant_id=tenant_id, project_id=project_id, cost_type=CostType.LABOR)
    if cost_code is not None:
        found = lines.filter(cost_code_id=getattr(cost_code, "pk", cost_code)).order_by("sort_order", "id").first()
        if found is not None:
            return found
    return lines.order_by("sort_order", "id").first()


def labor_cost_post(
    *,
    tenant_id: int,
    project_id: int,
    source_type: str,
    source_id: int,
    amount,
    date,
    description: str = "",
    cost_code=None,
    budget_line=None,
    actor,
) -> CostRecord:
    """Post day-work labor (a ticket) as a cost, once per source: a retried or concurrent post returns the row the
    first one made. The line is the one given, else the project's labor line of the cost code, else its first
    labor line."""
    if not source_type or source_id is None:
        raise ValueError("labor_cost_post needs a source")
    existing = CostRecord.objects.filter(tenant_id=tenant_id, source_type=source_type, source_id=source_id).first()
    if existing is not None:
        return existing
    line = budget_line
    if line is None:
        line = _labor_line(tenant_id, project_id, cost_code)
    elif not isinstance(line, BudgetLine):
        line = BudgetLine.objects.filter(tenant_id=tenant_id, pk=line).first()
    if line is None or line.tenant_id != tenant_id or line.project_id != project_id:
        refuse(
            "budget_line",
            _("The project has no labor budget line to post day-work labor on; add one to its budget."),
            code="no_labor_line",
        )
    record = CostRecord(
        tenant_id=tenant_id,
        project_id=project_id,
        budget_line=line,
        kind=CostKind.LABOR,
        date=date,
        amount=money(amount, "amount", allow_zero=False),
        description=(description or "")[:300],
        source_type=source_type[:40],
        source_id=source_id,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            record.save()
            audit_record(obj=record, action=AuditAction.CREATE, actor=actor, after=snapshot(record))
            _recorded(record, actor)
            money_moved(tenant_id, project_id)
    except IntegrityError:
        # Posted by a concurrent call between the check and the insert: that row is the posting.
        existing = CostRecord.objects.filter(tenant_id=tenant_id, source_type=source_type, source_id=source_id).first()
        if existing is None:
            raise
        return existing
    return record


def invoiced_amount(commitment: Commitment) -> Decimal:
    return CostRecord.objects.filter(commitment=commitment).aggregate(s=Sum("amount"))["s"] or Decimal("0.00")
