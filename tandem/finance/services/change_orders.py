"""Change orders (变更单): lines that add to or take from budget lines; a prime-contract change also changes the
contract value.

draft → pending (submitted: through the approval engine when the tenant has an active flow for
"finance.changeorder", else awaiting a direct decision by someone with finance.approve_changeorder) → approved or
rejected; a rejected one may be edited and submitted again; draft, pending (its approval is withdrawn) and
rejected ones may be voided; an approved one never changes. The approvals handler (`change_order_decided`) moves
a pending change order to approved or rejected exactly once, whatever number of times the event arrives.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.approvals.choices import ApprovalStatus
from tandem.approvals.selectors.approvals import approval_for
from tandem.approvals.selectors.flows import active_flow
from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.errors import NON_FIELD, ApplicationError
from tandem.core.events import emit
from tandem.core.services import actor_of, check_tenant, full_clean, require
from tandem.finance import events
from tandem.finance.choices import ChangeOrderKind, ChangeOrderStatus
from tandem.finance.models import BudgetLine, ChangeOrder, ChangeOrderLine, ProjectBudget
from tandem.finance.services.common import in_reach, money, money_moved, refuse

OBJECT_TYPE = "finance.changeorder"
EDITABLE = (ChangeOrderStatus.DRAFT, ChangeOrderStatus.REJECTED)
VOIDABLE = (ChangeOrderStatus.DRAFT, ChangeOrderStatus.PENDING, ChangeOrderStatus.REJECTED)


def change_order_amount(change_order: ChangeOrder) -> Decimal:
    return change_order.lines.aggregate(s=Sum("amount"))["s"] or Decimal("0.00")


def _clean_lines(access, budget: ProjectBudget, lines: list[dict]) -> list[ChangeOrderLine]:
    """The lines as rows (not saved); each on a line of this budget with a non-zero amount in fen."""
    if not lines:
        refuse("lines", _("Add at least one line."))
    rows, errors = [], {}
    ids = {getattr(row.get("budget_line"), "pk", row.get("budget_line")) for row in lines}
    known = {line.pk: line for line in BudgetLine.objects.filter(tenant_id=access.tenant_id, budget=budget, pk__in=ids)}
    for index, row in enumerate(lines):
        key = f"lines[{index}]"
        line_id = getattr(row.get("budget_line"), "pk", row.get("budget_line"))
        if line_id not in known:
            errors[key] = {"budget_line": [_("Choose a line of this budget.")]}
            continue
        try:
            amount = money(row.get("amount"), "amount", allow_zero=False)
        except ApplicationError as exc:
            errors[key] = exc.errors
            continue
        rows.append(
            ChangeOrderLine(
                tenant_id=access.tenant_id,
                budget_line=known[line_id],
                amount=amount,
                description=str(row.get("description") or "")[:300],
            )
        )
    if errors:
        raise ApplicationError(_("Please correct the lines below."), errors=errors)
    return rows


def _check(change_order: ChangeOrder) -> None:
    change_order.title = (change_order.title or "").strip()
    if change_order.kind == ChangeOrderKind.BUDGET and change_order.contract_amount:
        refuse("contract_amount", _("A budget change does not change the contract value; leave it at 0."))
    full_clean(
        change_order,
        exclude=["tenant", "budget", "project", "created_by", "number"],
        validate_unique=False,
        validate_constraints=False,
    )


def _state(change_order: ChangeOrder) -> dict:
    state = snapshot(change_order)
    state["lines"] = [
        {"budget_line": row.budget_line_id, "amount": str(row.amount), "description": row.description}
        for row in change_order.lines.order_by("pk")
    ]
    return state


def _payload(change_order: ChangeOrder, **extra) -> dict:
    return {
        "change_order_id": change_order.pk,
        "project_id": change_order.project_id,
        "number": change_order.number,
        "amount": str(change_order_amount(change_order)),
        "contract_amount": str(change_order.contract_amount),
        **extra,
    }


@transaction.atomic
def change_order_create(
    *,
    access,
    budget: ProjectBudget,
    kind: str = ChangeOrderKind.PRIME,
    title: str,
    reason: str = "",
    contract_amount=0,
    lines: list[dict],
) -> ChangeOrder:
    """A draft change order numbered BG-…, with its lines on the budget's lines."""
    from tandem.records.services.numbering import number_next

    require(access, "finance.add_changeorder")
    check_tenant(access, budget)
    in_reach(access, budget, "change")
    change_order = ChangeOrder(
        tenant_id=access.tenant_id,
        budget=budget,
        project_id=budget.project_id,
        kind=kind,
        title=title,
        reason=reason or "",
        contract_amount=money(contract_amount or 0, "contract_amount"),
        status=ChangeOrderStatus.DRAFT,
        created_by=actor_of(access),
    )
    _check(change_order)
    rows = _clean_lines(access, budget, lines)
    change_order.number = number_next(tenant_id=access.tenant_id, object_type=OBJECT_TYPE, default_prefix="BG")
    change_order.save()
    for row in rows:
        row.change_order = change_order
    ChangeOrderLine.objects.bulk_create(rows)
    audit_record(obj=change_order, action=AuditAction.CREATE, actor=actor_of(access), after=_state(change_order))
    return change_order


def _lock(access, change_order: ChangeOrder) -> ChangeOrder:
    check_tenant(access, change_order)
    in_reach(access, change_order, "change")
    return ChangeOrder.objects.select_for_update().get(pk=change_order.pk)


def _status_refusal(change_order: ChangeOrder, doing):
    refuse(
        NON_FIELD,
        _("A change order that is %(status)s cannot be %(doing)s.")
        % {"status": change_order.get_status_display(), "doing": doing},
        code="bad_status",
    )


@transaction.atomic
def change_order_update(*, access, change_order: ChangeOrder, lines: list[dict] | None = None, **fields) -> ChangeOrder:
    """Change a draft or rejected change order; `lines`, when given, replace its lines."""
    require(access, "finance.change_changeorder")
    change_order = _lock(access, change_order)
    if change_order.status not in EDITABLE:
        _status_refusal(change_order, _("edited"))
    before = _state(change_order)
    allowed = {"kind", "title", "reason", "contract_amount"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"ChangeOrder: fields not settable here: {sorted(unknown)}")
    if "contract_amount" in fields:
        fields["contract_amount"] = money(fields["contract_amount"] or 0, "contract_amount")
    for name, value in fields.items():
        setattr(change_order, name, value)
    _check(change_order)
    rows = _clean_lines(access, change_order.budget, lines) if lines is not None else None
    change_order.save()
    if rows is not None:
        change_order.lines.all().delete()
        for row in rows:
            row.change_order = change_order
        ChangeOrderLine.objects.bulk_create(rows)
    audit_record(
        obj=change_order, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=_state(change_order)
    )
    return change_order


def _set_status(access, change_order: ChangeOrder, status: str, *, actor=None) -> None:
    before = snapshot(change_order)
    change_order.status = status
    now = timezone.now()
    if status == ChangeOrderStatus.PENDING:
        change_order.submitted_at = now
        change_order.decided_at = None
    elif status in (ChangeOrderStatus.APPROVED, ChangeOrderStatus.REJECTED):
        change_order.decided_at = now
    change_order.save()
    audit_record(obj=change_order, action=AuditAction.UPDATE, actor=actor, before=before, after=snapshot(change_order))


@transaction.atomic
def change_order_submit(*, access, change_order: ChangeOrder) -> ChangeOrder:
    """Submit a draft or rejected change order: it is pending (its amount is a pending change) until approved
    through the tenant's approval flow, or decided directly when there is no flow."""
    from tandem.approvals.services import approval_submit

    require(access, "finance.change_changeorder")
    change_order = _lock(access, change_order)
    if change_order.status not in EDITABLE:
        _status_refusal(change_order, _("submitted"))
    if not change_order.lines.exists():
        refuse("lines", _("Add at least one line."))
    via = "direct"
    _set_status(access, change_order, ChangeOrderStatus.PENDING, actor=actor_of(access))
    if active_flow(access.tenant_id, OBJECT_TYPE) is not None:
        try:
            approval_submit(access=access, obj=change_order)
            via = "approval"
        except ApplicationError as exc:
            if exc.code != "no_flow":
                raise
    emit(
        events.CHANGE_ORDER_SUBMITTED,
        tenant=access.tenant_id,
        actor=actor_of(access),
        payload=_payload(change_order, via=via),
    )
    money_moved(access.tenant_id, change_order.project_id)
    return change_order


def _engine_running(change_order: ChangeOrder) -> bool:
    approval = approval_for(tenant_id=change_order.tenant_id, object_type=OBJECT_TYPE, object_id=change_order.pk)
    return approval is not None and approval.status == ApprovalStatus.PENDING


def _decide(change_order: ChangeOrder, status: str, *, actor) -> bool:
    """Pending → approved / rejected; False (and nothing written) when it is no longer pending."""
    if change_order.status != ChangeOrderStatus.PENDING:
        return False
    _set_status(None, change_order, status, actor=actor)
    name = events.CHANGE_ORDER_APPROVED if status == ChangeOrderStatus.APPROVED else events.CHANGE_ORDER_REJECTED
    emit(name, tenant=change_order.tenant_id, actor=actor, payload=_payload(change_order))
    money_moved(change_order.tenant_id, change_order.project_id)
    return True


def _direct_decision(access, change_order: ChangeOrder, status: str) -> ChangeOrder:
    require(access, "finance.approve_changeorder")
    change_order = _lock(access, change_order)
    if change_order.status != ChangeOrderStatus.PENDING:
        _status_refusal(change_order, _("decided"))
    if _engine_running(change_order):
        refuse(
            NON_FIELD,
            _("This change order is in its approval flow; it is decided there."),
            code="approval_pending",
        )
    _decide(change_order, status, actor=actor_of(access))
    return change_order


@transaction.atomic
def change_order_approve(*, access, change_order: ChangeOrder) -> ChangeOrder:
    """A direct approval (no approval flow runs): its amount moves from pending to approved changes."""
    return _direct_decision(access, change_order, ChangeOrderStatus.APPROVED)


@transaction.atomic
def change_order_reject(*, access, change_order: ChangeOrder) -> ChangeOrder:
    return _direct_decision(access, change_order, ChangeOrderStatus.REJECTED)


@transaction.atomic
def change_order_void(*, access, change_order: ChangeOrder, comment: str = "") -> ChangeOrder:
    """Void a draft, pending or rejected change order; a pending approval is withdrawn (by its submitter) or
    voided (by an approvals administrator)."""
    from tandem.approvals.services import approval_void, approval_withdraw

    require(access, "finance.change_changeorder")
    change_order = _lock(access, change_order)
    if change_order.status not in VOIDABLE:
        _status_refusal(change_order, _("voided"))
    was = change_order.status
    approval = approval_for(tenant_id=change_order.tenant_id, object_type=OBJECT_TYPE, object_id=change_order.pk)
    if approval is not None and approval.status == ApprovalStatus.PENDING:
        if approval.submitter_id == access.user_id:
            approval_withdraw(access=access, approval=approval, comment=comment)
        else:
            approval_void(access=access, approval=approval, comment=comment or _("The change order was voided."))
    change_order.refresh_from_db()
    _set_status(access, change_order, ChangeOrderStatus.VOID, actor=actor_of(access))
    emit(
        events.CHANGE_ORDER_VOIDED,
        tenant=access.tenant_id,
        actor=actor_of(access),
        payload={**_payload(change_order), "from": was},
    )
    if was == ChangeOrderStatus.PENDING:
        money_moved(access.tenant_id, change_order.project_id)
    return change_order


# --- the approvals handler ----------------------------------------------------------------------------------


@transaction.atomic
def change_order_decided(*, tenant_id: int, change_order_id, status: str, actor_id=None) -> bool:
    """The approval of a change order ended (approved, rejected, withdrawn or voided in the approvals app): a
    pending change order follows, once; a replayed or late event changes nothing. True when it moved."""
    change_order = ChangeOrder.objects.select_for_update().filter(tenant_id=tenant_id, pk=change_order_id).first()
    if change_order is None or change_order.status != ChangeOrderStatus.PENDING:
        return False
    from tandem.accounts.models import User

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    if status == ApprovalStatus.APPROVED:
        return _decide(change_order, ChangeOrderStatus.APPROVED, actor=actor)
    if status == ApprovalStatus.REJECTED:
        return _decide(change_order, ChangeOrderStatus.REJECTED, actor=actor)
    if status in (ApprovalStatus.WITHDRAWN, ApprovalStatus.VOID):
        # Taken back in the approvals app: the change order is a draft again (its amount no longer pending).
        _set_status(None, change_order, ChangeOrderStatus.DRAFT, actor=actor)
        money_moved(tenant_id, change_order.project_id)
        return True
    return False
