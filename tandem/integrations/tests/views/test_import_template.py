"""Import templates: one per object type, linked from the import page, and a filled-in template imports."""

import csv
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from tandem.accounts.models import Role
from tandem.crm.models import Account, Contact, Deal, Lead
from tandem.crm.tests.factories import make_account
from tandem.integrations.choices import ImportStatus
from tandem.integrations.tests.conftest import checked, imported
from tandem.testing.kit import access_for, make_member, page_client

TYPES = {"crm.account": Account, "crm.contact": Contact, "crm.lead": Lead, "crm.deal": Deal}


def browser(membership, language: str):
    client = page_client(membership)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def download(client, object_type: str, fmt: str):
    response = client.get("/imports/template/", {"type": object_type, "fmt": fmt})
    assert response.status_code == 200
    name = object_type.split(".")[1]
    assert response["Content-Disposition"].startswith(f'attachment; filename="import-template-{name}')
    return response


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def visible_account(team):
    return make_account(team.tenant, team.manager.user, name="武汉地铁集团有限公司")


def test_the_import_page_links_a_template_per_type(team):
    html = browser(team.manager, "en").get("/imports/new/").content.decode()
    for object_type in TYPES:
        for fmt in ("xlsx", "csv"):
            assert f'href="/imports/template/?type={object_type}&amp;fmt={fmt}"' in html
    assert "Import templates" in html


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("object_type", TYPES)
def test_the_excel_template_has_the_columns_an_example_and_their_meaning_and_imports_cleanly(
    team, visible_account, object_type, language
):
    response = download(browser(team.manager, language), object_type, "xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(content(response)))
    sheet, help_sheet = book.worksheets
    headers, example = ([cell.value for cell in row] for row in sheet.iter_rows(max_row=2))
    assert len(headers) == len(example) and all(headers)
    help_rows = list(help_sheet.iter_rows(min_row=4, values_only=True))
    assert [row[1] for row in help_rows] == headers  # one line of help per column, in order

    if language == "zh-hans":
        owner = help_rows[headers.index("负责人")]
        assert owner[3].startswith("负责该记录的成员")  # what the column holds, in Chinese
        assert "老板" not in headers
    else:
        assert "Owner" in headers
    upload = SimpleUploadedFile("template.xlsx", content(response))
    _imports_one_record(team, object_type, upload, len(headers))


@pytest.mark.parametrize("object_type", TYPES)
def test_the_csv_template_imports_cleanly_in_the_other_language(team, visible_account, object_type):
    response = download(browser(team.manager, "en"), object_type, "csv")
    text = content(response).decode("utf-8-sig")
    headers, example = list(csv.reader(io.StringIO(text)))
    assert len(headers) == len(example)
    # Downloaded in English, uploaded by someone working in Chinese: the columns still map themselves.
    upload = SimpleUploadedFile("template.csv", text.encode("utf-8-sig"))
    from django.utils import translation

    with translation.override("zh-hans"):
        _imports_one_record(team, object_type, upload, len(headers))


def _imports_one_record(team, object_type, upload, width):
    job = checked(team.manager_access, object_type, upload)
    assert len(job.mapping) == width  # every column found its field
    assert job.status == ImportStatus.VALIDATED, job.error_message
    assert (job.total_rows, job.invalid_rows) == (1, 0), job.errors
    job = imported(team.manager_access, job, skip_invalid=False)
    assert job.status == ImportStatus.DONE, job.error_message
    assert job.created_count + job.updated_count + job.skipped_count == 1
    assert TYPES[object_type].objects.filter(tenant=team.tenant).exists()


def test_the_deal_template_names_the_default_pipeline_and_a_visible_account(team, visible_account):
    from tandem.crm.services.pipelines import pipeline_default

    pipeline = pipeline_default(tenant=team.tenant)
    text = content(download(browser(team.manager, "en"), "crm.deal", "csv")).decode("utf-8-sig")
    row = dict(zip(*csv.reader(io.StringIO(text)), strict=True))
    assert row["Account *"] == "武汉地铁集团有限公司"
    assert row["Pipeline"] == pipeline.name
    assert row["Owner"] == team.manager.user.username


def test_only_the_templates_of_types_the_member_may_import(team):
    role = Role.objects.create(
        tenant=team.tenant, key="contact_importer", name="Contact importer", permissions=["crm.import_contact"]
    )
    member = make_member(team.tenant)
    member.roles.add(role)
    client = browser(member, "en")
    html = client.get("/imports/new/").content.decode()
    assert "type=crm.contact&amp;fmt=xlsx" in html and "type=crm.account" not in html
    assert client.get("/imports/template/", {"type": "crm.account"}).status_code == 404
    assert client.get("/imports/template/", {"type": "crm.contact", "fmt": "csv"}).status_code == 200
    assert access_for(member).has_perm("crm.import_contact")
    nobody = browser(make_member(team.tenant, "foreman"), "en")
    assert nobody.get("/imports/template/", {"type": "crm.contact"}).status_code == 403
