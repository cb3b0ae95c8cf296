"""Commitments (合同承诺): subcontracts (分包合同) and purchase orders (采购订单) with lines on budget lines.

A commitment moves only along its kind's flow (`choices.FLOWS`); its lines (quantity × unit price, in fen) and its
vendor and retention change only while it is a draft or out for bid. Approving it needs
finance.approve_commitment, or — when the tenant has an active approval flow for "finance.commitment" — the
flow: the move to approved submits it, and the approvals handler (`commitment_decided`) approves it once the
flow passes. Approved (and later) statuses count as committed cost, out for signature / submitted as pending cost.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from tandem.approvals.choices import ApprovalStatus
from tandem.approvals.selectors.approvals import approval_for
from tandem.approvals.selectors.flows import active_flow
from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.errors import NON_FIELD, ApplicationError
from tandem.core.events import emit
from tandem.core.services import actor_of, check_tenant, full_clean, require, set_fields
from tandem.finance import events
from tandem.finance.choices import (
    COMMITTED_STATUSES,
    EDITABLE_COMMITMENT_STATUSES,
    FLOWS,
    PENDING_COST_STATUSES,
    CommitmentKind,
    CommitmentStatus,
)
from tandem.finance.costing import line_amount
from tandem.finance.models import BudgetLine, Commitment, CommitmentLine
from tandem.finance.services.common import decimal, in_reach, money, money_moved, refuse
from tandem.projects.models import Project

OBJECT_TYPE = "finance.commitment"
PREFIX = {CommitmentKind.SUBCONTRACT: "FB", CommitmentKind.PURCHASE_ORDER: "CG"}
# Any time before it is over.
FREE_FIELDS = ("title", "description", "signed_on")
# Only while the commitment is a draft or out for bid.
TERM_FIELDS = ("vendor", "retention_percent")
COUNTING = (*COMMITTED_STATUSES, *PENDING_COST_STATUSES)


def commitment_amount(commitment: Commitment) -> Decimal:
    return commitment.lines.aggregate(s=Sum("amount"))["s"] or Decimal("0.00")


def _clean_lines(access, project_id: int, lines: list[dict]) -> list[CommitmentLine]:
    if not lines:
        refuse("lines", _("Add at least one line."))
    ids = {getattr(row.get("budget_line"), "pk", row.get("budget_line")) for row in lines}
    known = {
        line.pk: line
        for line in BudgetLine.objects.filter(tenant_id=access.tenant_id, project_id=project_id, pk__in=ids)
    }
    rows, errors = [], {}
    for index, row in enumerate(lines):
        key = f"lines[{index}]"
        line_id = getattr(row.get("budget_line"), "pk", row.get("budget_line"))
        if line_id not in known:
            errors[key] = {"budget_line": [_("Choose a budget line of this project.")]}
            continue
        try:
            quantity = decimal(row.get("quantity", 1), "quantity")
            unit_price = money(row.get("unit_price", 0), "unit_price")
        except ApplicationError as exc:
            errors[key] = exc.errors
            continue
        if quantity < 0 or unit_price < 0:
            errors[key] = {"quantity" if quantity < 0 else "unit_price": [_("Cannot be negative.")]}
            continue
        item = CommitmentLine(
            tenant_id=access.tenant_id,
            budget_line=known[line_id],
            description=str(row.get("description") or "")[:300],
            quantity=quantity,
            unit=str(row.get("unit") or "")[:20],
            unit_price=unit_price,
            amount=line_amount(quantity, unit_price),
        )
        try:
            full_clean(item, exclude=["tenant", "commitment", "budget_line"], validate_constraints=False)
        except ApplicationError as exc:
            errors[key] = exc.errors
            continue
        rows.append(item)
    if errors:
        raise ApplicationError(_("Please correct the lines below."), errors=errors)
    return rows


def _state(commitment: Commitment) -> dict:
    state = snapshot(commitment)
    state["lines"] = [
        {"budget_line": r.budget_line_id, "quantity": str(r.quantity), "unit_price": str(r.unit_price)}
        for r in commitment.lines.order_by("pk")
    ]
    return state


def _clean(commitment: Commitment) -> None:
    commitment.title = (commitment.title or "").strip()
    commitment.vendor = (commitment.vendor or "").strip()
    full_clean(
        commitment,
        exclude=["tenant", "project", "created_by", "number"],
        validate_unique=False,
        validate_constraints=False,
    )


@transaction.atomic
def commitment_create(
    *,
    access,
    project: Project,
    kind: str,
    title: str,
    vendor: str,
    retention_percent=0,
    lines: list[dict],
    description: str = "",
    signed_on=None,
) -> Commitment:
    """A draft subcontract (FB-…) or purchase order (CG-…) with its lines on the project's budget lines."""
    from tandem.records.services.numbering import number_next

    require(access, "finance.add_commitment")
    check_tenant(access, project)
    in_reach(access, project, "view")
    if kind not in FLOWS:
        refuse("kind", _("Choose a subcontract or a purchase order."))
    commitment = Commitment(
        tenant_id=access.tenant_id,
        project=project,
        kind=kind,
        title=title,
        vendor=vendor,
        retention_percent=decimal(retention_percent or 0, "retention_percent"),
        description=description or "",
        signed_on=signed_on,
        status=CommitmentStatus.DRAFT,
        created_by=actor_of(access),
    )
    _clean(commitment)
    rows = _clean_lines(access, project.pk, lines)
    commitment.number = number_next(tenant_id=access.tenant_id, object_type=OBJECT_TYPE, default_prefix=PREFIX[kind])
    commitment.save()
    for row in rows:
        row.commitment = commitment
    CommitmentLine.objects.bulk_create(rows)
    audit_record(obj=commitment, action=AuditAction.CREATE, actor=actor_of(access), after=_state(commitment))
    return commitment


def _lock(access, commitment: Commitment) -> Commitment:
    check_tenant(access, commitment)
    in_reach(access, commitment, "change")
    return Commitment.objects.select_for_update().get(pk=commitment.pk)


@transaction.atomic
def commitment_update(*, access, commitment: Commitment, lines: list[dict] | None = None, **fields) -> Commitment:
    """Title, description and signing date any time before it is over; vendor, retention and lines (replaced as
    a whole when given) only in draft or out for bid."""
    require(access, "finance.change_commitment")
    commitment = _lock(access, commitment)
    editable = commitment.status in EDITABLE_COMMITMENT_STATUSES
    final = not FLOWS[commitment.kind].get(commitment.status)
    if final:
        refuse(
            NON_FIELD,
            _("A commitment that is %(status)s cannot be changed.") % {"status": commitment.get_status_display()},
            code="bad_status",
        )
    if not editable and (lines is not None or set(fields) & set(TERM_FIELDS)):
        field = "lines" if lines is not None else sorted(set(fields) & set(TERM_FIELDS))[0]
        refuse(
            field,
            _("The lines, vendor and retention change only while the commitment is a draft or out for bid."),
            code="not_editable",
        )
    before = _state(commitment)
    if "retention_percent" in fields:
        fields["retention_percent"] = decimal(fields["retention_percent"] or 0, "retention_percent")
    set_fields(commitment, fields, (*FREE_FIELDS, *TERM_FIELDS))
    _clean(commitment)
    rows = _clean_lines(access, commitment.project_id, lines) if lines is not None else None
    commitment.save()
    if rows is not None:
        commitment.lines.all().delete()
        for row in rows:
            row.commitment = commitment
        CommitmentLine.objects.bulk_create(rows)
    audit_record(
        obj=commitment, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=_state(commitment)
    )
    return commitment


def _move(commitment: Commitment, status: str, *, actor) -> None:
    before = snapshot(commitment)
    was = commitment.status
    commitment.status = status
    commitment.save()
    audit_record(obj=commitment, action=AuditAction.UPDATE, actor=actor, before=before, after=snapshot(commitment))
    emit(
        events.COMMITMENT_STATUS_CHANGED,
        tenant=commitment.tenant_id,
        actor=actor,
        payload={
            "commitment_id": commitment.pk,
            "project_id": commitment.project_id,
            "number": commitment.number,
            "kind": commitment.kind,
            "from": was,
            "to": status,
            "amount": str(commitment_amount(commitment)),
        },
    )
    if was in COUNTING or status in COUNTING:
        money_moved(commitment.tenant_id, commitment.project_id)


@transaction.atomic
def commitment_transition(*, access, commitment: Commitment, status: str) -> Commitment:
    """Move a commitment along its kind's flow. To approved: with an active approval flow the commitment is
    submitted to it and stays where it is until the flow passes; without one it needs finance.approve_commitment."""
    from tandem.approvals.services import approval_submit

    require(access, "finance.change_commitment")
    commitment = _lock(access, commitment)
    allowed = FLOWS[commitment.kind].get(commitment.status, ())
    if status not in allowed:
        target = dict(CommitmentStatus.choices).get(status, status)
        refuse(
            "status",
            _("A commitment cannot move from “%(from)s” to “%(to)s”.")
            % {"from": commitment.get_status_display(), "to": target},
            code="bad_transition",
        )
    if status == CommitmentStatus.APPROVED:
        if not commitment.lines.exists():
            refuse("lines", _("Add at least one line."))
        if active_flow(access.tenant_id, OBJECT_TYPE) is not None:
            latest = approval_for(tenant_id=access.tenant_id, object_type=OBJECT_TYPE, object_id=commitment.pk)
            if latest is None or latest.status not in (ApprovalStatus.PENDING, ApprovalStatus.APPROVED):
                approval_submit(access=access, obj=commitment)
                return commitment
            if latest.status == ApprovalStatus.PENDING:
                refuse(NON_FIELD, _("This commitment is in its approval flow."), code="approval_pending")
        else:
            require(access, "finance.approve_commitment")
    elif approval_for(tenant_id=access.tenant_id, object_type=OBJECT_TYPE, object_id=commitment.pk) is not None:
        latest = approval_for(tenant_id=access.tenant_id, object_type=OBJECT_TYPE, object_id=commitment.pk)
        if latest.status == ApprovalStatus.PENDING:
            refuse(NON_FIELD, _("This commitment is in its approval flow."), code="approval_pending")
    _move(commitment, status, actor=actor_of(access))
    return commitment


@transaction.atomic
def commitment_delete(*, access, commitment: Commitment) -> None:
    """Delete a draft commitment (a later one is voided or closed instead)."""
    require(access, "finance.delete_commitment")
    commitment = _lock(access, commitment)
    if commitment.status != CommitmentStatus.DRAFT:
        refuse(NON_FIELD, _("Only a draft commitment can be deleted; void it instead."), code="bad_status")
    audit_record(obj=commitment, action=AuditAction.DELETE, actor=actor_of(access), before=_state(commitment))
    commitment.delete()


@transaction.atomic
def commitment_decided(*, tenant_id: int, commitment_id, status: str, actor_id=None) -> bool:
    """The approvals handler: the flow passed → the commitment is approved, once (only from a status whose flow
    leads to approved); any other outcome leaves it where it is. True when it moved."""
    if status != ApprovalStatus.APPROVED:
        return False
    commitment = Commitment.objects.select_for_update().filter(tenant_id=tenant_id, pk=commitment_id).first()
    if commitment is None or CommitmentStatus.APPROVED not in FLOWS[commitment.kind].get(commitment.status, ()):
        return False
    from tandem.accounts.models import User

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    _move(commitment, CommitmentStatus.APPROVED, actor=actor)
    return True
