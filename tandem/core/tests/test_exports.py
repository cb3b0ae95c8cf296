"""List exports: CSV with BOM, XLSX readable by openpyxl, field rules applied, formulas neutralised."""

import io

from openpyxl import load_workbook

from tandem.accounts.models import Role
from tandem.audit.models import SecurityEvent
from tandem.testing.kit import make_member, page_client


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_user_export_csv_masks_phone_for_a_masking_role(tenant):
    viewer = make_member(tenant, "admin")
    make_member(tenant, "sales", username="chenxiao", phone="13901023457", display_name="=HYPERLINK(1)")
    role = Role.objects.get(tenant=tenant, key="admin")
    role.field_rules = {"accounts.user.phone": "masked"}
    role.save()
    response = page_client(viewer).get("/accounts/users/export/?q=chenxiao")
    assert response.status_code == 200
    text = _content(response).decode("utf-8")
    assert text.startswith("\ufeff")
    assert "139****3457" in text and "13901023457" not in text
    assert "'=HYPERLINK(1)" in text  # would run as a formula in Excel otherwise
    assert SecurityEvent.objects.filter(kind="personal_data_export", detail__export="users").count() == 1


def test_user_export_xlsx_respects_filters(tenant):
    viewer = make_member(tenant, "owner")
    make_member(tenant, "sales", username="wanglei")
    make_member(tenant, "pm", username="zhaozq")
    response = page_client(viewer).get("/accounts/users/export/?fmt=xlsx&role=pm")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    usernames = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert usernames == ["zhaozq"]


def test_user_export_needs_export_permission(tenant):
    sales = make_member(tenant, "sales")
    assert page_client(sales).get("/accounts/users/export/").status_code == 403
