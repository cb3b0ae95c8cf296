"""The read endpoints: the budget view, a cell's records, earned value and the portfolio give the page's figures;
sales gets 403, another tenant 404."""

import pytest

from tandem.finance import costing
from tandem.finance.api.serializers.reports import BudgetFiguresOutput
from tandem.finance.tests.view_fixtures import EXPECTED, seed_budget
from tandem.projects.tests.factories import make_project, pm_member
from tandem.testing.kit import api_client, make_member, make_tenant

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(tenant):
    member = pm_member(tenant)
    return member, seed_budget(make_project(tenant, member=member), member)


def test_the_figures_serializer_has_the_thirteen_columns_in_order():
    assert tuple(BudgetFiguresOutput().fields) == costing.COLUMNS


def test_the_budget_view_endpoint_gives_every_column_and_the_margin(seeded):
    member, s = seeded
    data = api_client(member).get(f"/api/v1/finance/budgets/{s.budget.pk}/view/", {"group": "type"}).json()
    assert tuple(data["total"][c] for c in costing.COLUMNS) == EXPECTED["total"]
    l1 = next(line for line in data["lines"] if line["id"] == s.l1.pk)
    assert tuple(l1["figures"][c] for c in costing.COLUMNS) == EXPECTED["l1"]
    assert data["group"] == "type" and [g["key"] for g in data["groups"]] == ["labor", "material", "subcontract"]
    assert data["margin"]["contract_value"] == "56000.00" and data["margin"]["percent"] == "32.05"


def test_the_cells_endpoint_lists_the_records_behind_a_cell(seeded):
    member, s = seeded
    client = api_client(member)
    data = client.get(f"/api/v1/finance/budgets/{s.budget.pk}/cells/", {"column": "committed", "line": s.l3.pk}).json()
    assert [(i["kind"], i["id"]) for i in data["items"]] == [("commitment", s.sc_approved.pk)]
    assert data["total"] == "15000.00"
    assert client.get(f"/api/v1/finance/budgets/{s.budget.pk}/cells/", {"column": "ecac"}).status_code == 400


def test_earned_value_and_portfolio_endpoints(seeded):
    member, s = seeded
    client = api_client(member)
    ev = client.get(f"/api/v1/finance/budgets/{s.budget.pk}/earned-value/").json()
    assert ev["figures"]["ev"] == "14220.15" and ev["figures"]["cpi"] == "0.9480"
    rows = client.get("/api/v1/finance/portfolio/").json()
    assert [r["project"] for r in rows] == [s.project.pk] and rows[0]["cpi"] == "0.9480"


def test_sales_is_refused_and_another_tenant_gets_a_404(tenant, seeded):
    _member, s = seeded
    sales = api_client(make_member(tenant, "sales"))
    for url in (f"budgets/{s.budget.pk}/view/", f"budgets/{s.budget.pk}/earned-value/", "portfolio/"):
        assert sales.get(f"/api/v1/finance/{url}").status_code == 403
    outsider = api_client(make_member(make_tenant(), "finance"))
    assert outsider.get(f"/api/v1/finance/budgets/{s.budget.pk}/view/").status_code == 404


def test_the_settings_endpoint_reads_for_the_pm_and_changes_for_finance(tenant):
    pm = pm_member(tenant)
    assert api_client(pm).get("/api/v1/finance/settings/").json()["cpi_alert_below"] == "0.90"
    assert api_client(pm).patch("/api/v1/finance/settings/", {"cpi_alert_below": "0.80"}).status_code == 403
    finance = api_client(make_member(tenant, "finance"))
    response = finance.patch("/api/v1/finance/settings/", {"cpi_alert_below": "0.80"}, format="json")
    assert response.status_code == 200 and response.json()["cpi_alert_below"] == "0.80"
    assert finance.patch("/api/v1/finance/settings/", {"cpi_alert_below": "7"}, format="json").status_code == 400
    assert api_client(make_member(tenant, "sales")).get("/api/v1/finance/settings/").status_code == 403
