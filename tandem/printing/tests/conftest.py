"""Printing fixtures: a signed contract with deal lines and a payment plan, a receipt, and PDF readers."""

from __future__ import annotations

import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone, translation

from tandem.crm.models import DealLine, Receipt
from tandem.crm.tests.factories import make_account, make_contract, make_deal, make_milestone
from tandem.testing.kit import access_for, make_member


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def pdf_text(pdf: bytes) -> str:
    """All text of a PDF as pypdf extracts it, pages joined."""
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def pdf_pages(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def pdf_fonts(pdf: bytes) -> dict[str, set[str]]:
    """Each font's base name → the font-file keys of its descriptor (FontFile2/FontFile3 when embedded)."""
    from pypdf import PdfReader

    fonts: dict[str, set[str]] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            keys = set(descriptor.get_object().keys()) if descriptor is not None else set()
            fonts[str(font["/BaseFont"])] = {k for k in keys if k.startswith("/FontFile")}
    return fonts


def make_signed_contract(tenant, owner, *, lines: int = 3, name: str = "滨江园区智能化改造", number="HT-2026-0088"):
    account = make_account(tenant, owner, name="杭州滨江园区管理有限公司", address="杭州市滨江区江南大道 1 号")
    deal = make_deal(tenant, owner, account, name=name)
    DealLine.objects.bulk_create(
        DealLine(
            tenant=tenant,
            deal=deal,
            product=f"网络摄像机 第{n}项",
            quantity=Decimal("2"),
            unit="台",
            unit_price=Decimal("1500.00"),
            sort_order=n,
        )
        for n in range(1, lines + 1)
    )
    contract = make_contract(
        tenant,
        owner,
        account,
        deal=deal,
        name=name,
        number=number,
        amount=Decimal("1280000.50"),
        customer_signatory="周经理",
        signed_on=timezone.localdate(),
    )
    make_milestone(contract, "384000.15", name="预付款", percent=Decimal("30"), sequence=1)
    make_milestone(contract, "896000.35", name="竣工验收款", percent=Decimal("70"), sequence=2)
    return contract


@pytest.fixture
def shop(tenant):
    """A sales rep's signed contract (3 lines, 2 periods) with one receipt; an admin; a member without roles."""
    rep = make_member(tenant, "sales", display_name="陈晓")
    admin = make_member(tenant, "admin", display_name="李敏")
    nobody = make_member(tenant)
    finance = make_member(tenant, "finance")
    contract = make_signed_contract(tenant, rep.user)
    period = contract.milestones.first()
    receipt = Receipt.objects.create(
        tenant=tenant,
        contract=contract,
        milestone=period,
        amount=Decimal("100000.00"),
        received_on=timezone.localdate(),
        bank="招商银行",
        reference="PZ-778",
        created_by=rep.user,
    )
    return SimpleNamespace(
        tenant=tenant,
        rep=rep,
        admin=admin,
        nobody=nobody,
        finance=finance,
        contract=contract,
        receipt=receipt,
        rep_access=access_for(rep),
        admin_access=access_for(admin),
        nobody_access=access_for(nobody),
        finance_access=access_for(finance),
    )
