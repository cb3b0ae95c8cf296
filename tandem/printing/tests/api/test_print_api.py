"""The print endpoints: a record's PDF, template CRUD with sandbox errors as problem JSON, previews, history."""

from __future__ import annotations

from urllib.parse import quote

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.printing.models import PrintLog, PrintTemplate
from tandem.printing.tests.conftest import pdf_text
from tandem.testing.kit import api_client, make_member, make_tenant


def test_get_contract_print_returns_the_pdf_with_a_utf8_filename(shop):
    response = api_client(shop.rep).get(f"/api/v1/crm/contracts/{shop.contract.pk}/print/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('合同（标准）-HT-2026-0088 滨江园区智能化改造.pdf')}" in disposition
    assert "人民币壹佰贰拾捌万元伍角整" in pdf_text(response.content)
    assert PrintLog.objects.filter(object_id=str(shop.contract.pk)).count() == 1


def test_accept_application_pdf_is_honoured(shop):
    response = api_client(shop.rep).get(
        f"/api/v1/crm/contracts/{shop.contract.pk}/print/", HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_receipt_print_with_a_named_template(shop):
    client = api_client(shop.admin)
    templates = client.get("/api/v1/printing/templates/", {"object_type": "crm.receipt"}).json()["results"]
    assert [t["shipped_key"] for t in templates] == ["receipt"]
    response = client.get(f"/api/v1/crm/receipts/{shop.receipt.pk}/print/", {"template": templates[0]["id"]})
    assert response.status_code == 200
    assert "收款确认单" in pdf_text(response.content)


def test_print_is_refused_without_the_permission_and_out_of_tenant(shop):
    url = f"/api/v1/crm/contracts/{shop.contract.pk}/print/"
    assert api_client(shop.nobody).get(url).status_code == 403
    assert api_client(make_member(shop.tenant, "pm")).get(url).status_code == 403
    outsider = make_member(make_tenant(), "admin")
    response = api_client(outsider).get(url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    assert not PrintLog.objects.exists()


def test_template_crud_and_a_bad_template_is_a_400_naming_the_line(shop):
    client = api_client(shop.admin)
    bad = client.post(
        "/api/v1/printing/templates/",
        {"object_type": "crm.contract", "name": "简版", "body": "<h1>合同</h1>\n{% include 'x.html' %}"},
        format="json",
    )
    assert bad.status_code == 400
    assert bad["Content-Type"].startswith("application/problem+json")
    assert "line 2: tag {% include %} is not allowed" in str(bad.json())
    created = client.post(
        "/api/v1/printing/templates/",
        {"object_type": "crm.contract", "name": "简版", "body": "<h1>{{ contract.name }}</h1>"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert (
        client.patch(f"/api/v1/printing/templates/{pk}/", {"name": "简版合同"}, format="json").json()["name"]
        == "简版合同"
    )
    assert client.post(f"/api/v1/printing/templates/{pk}/make-default/").json()["is_default"] is True
    pdf = client.get(f"/api/v1/crm/contracts/{shop.contract.pk}/print/").content
    assert "滨江园区智能化改造" in pdf_text(pdf) and "合同编号" not in pdf_text(pdf)
    assert client.delete(f"/api/v1/printing/templates/{pk}/").status_code == 400  # the default stays
    shipped = PrintTemplate.objects.get(tenant=shop.tenant, shipped_key="contract")
    client.post(f"/api/v1/printing/templates/{shipped.pk}/make-default/")
    assert client.delete(f"/api/v1/printing/templates/{pk}/").status_code == 204


def test_reset_restores_the_shipped_text(shop):
    client = api_client(shop.admin)
    client.get("/api/v1/printing/templates/")
    shipped = PrintTemplate.objects.get(tenant=shop.tenant, shipped_key="contract")
    original = shipped.body
    client.patch(f"/api/v1/printing/templates/{shipped.pk}/", {"body": "<p>改过</p>"}, format="json")
    assert client.post(f"/api/v1/printing/templates/{shipped.pk}/reset/").json()["body"] == original


def test_preview_renders_an_unsaved_body_against_a_record(shop):
    client = api_client(shop.admin)
    client.get("/api/v1/printing/templates/")
    shipped = PrintTemplate.objects.get(tenant=shop.tenant, shipped_key="contract")
    response = client.post(
        f"/api/v1/printing/templates/{shipped.pk}/preview/",
        {"body": "<p>预览：{{ contract.number }}</p>", "record": shop.contract.pk},
        format="json",
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")
    assert "预览：HT-2026-0088" in pdf_text(response.content)
    assert PrintTemplate.objects.get(pk=shipped.pk).body == shipped.body
    assert not PrintLog.objects.exists()


def test_history_lists_prints_in_constant_queries(shop):
    client = api_client(shop.admin)
    client.get(f"/api/v1/crm/contracts/{shop.contract.pk}/print/")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/printing/history/").status_code == 200
        return len(queries)

    count()  # the first request of a token also records its use
    one = count()
    for _ in range(3):
        client.get(f"/api/v1/crm/receipts/{shop.receipt.pk}/print/")
    assert count() == one
    rows = client.get("/api/v1/printing/history/").json()["results"]
    assert len(rows) == 4 and rows[0]["object_type"] == "crm.receipt"
