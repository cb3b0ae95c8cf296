"""The finance CRUD API: writes through the services (a locked budget refuses direct edits with a 400 naming the
field and changes nothing), change order and commitment actions, the permission matrix (sales 403, a PM of
another department 404, finance everything, another tenant 404) and constant query counts of the lists."""

from datetime import date
from decimal import Decimal

import pytest

from tandem.accounts.models import Department
from tandem.finance.choices import ChangeOrderStatus, CommitmentStatus, CostType
from tandem.finance.models import BudgetLine, ChangeOrder
from tandem.finance.services.actuals import cost_record_create
from tandem.finance.services.change_orders import change_order_create
from tandem.finance.services.commitments import commitment_create
from tandem.finance.tests.factories import make_budget, make_code, make_line
from tandem.projects.tests.factories import pm_member
from tandem.testing.kit import access_for, api_client, make_member

pytestmark = pytest.mark.django_db
API = "/api/v1/finance/"
LISTS = [
    "cost-codes/",
    "budgets/",
    "budget-lines/",
    "budget-modifications/",
    "change-orders/",
    "commitments/",
    "cost-records/",
    "alerts/",
    "settings/",
]


@pytest.fixture
def world(tenant):
    east = Department.objects.create(tenant=tenant, name="华东交付部")
    west = Department.objects.create(tenant=tenant, name="华西交付部")
    pm = pm_member(tenant, department=east)
    pm_west = pm_member(tenant, department=west)
    finance = make_member(tenant, "finance")
    sales = make_member(tenant, "sales")
    budget = make_budget(tenant, member=pm, contract_value="100000")
    code = make_code(tenant)
    line = make_line(budget, pm, code=code, unit_price="20000")
    access = access_for(pm)
    change_order = change_order_create(
        access=access, budget=budget, title="变更", lines=[{"budget_line": line, "amount": "100"}]
    )
    commitment = commitment_create(
        access=access,
        project=budget.project,
        kind="subcontract",
        title="分包",
        vendor="甲",
        lines=[{"budget_line": line, "quantity": "1", "unit_price": "500"}],
    )
    record = cost_record_create(
        access=access,
        project=budget.project,
        budget_line=line,
        kind="expense",
        date=date(2025, 3, 10),
        amount=Decimal("12.30"),
    )
    details = {
        "budgets": budget.pk,
        "budget-lines": line.pk,
        "change-orders": change_order.pk,
        "commitments": commitment.pk,
        "cost-records": record.pk,
    }
    return {
        "pm": pm,
        "pm_west": pm_west,
        "finance": finance,
        "sales": sales,
        "budget": budget,
        "line": line,
        "code": code,
        "details": details,
        "change_order": change_order,
        "commitment": commitment,
    }


def test_a_locked_budget_refuses_direct_edits_through_the_api_and_changes_nothing(world):
    client = api_client(world["pm"])
    budget, line = world["budget"], world["line"]
    assert client.post(f"{API}budgets/{budget.pk}/lock/").status_code == 200
    answer = client.patch(f"{API}budget-lines/{line.pk}/", {"quantity": "2"}, format="json")
    assert answer.status_code == 400
    body = answer.json()
    assert body["type"] == "urn:tandem:problem:budget_locked" and "quantity" in body["errors"]
    answer = client.post(
        f"{API}budget-lines/",
        {"budget": budget.pk, "cost_code": world["code"].pk, "cost_type": CostType.LABOR, "unit_price": "1"},
        format="json",
    )
    assert answer.status_code == 400 and "non_field_errors" in answer.json()["errors"]
    assert client.delete(f"{API}budget-lines/{line.pk}/").status_code == 400
    answer = client.patch(f"{API}budgets/{budget.pk}/", {"original_contract_value": "1"}, format="json")
    assert answer.status_code == 400 and "original_contract_value" in answer.json()["errors"]
    line.refresh_from_db()
    budget.refresh_from_db()
    assert (line.quantity, line.original_amount) == (Decimal("1"), Decimal("20000.00"))
    assert BudgetLine.objects.filter(budget=budget).count() == 1
    assert budget.original_contract_value == Decimal("100000.00")
    # The forecast stays editable.
    answer = client.patch(
        f"{API}budget-lines/{line.pk}/", {"forecast_method": "lump_sum", "forecast_amount": "900.50"}, format="json"
    )
    assert answer.status_code == 200 and answer.json()["forecast_amount"] == "900.50"
    # A transfer is the way amounts move after the lock.
    other = BudgetLine.objects.create(
        tenant=budget.tenant, budget=budget, project=budget.project, cost_code=world["code"], cost_type="labor"
    )
    answer = client.post(
        f"{API}budget-modifications/",
        {"budget": budget.pk, "from_line": line.pk, "to_line": other.pk, "amount": "300", "reason": "调剂"},
        format="json",
    )
    assert answer.status_code == 201, answer.json()


def test_change_orders_and_commitments_through_their_actions(world):
    pm, finance = api_client(world["pm"]), api_client(world["finance"])
    change_order, commitment = world["change_order"], world["commitment"]
    assert pm.post(f"{API}change-orders/{change_order.pk}/submit/").json()["status"] == ChangeOrderStatus.PENDING
    assert pm.post(f"{API}change-orders/{change_order.pk}/approve/").status_code == 403
    answer = finance.post(f"{API}change-orders/{change_order.pk}/approve/")
    assert answer.status_code == 200 and answer.json()["status"] == ChangeOrderStatus.APPROVED
    assert answer.json()["amount"] == "100.00"
    answer = pm.post(f"{API}commitments/{commitment.pk}/transition/", {"status": "approved"}, format="json")
    assert answer.status_code == 400 and answer.json()["type"] == "urn:tandem:problem:bad_transition"
    answer = pm.post(f"{API}commitments/{commitment.pk}/transition/", {"status": "out_for_signature"}, format="json")
    assert answer.json()["status"] == CommitmentStatus.OUT_FOR_SIGNATURE
    answer = finance.post(f"{API}commitments/{commitment.pk}/transition/", {"status": "approved"}, format="json")
    assert answer.json()["status"] == CommitmentStatus.APPROVED
    answer = pm.post(
        f"{API}change-orders/",
        {
            "budget": world["budget"].pk,
            "title": "减项",
            "kind": "budget",
            "lines": [{"budget_line": world["line"].pk, "amount": "-50.25"}],
        },
        format="json",
    )
    assert answer.status_code == 201 and answer.json()["amount"] == "-50.25"
    assert ChangeOrder.objects.count() == 2


def test_sales_get_403_on_every_finance_endpoint(world):
    client = api_client(world["sales"])
    for path in LISTS:
        assert client.get(f"{API}{path}").status_code == 403, path
    for name, pk in world["details"].items():
        assert client.get(f"{API}{name}/{pk}/").status_code == 403, name
    assert client.post(f"{API}budgets/", {"project": world["budget"].project_id}, format="json").status_code == 403


def test_a_pm_of_another_department_gets_404_and_finance_sees_everything(world):
    west, finance = api_client(world["pm_west"]), api_client(world["finance"])
    for name, pk in world["details"].items():
        assert west.get(f"{API}{name}/{pk}/").status_code == 404, name
        assert finance.get(f"{API}{name}/{pk}/").status_code == 200, name
    assert west.get(f"{API}budget-lines/").json()["results"] == []
    assert west.patch(f"{API}budget-lines/{world['line'].pk}/", {"description": "x"}, format="json").status_code == 404
    answer = west.post(
        f"{API}budget-lines/",
        {"budget": world["budget"].pk, "cost_code": world["code"].pk, "cost_type": "labor"},
        format="json",
    )
    assert answer.status_code == 400 and "budget" in answer.json()["errors"]
    for path in LISTS:
        assert finance.get(f"{API}{path}").status_code == 200, path


def test_another_tenant_gets_404(world, other_tenant):
    stranger = api_client(make_member(other_tenant, "finance"))
    for name, pk in world["details"].items():
        assert stranger.get(f"{API}{name}/{pk}/").status_code == 404, name
    answer = stranger.post(f"{API}budgets/", {"project": world["budget"].project_id}, format="json")
    assert answer.status_code == 400 and "project" in answer.json()["errors"]


def test_list_endpoints_cost_the_same_queries_for_more_rows(world, django_assert_max_num_queries):
    client = api_client(world["finance"])
    pm = world["pm"]

    def more():
        budget = make_budget(world["budget"].tenant, member=pm)
        line = make_line(budget, pm, unit_price="100")
        access = access_for(pm)
        change_order_create(access=access, budget=budget, title="c", lines=[{"budget_line": line, "amount": "1"}])
        commitment_create(
            access=access,
            project=budget.project,
            kind="purchase_order",
            title="p",
            vendor="v",
            lines=[{"budget_line": line, "unit_price": "1"}],
        )
        cost_record_create(
            access=access, project=budget.project, budget_line=line, kind="expense", date=date(2025, 3, 3), amount=1
        )

    counts = {}
    for path in LISTS:
        with django_assert_max_num_queries(30) as few:
            assert client.get(f"{API}{path}").status_code == 200
        counts[path] = len(few.captured_queries)
    more()
    more()
    for path in LISTS:
        with django_assert_max_num_queries(counts[path]):
            assert client.get(f"{API}{path}").status_code == 200
