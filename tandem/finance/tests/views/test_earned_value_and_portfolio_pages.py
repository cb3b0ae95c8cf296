"""The earned value page (figures, chart data, CSV) and the cost portfolio (totals, sorting, export)."""

import csv
import io
import json
import re

import pytest
from openpyxl import load_workbook

from tandem.finance.tests.view_fixtures import make_budget, make_cost_code, make_line, seed_budget
from tandem.projects.tests.factories import make_project, pm_member
from tandem.testing.kit import make_member, make_tenant, page_client

pytestmark = pytest.mark.django_db


def _seeded(locale="zh-hans"):
    tenant = make_tenant(locale=locale)
    member = pm_member(tenant)
    project = make_project(tenant, member=member, name="浦东园区弱电改造")
    return tenant, member, seed_budget(project, member)


@pytest.mark.parametrize("locale", ["zh-hans", "en"])
def test_the_earned_value_page_shows_every_figure_and_the_chart_data(locale):
    _tenant, member, s = _seeded(locale)
    response = page_client(member).get(f"/finance/projects/{s.project.pk}/earned-value/")
    assert response.status_code == 200
    page = response.content.decode()
    for key in (
        "bac",
        "pv",
        "ev",
        "ac",
        "cv",
        "sv",
        "cpi",
        "spi",
        "eac_typical",
        "eac_atypical",
        "eac_combined",
        "etc",
        "vac",
        "tcpi",
    ):
        assert f'data-figure="{key}"' in page, key
    # Today is long after the plan: PV = BAC, and AC is every cost (15,000.00); EV 14,220.15.
    assert re.search(r'data-figure="ac">.*?data-value="15000.00"', page, re.S)
    assert re.search(r'data-figure="ev">.*?data-value="14220.15"', page, re.S)
    assert re.search(r'data-figure="cpi">.*?data-value="0.9480"', page, re.S)
    data = json.loads(re.search(r'<script id="ev-data" type="application/json">(.*?)</script>', page, re.S).group(1))
    assert data["curve"][0]["month"] == "2025-03" and data["curve"][-1]["planned"] == "39050.00"
    assert data["trend"][-1]["cpi"] == "0.9480"
    assert "vendor/echarts.min.js" in page and "finance/earned_value.js" in page


def test_the_chart_data_downloads_as_csv():
    _tenant, member, s = _seeded()
    response = page_client(member).get(f"/finance/projects/{s.project.pk}/earned-value/export/")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    march = next(r for r in rows if r[0] == "2025-03")
    # No snapshot of March: its EV is unknown; today's month (the last row) has the live figures.
    assert march[1] == "39050.00" and march[2] == "15000.00" and march[3] == ""
    assert rows[-1][1:] == ["39050.00", "15000.00", "14220.15", "0.9480", "0.3642"]


def test_the_portfolio_lists_every_visible_project_sorted_and_exports_it():
    tenant, member, s = _seeded()
    small = make_project(tenant, member=member, name="小项目")
    make_line(make_budget(small, contract_value="500.00"), make_cost_code(tenant, "09", "其他"), unit_price="600")
    hidden = make_project(tenant, member=pm_member(tenant), name="别人的项目")
    make_budget(hidden)
    client = page_client(member)
    page = client.get("/finance/", {"ordering": "-revised"}).content.decode()
    rows = re.findall(r'<tr data-project="(\d+)"', page)
    assert rows == [str(s.project.pk), str(small.pk)]  # the other department's PM's project is not in scope
    assert "32.05%" in page and "-20.00%" in page
    finance = page_client(make_member(tenant, "finance")).get("/finance/", {"ordering": "revised"}).content.decode()
    assert re.findall(r'<tr data-project="(\d+)"', finance)[0] == str(hidden.pk)
    response = client.get("/finance/export/", {"fmt": "xlsx", "ordering": "-revised"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [v[1] for v in values] == ["浦东园区弱电改造", "小项目"]
    assert f"{values[0][3]:.2f}" == "39050.00" and f"{values[0][8]:.2f}" == "32.05"
