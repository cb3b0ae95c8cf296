"""List exports: filters and field rules apply, CSV and XLSX, permission crm.export_<model>, audited."""

import csv
import io

import pytest
from openpyxl import load_workbook

from tandem.accounts.models import Role
from tandem.audit.models import SecurityEvent
from tandem.crm.tests.factories import make_account, make_contact, make_deal, make_lead
from tandem.testing.kit import api_client, make_member

API = "/api/v1/crm/"


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content(response).decode("utf-8-sig"))))


def test_contacts_export_masks_and_hides_by_rule_and_is_a_security_event(team):
    account = make_account(team.tenant, team.rep.user, name="武汉地铁集团")
    make_contact(team.tenant, team.rep.user, account, name="张伟", mobile="13901023457", wechat="zw2026")
    role = Role.objects.get(tenant=team.tenant, key="sales")
    role.field_rules = {"crm.contact.mobile": "masked", "crm.contact.wechat": "hidden"}
    role.save()
    response = api_client(team.rep).get(f"{API}contacts/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="contacts-')
    header, row = csv_rows(response)
    assert "139****3457" in row and "13901023457" not in content(response).decode("utf-8-sig")
    assert len(header) == len(row) and "武汉地铁集团" in row
    assert "zw2026" not in row
    event = SecurityEvent.objects.get(kind="personal_data_export")
    assert event.detail["export"] == "contacts" and event.detail["format"] == "csv"


def test_deals_export_xlsx_follows_filters_and_scope(team):
    won = make_deal(team.tenant, team.rep.user, name="已赢商机", status="won")
    make_deal(team.tenant, team.rep.user, name="进行中")
    make_deal(team.tenant, team.rep2.user, name="同事的", status="won")
    response = api_client(team.rep).get(f"{API}deals/export/?fmt=xlsx&status=won")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(content(response))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == [won.name]


def test_formulas_are_neutralised(team):
    make_account(team.tenant, team.rep.user, name="=HYPERLINK(1)")
    _header, row = csv_rows(api_client(team.rep).get(f"{API}accounts/export/"))
    assert "'=HYPERLINK(1)" in row


@pytest.mark.parametrize(
    "name", ["accounts", "contacts", "leads", "deals", "activities", "contracts", "payment-milestones", "receipts"]
)
def test_every_export_needs_the_export_permission(team, name):
    pm = make_member(team.tenant, "pm")  # may view crm, may not export
    assert api_client(pm).get(f"{API}{name}/").status_code == 200
    response = api_client(pm).get(f"{API}{name}/export/")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/problem+json")
    assert api_client(team.rep).get(f"{API}{name}/export/?fmt=xlsx").status_code == 200


def test_lead_export_masks_phone(team):
    make_lead(team.tenant, team.rep.user, phone="13812345678")
    role = Role.objects.get(tenant=team.tenant, key="sales")
    role.field_rules = {"crm.lead.phone": "masked"}
    role.save()
    text = content(api_client(team.rep).get(f"{API}leads/export/")).decode("utf-8-sig")
    assert "138****5678" in text and "13812345678" not in text
