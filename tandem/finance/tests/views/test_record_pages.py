"""The change order, commitment and cost record lists and details, the cost code tree and the thresholds page."""

import re

import pytest

from tandem.finance.choices import CostKind
from tandem.finance.tests.view_fixtures import make_cost_code, seed_budget
from tandem.projects.tests.factories import make_project, pm_member
from tandem.testing.kit import make_member, page_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(tenant):
    member = pm_member(tenant)
    return member, seed_budget(make_project(tenant, member=member, name="浦东园区弱电改造"), member)


def _ids(page: str, attr: str) -> list[str]:
    return re.findall(rf'data-{attr}="(\d+)"', page)


def test_the_change_order_list_filters_by_status_and_the_detail_shows_the_lines(seeded):
    member, s = seeded
    client = page_client(member)
    page = client.get("/finance/change-orders/").content.decode()
    assert len(_ids(page, "change-order")) == 4
    approved = client.get("/finance/change-orders/", {"status": "approved"}).content.decode()
    assert _ids(approved, "change-order") == [str(s.co_approved.pk)]
    detail = client.get(f"/finance/change-orders/{s.co_approved.pk}/").content.decode()
    assert re.search(r'id="co-total">3,500.00<', detail) and "6,000.00" in detail


def test_the_commitment_list_and_detail_show_amounts_invoices_and_next_statuses(seeded):
    member, s = seeded
    client = page_client(member)
    page = client.get("/finance/commitments/", {"q": "弱电分包合同"}).content.decode()
    assert _ids(page, "commitment") == [str(s.sc_approved.pk)]
    detail = client.get(f"/finance/commitments/{s.sc_approved.pk}/").content.decode()
    assert re.search(r'id="commitment-total">15,000.00<', detail)
    assert "6,000.00" in detail  # invoiced against it
    assert 'data-status="complete"' in detail and 'data-status="terminated"' in detail


def test_the_cost_record_list_filters_by_kind_and_date(seeded):
    member, s = seeded
    client = page_client(member)
    assert len(_ids(client.get("/finance/costs/").content.decode(), "cost-record")) == 5
    labor = client.get("/finance/costs/", {"kind": CostKind.LABOR}).content.decode()
    assert len(_ids(labor, "cost-record")) == 1
    march = client.get("/finance/costs/", {"after": "2025-03-11", "before": "2025-03-15"}).content.decode()
    assert len(_ids(march, "cost-record")) == 2


def test_the_cost_code_tree_nests_children_under_parents(tenant):
    member = make_member(tenant, "finance")
    parent = make_cost_code(tenant, "02", "安装工程")
    child = make_cost_code(tenant, "02.03", "弱电系统", parent=parent)
    make_cost_code(tenant, "01", "土建工程")
    page = page_client(member).get("/finance/cost-codes/").content.decode()
    rows = re.findall(r'data-code="(\d+)" data-depth="(\d)"', page)
    assert rows[-2:] == [(str(parent.pk), "0"), (str(child.pk), "1")]


def test_the_thresholds_page_shows_the_defaults_and_sales_sees_none_of_it(tenant, seeded):
    _member, s = seeded
    page = page_client(_member).get("/finance/settings/").content.decode()  # the PM reads them
    assert re.search(r'data-setting="cpi_alert_below">0.90<', page) and "cost-settings-form" not in page
    sales = page_client(make_member(tenant, "sales"))
    for url in (
        "/finance/change-orders/",
        "/finance/commitments/",
        "/finance/costs/",
        "/finance/cost-codes/",
        "/finance/settings/",
        f"/finance/change-orders/{s.co_approved.pk}/",
    ):
        assert sales.get(url).status_code == 403, url


def test_finance_adds_edits_and_deletes_cost_codes(tenant):
    from tandem.finance.models import CostCode

    client = page_client(make_member(tenant, "finance"))
    parent = make_cost_code(tenant, "03", "装饰工程")
    response = client.post(
        "/finance/cost-codes/new/",
        {"parent": parent.pk, "code": "03.01", "name": "吊顶", "sort_order": "0", "is_active": "on"},
    )
    assert response.status_code == 302
    child = CostCode.objects.get(tenant=tenant, code="03.01")
    assert child.parent_id == parent.pk
    duplicate = client.post("/finance/cost-codes/new/", {"code": "03.01", "name": "重复", "sort_order": "0"})
    assert duplicate.status_code == 200 and "is-invalid" in duplicate.content.decode()
    client.post(
        f"/finance/cost-codes/{child.pk}/edit/",
        {"parent": parent.pk, "code": "03.01", "name": "轻钢龙骨吊顶", "sort_order": "0"},
    )
    child.refresh_from_db()
    assert child.name == "轻钢龙骨吊顶" and not child.is_active
    client.post(f"/finance/cost-codes/{parent.pk}/delete/")  # in use by its child: refused
    assert CostCode.objects.filter(pk=parent.pk).exists()
    client.post(f"/finance/cost-codes/{child.pk}/delete/")
    assert not CostCode.objects.filter(pk=child.pk).exists()
    assert (
        page_client(pm_member(tenant)).post("/finance/cost-codes/new/", {"code": "9", "name": "x"}).status_code == 403
    )


def test_finance_changes_the_thresholds_on_the_settings_page(tenant, seeded):
    from decimal import Decimal

    from tandem.finance.models import CostSettings

    pm, _s = seeded
    client = page_client(make_member(tenant, "finance"))
    assert 'id="cost-settings-form"' in client.get("/finance/settings/").content.decode()
    data = {"margin_alert_percent": "12.5", "cpi_alert_below": "0.85", "line_over_budget_alert": "on"}
    assert client.post("/finance/settings/", data).status_code == 302
    row = CostSettings.objects.get(tenant=tenant)
    assert (row.margin_alert_percent, row.cpi_alert_below) == (Decimal("12.50"), Decimal("0.85"))
    bad = client.post("/finance/settings/", {**data, "cpi_alert_below": "9"})
    assert bad.status_code == 200 and "is-invalid" in bad.content.decode()
    assert page_client(pm).post("/finance/settings/", data).status_code == 403
