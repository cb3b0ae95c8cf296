"""A 10k-row workbook against 2k existing accounts: checked and committed with a bounded number of queries.

Timing belongs to `bench/imports.py` (100k rows on PostgreSQL); here the guard is that neither the
check nor the commit issues queries per row.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.audit.models import AuditEntry
from tandem.crm.models import Account
from tandem.integrations.choices import ImportStatus
from tandem.integrations.services import jobs
from tandem.integrations.tests.conftest import credit_code, upload, xlsx_upload

ROWS = 10_000
EXISTING = 2_000


def company(i: int) -> str:
    return f"华东{i:05d}号机电设备工程有限公司"


def test_ten_thousand_rows(team):
    Account.objects.bulk_create(
        Account(tenant=team.tenant, owner=team.rep.user, name=company(i), credit_code=credit_code(i))
        for i in range(EXISTING)
    )
    rows = [["客户名称", "统一社会信用代码", "城市", "负责人"]]
    # The first 1,000 rows are existing accounts (same credit code); the rest are new, unlike any existing name.
    rows += [[company(i), credit_code(i), "上海", "陈晓"] for i in range(EXISTING // 2, EXISTING)]
    rows += [[f"Acme Trading {i:05d} Co., Ltd.", "", "上海", "陈晓"] for i in range(ROWS - EXISTING // 2)]
    job = upload(team.manager_access, "crm.account", xlsx_upload(rows))
    with CaptureQueriesContext(connection) as checking:
        job = jobs.import_validation_start(access=team.manager_access, job=job)
    assert job.status == ImportStatus.VALIDATED, job.error_message
    assert (job.total_rows, job.matched_rows, job.valid_rows) == (ROWS, EXISTING // 2, ROWS - EXISTING // 2)
    with CaptureQueriesContext(connection) as committing:
        jobs.import_commit_start(access=team.manager_access, job=job)
    job.refresh_from_db()
    assert (job.status, job.created_count, job.skipped_count) == (ImportStatus.DONE, ROWS - EXISTING // 2, 1000)
    assert Account.objects.filter(tenant=team.tenant).count() == EXISTING + ROWS - EXISTING // 2
    assert AuditEntry.objects.filter(object_type="crm.account").count() == ROWS - EXISTING // 2
    # Batched writes: SQLite takes at most 999 parameters a statement (about 37 accounts), PostgreSQL 1,000 rows.
    assert len(checking.captured_queries) < ROWS // 15, len(checking.captured_queries)
    assert len(committing.captured_queries) < ROWS // 15, len(committing.captured_queries)
