"""Cost alerts open once when a line goes over budget, the margin drops below the threshold or CPI below its
threshold, tell the PM in-app, and close when the condition is gone."""

from datetime import date
from decimal import Decimal

import pytest

from tandem.core.models import OutboxEvent
from tandem.finance import events
from tandem.finance.choices import CostAlertKind, CostKind, CostType
from tandem.finance.models import CostAlert, CostSettings
from tandem.finance.services.actuals import cost_record_create, cost_record_delete
from tandem.finance.services.alerts import cost_alerts_refresh, project_cost_figures
from tandem.finance.tests.factories import make_line
from tandem.notifications.models import Notification
from tandem.projects.services.tasks import task_update
from tandem.projects.tests.factories import make_chain

pytestmark = pytest.mark.django_db


def _spend(org, line, amount, day=None):
    return cost_record_create(
        access=org.pm_access,
        project=org.project,
        budget_line=line,
        kind=CostKind.EXPENSE,
        date=day or date.today(),
        amount=Decimal(amount),
    )


def _open(org):
    return {(a.kind, a.budget_line_id) for a in CostAlert.objects.filter(project=org.project, closed_at__isnull=True)}


def test_a_line_over_budget_opens_one_alert_tells_the_pm_and_closes_again(org, django_capture_on_commit_callbacks):
    CostSettings.objects.create(tenant=org.tenant, margin_alert_percent=-100, cpi_alert_below=0)
    line = make_line(org.budget, org.pm, unit_price="1000")
    with django_capture_on_commit_callbacks(execute=True):
        record = _spend(org, line, "1200")
    assert _open(org) == {(CostAlertKind.LINE_OVER_BUDGET, line.pk)}
    alert = CostAlert.objects.get(project=org.project)
    assert alert.value == Decimal("-200")
    opened = OutboxEvent.objects.filter(name=events.COST_ALERT_OPENED)
    assert opened.count() == 1
    payload = opened.get().payload
    assert payload["project_id"] == org.project.pk and payload["budget_line_id"] == line.pk
    assert payload["value"] == "-200.00" and payload["url"]
    assert Notification.objects.filter(recipient=org.pm.user, event_id=opened.get().pk).count() == 1
    # More spending keeps the one alert open (its value follows) and emits nothing new.
    _spend(org, line, "100")
    cost_alerts_refresh(tenant_id=org.tenant.pk, project_id=org.project.pk)
    assert CostAlert.objects.filter(project=org.project).count() == 1
    assert CostAlert.objects.get(project=org.project).value == Decimal("-300")
    assert opened.count() == 1
    cost_record_delete(access=org.finance_access, record=record)
    assert _open(org) == set()
    assert CostAlert.objects.get(project=org.project).closed_at is not None


def test_the_margin_alert_follows_the_tenants_threshold(org):
    CostSettings.objects.create(tenant=org.tenant, margin_alert_percent=10, cpi_alert_below=0)
    make_line(org.budget, org.pm, unit_price="85000")  # margin 15 %
    assert _open(org) == set()
    line = make_line(org.budget, org.pm, unit_price="6000")  # margin 9 %
    assert _open(org) == {(CostAlertKind.MARGIN_LOW, None)}
    alert = CostAlert.objects.get(kind=CostAlertKind.MARGIN_LOW)
    assert (alert.value, alert.threshold) == (Decimal("9.00"), Decimal("10.00"))
    from tandem.finance.services.budgets import budget_line_delete

    budget_line_delete(access=org.pm_access, line=line)
    assert _open(org) == set()


def test_cpi_below_the_threshold_opens_the_cpi_alert(org):
    CostSettings.objects.create(tenant=org.tenant, margin_alert_percent=-100, cpi_alert_below="0.90")
    (task,) = make_chain(org.project, org.pm, "桥架安装")
    line = make_line(org.budget, org.pm, cost_type=CostType.MATERIAL, unit_price="1000", task=task)
    task_update(access=org.pm_access, task=task, percent_complete=50)
    _spend(org, line, "500")  # EV 500, AC 500: CPI 1
    assert _open(org) == set()
    _spend(org, line, "100")  # CPI 500 / 600 = 0.8333
    figures = project_cost_figures(tenant_id=org.tenant.pk, project_id=org.project.pk)
    assert figures.earned_value.ev == Decimal("500.00") and figures.earned_value.cpi == Decimal("0.8333")
    assert _open(org) == {(CostAlertKind.CPI_LOW, None)}
