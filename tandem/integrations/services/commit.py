"""Writing a checked import: every row in one transaction, in batches, audited, one event — or nothing.

Rows are read back from the check in batches; each batch's new records go in with one bulk
insert (COPY on PostgreSQL, see `tandem.integrations.imports.bulk`), its updates with one `bulk_update`,
and its audit rows (one per record, as a service would write them) with one more bulk insert.
Any error rolls the whole transaction back, so a failed import leaves no record, no audit row
and no event behind.
"""

from __future__ import annotations

import logging
from collections import Counter

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction, AuditEntry
from tandem.core import context
from tandem.core.errors import ApplicationError
from tandem.core.events import emit
from tandem.core.masking import mask
from tandem.integrations import events
from tandem.integrations.choices import ImportStatus, RowDecision, RowStatus
from tandem.integrations.imports.bulk import bulk_insert, insert_rows
from tandem.integrations.imports.importers import CommitRefused, importer_for
from tandem.integrations.models import ImportJob, ImportRow
from tandem.integrations.services.progress import progress_clear, progress_set
from tandem.integrations.services.validation import JobFailed, job_access, job_fail

logger = logging.getLogger(__name__)

BATCH = 2000
_encoder = DjangoJSONEncoder()
_SKIP = {"updated_at"}
_PLAIN = (str, int, float, bool, type(None), list, dict)
AUDIT_FIELDS = [
    "tenant_id",
    "object_type",
    "object_id",
    "object_repr",
    "action",
    "before",
    "after",
    "actor_id",
    "actor_name",
    "request_id",
    "ip",
    "created_at",
]


def record_snapshot(obj) -> dict:
    """The audited state of a record, as `tandem.audit.services.audit.snapshot` writes it.

    Imports only set concrete fields, so many-to-many fields (one query per record there) are
    left out; values are made JSON-safe directly instead of by a JSON round trip per record.
    """
    sensitive = obj.sensitive_fields
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in _SKIP:
            continue
        value = field.value_from_object(obj)
        if field.name in sensitive:
            value = mask(value, sensitive[field.name])
        elif not isinstance(value, _PLAIN):
            value = _encoder.default(value)
        data[field.attname if field.is_relation else field.name] = value
    return data


class _Writer:
    """The audit rows, counts and progress of one commit."""

    def __init__(self, job: ImportJob, access, importer):
        self.job, self.access, self.importer = job, access, importer
        self.model = importer.model
        self.actor = access.membership.user
        self.actor_name = str(self.actor)[:150]
        self.ctx = context.current()
        self.counts: Counter = Counter()
        self.created_ids: set[int] = set()
        self.now = timezone.now()

    def audit(self, obj, action: str, before: dict | None, after: dict | None) -> tuple:
        """One audit row (in AUDIT_FIELDS order), as `audit_record` would write it."""
        return (
            self.job.tenant_id,
            obj._meta.label_lower,
            str(obj.pk),
            str(obj)[:200],
            action,
            before,
            after,
            self.actor.pk,
            self.actor_name,
            self.ctx.request_id,
            self.ctx.ip,
            self.now,
        )

    def write(self, rows: list[tuple]) -> None:
        creates: list[dict] = []
        updates: list[tuple[int, dict]] = []
        job = self.job
        for status, data, match_id, match_exact, can_update, decision in rows:
            if status == RowStatus.VALID:
                creates.append(data)
                continue
            decision = decision or job.default_decision
            if decision == RowDecision.CREATE and not match_exact:
                creates.append(data)
            elif decision == RowDecision.UPDATE and can_update:
                updates.append((match_id, data))
            else:
                self.counts["skipped"] += 1
        if self.importer.writes_itself:
            created, updated = self.importer.write(creates, updates)
            self.created_ids.update(obj.pk for obj in created)
            self.counts["created"] += len(created)
            self.counts["updated"] += updated
            return
        audit: list[tuple] = []
        if creates:
            self.importer.before_batch(creates)
            objects = [self.importer.build(data, self.now) for data in creates]
            bulk_insert(self.model, objects)
            self.importer.after_create(objects, creates)
            self.created_ids.update(obj.pk for obj in objects)
            self.counts["created"] += len(objects)
            audit.extend(self.audit(obj, AuditAction.CREATE, None, record_snapshot(obj)) for obj in objects)
        if updates:
            audit.extend(self._update(updates))
        insert_rows(AuditEntry, AUDIT_FIELDS, audit)

    def _update(self, updates: list[tuple[int, dict]]) -> list[tuple]:
        found = self.model.objects.filter(tenant_id=self.job.tenant_id).in_bulk([pk for pk, _data in updates])
        if len(found) < len({pk for pk, _data in updates}):
            raise CommitRefused(_("Some of the records to update were deleted since the check; check the file again."))
        changed_objects, fields, audit, rows = [], set(), [], []
        for pk, data in updates:
            obj = found[pk]
            before = record_snapshot(obj)
            changed = self.importer.update(obj, data)
            rows.append(data)
            self.counts["updated"] += 1
            if not changed:
                continue
            obj.updated_at = self.now
            changed_objects.append(obj)
            fields.update(changed)
            after = record_snapshot(obj)
            keys = [k for k in after if before.get(k) != after.get(k)]
            audit.append(
                self.audit(obj, AuditAction.UPDATE, {k: before.get(k) for k in keys}, {k: after[k] for k in keys})
            )
        if changed_objects:
            self.model.objects.bulk_update(changed_objects, sorted({*fields, "updated_at"}), batch_size=1000)
        self.importer.after_update([found[pk] for pk, _data in updates], rows)
        return audit


def import_commit(*, job_id: int) -> None:
    """Write a job queued for import; it ends `done`, or `failed` with nothing written."""
    job = ImportJob.objects.filter(pk=job_id, status=ImportStatus.IMPORTING).first()
    if job is None:
        return
    token = context.activate(context.RequestContext(request_id=f"import-{job.pk}", ip=job.client_ip))
    try:
        with translation.override(job.language):
            try:
                _commit(job)
            except (CommitRefused, JobFailed, ApplicationError) as exc:
                job_fail(job, _("Nothing was imported: %(reason)s") % {"reason": exc.message})
            except Exception:
                logger.exception("import %s: the commit failed", job.pk)
                job_fail(
                    job,
                    _("An unexpected error stopped the import (import #%(id)d). Nothing was imported.")
                    % {"id": job.pk},
                )
    finally:
        progress_clear(job.pk)
        context.deactivate(token)


def _commit(job: ImportJob) -> None:
    access = job_access(job)
    importer = importer_for(job.object_type)(access=access)
    total = job.valid_rows + job.matched_rows
    rows = (
        ImportRow.objects.filter(tenant_id=job.tenant_id, job=job, status__in=(RowStatus.VALID, RowStatus.MATCHED))
        .order_by("number")
        .values_list("status", "data", "match_id", "match_exact", "can_update", "decision")
    )
    with transaction.atomic():
        importer.prepare_commit()
        writer = _Writer(job, access, importer)
        done = 0
        batch: list[tuple] = []
        for row in rows.iterator(chunk_size=BATCH):
            batch.append(row)
            if len(batch) >= BATCH and not importer.writes_itself:  # services take the rows as a whole
                writer.write(batch)
                done += len(batch)
                batch = []
                progress_set(job.pk, done, total)
        writer.write(batch)
        importer.finish_commit(created_ids=writer.created_ids, since=job.validated_at)
        counts = writer.counts
        skipped = counts["skipped"] + job.invalid_rows
        summary = {
            "object_type": job.object_type,
            "file": job.file_name,
            "created": counts["created"],
            "updated": counts["updated"],
            "skipped": skipped,
        }
        job_audit = writer.audit(
            job, AuditAction.UPDATE, {"status": ImportStatus.IMPORTING}, {"status": "done", **summary}
        )
        insert_rows(AuditEntry, AUDIT_FIELDS, [job_audit])
        emit(
            events.IMPORT_COMPLETED,
            tenant=access.membership.tenant,
            actor=writer.actor,
            payload={"job_id": job.pk, **summary},
        )
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.DONE,
            created_count=counts["created"],
            updated_count=counts["updated"],
            skipped_count=skipped,
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
