"""A project template's default budget lines (tenant-wide, like the templates themselves)."""

from __future__ import annotations

from tandem.finance.models import TemplateBudgetLine


def template_budget_lines(*, access, template):
    """The template's default budget lines, in order, with their cost codes and tasks."""
    return (
        TemplateBudgetLine.objects.for_tenant(access.tenant_id)
        .filter(template_id=template.pk)
        .select_related("cost_code", "template_task")
        .order_by("sort_order", "id")
    )
