import csv
import io
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook
from stdnum.cn import uscc

from tandem.accounts.models import Department
from tandem.integrations.models import ImportJob
from tandem.integrations.services import jobs
from tandem.testing.kit import access_for, make_member


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def team(tenant):
    """销售部 headed by the manager 王磊 with two reps (陈晓, 刘洋); an administrator 李敏. All of them
    prefer English, so pages and API answers can be asserted in English (the tenant speaks Chinese)."""
    en = {"preferred_language": "en"}
    sales = Department.objects.create(tenant=tenant, name="销售部")
    manager = make_member(tenant, "sales_manager", department=sales, display_name="王磊", **en)
    sales.head = manager.user
    sales.save(update_fields=["head"])
    rep = make_member(tenant, "sales", department=sales, manager=manager.user, display_name="陈晓", **en)
    rep2 = make_member(tenant, "sales", department=sales, manager=manager.user, display_name="刘洋", **en)
    admin = make_member(tenant, "admin", display_name="李敏", **en)
    return SimpleNamespace(
        tenant=tenant,
        manager=manager,
        rep=rep,
        rep2=rep2,
        admin=admin,
        manager_access=access_for(manager),
        admin_access=access_for(admin),
        rep_access=access_for(rep),
    )


def credit_code(n: int) -> str:
    """A valid unified social credit code, different for each n."""
    body = f"914201007{n:08d}"[:17]
    return body + uscc.calc_check_digit(body)


def csv_upload(rows: list[list], name: str = "data.csv", encoding: str = "utf-8-sig") -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), content_type="text/csv")


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_upload(rows: list[list], name: str = "data.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, xlsx_bytes(rows))


def upload(access, object_type: str, file) -> ImportJob:
    return jobs.import_job_create(access=access, object_type=object_type, upload=file, language="en")


def checked(access, object_type: str, file, mapping: dict | None = None) -> ImportJob:
    """Upload, (optionally) map, and check: the job as the preview shows it."""
    job = upload(access, object_type, file)
    if mapping is not None:
        job = jobs.import_mapping_set(access=access, job=job, mapping=mapping)
    job = jobs.import_validation_start(access=access, job=job)
    job.refresh_from_db()
    return job


def imported(access, job: ImportJob, **kwargs) -> ImportJob:
    jobs.import_commit_start(access=access, job=job, **kwargs)
    job.refresh_from_db()
    return job
