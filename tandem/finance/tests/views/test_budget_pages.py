"""The budget page, its drill-down and its export for the project's PM and finance (Chinese and English
tenants); sales and the sales manager see no cost; the page's queries do not grow with its lines."""

import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tandem.finance import costing
from tandem.finance.choices import CostAlertKind, CostKind, CostType
from tandem.finance.models import CostAlert
from tandem.finance.tests.view_fixtures import (
    EXPECTED,
    make_budget,
    make_cost,
    make_cost_code,
    make_line,
    seed_budget,
)
from tandem.projects.tests.factories import make_project, pm_member
from tandem.testing.kit import make_member, make_tenant, page_client

pytestmark = pytest.mark.django_db


def _seeded(locale="zh-hans"):
    tenant = make_tenant(locale=locale)
    member = pm_member(tenant)
    project = make_project(tenant, member=member, name="浦东园区弱电改造")
    return tenant, member, seed_budget(project, member)


def _row(page: str, attr: str) -> str:
    match = re.search(rf"<tr [^>]*{attr}[^>]*>.*?</tr>", page, re.S)
    assert match, attr
    return match.group(0)


def _values(row_html: str) -> tuple[str, ...]:
    found = dict(re.findall(r'data-column="([a-z_]+)" data-value="([-0-9.]+)"', row_html))
    return tuple(found[c] for c in costing.COLUMNS)


@pytest.mark.parametrize("locale", ["zh-hans", "en"])
def test_the_pm_sees_the_hand_computed_columns_groups_and_total(locale):
    _tenant, member, s = _seeded(locale)
    response = page_client(member).get(f"/finance/projects/{s.project.pk}/budget/")
    assert response.status_code == 200
    page = response.content.decode()
    assert _values(_row(page, f'data-line="{s.l1.pk}"')) == EXPECTED["l1"]
    assert _values(_row(page, f'data-line="{s.l2.pk}"')) == EXPECTED["l2"]
    assert _values(_row(page, f'data-line="{s.l3.pk}"')) == EXPECTED["l3"]
    assert _values(_row(page, 'data-group="total"')) == EXPECTED["total"]
    civil = _row(page, f'data-group="code-{s.l1.cost_code_id}"')
    assert _values(civil)[0] == "15550.00"
    # Over budget is red; the headline cards carry the contract value, the margin and its percent.
    assert "bv-over" in _row(page, f'data-line="{s.l1.pk}"') and "bv-over" not in _row(page, f'data-line="{s.l3.pk}"')
    assert "56,000.00" in page and "17,950.00" in page and "32.05%" in page
    # Every input cell links to its records; derived cells do not.
    l1 = _row(page, f'data-line="{s.l1.pk}"')
    assert f"budget/cell/?column=committed&amp;line={s.l1.pk}" in l1
    assert "column=revised" not in l1


def test_grouping_by_cost_type_shows_a_group_per_type():
    _tenant, member, s = _seeded()
    page = page_client(member).get(f"/finance/projects/{s.project.pk}/budget/", {"group": "type"}).content.decode()
    for cost_type in (CostType.LABOR, CostType.MATERIAL, CostType.SUBCONTRACT):
        assert f'data-group="{cost_type}"' in page
    assert 'id="group-type"' in page and "active" in re.search(r'<a [^>]*id="group-type"', page).group(0)


def test_finance_sees_the_page_and_sales_and_the_sales_manager_do_not():
    tenant, _member, s = _seeded()
    assert (
        page_client(make_member(tenant, "finance")).get(f"/finance/projects/{s.project.pk}/budget/").status_code == 200
    )
    for role in ("sales", "sales_manager"):
        client = page_client(make_member(tenant, role))
        for url in ("budget/", "budget/cell/?column=direct", "budget/export/", "earned-value/"):
            assert client.get(f"/finance/projects/{s.project.pk}/{url}").status_code in (403, 404), (role, url)
        assert client.get("/finance/").status_code == 403


def test_another_tenants_project_is_a_404():
    _tenant, _member, s = _seeded()
    outsider = make_member(make_tenant(), "finance")
    assert page_client(outsider).get(f"/finance/projects/{s.project.pk}/budget/").status_code == 404


def test_a_cell_opens_the_records_behind_it_in_the_modal_and_as_a_page():
    _tenant, member, s = _seeded()
    client = page_client(member)
    url = f"/finance/projects/{s.project.pk}/budget/cell/"
    modal = client.get(url, {"column": "approved_changes", "line": s.l2.pk}, HTTP_HX_REQUEST="true").content.decode()
    assert "modal-header" in modal and "<html" not in modal
    assert f'data-record="change-{s.co_approved.pk}"' in modal and s.co_approved.number in modal
    assert s.co_pending.number not in modal
    page = client.get(url, {"column": "pending_cost"}).content.decode()
    assert "<html" in page and f'data-record="commitment-{s.po_pending.pk}"' in page
    assert re.search(r'id="cell-total">3,000.00<', page)
    group = client.get(url, {"column": "direct", "code": s.l1.cost_code_id}).content.decode()
    assert re.search(r'id="cell-total">9,000.00<', group)
    assert client.get(url, {"column": "revised"}).status_code == 404


def test_the_excel_export_has_exactly_the_rows_and_numbers_of_the_page():
    _tenant, member, s = _seeded()
    client = page_client(member)
    for group in ("code", "type"):
        page = client.get(f"/finance/projects/{s.project.pk}/budget/", {"group": group}).content.decode()
        shown = [_values(m) for m in re.findall(r"<tr class=\"bv-(?:group|line|total)\".*?</tr>", page, re.S)]
        response = client.get(f"/finance/projects/{s.project.pk}/budget/export/", {"group": group})
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [r for r in sheet.iter_rows(min_row=5, values_only=True) if r[0] is not None]
        exported = [tuple(f"{Decimal(str(v)):.2f}" for v in r[2:]) for r in rows]
        assert exported == shown
        assert [c.value for c in sheet[4]][2] in ("原始预算", "Original budget")


def _project_with_lines(tenant, member, n):
    project = make_project(tenant, member=member)
    budget = make_budget(project, contract_value="100000")
    code = make_cost_code(tenant, "09", "其他")
    for i in range(n):
        line = make_line(budget, code, CostType.MATERIAL, "1", f"{10 + i}.00")
        make_cost(line, member.user, CostKind.EXPENSE, "1.00", s_date())
    CostAlert.objects.create(
        tenant=tenant, project=project, kind=CostAlertKind.MARGIN_LOW, value=5, threshold=10, opened_at=now()
    )
    return project


def s_date():
    from datetime import date

    return date(2025, 3, 5)


def now():
    from django.utils import timezone

    return timezone.now()


def test_the_budget_page_costs_the_same_queries_for_3_lines_as_for_30():
    tenant = make_tenant()
    member = pm_member(tenant)
    small, large = _project_with_lines(tenant, member, 3), _project_with_lines(tenant, member, 30)
    client = page_client(member)
    client.get(f"/finance/projects/{small.pk}/budget/")
    counts = []
    for project in (small, large):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/finance/projects/{project.pk}/budget/").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_the_project_page_shows_the_cost_panel_to_the_pm_and_not_to_the_sales_manager():
    tenant, member, s = _seeded()
    page = page_client(member).get(f"/projects/{s.project.pk}/").content.decode()
    assert 'id="cost-panel"' in page and "38,050.00" in page and "32.05%" in page
    manager = page_client(make_member(tenant, "sales_manager")).get(f"/projects/{s.project.pk}/")
    assert 'id="cost-panel"' not in manager.content.decode()


def test_the_delay_warnings_page_lists_the_open_cost_alerts():
    tenant, member, s = _seeded()
    alert = CostAlert.objects.create(
        tenant=tenant,
        project=s.project,
        kind=CostAlertKind.LINE_OVER_BUDGET,
        budget_line=s.l1,
        value=-700,
        threshold=0,
        opened_at=now(),
    )
    page = page_client(member).get("/projects/warnings/").content.decode()
    assert f'data-alert="{alert.pk}"' in page
    budget = page_client(member).get(f"/finance/projects/{s.project.pk}/budget/").content.decode()
    assert f'data-alert="{alert.pk}"' in budget and 'id="card-alerts">1<' in budget
    sales_manager = page_client(make_member(tenant, "sales_manager")).get("/projects/warnings/").content.decode()
    assert 'id="cost-alerts-panel"' not in sales_manager


def test_a_role_that_hides_project_cost_sees_no_budget_even_with_finance_permissions():
    from tandem.accounts.models import Role

    tenant, _member, s = _seeded()
    Role.objects.create(
        tenant=tenant,
        key="cost_blind",
        name="cost blind",
        permissions=["finance.view_*", "projects.view_*"],
        field_rules={"projects.project.cost": "hidden"},
    )
    client = page_client(make_member(tenant, "cost_blind"))
    assert client.get(f"/finance/projects/{s.project.pk}/budget/").status_code == 404
    assert 'data-project="' not in client.get("/finance/").content.decode()
    assert 'id="cost-panel"' not in client.get(f"/projects/{s.project.pk}/").content.decode()
