"""Formula injection: a value such as =cmd|' /C calc'!A0 comes out of every export as text, not a formula."""

import csv
import io

import pytest
from openpyxl import load_workbook

from tandem.crm.tests.factories import make_account, make_contact, make_deal, make_lead
from tandem.integrations.models import ImportRow
from tandem.integrations.tests.conftest import checked, csv_upload
from tandem.testing.kit import api_client

PAYLOAD = "=cmd|' /C calc'!A0"
NEUTRALISED = "'" + PAYLOAD


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def cells_of(response, fmt: str) -> list:
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(content(response))).active
        return [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    return [cell for row in csv.reader(io.StringIO(content(response).decode("utf-8-sig"))) for cell in row]


@pytest.fixture
def poisoned(team):
    owner = team.rep.user
    account = make_account(team.tenant, owner, name=PAYLOAD)
    make_contact(team.tenant, owner, account, name=PAYLOAD)
    make_lead(team.tenant, owner, company=PAYLOAD)
    make_deal(team.tenant, owner, account, name=PAYLOAD)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("path", ["accounts", "contacts", "leads", "deals"])
def test_crm_exports_neutralise_formulas(team, poisoned, path, fmt):
    response = api_client(team.manager).get(f"/api/v1/crm/{path}/export/?fmt={fmt}")
    assert response.status_code == 200
    cells = cells_of(response, fmt)
    assert NEUTRALISED in cells
    assert PAYLOAD not in cells  # never as a bare formula
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(content(response))).active
        kinds = {cell.data_type for row in sheet.iter_rows() for cell in row if cell.value == NEUTRALISED}
        assert kinds == {"s"}  # a string cell, not a formula cell


def test_an_imported_formula_is_a_row_error_and_the_error_report_neutralises_it(team):
    file = csv_upload([["公司名称", "电话"], [PAYLOAD, "not a phone"], [PAYLOAD + "x", ""]])
    job = checked(team.manager_access, "crm.lead", file)
    assert ImportRow.objects.get(job=job, number=2).values == [PAYLOAD, "not a phone"]
    report = api_client(team.manager).get(f"/api/v1/imports/{job.pk}/error-report/")
    cells = cells_of(report, "csv")
    assert NEUTRALISED in cells and PAYLOAD not in cells


def test_a_formula_in_the_files_header_is_neutralised_in_the_error_report(team):
    file = csv_upload([["公司名称", PAYLOAD], ["上海建工", "not a phone"]])
    job = checked(team.manager_access, "crm.lead", file, mapping={"0": "company", "1": "phone"})
    assert job.invalid_rows == 1
    report = api_client(team.manager).get(f"/api/v1/imports/{job.pk}/error-report/")
    header = next(csv.reader(io.StringIO(content(report).decode("utf-8-sig"))))
    assert header[2] == NEUTRALISED and PAYLOAD not in header
