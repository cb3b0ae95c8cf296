"""Print templates as an admin and a salesperson use them: the admin edits the contract template, previews it as a
PDF against a real contract, saves it; the contract page's print button downloads the PDF with the edited text, in
Chinese; the English tenant's editor and print settings; screenshots on desktop and phone."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser]
PHONE = {"width": 390, "height": 844}
ADDED = "本合同经双方友好协商签订。"


def _text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _contract(slug: str):
    from tandem.crm.models import Contract

    return Contract.objects.filter(tenant__slug=slug, deleted_at__isnull=True).order_by("id").first()


def test_admin_edits_previews_and_prints_a_contract(web):
    contract = _contract("demo")
    assert contract is not None
    web.sign_in("admin")
    page = web.page
    web.goto("/printing/templates/")
    web.shot("printing-01-templates")
    page.click("text=合同（标准）")
    assert page.locator("#variables").inner_text().count("contract.") >= 5
    body = page.locator("textarea[name=body]")
    body.fill(body.input_value().replace("<h2>一、合同双方</h2>", f"<p>{ADDED}</p>\n<h2>一、合同双方</h2>"))
    page.select_option("select[name=record]", str(contract.pk))
    web.shot("printing-02-editor")

    with web.context.expect_event(
        "response", predicate=lambda r: r.request.method == "POST" and "/printing/templates/" in r.url
    ) as preview:
        page.click("#preview")
    response = preview.value
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    # The new tab shows the PDF in Chromium's viewer, which keeps the body from Playwright: the same form, posted
    # again from this session, gives the bytes to read.
    fields = {
        "csrfmiddlewaretoken": page.locator("input[name=csrfmiddlewaretoken]").first.input_value(),
        "name": page.locator("input[name=name]").input_value(),
        "language": "zh-hans",
        "body": page.locator("textarea[name=body]").input_value(),
        "record": str(contract.pk),
        "preview": "1",
    }
    again = page.request.post(page.url, form=fields, headers={"Referer": page.url})
    assert again.headers["content-type"] == "application/pdf"
    text = _text(again.body())
    assert ADDED in text and contract.number in text

    with page.expect_navigation():
        page.click("#save")
    assert "已保存" in page.content() or "saved" in page.content()

    # A template error is shown in the editor with its line, nothing saved.
    body = page.locator("textarea[name=body]")
    body.fill(body.input_value() + "\n{% load static %}")
    with page.expect_navigation():
        page.click("#save")
    assert "tag {% load %} is not allowed" in page.locator("#template-form").inner_text()
    web.shot("printing-03-editor-error")
    assert all("400" in problem for problem in web.problems), web.problems  # the refused save answers 400
    web.problems.clear()

    web.goto(f"/crm/contracts/{contract.pk}/")
    web.shot("printing-04-contract-page")
    with page.expect_download() as download:
        page.click(f"#print-crm-contract-{contract.pk}")
    pdf = Path(download.value.path()).read_bytes()
    assert download.value.suggested_filename.endswith(".pdf") and contract.number in download.value.suggested_filename
    text = _text(pdf)
    assert ADDED in text and "甲方（盖章）" in text and "人民币" in text

    web.goto("/printing/history/")
    assert contract.number in page.locator("#print-history").inner_text()
    assert not web.problems, web.problems


def test_print_pages_on_a_phone_and_in_english(session_factory):
    phone = session_factory(viewport=PHONE)
    phone.sign_in("admin")
    phone.goto("/printing/settings/")
    assert phone.page.locator("#font-ok").is_visible()
    phone.shot("printing-05-settings-phone")
    contract = _contract("demo")
    phone.goto(f"/crm/contracts/{contract.pk}/")
    phone.shot("printing-06-contract-phone")

    english = session_factory(locale="en-GB")
    english.sign_in("owner")
    from tandem.accounts.models import Tenant

    northwind = Tenant.objects.get(locale="en")
    with english.page.expect_navigation():
        english.page.select_option("#tenant-switch", str(northwind.pk))
    english.goto("/printing/templates/")
    assert "Contract (standard)" in english.page.content()
    english.page.click("text=Contract (standard)")
    assert "Customer (Party A)" in english.page.locator("textarea[name=body]").input_value()
    english.shot("printing-07-editor-en")
    assert not phone.problems, phone.problems
    assert not english.problems, english.problems
