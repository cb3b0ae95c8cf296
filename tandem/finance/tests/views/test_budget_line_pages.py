"""The budget editor: a PM starts a budget, adds, edits and deletes lines while it is a draft, locks it; a locked
budget's line form offers only the description and the forecast, and transfers go through a modification."""

from decimal import Decimal

import pytest

from tandem.finance.choices import BudgetStatus, CostType, ForecastMethod
from tandem.finance.models import BudgetLine, BudgetModification, ProjectBudget
from tandem.finance.tests.view_fixtures import make_cost_code
from tandem.projects.tests.factories import make_project, pm_member
from tandem.testing.kit import make_member, page_client

pytestmark = pytest.mark.django_db


def _line_data(code, **changes):
    data = {
        "cost_code": code.pk,
        "cost_type": CostType.LABOR,
        "description": "土建人工",
        "quantity": "10",
        "unit": "工日",
        "unit_price": "350.50",
        "forecast_method": ForecastMethod.AUTOMATIC,
    }
    data.update(changes)
    return data


def test_a_pm_runs_a_draft_budget_from_start_to_lock(tenant):
    member = pm_member(tenant)
    project = make_project(tenant, member=member)
    ProjectBudget.objects.filter(project=project).delete()
    code = make_cost_code(tenant, "01", "土建工程")
    client = page_client(member)
    base = f"/finance/projects/{project.pk}/budget"
    page = client.get(f"{base}/lines/").content.decode()
    assert 'id="budget-start"' in page
    assert client.get(f"{base}/lines/new/").status_code == 302  # no budget yet: start it first
    client.post(f"{base}/start/")
    assert ProjectBudget.objects.filter(project=project).exists()

    response = client.post(f"{base}/lines/new/", _line_data(code))
    assert response.status_code == 302
    line = BudgetLine.objects.get(project=project)
    assert line.original_amount == Decimal("3505.00")
    client.post(f"{base}/lines/{line.pk}/edit/", _line_data(code, quantity="12"))
    line.refresh_from_db()
    assert line.original_amount == Decimal("4206.00")
    # The service's refusal lands on the form: a lump sum without an amount.
    refused = client.post(f"{base}/lines/{line.pk}/edit/", _line_data(code, forecast_method=ForecastMethod.LUMP_SUM))
    assert refused.status_code == 200 and "is-invalid" in refused.content.decode()
    second = BudgetLine.objects.create(
        tenant=tenant, budget=line.budget, project=project, cost_code=code, cost_type=CostType.OTHER
    )
    client.post(f"{base}/lines/{second.pk}/delete/")
    assert not BudgetLine.objects.filter(pk=second.pk).exists()

    client.post(f"{base}/lock/")
    assert ProjectBudget.objects.get(project=project).status == BudgetStatus.LOCKED
    page = client.get(f"{base}/lines/").content.decode()
    assert 'id="budget-locked"' in page and 'id="line-add"' not in page and 'id="budget-lock"' not in page


def test_a_locked_budget_offers_only_the_forecast_and_moves_amounts_by_transfer(tenant):
    member = pm_member(tenant)
    project = make_project(tenant, member=member)
    budget = ProjectBudget.objects.get_or_create(tenant=tenant, project=project)[0]
    code = make_cost_code(tenant, "01", "土建工程")
    client = page_client(member)
    base = f"/finance/projects/{project.pk}/budget"
    client.post(f"{base}/lines/new/", _line_data(code))
    client.post(f"{base}/lines/new/", _line_data(code, cost_type=CostType.MATERIAL, unit_price="100"))
    first, second = BudgetLine.objects.filter(budget=budget).order_by("id")
    client.post(f"{base}/lock/")
    form = client.get(f"{base}/lines/{first.pk}/edit/").content.decode()
    assert 'id="line-locked"' in form and 'name="quantity"' not in form and 'name="forecast_method"' in form
    client.post(
        f"{base}/lines/{first.pk}/edit/",
        {"description": "人工", "forecast_method": ForecastMethod.LUMP_SUM, "forecast_amount": "500.00"},
    )
    first.refresh_from_db()
    assert first.forecast_amount == Decimal("500.00") and first.original_amount == Decimal("3505.00")
    client.post(
        f"{base}/modifications/new/",
        {"from_line": first.pk, "to_line": second.pk, "amount": "505.00", "reason": "材料涨价"},
    )
    assert BudgetModification.objects.get(budget=budget).amount == Decimal("505.00")
    page = client.get(f"{base}/lines/").content.decode()
    assert "材料涨价" in page


def test_sales_cannot_open_the_editor(tenant):
    member = pm_member(tenant)
    project = make_project(tenant, member=member)
    client = page_client(make_member(tenant, "sales"))
    assert client.get(f"/finance/projects/{project.pk}/budget/lines/").status_code == 403
    assert client.post(f"/finance/projects/{project.pk}/budget/start/").status_code == 403


def test_the_import_links_show_for_whoever_may_import_and_the_boq_one_only_on_a_draft(org):
    from tandem.finance.services.budgets import budget_lock
    from tandem.finance.tests.factories import make_line

    client = page_client(org.finance)  # finance holds finance.* (the import permissions with it)
    url = f"/finance/projects/{org.project.pk}/budget/lines/"
    page = client.get(url).content.decode()
    assert 'id="boq-import"' in page and "/imports/new/?type=finance.budgetline" in page
    assert 'id="cost-code-import"' in client.get("/finance/cost-codes/").content.decode()
    make_line(org.budget, org.pm)
    budget_lock(access=org.finance_access, budget=org.budget)
    assert 'id="boq-import"' not in client.get(url).content.decode()
    # Without the import permission (a PM on these default roles reads the tree) there is no import link.
    codes = page_client(org.pm).get("/finance/cost-codes/")
    assert codes.status_code != 200 or 'id="cost-code-import"' not in codes.content.decode()
