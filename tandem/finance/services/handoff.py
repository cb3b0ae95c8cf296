"""The won-deal handoff into the cost center: a new project's budget takes the contract's amount as its contract
value and the template's default budget lines (on the tasks made from the template's tasks); later changes of
the contract's amount follow while the budget is unlocked. Run by the event handlers, with no person acting."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import transaction

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.finance.costing import line_amount
from tandem.finance.models import BudgetLine, ProjectBudget, TemplateBudgetLine
from tandem.finance.services.budgets import budget_get_or_create
from tandem.finance.services.common import money_moved
from tandem.projects.models import Project, Task, TemplateTask


def _contract_amount(tenant_id: int, contract_id) -> Decimal | None:
    from tandem.crm.models import Contract

    if not contract_id:
        return None
    return Contract.objects.filter(tenant_id=tenant_id, pk=contract_id).values_list("amount", flat=True).first()


def _paths(rows, parent_of, name_of) -> dict[tuple, list]:
    """Rows (in order) by their path of names from the root, so equal trees map onto each other."""
    by_pk = {row.pk: row for row in rows}
    out: dict[tuple, list] = defaultdict(list)
    for row in rows:
        path, node, seen = [], row, set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            path.append(name_of(node))
            node = by_pk.get(parent_of(node))
        out[tuple(reversed(path))].append(row)
    return out


def template_task_map(project: Project, template_id: int) -> dict[int, int]:
    """Template task id → the project's task made from it. Template instantiation keeps the template's tree, names
    and sibling order (sort_order, id), so tasks are matched by their path of names and, among equal paths, order."""
    template_tasks = list(TemplateTask.objects.filter(template_id=template_id).order_by("sort_order", "id"))
    tasks = list(Task.objects.filter(project=project).order_by("sort_order", "id"))
    left = _paths(template_tasks, lambda t: t.parent_id, lambda t: t.name.strip()[:300] or "-")
    right = _paths(tasks, lambda t: t.parent_id, lambda t: t.name)
    mapping = {}
    for path, rows in left.items():
        for template_task, task in zip(rows, right.get(path, []), strict=False):
            mapping[template_task.pk] = task.pk
    return mapping


@transaction.atomic
def budget_from_handoff(*, tenant_id: int, project_id: int, template_id=None) -> ProjectBudget | None:
    """projects.project.created: the budget with the contract's value and the template's lines. Idempotent: an
    existing budget keeps its lines (template lines are added only to a budget that has none)."""
    project = Project.objects.filter(tenant_id=tenant_id, pk=project_id).first()
    if project is None:
        return None
    amount = _contract_amount(tenant_id, project.contract_id)
    budget, created = budget_get_or_create(tenant_id=tenant_id, project=project, original_contract_value=amount)
    budget = ProjectBudget.objects.select_for_update().get(pk=budget.pk)
    if not created and amount is not None and not budget.is_locked and budget.original_contract_value != amount:
        before = snapshot(budget)
        budget.original_contract_value = amount
        budget.save(update_fields=["original_contract_value", "updated_at"])
        audit_record(obj=budget, action=AuditAction.UPDATE, before=before, after=snapshot(budget))
    if created:
        audit_record(obj=budget, action=AuditAction.CREATE, after=snapshot(budget))
    if template_id and not budget.is_locked and not budget.lines.exists():
        rows = list(
            TemplateBudgetLine.objects.filter(tenant_id=tenant_id, template_id=template_id).order_by("sort_order", "id")
        )
        tasks = template_task_map(project, template_id) if any(r.template_task_id for r in rows) else {}
        BudgetLine.objects.bulk_create(
            [
                BudgetLine(
                    tenant_id=tenant_id,
                    budget=budget,
                    project=project,
                    cost_code_id=row.cost_code_id,
                    cost_type=row.cost_type,
                    task_id=tasks.get(row.template_task_id),
                    description=row.description,
                    quantity=row.quantity,
                    unit=row.unit,
                    unit_price=row.unit_price,
                    original_amount=line_amount(row.quantity, row.unit_price),
                    sort_order=row.sort_order,
                )
                for row in rows
            ]
        )
    money_moved(tenant_id, project.pk)
    return budget


@transaction.atomic
def contract_value_follow(*, tenant_id: int, contract_id: int) -> int:
    """The contract's amount → the contract value of its projects' unlocked budgets; how many changed."""
    amount = _contract_amount(tenant_id, contract_id)
    if amount is None:
        return 0
    changed = 0
    project_ids = Project.objects.filter(tenant_id=tenant_id, contract_id=contract_id).values_list("pk", flat=True)
    for budget in ProjectBudget.objects.select_for_update().filter(tenant_id=tenant_id, project_id__in=project_ids):
        if budget.is_locked or budget.original_contract_value == amount:
            continue
        before = snapshot(budget)
        budget.original_contract_value = amount
        budget.save(update_fields=["original_contract_value", "updated_at"])
        audit_record(obj=budget, action=AuditAction.UPDATE, before=before, after=snapshot(budget))
        money_moved(tenant_id, budget.project_id)
        changed += 1
    return changed
