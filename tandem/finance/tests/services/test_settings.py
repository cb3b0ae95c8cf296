"""Changing the cost alert thresholds: permission, validation, audit, and the open projects' alerts re-tested."""

from decimal import Decimal

import pytest

from tandem.audit.models import AuditEntry
from tandem.core.errors import ApplicationError, PermissionDenied
from tandem.core.permissions import type_key
from tandem.finance.choices import CostAlertKind
from tandem.finance.models import CostAlert
from tandem.finance.services.alerts import cost_settings_for
from tandem.finance.services.settings import cost_settings_update
from tandem.finance.tests.factories import make_line
from tandem.projects.choices import ProjectStatus
from tandem.projects.models import Project

pytestmark = pytest.mark.django_db


def _open(project):
    return {(a.kind, a.budget_line_id) for a in CostAlert.objects.filter(project=project, closed_at__isnull=True)}


def test_a_fresh_row_has_decimal_thresholds(org):
    row = cost_settings_for(org.tenant.pk)
    assert row.cpi_alert_below == Decimal("0.90") and isinstance(row.cpi_alert_below, Decimal)
    assert row.margin_alert_percent == Decimal("10.00")


def test_raising_the_margin_threshold_opens_the_alert_on_open_projects_only(org):
    make_line(org.budget, org.pm, unit_price="85000")  # margin 15 %, the default threshold is 10 %
    assert _open(org.project) == set()
    row = cost_settings_update(access=org.finance_access, margin_alert_percent="20")
    assert row.margin_alert_percent == Decimal("20.00")
    assert _open(org.project) == {(CostAlertKind.MARGIN_LOW, None)}
    assert (
        AuditEntry.objects.filter(tenant_id=org.tenant.pk, object_type=type_key(row), object_id=str(row.pk)).count()
        == 1
    )
    # Lowering it again closes it; a completed project is left as it is.
    cost_settings_update(access=org.finance_access, margin_alert_percent="10")
    assert _open(org.project) == set()
    Project.all_objects.filter(pk=org.project.pk).update(status=ProjectStatus.COMPLETED)
    cost_settings_update(access=org.finance_access, margin_alert_percent="20")
    assert _open(org.project) == set()


def test_only_finance_changes_the_thresholds_and_they_are_validated(org):
    with pytest.raises(PermissionDenied):
        cost_settings_update(access=org.pm_access, cpi_alert_below="0.5")
    with pytest.raises(ApplicationError) as exc:
        cost_settings_update(access=org.finance_access, cpi_alert_below="9")
    assert "cpi_alert_below" in exc.value.errors
    assert cost_settings_for(org.tenant.pk).cpi_alert_below == Decimal("0.90")
