"""The list skeleton in a real browser: the filters reload the rows as they change, and the export links then
export what the list shows, not what it showed when the page was opened."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser]


def test_account_export_follows_the_filters(web):
    from tandem.crm.models import Account

    web.sign_in("salesmgr")
    web.goto("/crm/accounts/")
    page = web.page
    accounts = Account.objects.filter(tenant__slug="demo")
    vip = accounts.filter(tier="vip").count()
    assert 0 < vip < accounts.count()
    with page.expect_response(lambda r: "tier=vip" in r.url):
        page.select_option("select[name=tier]", "vip")
    expect(page).to_have_url(re.compile(r"tier=vip"))
    csv_link = page.locator("a[data-list-link]").first
    xlsx_link = page.locator('a[data-list-link="fmt=xlsx"]')
    expect(csv_link).to_have_attribute("href", re.compile(r"tier=vip"))
    query = parse_qs(urlsplit(xlsx_link.get_attribute("href")).query)
    assert query["tier"] == ["vip"] and query["fmt"] == ["xlsx"]

    exported = page.request.get(csv_link.evaluate("link => link.href"))
    assert exported.ok
    rows = list(csv.reader(io.StringIO(exported.text().lstrip("\ufeff"))))
    assert len(rows) - 1 == vip, "the export holds the filtered accounts only"
    web.shot("list-filters-export")
    assert not web.problems, "\n".join(web.problems)
