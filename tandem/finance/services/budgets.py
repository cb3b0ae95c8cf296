"""Writing a project's budget (项目预算): its lines (cost code × cost type × optional WBS task, quantity × unit price
in fen), the lock, and after the lock the transfers between lines (预算调整).

A locked budget's amounts move only through budget modifications and change orders: a direct edit of a line's
quantity, unit price, cost code, cost type or task, a new line and a deleted line are refused with a message; the
forecast (method, quantity, unit price, amount) and the description stay editable.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.errors import NON_FIELD, ApplicationError, NotFound
from tandem.core.events import emit
from tandem.core.services import actor_of, check_tenant, full_clean, require, set_fields
from tandem.finance import events
from tandem.finance.choices import BudgetStatus, ChangeOrderStatus, ForecastMethod
from tandem.finance.costing import line_amount
from tandem.finance.models import BudgetLine, BudgetModification, ChangeOrderLine, ProjectBudget
from tandem.finance.services.common import in_reach, money, money_moved, refuse
from tandem.projects.models import Project

BUDGET_FIELDS = ("original_contract_value", "notes")
FORECAST_FIELDS = ("forecast_method", "forecast_quantity", "forecast_unit_price", "forecast_amount")
# What a locked budget's line may still change.
LOCKED_LINE_FIELDS = ("description", *FORECAST_FIELDS)
LINE_FIELDS = ("cost_code", "cost_type", "task", "quantity", "unit", "unit_price", "sort_order", *LOCKED_LINE_FIELDS)


def _locked_message():
    return _("The budget is locked: change amounts through a budget modification or a change order.")


def refuse_locked(field: str = NON_FIELD):
    refuse(field, _locked_message(), code="budget_locked")


# --- the budget ---------------------------------------------------------------------------------------------


def budget_get_or_create(
    *, tenant_id: int, project: Project, original_contract_value=None
) -> tuple[ProjectBudget, bool]:
    """The project's budget, created when missing (no permission check: the services and handlers call it)."""
    budget = ProjectBudget.objects.filter(tenant_id=tenant_id, project=project).first()
    if budget is not None:
        return budget, False
    fields = {}
    if original_contract_value is not None:
        fields["original_contract_value"] = original_contract_value
    try:
        with transaction.atomic():
            budget = ProjectBudget.objects.create(tenant_id=tenant_id, project=project, **fields)
    except IntegrityError:  # created concurrently
        return ProjectBudget.objects.get(tenant_id=tenant_id, project=project), False
    emit(
        events.BUDGET_CREATED,
        tenant=tenant_id,
        payload={
            "budget_id": budget.pk,
            "project_id": project.pk,
            "original_contract_value": str(budget.original_contract_value),
        },
    )
    return budget, True


@transaction.atomic
def budget_for(*, access, project: Project) -> ProjectBudget:
    """The project's budget, made (empty, draft) on first use; the project must be visible to the caller."""
    require(access, "finance.view_projectbudget")
    check_tenant(access, project)
    if not Project.objects.restrict(access, "view").filter(pk=project.pk).exists():
        raise NotFound(_("Not found."), code="not_found")
    budget, created = budget_get_or_create(tenant_id=access.tenant_id, project=project)
    if created:
        audit_record(obj=budget, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(budget))
    return budget


def _lock_budget(access, budget: ProjectBudget) -> ProjectBudget:
    check_tenant(access, budget)
    in_reach(access, budget, "change")
    return ProjectBudget.objects.select_for_update().get(pk=budget.pk)


def _changed(access, budget: ProjectBudget, what: str) -> None:
    emit(
        events.BUDGET_CHANGED,
        tenant=access.tenant_id,
        actor=actor_of(access),
        payload={"budget_id": budget.pk, "project_id": budget.project_id, "what": what},
    )


@transaction.atomic
def budget_update(*, access, budget: ProjectBudget, **fields) -> ProjectBudget:
    """The contract value and notes; the contract value is fixed once the budget is locked (prime change orders
    move it from then on)."""
    require(access, "finance.change_projectbudget")
    budget = _lock_budget(access, budget)
    before = snapshot(budget)
    if "original_contract_value" in fields:
        value = money(fields["original_contract_value"], "original_contract_value")
        if value < 0:
            refuse("original_contract_value", _("The contract value cannot be negative."))
        if budget.is_locked and value != budget.original_contract_value:
            refuse(
                "original_contract_value",
                _("The budget is locked: the contract value changes through prime contract change orders."),
                code="budget_locked",
            )
        fields["original_contract_value"] = value
    set_fields(budget, fields, BUDGET_FIELDS)
    full_clean(budget, exclude=["tenant", "project", "locked_by"], validate_constraints=False, validate_unique=False)
    budget.save()
    audit_record(obj=budget, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=snapshot(budget))
    if before.get("original_contract_value") != snapshot(budget).get("original_contract_value"):
        _changed(access, budget, "budget")
        money_moved(access.tenant_id, budget.project_id)
    return budget


@transaction.atomic
def budget_lock(*, access, budget: ProjectBudget) -> ProjectBudget:
    """Lock the budget (预算锁定): its original amounts are fixed from now on."""
    require(access, "finance.lock_projectbudget")
    budget = _lock_budget(access, budget)
    if budget.is_locked:
        refuse(NON_FIELD, _("The budget is already locked."), code="already_locked")
    if not budget.lines.exists():
        refuse(NON_FIELD, _("Add budget lines before you lock the budget."), code="no_lines")
    before = snapshot(budget)
    budget.status = BudgetStatus.LOCKED
    budget.locked_at = timezone.now()
    budget.locked_by = actor_of(access)
    budget.save()
    audit_record(obj=budget, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=snapshot(budget))
    total = budget.lines.aggregate(s=Sum("original_amount"))["s"] or Decimal("0.00")
    emit(
        events.BUDGET_LOCKED,
        tenant=access.tenant_id,
        actor=actor_of(access),
        payload={"budget_id": budget.pk, "project_id": budget.project_id, "original_total": str(total)},
    )
    return budget


# --- lines --------------------------------------------------------------------------------------------------


def _check_line(access, budget: ProjectBudget, line: BudgetLine) -> None:
    """A line's references belong to the budget's tenant and project; the forecast is whole for its method."""
    errors: dict[str, list[str]] = {}
    if line.cost_code_id is not None:
        code = line.cost_code
        if code.tenant_id != access.tenant_id:
            errors["cost_code"] = [_("Not found.")]
        elif not code.is_active and (line.pk is None or "cost_code" in line._changed):
            errors["cost_code"] = [_("This cost code is no longer in use.")]
    if line.task_id is not None and (
        line.task.tenant_id != access.tenant_id or line.task.project_id != budget.project_id
    ):
        errors["task"] = [_("Choose a task of this project.")]
    method = line.forecast_method
    if method == ForecastMethod.MANUAL:
        if line.forecast_quantity is None or line.forecast_unit_price is None:
            errors["forecast_quantity"] = [_("A manual forecast needs a quantity and a unit price.")]
        elif line.forecast_quantity < 0 or line.forecast_unit_price < 0:
            errors["forecast_quantity"] = [_("The forecast cannot be negative.")]
        else:
            line.forecast_amount = line_amount(line.forecast_quantity, line.forecast_unit_price)
    elif method == ForecastMethod.LUMP_SUM:
        if line.forecast_amount is None:
            errors["forecast_amount"] = [_("A lump-sum forecast needs an amount.")]
        else:
            line.forecast_amount = money(line.forecast_amount, "forecast_amount")
            if line.forecast_amount < 0:
                errors["forecast_amount"] = [_("The forecast cannot be negative.")]
    else:
        line.forecast_quantity = line.forecast_unit_price = line.forecast_amount = None
    if errors:
        raise ApplicationError(_("Please correct the errors below."), errors=errors)


def _build_line(access, budget: ProjectBudget, fields: dict) -> BudgetLine:
    line = BudgetLine(tenant_id=access.tenant_id, budget=budget, project_id=budget.project_id)
    line._changed = set(fields)
    set_fields(line, fields, LINE_FIELDS)
    if line.cost_code_id is None:
        refuse("cost_code", _("Choose a cost code."))
    full_clean(line, exclude=["tenant", "budget", "project", "cost_code", "task"], validate_constraints=False)
    _check_line(access, budget, line)
    line.original_amount = line_amount(line.quantity, line.unit_price)
    return line


@transaction.atomic
def budget_line_create(*, access, budget: ProjectBudget, **fields) -> BudgetLine:
    """A new line of a draft budget: quantity × unit price is its original budget, in fen."""
    require(access, "finance.add_budgetline")
    budget = _lock_budget(access, budget)
    if budget.is_locked:
        refuse_locked()
    line = _build_line(access, budget, fields)
    line.save()
    audit_record(obj=line, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(line))
    _changed(access, budget, "lines")
    money_moved(access.tenant_id, budget.project_id)
    return line


@transaction.atomic
def budget_lines_create_bulk(*, access, budget: ProjectBudget, rows: list[dict]) -> list[BudgetLine]:
    """Many lines at once (a bill of quantities, a template): all or none; errors are keyed `rows[i]`."""
    require(access, "finance.add_budgetline")
    budget = _lock_budget(access, budget)
    if budget.is_locked:
        refuse_locked()
    lines, errors = [], {}
    for index, row in enumerate(rows):
        try:
            lines.append(_build_line(access, budget, dict(row)))
        except ApplicationError as exc:
            errors[f"rows[{index}]"] = exc.errors or {NON_FIELD: [exc.message]}
    if errors:
        raise ApplicationError(_("Please correct the rows below."), errors=errors)
    created = BudgetLine.objects.bulk_create(lines, batch_size=500)
    audit_record(
        obj=budget,
        action=AuditAction.UPDATE,
        actor=actor_of(access),
        before={"lines_added": 0},
        after={"lines_added": len(created)},
    )
    if created:
        _changed(access, budget, "lines")
        money_moved(access.tenant_id, budget.project_id)
    return created


def _lock_line(access, line: BudgetLine) -> BudgetLine:
    check_tenant(access, line)
    in_reach(access, line, "change")
    return BudgetLine.objects.select_for_update(of=("self",)).select_related("budget", "cost_code").get(pk=line.pk)


@transaction.atomic
def budget_line_update(*, access, line: BudgetLine, **fields) -> BudgetLine:
    """Change a line; once the budget is locked only its description and forecast may change (a change of any
    amount field is refused and nothing is written)."""
    require(access, "finance.change_budgetline")
    line = _lock_line(access, line)
    budget = line.budget
    unknown = set(fields) - set(LINE_FIELDS)
    if unknown:
        raise TypeError(f"BudgetLine: fields not settable here: {sorted(unknown)}")
    if budget.is_locked:
        for name, value in fields.items():
            if name in LOCKED_LINE_FIELDS:
                continue
            current = getattr(line, name)
            if isinstance(current, Decimal) and value is not None:
                same = current == Decimal(str(value))
            else:
                same = current == value or getattr(current, "pk", current) == getattr(value, "pk", value)
            if not same:
                refuse_locked(name)
    before = snapshot(line)
    line._changed = {name for name, value in fields.items() if getattr(line, name) != value}
    set_fields(line, fields, LINE_FIELDS)
    full_clean(line, exclude=["tenant", "budget", "project", "cost_code", "task"], validate_constraints=False)
    _check_line(access, budget, line)
    line.original_amount = line_amount(line.quantity, line.unit_price)
    line.save()
    after = snapshot(line)
    audit_record(obj=line, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=after)
    if any(before.get(k) != after.get(k) for k in ("original_amount", "forecast_amount", "forecast_method")):
        _changed(access, budget, "lines")
        money_moved(access.tenant_id, budget.project_id)
    return line


def line_in_use(line: BudgetLine) -> bool:
    return (
        line.transfers_out.exists()
        or line.transfers_in.exists()
        or line.change_lines.exists()
        or line.commitment_lines.exists()
        or line.cost_records.exists()
    )


@transaction.atomic
def budget_line_delete(*, access, line: BudgetLine) -> None:
    """Delete a line of a draft budget that nothing (a modification, change order, commitment, cost) points at."""
    require(access, "finance.delete_budgetline")
    line = _lock_line(access, line)
    if line.budget.is_locked:
        refuse_locked()
    if line_in_use(line):
        refuse(
            NON_FIELD,
            _("Change orders, commitments or costs are booked on this line; it cannot be deleted."),
            code="line_in_use",
        )
    audit_record(obj=line, action=AuditAction.DELETE, actor=actor_of(access), before=snapshot(line))
    budget = line.budget
    line.delete()
    _changed(access, budget, "lines")
    money_moved(access.tenant_id, budget.project_id)


# --- modifications ------------------------------------------------------------------------------------------


def line_revised(line: BudgetLine) -> Decimal:
    """A line's revised budget: original + transfers in − transfers out + approved change order amounts."""
    moved_in = BudgetModification.objects.filter(to_line=line).aggregate(s=Sum("amount"))["s"] or 0
    moved_out = BudgetModification.objects.filter(from_line=line).aggregate(s=Sum("amount"))["s"] or 0
    changes = (
        ChangeOrderLine.objects.filter(budget_line=line, change_order__status=ChangeOrderStatus.APPROVED).aggregate(
            s=Sum("amount")
        )["s"]
        or 0
    )
    return line.original_amount + moved_in - moved_out + changes


@transaction.atomic
def budget_modification_create(
    *, access, budget: ProjectBudget, from_line: BudgetLine, to_line: BudgetLine, amount, reason: str
) -> BudgetModification:
    """Move budget from one line to another of the same locked budget; the total stays the same."""
    require(access, "finance.add_budgetmodification")
    check_tenant(access, from_line, to_line)
    budget = _lock_budget(access, budget)
    if not budget.is_locked:
        refuse(
            NON_FIELD,
            _("The budget is not locked yet: change the lines themselves."),
            code="budget_not_locked",
        )
    if from_line.budget_id != budget.pk:
        refuse("from_line", _("Choose a line of this budget."))
    if to_line.budget_id != budget.pk:
        refuse("to_line", _("Choose a line of this budget."))
    if from_line.pk == to_line.pk:
        refuse("to_line", _("Choose another line than the one the budget comes from."))
    amount = money(amount, "amount", positive=True)
    reason = (reason or "").strip()
    if not reason:
        refuse("reason", _("Give the reason for the transfer."))
    # The from-line is locked so two transfers cannot both take its last budget.
    from_line = BudgetLine.objects.select_for_update().get(pk=from_line.pk)
    available = line_revised(from_line)
    if amount > available:
        refuse(
            "amount",
            _("The line “%(line)s” has %(available)s of revised budget; it cannot give %(amount)s.")
            % {"line": str(from_line), "available": f"{available:,.2f}", "amount": f"{amount:,.2f}"},
            code="over_available",
        )
    modification = BudgetModification(
        tenant_id=access.tenant_id,
        budget=budget,
        project_id=budget.project_id,
        from_line=from_line,
        to_line=to_line,
        amount=amount,
        reason=reason[:300],
        created_by=actor_of(access),
    )
    modification.save()
    audit_record(obj=modification, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(modification))
    _changed(access, budget, "modification")
    money_moved(access.tenant_id, budget.project_id)
    return modification
