"""The print pages: the template editor (errors with their line, PDF preview), settings, history, print buttons."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.printing.models import PrintLog, PrintSettings, PrintTemplate
from tandem.printing.tests.conftest import pdf_text
from tandem.testing.kit import page_client, page_text

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cfc0f00f0004850180848a8c21"
    "0000000049454e44ae426082"
)


def _shipped(shop, key="contract"):
    page_client(shop.admin).get("/printing/templates/")
    return PrintTemplate.objects.get(tenant=shop.tenant, shipped_key=key)


def test_the_template_list_seeds_the_defaults_of_each_type(shop):
    response = page_client(shop.admin).get("/printing/templates/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "合同（标准）" in text and "收款确认单" in text
    assert set(PrintTemplate.objects.filter(tenant=shop.tenant).values_list("shipped_key", "is_default")) == {
        ("contract", True),
        ("receipt", True),
    }


def test_a_bad_template_shows_its_error_with_the_line_on_the_editor(shop):
    template = _shipped(shop)
    response = page_client(shop.admin).post(
        f"/printing/templates/{template.pk}/",
        {"name": template.name, "language": "zh-hans", "body": "<p>一</p>\n<p>二</p>\n{{ contract.name|safe }}"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "line 3: filter |safe is not allowed" in text
    assert PrintTemplate.objects.get(pk=template.pk).body == template.body


def test_preview_returns_the_pdf_against_the_chosen_record_without_saving(shop):
    template = _shipped(shop)
    response = page_client(shop.admin).post(
        f"/printing/templates/{template.pk}/",
        {
            "name": template.name,
            "language": "zh-hans",
            "body": "<p>预览 {{ customer.name }}</p>",
            "record": shop.contract.pk,
            "preview": "1",
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "预览 杭州滨江园区管理有限公司" in pdf_text(response.content)
    assert PrintTemplate.objects.get(pk=template.pk).body == template.body


def test_creating_a_template_for_a_type(shop):
    client = page_client(shop.admin)
    response = client.post(
        "/printing/templates/new/?type=crm.contract",
        {"name": "简版合同", "language": "zh-hans", "body": "<h1>{{ contract.name }}</h1>"},
    )
    created = PrintTemplate.objects.get(tenant=shop.tenant, name="简版合同")
    assert response.status_code == 302 and response["Location"] == f"/printing/templates/{created.pk}/"
    assert client.get("/printing/templates/new/?type=nope.nothing").status_code == 404


def test_the_contract_page_prints_with_a_dropdown_of_templates(shop):
    client = page_client(shop.rep)
    page = client.get(f"/crm/contracts/{shop.contract.pk}/").content.decode()
    assert f"/printing/print/crm.contract/{shop.contract.pk}/" in page
    assert f"/printing/print/crm.receipt/{shop.receipt.pk}/" in page
    response = client.get(f"/printing/print/crm.contract/{shop.contract.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "甲方（盖章）" in pdf_text(response.content)
    PrintTemplate.objects.create(
        tenant=shop.tenant, object_type="crm.contract", name="简版", body="<p>{{ contract.name }}</p>"
    )
    page = client.get(f"/crm/contracts/{shop.contract.pk}/").content.decode()
    assert "dropdown-menu" in page and "简版" in page


def test_no_print_button_and_no_pdf_without_the_permission(shop):
    from tandem.testing.kit import make_member

    pm = make_member(shop.tenant, "pm")
    client = page_client(pm)
    assert client.get(f"/printing/print/crm.contract/{shop.contract.pk}/").status_code in (403, 404)
    assert not PrintLog.objects.exists()


def test_a_broken_default_flashes_an_error_instead_of_failing(shop):
    template = _shipped(shop)
    PrintTemplate.objects.filter(pk=template.pk).update(body="{% for %}")
    client = page_client(shop.rep)
    back = f"/crm/contracts/{shop.contract.pk}/"
    response = client.get(f"/printing/print/crm.contract/{shop.contract.pk}/?next={back}")
    assert response.status_code == 302 and response["Location"] == back
    assert page_text("The print failed: %(reasons)s").split(":")[0].split("：")[0] in client.get(back).content.decode()


def test_print_settings_save_letterhead_and_images_and_refuse_other_files(shop):
    client = page_client(shop.admin)
    assert "WenQuanYi Micro Hei" in client.get("/printing/settings/").content.decode()
    refused = client.post(
        "/printing/settings/",
        {
            "company_name": "同舟科技",
            "stamp": SimpleUploadedFile("seal.svg", b"<svg onload=alert(1)>", content_type="image/svg+xml"),
        },
    )
    assert refused.status_code == 400
    assert page_text("Upload a PNG, JPEG, GIF or WebP image of at most 1 MB.") in refused.content.decode()
    assert not PrintSettings.objects.filter(tenant=shop.tenant).exists()
    saved = client.post(
        "/printing/settings/",
        {"company_name": "同舟科技", "stamp": SimpleUploadedFile("seal.png", PNG, content_type="image/png")},
    )
    assert saved.status_code == 302
    settings = PrintSettings.objects.get(tenant=shop.tenant)
    assert settings.company_name == "同舟科技" and settings.stamp.name.endswith("stamp.png")
    assert "data:image/png;base64," in client.get("/printing/settings/").content.decode()


def test_history_page_lists_prints(shop):
    client = page_client(shop.admin)
    client.get(f"/printing/print/crm.contract/{shop.contract.pk}/")
    text = client.get("/printing/history/").content.decode()
    assert "HT-2026-0088" in text and "合同（标准）" in text
