"""The default budget lines of a project template (模板预算): a project made from the template (by hand or by the
won-deal handoff) starts its budget with them, each on the task made from its template task."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.services import actor_of, check_tenant, full_clean, require, set_fields
from tandem.finance.models import TemplateBudgetLine
from tandem.finance.services.common import refuse
from tandem.projects.models import ProjectTemplate

TEMPLATE_LINE_FIELDS = ("template_task", "cost_code", "cost_type", "description", "quantity", "unit", "unit_price")


def _check(access, line: TemplateBudgetLine) -> None:
    if line.cost_code_id is None:
        refuse("cost_code", _("Choose a cost code."))
    if line.cost_code.tenant_id != access.tenant_id:
        refuse("cost_code", _("Not found."))
    if not line.cost_code.is_active:
        refuse("cost_code", _("This cost code is no longer in use."))
    if line.template_task_id is not None and line.template_task.template_id != line.template_id:
        refuse("template_task", _("Choose a task of this template."))
    full_clean(line, exclude=["tenant", "template", "template_task", "cost_code"], validate_constraints=False)


@transaction.atomic
def template_budget_line_create(*, access, template: ProjectTemplate, **fields) -> TemplateBudgetLine:
    """A default budget line of the template."""
    require(access, "finance.add_budgetline")
    check_tenant(access, template)
    line = TemplateBudgetLine(tenant_id=access.tenant_id, template=template)
    set_fields(line, fields, TEMPLATE_LINE_FIELDS)
    _check(access, line)
    line.save()
    audit_record(obj=line, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(line))
    return line


@transaction.atomic
def template_budget_line_update(*, access, line: TemplateBudgetLine, **fields) -> TemplateBudgetLine:
    require(access, "finance.change_budgetline")
    check_tenant(access, line)
    line = TemplateBudgetLine.objects.select_for_update().get(pk=line.pk)
    before = snapshot(line)
    set_fields(line, fields, TEMPLATE_LINE_FIELDS)
    _check(access, line)
    line.save()
    audit_record(obj=line, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=snapshot(line))
    return line


@transaction.atomic
def template_budget_line_delete(*, access, line: TemplateBudgetLine) -> None:
    require(access, "finance.delete_budgetline")
    check_tenant(access, line)
    before = snapshot(line)
    audit_record(obj=line, action=AuditAction.DELETE, actor=actor_of(access), before=before)
    line.delete()
