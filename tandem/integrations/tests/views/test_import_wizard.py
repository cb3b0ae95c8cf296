"""The import wizard in the browser's shoes: upload → map → preview and decide → progress → result."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.crm.models import Account
from tandem.crm.tests.factories import make_account
from tandem.integrations.choices import ImportStatus
from tandem.integrations.models import ImportJob, ImportRow
from tandem.integrations.services.progress import progress_set
from tandem.integrations.tests.conftest import credit_code, csv_upload, xlsx_bytes
from tandem.testing.kit import make_member, page_client


def text(response) -> str:
    return response.content.decode()


def english(membership):
    """A signed-in browser that chose English (the tenant's default is Chinese)."""
    client = page_client(membership)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_wizard_from_upload_to_result(team):
    make_account(team.tenant, team.rep.user, name="武汉地铁集团有限公司", credit_code=credit_code(7))
    client = english(team.manager)
    page = client.get("/imports/")
    assert page.status_code == 200 and "No imports yet." in text(page)
    assert 'href="/imports/"' in text(client.get("/"))  # in the navigation

    form = client.get("/imports/new/")
    assert 'value="crm.account"' in text(form) and 'value="crm.contract"' not in text(form)
    file = SimpleUploadedFile(
        "客户.xlsx",
        xlsx_bytes(
            [
                ["客户名称", "统一社会信用代码", "城市", "无关"],
                ["武汉地铁集团", credit_code(7), "武汉", "x"],
                ["上海瑞丰置业有限公司", "", "上海", "y"],
                ["坏代码公司", "123", "", ""],
            ]
        ),
    )
    response = client.post("/imports/new/", {"object_type": "crm.account", "file": file})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/"

    mapping = client.get(f"/imports/{job.pk}/")
    html = text(mapping)
    assert "Map columns" in html and 'id="mapping-form"' in html
    assert '<option value="name" selected>' in html and '<option value="credit_code" selected>' in html
    assert "武汉地铁集团" in html  # first values help choosing

    response = client.post(f"/imports/{job.pk}/mapping/", {"col_0": "name", "col_1": "credit_code", "col_2": "city"})
    assert response.status_code == 302
    preview = text(client.get(f"/imports/{job.pk}/"))
    assert (
        'id="count-valid">1<' in preview and 'id="count-matched">1<' in preview and 'id="count-invalid">1<' in preview
    )
    assert "Already exists:" in preview and "Not a valid unified social credit code" in preview
    assert f"/imports/{job.pk}/errors.csv" in preview

    errors_tab = client.get(f"/imports/{job.pk}/rows/?show=errors", HTTP_HX_REQUEST="true")
    assert "坏代码公司" in text(errors_tab) and "上海瑞丰置业" not in text(errors_tab)

    row = ImportRow.objects.get(job=job, number=2)
    saved = client.post(f"/imports/{job.pk}/decisions/", {"row": "2", "decision": "update"}, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200
    row.refresh_from_db()
    assert row.decision == "update"
    refused = client.post(f"/imports/{job.pk}/decisions/", {"row": "2", "decision": "create"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 400 and "Not possible for this row." in text(refused)

    response = client.post(f"/imports/{job.pk}/commit/")
    assert response.status_code == 302
    page = client.get(f"/imports/{job.pk}/", follow=True)
    assert "rows have errors" in text(page) or "row has errors" in text(page)
    assert not Account.objects.filter(name="上海瑞丰置业有限公司").exists()

    client.post(f"/imports/{job.pk}/commit/", {"skip_invalid": "1"})
    result = text(client.get(f"/imports/{job.pk}/"))
    assert 'id="import-done"' in result and "1 created, 1 updated, 1 skipped." in result
    assert Account.objects.get(credit_code=credit_code(7)).city == "武汉"
    report = client.get(f"/imports/{job.pk}/errors.csv")
    assert "坏代码公司" in b"".join(report.streaming_content).decode("utf-8-sig")
    listing = text(client.get("/imports/"))
    assert "客户.xlsx" in listing and "Done" in listing


def test_a_bad_file_shows_the_reason_on_the_form(team):
    client = english(team.manager)
    exe = SimpleUploadedFile("客户.csv", b"MZ\x90\x00" + b"\x00" * 64)
    response = client.post("/imports/new/", {"object_type": "crm.account", "file": exe})
    assert response.status_code == 200
    assert "This is not a CSV or Excel file: it looks like a program." in text(response)
    assert not ImportJob.objects.exists()


def test_the_mapping_form_refuses_a_field_twice(team):
    client = english(team.manager)
    client.post("/imports/new/", {"object_type": "crm.account", "file": csv_upload([["A", "B"], ["x", "y"]])})
    job = ImportJob.objects.get()
    response = client.post(f"/imports/{job.pk}/mapping/", {"col_0": "name", "col_1": "name"})
    assert response.status_code == 400 and "is chosen for two columns" in text(response)
    job.refresh_from_db()
    assert job.status == ImportStatus.UPLOADED


def test_progress_is_polled_every_second_and_the_page_reloads_when_done(team):
    client = english(team.manager)
    client.post("/imports/new/", {"object_type": "crm.account", "file": csv_upload([["客户名称"], ["上海建工"]])})
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.IMPORTING, valid_rows=400)
    progress_set(job.pk, 100, 400)
    page = text(client.get(f"/imports/{job.pk}/"))
    assert 'hx-trigger="every 1s"' in page and f'hx-get="/imports/{job.pk}/status/"' in page
    partial = client.get(f"/imports/{job.pk}/status/", HTTP_HX_REQUEST="true")
    assert 'style="width: 25%"' in text(partial) and "100 of 400 rows" in text(partial)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE)
    done = client.get(f"/imports/{job.pk}/status/", HTTP_HX_REQUEST="true")
    assert done["HX-Redirect"] == f"/imports/{job.pk}/"


def test_the_pages_speak_chinese(team):
    client = page_client(make_member(team.tenant, "sales_manager"))  # speaks the tenant's language
    assert "数据导入" in text(client.get("/"))
    html = text(client.get("/imports/new/"))
    assert "新建导入" in html and "上传并匹配列" in html
    exe = SimpleUploadedFile("客户.csv", b"%PDF-1.4 " + b"x" * 64)
    response = client.post("/imports/new/", {"object_type": "crm.account", "file": exe})
    assert "这不是 CSV 或 Excel 文件，看起来是PDF 文档。" in text(response)


def test_pages_need_an_import_permission_and_others_jobs_are_not_found(team):
    client = page_client(team.manager)
    client.post("/imports/new/", {"object_type": "crm.account", "file": csv_upload([["客户名称"], ["上海建工"]])})
    job = ImportJob.objects.get()
    pm = page_client(make_member(team.tenant, "foreman"))  # a role that imports nothing
    assert pm.get("/imports/").status_code == 403
    admin = page_client(team.admin)
    assert admin.get("/imports/").status_code == 200
    for url in (f"/imports/{job.pk}/", f"/imports/{job.pk}/status/", f"/imports/{job.pk}/errors.csv"):
        assert admin.get(url).status_code == 404
    assert admin.post(f"/imports/{job.pk}/commit/").status_code == 404


def test_a_refused_import_page_is_a_security_event(team):
    from tandem.audit.models import SecurityEvent, SecurityEventKind

    pm = make_member(team.tenant, "foreman")  # a role that imports nothing
    assert page_client(pm).get("/imports/new/").status_code == 403
    event = SecurityEvent.objects.get(kind=SecurityEventKind.ACCESS_DENIED)
    assert (event.tenant_id, event.user_id) == (team.tenant.pk, pm.user_id)
    assert event.detail == {"permission": "crm.import_*", "path": "/imports/new/", "method": "GET"}


@pytest.mark.parametrize("n", [3, 30])
def test_my_imports_list_has_a_constant_number_of_queries(team, n, django_assert_max_num_queries):
    for i in range(n):
        ImportJob.objects.create(
            tenant=team.tenant,
            object_type="crm.account",
            created_by=team.manager.user,
            file_name=f"f{i}.csv",
            file_format="csv",
        )
    client = page_client(team.manager)
    client.get("/imports/")
    with django_assert_max_num_queries(12):
        assert client.get("/imports/").status_code == 200
    from tandem.testing.kit import api_client

    api = api_client(team.manager)
    with django_assert_max_num_queries(8):
        assert api.get("/api/v1/imports/").json()["count"] == n


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_the_encoding_is_named_on_the_mapping_step_and_after_a_mapping_error(team, encoding):
    client = english(team.manager)
    file = csv_upload([["客户名称", "城市"], ["上海建工", "上海"]], encoding=encoding)
    client.post("/imports/new/", {"object_type": "crm.account", "file": file})
    job = ImportJob.objects.get()
    read_as = "CSV file read as GBK/GB18030." if encoding == "gbk" else "CSV file read as UTF-8 (BOM)."
    assert read_as in text(client.get(f"/imports/{job.pk}/"))
    refused = client.post(f"/imports/{job.pk}/mapping/", {"col_0": "name", "col_1": "name"})
    assert refused.status_code == 400
    assert read_as in text(refused) and "CSV file read as ." not in text(refused)


def test_a_malformed_csv_is_refused_on_the_upload_form_naming_the_line(team):
    client = english(team.manager)
    file = SimpleUploadedFile("客户.csv", '客户名称,城市\n"未闭合引号公司,杭州\n正常公司,苏州\n'.encode())
    response = client.post("/imports/new/", {"object_type": "crm.account", "file": file})
    assert response.status_code == 200
    assert "Line 2 opens a quote" in text(response)
    assert not ImportJob.objects.exists()


def test_a_pm_finds_the_import_under_costs_and_a_link_starts_with_its_type(tenant):
    pm = make_member(tenant, "pm")
    client = page_client(pm)
    home = text(client.get("/"))
    assert 'href="/imports/"' in home  # the PM imports bills of quantities, no CRM records
    page = client.get("/imports/new/?type=finance.budgetline")
    form = page.context["form"]
    assert form.fields["object_type"].initial == "finance.budgetline"
    assert {value for value, _label in form.fields["object_type"].choices} == {"finance.budgetline"}
    # A type the member may not import is not preselected.
    assert client.get("/imports/new/?type=crm.account").context["form"].fields["object_type"].initial != "crm.account"
    foreman = page_client(make_member(tenant, "foreman"))
    assert 'href="/imports/"' not in text(foreman.get("/"))
