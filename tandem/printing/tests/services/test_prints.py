"""Printing a record: the default templates' Chinese PDFs, pagination, the history and audit rows, permissions."""

from __future__ import annotations

import pytest

from tandem.audit.models import AuditEntry
from tandem.core.errors import ApplicationError, NotFound, PermissionDenied
from tandem.printing.models import PrintLog, PrintTemplate
from tandem.printing.services import prints as service
from tandem.printing.services import settings as settings_service
from tandem.printing.tests.conftest import make_signed_contract, pdf_fonts, pdf_pages, pdf_text
from tandem.testing.kit import access_for, make_member, make_tenant


def _print(access, record, object_type="crm.contract", **kwargs):
    return service.record_print(access=access, object_type=object_type, pk=record.pk, **kwargs)


def test_the_default_contract_prints_the_records_chinese_text_with_the_font_embedded(shop):
    settings_service.print_settings_update(
        access=shop.admin_access,
        company_name="杭州同舟智能科技有限公司",
        bank_name="招商银行",
        bank_account="5719 0001",
    )
    printed = _print(shop.rep_access, shop.contract)
    text = pdf_text(printed.pdf)
    for expected in (
        "施工安装合同",
        "合同编号：HT-2026-0088",
        "项目名称：滨江园区智能化改造",
        "甲方（发包方）",
        "杭州滨江园区管理有限公司",
        "杭州同舟智能科技有限公司",
        "人民币壹佰贰拾捌万元伍角整",
        "¥1,280,000.50",
        "网络摄像机 第3项",
        "第1期",
        "预付款",
        "竣工验收款",
        "甲方（盖章）",
        "乙方（盖章）",
        "授权代表（签字）：周经理",
    ):
        assert expected in text, expected
    assert any("WenQuanYi" in name and files for name, files in pdf_fonts(printed.pdf).items())
    assert printed.filename == "合同（标准）-HT-2026-0088 滨江园区智能化改造.pdf"


def test_the_default_receipt_prints_the_amount_in_capitals(shop):
    printed = _print(shop.finance_access, shop.receipt, "crm.receipt")
    text = pdf_text(printed.pdf)
    for expected in ("收款确认单", "人民币壹拾万元整", "¥100,000.00", "PZ-778", "招商银行", "预付款", "HT-2026-0088"):
        assert expected in text, expected


def test_a_200_line_contract_paginates_with_the_table_header_on_every_page(shop):
    contract = make_signed_contract(shop.tenant, shop.rep.user, lines=200, name="大型园区改造", number="HT-2026-0200")
    pages = pdf_pages(_print(shop.rep_access, contract).pdf)
    assert len(pages) >= 4
    line_pages = [page for page in pages if "网络摄像机" in page]
    assert len(line_pages) >= 3
    assert all("单价（元）" in page for page in line_pages)
    assert "网络摄像机 第200项" in pages[-1] or "网络摄像机 第200项" in "".join(pages[-2:])
    assert "¥600,000.00" in "".join(pages)  # the lines' total: 200 × 2 × 1,500


def test_a_print_is_written_to_the_history_and_the_audit_log(shop):
    printed = _print(shop.rep_access, shop.contract)
    log = PrintLog.objects.get()
    assert (log.object_type, log.object_id, log.printed_by, log.size) == (
        "crm.contract",
        str(shop.contract.pk),
        shop.rep.user,
        len(printed.pdf),
    )
    assert log.template.name == "合同（标准）"
    entry = AuditEntry.objects.filter(object_type="crm.contract", object_id=str(shop.contract.pk)).latest("id")
    assert entry.action == "export"
    assert entry.actor_id == shop.rep.user_id
    assert entry.after["print_template"] == "合同（标准）"


def test_printing_needs_the_print_permission(shop):
    with pytest.raises(PermissionDenied):
        _print(shop.nobody_access, shop.contract)
    pm = make_member(shop.tenant, "pm")  # sees contracts, may not print them
    with pytest.raises(PermissionDenied):
        _print(access_for(pm), shop.contract)
    assert not PrintLog.objects.exists()


def test_a_record_out_of_scope_or_of_another_tenant_is_not_found(shop):
    other_rep = make_member(shop.tenant, "sales")
    with pytest.raises(NotFound):
        _print(access_for(other_rep), shop.contract)
    outsider = make_member(make_tenant(), "admin")
    with pytest.raises(NotFound):
        _print(access_for(outsider), shop.contract)


def test_a_template_of_another_type_or_tenant_is_not_found(shop):
    _print(shop.rep_access, shop.contract)  # seeds the defaults
    receipt_template = PrintTemplate.objects.get(tenant=shop.tenant, object_type="crm.receipt")
    with pytest.raises(NotFound):
        _print(shop.rep_access, shop.contract, template_id=receipt_template.pk)
    with pytest.raises(NotFound):
        _print(shop.rep_access, shop.contract, template_id="abc")


def test_a_broken_template_is_a_clear_error_not_a_crash(shop):
    _print(shop.rep_access, shop.contract)
    template = PrintTemplate.objects.get(tenant=shop.tenant, object_type="crm.contract")
    PrintTemplate.objects.filter(pk=template.pk).update(body="<p>\n{% for x in %}")
    with pytest.raises(ApplicationError) as excinfo:
        _print(shop.rep_access, shop.contract)
    assert excinfo.value.errors["body"][0].startswith("line 2:")


def test_an_english_tenant_prints_english_labels(db):
    tenant = make_tenant(locale="en", name="Northwind Builders")
    rep = make_member(tenant, "sales")
    contract = make_signed_contract(tenant, rep.user, name="Riverside fit-out")
    text = pdf_text(_print(access_for(rep), contract).pdf)
    assert "Contract no.: HT-2026-0088" in text
    assert "Payment schedule" in text
    assert "Northwind Builders" in text
    assert "合同编号" not in text


def test_the_stamp_and_signature_images_reach_the_pdf(shop):
    from django.core.files.uploadedfile import SimpleUploadedFile

    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c63f8cfc0f00f0004850180848a8c21"
        "0000000049454e44ae426082"
    )
    settings_service.print_settings_update(
        access=shop.admin_access,
        images={
            "stamp": SimpleUploadedFile("seal.png", png, content_type="image/png"),
            "signature": SimpleUploadedFile("sign.png", png, content_type="image/png"),
        },
    )
    pdf = _print(shop.rep_access, shop.contract).pdf
    assert pdf.count(b"/Subtype /Image") >= 2
