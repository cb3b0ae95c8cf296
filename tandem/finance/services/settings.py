"""Changing the tenant's cost alert thresholds (成本预警阈值). A change re-tests the alert rules of the tenant's
open projects at once, so the alerts on the pages match the new thresholds; the refresh is bounded: at most
`REFRESH_LIMIT` budgeted open projects (the most recently updated first) are refreshed in the request, the
others follow at their next write that moves money."""

from __future__ import annotations

from django.db import transaction

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.services import actor_of, full_clean, require, set_fields
from tandem.finance.models import CostSettings, ProjectBudget
from tandem.finance.services.alerts import cost_alerts_refresh, cost_settings_for
from tandem.finance.services.common import decimal
from tandem.projects.delays import OPEN_STATUSES

SETTINGS_FIELDS = ("margin_alert_percent", "cpi_alert_below", "line_over_budget_alert")
REFRESH_LIMIT = 200


def _open_project_ids(tenant_id: int) -> list[int]:
    return list(
        ProjectBudget.objects.filter(tenant_id=tenant_id, project__status__in=OPEN_STATUSES)
        .order_by("-project__updated_at", "-project_id")
        .values_list("project_id", flat=True)[:REFRESH_LIMIT]
    )


@transaction.atomic
def cost_settings_update(*, access, **fields) -> CostSettings:
    """Change the thresholds (finance.change_costsettings); returns the saved row."""
    require(access, "finance.change_costsettings")
    row = cost_settings_for(access.tenant_id)
    row = CostSettings.objects.select_for_update().get(pk=row.pk)
    before = snapshot(row)
    for name in ("margin_alert_percent", "cpi_alert_below"):
        if name in fields and fields[name] is not None:
            fields[name] = decimal(fields[name], name)
    set_fields(row, fields, SETTINGS_FIELDS)
    full_clean(row, exclude=["tenant"], validate_unique=False, validate_constraints=False)
    row.save()
    row.refresh_from_db()
    audit_record(obj=row, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=snapshot(row))
    cost_settings_refresh_alerts(tenant_id=access.tenant_id)
    return row


def cost_settings_refresh_alerts(*, tenant_id: int) -> int:
    """Re-test the alert rules of the tenant's open budgeted projects (bounded); returns how many were refreshed."""
    ids = _open_project_ids(tenant_id)
    for project_id in ids:
        cost_alerts_refresh(tenant_id=tenant_id, project_id=project_id)
    return len(ids)
