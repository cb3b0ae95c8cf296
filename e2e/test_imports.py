"""The import page in a real browser: a downloaded template comes back in and maps itself; a broken CSV is refused
naming its line, and nothing is imported."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser]


def test_a_downloaded_template_uploads_and_checks_clean_and_a_broken_csv_names_its_line(web, session_factory):
    from tandem.integrations.models import ImportJob

    web.sign_in("salesmgr")
    web.goto("/imports/new/")
    page = web.page
    expect(page.locator("#import-templates")).to_contain_text("导入模板")
    with page.expect_download() as download:
        page.click('[data-template="crm.lead-xlsx"]')
    assert download.value.suggested_filename == "import-template-lead.xlsx"
    template = {"name": download.value.suggested_filename, "mimeType": "application/octet-stream"}
    template["buffer"] = Path(download.value.path()).read_bytes()
    web.shot("imports-01-new-with-templates")

    page.check('input[name=object_type][value="crm.lead"]')
    page.set_input_files("input[name=file]", template)
    with page.expect_navigation():
        page.click("button[type=submit]")
    expect(page.locator("#mapping-form")).to_contain_text("Excel 工作簿")
    selects = page.locator("#mapping-form select")
    assert selects.count() > 10
    for index in range(selects.count()):  # every column of the template found its field
        assert selects.nth(index).input_value() != "", f"column {index} is not mapped"
    web.shot("imports-02-template-mapped")
    with page.expect_navigation(url=re.compile(r"/imports/\d+/$")):
        page.click("#mapping-form button[type=submit]")
    expect(page.locator("#count-valid")).to_have_text("1")
    expect(page.locator("#count-invalid")).to_have_text("0")
    web.shot("imports-03-template-checked")

    web.goto("/imports/new/")
    jobs = ImportJob.objects.count()
    page.check('input[name=object_type][value="crm.account"]')
    broken = '客户名称,城市\n上海建工,上海\n"未闭合引号公司,杭州\n正常公司,苏州\n'.encode()
    page.set_input_files("input[name=file]", {"name": "客户.csv", "mimeType": "text/csv", "buffer": broken})
    with page.expect_navigation():
        page.click("button[type=submit]")
    expect(page.locator("#file-error")).to_contain_text("第 3 行有一个未闭合的引号")
    assert ImportJob.objects.count() == jobs
    web.shot("imports-04-broken-csv")
    assert not web.problems, "\n".join(web.problems)

    phone = session_factory(viewport={"width": 390, "height": 844})
    phone.sign_in("salesmgr")
    phone.goto("/imports/new/")
    expect(phone.page.locator('[data-template="crm.deal-csv"]')).to_be_visible()
    phone.shot("imports-05-new-390")
    assert not phone.problems, "\n".join(phone.problems)
