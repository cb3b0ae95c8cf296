"""Bad files change nothing; a commit that fails anywhere leaves nothing behind."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.audit.models import AuditEntry
from tandem.core.errors import ApplicationError
from tandem.core.models import OutboxEvent
from tandem.crm.models import Account, CrmSettings
from tandem.crm.tests.factories import make_account
from tandem.integrations.choices import ImportStatus, RowDecision
from tandem.integrations.imports.importers.accounts import AccountImporter
from tandem.integrations.models import ImportJob, ImportRow
from tandem.integrations.services import commit, jobs
from tandem.integrations.services.progress import progress_get
from tandem.integrations.tests.conftest import checked, csv_upload, imported, xlsx_bytes


def _zip(**parts) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


BAD_FILES = {
    "program renamed .csv": ("setup.csv", b"MZ\x90\x00" + b"\x00" * 200, "looks like a program"),
    "PDF": ("客户.csv", b"%PDF-1.4\n" + b"x" * 100, "looks like a PDF document"),
    "old Excel": ("客户.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "save it as .xlsx"),
    "empty": ("empty.csv", b"", "The file is empty."),
    "only blank lines": ("blank.csv", b"\r\n\r\n  \r\n", "The file is empty."),
    "header only": ("header.csv", "客户名称,城市\r\n".encode(), "header row but no data rows"),
    "header only workbook": ("header.xlsx", xlsx_bytes([["客户名称", "城市"]]), "header row but no data rows"),
    "broken workbook": ("broken.xlsx", xlsx_bytes([["客户名称"], ["上海建工"]])[:300], "damaged"),
    "zip that is no workbook": ("docs.xlsx", _zip(**{"word/document.xml": "<x/>"}), "not an Excel workbook"),
    "mixed encodings": (
        "mixed.csv",
        "客户名称\n上海建工\n".encode() + "武汉地铁\n".encode("gbk"),
        "mixes text encodings (line 3",
    ),
    "wrong extension": ("客户.docx", "客户名称\n上海建工\n".encode(), "Upload a .csv or .xlsx file."),
    "unclosed quote": (
        "quote.csv",
        '客户名称,城市\n上海建工,上海\n"未闭合引号公司,杭州\n正常公司,苏州\n'.encode(),
        'Line 3 opens a quote (") that is never closed',
    ),
    "text after a closing quote": (
        "quote.csv",
        '客户名称,城市\n"上海"建工,上海\n'.encode(),
        "Line 2 has text right after a closing quote",
    ),
    "a row with more cells than the header": (
        "ragged.csv",
        "客户名称,城市\n上海建工,上海\n武汉地铁,集团,武汉\n".encode(),
        "as many cells as the header (2): line 3 has 3 cells.",
    ),
    "rows with fewer cells than the header": (
        "ragged.csv",
        "客户名称,城市,地址\n上海建工\n武汉地铁,武汉,\n杭州公司,杭州\n".encode(),
        "as many cells as the header (3): line 2 has 1 cell, line 4 has 2 cells.",
    ),
    "BOM followed by GBK": (
        "bom-gbk.csv",
        b"\xef\xbb\xbf" + "客户名称,城市\n上海建工,上海\n".encode("gbk"),
        "marked as UTF-8 but line 1 is not UTF-8",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_bad_files_get_a_clear_message_and_change_nothing(team, case, settings):
    name, data, message = BAD_FILES[case]
    with pytest.raises(ApplicationError) as refused:
        jobs.import_job_create(
            access=team.manager_access, object_type="crm.account", upload=SimpleUploadedFile(name, data)
        )
    assert message in refused.value.message
    assert refused.value.errors == {"file": [refused.value.message]}
    assert not ImportJob.objects.exists()
    assert not Account.objects.exists()
    media = settings.MEDIA_ROOT
    assert not (media / "imports").exists() or not any((media / "imports").rglob("*.*"))


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(team, settings):
    settings.TANDEM_IMPORT_MAX_BYTES = 1024
    big = csv_upload([["客户名称"], *[[f"公司{i}"] for i in range(200)]])
    with pytest.raises(ApplicationError, match="larger than 1.0"):
        jobs.import_job_create(access=team.manager_access, object_type="crm.account", upload=big)
    assert not ImportJob.objects.exists()


def test_too_many_rows_csv_at_upload_workbook_at_check(team, settings):
    settings.TANDEM_IMPORT_MAX_ROWS = 5
    rows = [["客户名称"], *[[f"公司{i}"] for i in range(6)]]
    with pytest.raises(ApplicationError, match="more than 5 data rows"):
        jobs.import_job_create(access=team.manager_access, object_type="crm.account", upload=csv_upload(rows))
    workbook = SimpleUploadedFile("big.xlsx", xlsx_bytes(rows))
    job = checked(team.manager_access, "crm.account", workbook)
    assert job.status == ImportStatus.FAILED
    assert "more than 5 data rows" in job.error_message
    assert not ImportRow.objects.filter(job=job).exists()
    assert not Account.objects.exists()


NAMES = ["宏泰建设", "瑞丰置业", "蓝海数据", "金诚物流", "鼎盛医疗", "泰和酒店"]
NAMES += ["锦程热电", "博远教育", "众诚机械", "润泽新能源", "汇通轨道", "天成商业"]


def file_of(n):
    return csv_upload([["客户名称", "城市"], *[[f"武汉{NAMES[i]}有限公司", "武汉"] for i in range(n)]])


def test_a_failure_in_the_middle_writes_nothing(team, monkeypatch):
    monkeypatch.setattr(commit, "BATCH", 3)
    job = checked(team.manager_access, "crm.account", file_of(10))
    build = AccountImporter.build

    def failing_build(self, data, now):
        if data["name"] == "武汉博远教育有限公司":  # batches 1 and 2 are already written by now
            raise RuntimeError("disk full")
        return build(self, data, now)

    monkeypatch.setattr(AccountImporter, "build", failing_build)
    job = imported(team.manager_access, job)
    assert job.status == ImportStatus.FAILED
    assert job.error_message == f"An unexpected error stopped the import (import #{job.pk}). Nothing was imported."
    assert "disk full" not in job.error_message  # internals stay in the log
    assert not Account.objects.exists()
    assert not AuditEntry.objects.filter(object_type__in=["crm.account", "integrations.importjob"]).exists()
    assert not OutboxEvent.objects.exists()
    assert progress_get(job.pk) == {"done": 0, "total": None}


@pytest.mark.django_db(transaction=True)
def test_a_failure_in_the_middle_rolls_back_a_real_transaction(team, monkeypatch):
    monkeypatch.setattr(commit, "BATCH", 4)
    job = checked(team.manager_access, "crm.account", file_of(12))
    real_insert = commit.insert_rows
    calls = []

    def failing_audit(model, fields, rows):
        calls.append(len(rows))
        if len(calls) == 2:
            raise RuntimeError("audit table unavailable")
        return real_insert(model, fields, rows)

    monkeypatch.setattr(commit, "insert_rows", failing_audit)
    job = imported(team.manager_access, job)
    assert calls == [4, 4]
    assert job.status == ImportStatus.FAILED
    assert Account.objects.count() == 0 and OutboxEvent.objects.count() == 0
    assert not AuditEntry.objects.filter(object_type__in=["crm.account", "integrations.importjob"]).exists()


def test_an_account_created_meanwhile_stops_the_import(team):
    job = checked(team.manager_access, "crm.account", file_of(3))
    make_account(team.tenant, team.rep.user, name="武汉瑞丰置业有限公司")  # someone was quicker
    job = imported(team.manager_access, job)
    assert job.status == ImportStatus.FAILED
    assert job.error_message == (
        "Nothing was imported: 武汉瑞丰置业有限公司 was created by someone else after the check; check the file again."
    )
    assert Account.objects.count() == 1
    # After a failed commit the file can be checked again (now it finds the duplicate).
    job = jobs.import_validation_start(access=team.manager_access, job=job)
    assert (job.status, job.valid_rows, job.matched_rows) == (ImportStatus.VALIDATED, 2, 1)


def test_a_record_deleted_before_its_update_stops_the_import(team):
    account = make_account(team.tenant, team.rep.user, name="武汉宏泰建设有限公司")
    job = checked(team.manager_access, "crm.account", file_of(2))
    jobs.import_decisions_set(access=team.manager_access, job=job, default=RowDecision.UPDATE)
    from tandem.records.services.recycle_bin import record_soft_delete

    record_soft_delete(access=team.admin_access, obj=account)
    job = imported(team.manager_access, job)
    assert job.status == ImportStatus.FAILED and "deleted since the check" in job.error_message
    assert Account.objects.count() == 0


def test_the_owner_cap_applies_to_the_whole_import(team):
    CrmSettings.objects.update_or_create(tenant=team.tenant, defaults={"max_owned_accounts": 2})
    job = imported(team.manager_access, checked(team.manager_access, "crm.account", file_of(3)))
    assert job.status == ImportStatus.FAILED
    assert "王磊 would own 3 accounts, more than the limit of 2" in job.error_message
    assert not Account.objects.exists()


def test_committing_twice_imports_once(team):
    job = checked(team.manager_access, "crm.account", file_of(2))
    job = imported(team.manager_access, job)
    again = jobs.import_commit_start(access=team.manager_access, job=job)
    assert again.status == ImportStatus.DONE and Account.objects.count() == 2
    with pytest.raises(ApplicationError, match="Done"):
        jobs.import_validation_start(access=team.manager_access, job=job)


def test_the_check_stops_when_the_member_lost_the_right_to_import(team):
    job = jobs.import_job_create(
        access=team.manager_access, object_type="crm.account", upload=file_of(2), language="en"
    )
    team.manager.roles.clear()
    from tandem.integrations.services.validation import import_validate

    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.VALIDATING)
    import_validate(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.error_message == "You may no longer import this kind of record."
