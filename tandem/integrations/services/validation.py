"""Checking every row of an import in the background: values, duplicates in the file and in the CRM.

The result is one `ImportRow` per data row (the file's text, the cleaned values, errors, the record
it may duplicate), written in batches; the job becomes `validated` only when all are written, so
the preview never shows half a check. Nothing in the CRM changes here.
"""

from __future__ import annotations

import logging
from collections import Counter

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tandem.core.errors import ApplicationError
from tandem.integrations.choices import ImportStatus, RowStatus
from tandem.integrations.imports.bulk import insert_rows
from tandem.integrations.imports.files import FileInfo, FileProblem, read_rows
from tandem.integrations.imports.importers import importer_for
from tandem.integrations.models import ImportJob, ImportRow
from tandem.integrations.services.jobs import file_problem_message
from tandem.integrations.services.progress import progress_clear, progress_set

logger = logging.getLogger(__name__)

BATCH = 2000
QUERY_CHUNK = 5000
SUMMARY_SIZE = 20


class JobFailed(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


def job_access(job: ImportJob):
    """The access of the member who started the job, as it is now (a removed role stops the work)."""
    from tandem.accounts.access import MembershipAccess
    from tandem.accounts.models import Membership

    membership = (
        Membership.objects.select_related("tenant", "user")
        .prefetch_related("roles")
        .filter(tenant_id=job.tenant_id, user_id=job.created_by_id, is_active=True)
        .first()
    )
    if membership is None:
        raise JobFailed(_("The member who started this import is no longer active here."))
    access = MembershipAccess(membership)
    if not access.has_perm(job.import_permission):
        raise JobFailed(_("You may no longer import this kind of record."))
    return access


def job_fail(job: ImportJob, message: str) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.FAILED, error_message=message, finished_at=timezone.now(), updated_at=timezone.now()
    )


def file_info(job: ImportJob) -> FileInfo:
    return FileInfo(
        format=job.file_format,
        encoding=job.encoding,
        delimiter=job.delimiter,
        headers=job.headers,
        header_row=job.header_row,
    )


def import_validate(*, job_id: int) -> None:
    """Check every row of a job queued for checking; the job ends `validated` or `failed` with a reason."""
    job = ImportJob.objects.filter(pk=job_id, status=ImportStatus.VALIDATING).first()
    if job is None:
        return
    with translation.override(job.language):
        try:
            _validate(job)
        except FileProblem as problem:
            _discard(job)
            job_fail(job, file_problem_message(problem))
        except (JobFailed, ApplicationError) as exc:
            _discard(job)
            job_fail(job, exc.message)
        except Exception:
            logger.exception("import %s: the check failed", job.pk)
            _discard(job)
            job_fail(
                job, _("An unexpected error stopped the check (import #%(id)d). Nothing was imported.") % {"id": job.pk}
            )
        finally:
            progress_clear(job.pk)


def _discard(job: ImportJob) -> None:
    ImportRow.objects.filter(tenant_id=job.tenant_id, job=job).delete()


def _validate(job: ImportJob) -> None:
    access = job_access(job)
    importer = importer_for(job.object_type)(access=access)
    columns = sorted((int(column), key) for column, key in job.mapping.items())
    importer.prepare([key for _column, key in columns])
    _discard(job)
    counts: Counter = Counter()
    summary: Counter = Counter()
    matched: set[int] = set()
    batch: list[tuple] = []
    total = 0
    now = timezone.now()
    tenant_id, job_id = job.tenant_id, job.pk
    with job.file.open("rb") as stream:
        for number, cells in read_rows(stream, file_info(job), max_rows=settings.TANDEM_IMPORT_MAX_ROWS):
            width = len(cells)
            values = [cells[column] if column < width else "" for column, _key in columns]
            raw = {key: value for (_column, key), value in zip(columns, values, strict=True)}
            data, errors = importer.clean(raw)
            if not errors:
                errors = importer.in_file(data, number)
            match = None
            if errors:
                status, data = RowStatus.INVALID, {}
                summary.update((field, message) for field, message in errors)
            else:
                match = importer.match(data)
                status = RowStatus.VALID if match is None else RowStatus.MATCHED
                data = {k: v for k, v in data.items() if not k.startswith("_")}
            if match is None:
                batch.append((tenant_id, job_id, number, status, values, data, errors, None, "", "", 0, False, now))
            else:
                matched.add(match.record_id)
                batch.append(
                    (tenant_id, job_id, number, status, values, data, errors, match.record_id, match.label[:300])
                    + (match.reason, match.score, match.exact, now)
                )
            counts[status] += 1
            total += 1
            if len(batch) >= BATCH:
                _flush(batch)
                progress_set(job.pk, total, job.total_rows)
    _flush(batch)
    if not total:
        raise FileProblem("header_only")
    _mark_updatable(job, importer.updatable(sorted(matched)))
    labels = {f.key: str(f.label) for f in importer.field_list()}
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.VALIDATED,
        total_rows=total,
        valid_rows=counts[RowStatus.VALID],
        invalid_rows=counts[RowStatus.INVALID],
        matched_rows=counts[RowStatus.MATCHED],
        errors=[
            {"field": field, "label": labels.get(field, field), "message": message, "count": n}
            for (field, message), n in summary.most_common(SUMMARY_SIZE)
        ],
        validated_at=timezone.now(),
        updated_at=timezone.now(),
    )


ROW_FIELDS = [
    "tenant_id",
    "job_id",
    "number",
    "status",
    "values",
    "data",
    "errors",
    "match_id",
    "match_label",
    "match_reason",
    "match_score",
    "match_exact",
    "created_at",
]


def _flush(batch: list[tuple]) -> None:
    if batch:
        fields = [*ROW_FIELDS, "updated_at", "can_update", "decision"]
        with transaction.atomic():
            insert_rows(ImportRow, fields, [(*row, row[-1], False, "") for row in batch])
        batch.clear()


def _mark_updatable(job: ImportJob, ids: set[int]) -> None:
    ids = sorted(ids)
    for start in range(0, len(ids), QUERY_CHUNK):
        ImportRow.objects.filter(
            tenant_id=job.tenant_id, job=job, status=RowStatus.MATCHED, match_id__in=ids[start : start + QUERY_CHUNK]
        ).update(can_update=True)
