"""The steps of an import the caller takes: upload, map columns, check, decide, commit.

Checking and committing run in the background (`tandem.integrations.tasks`); these services
move the job to its next status and queue the work, and refuse a step out of order.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from tandem.core.errors import ApplicationError, Conflict
from tandem.core.services import require
from tandem.integrations.choices import ImportObjectType, ImportStatus, RowDecision, RowStatus, import_permission
from tandem.integrations.imports import files
from tandem.integrations.imports.importers import importer_for
from tandem.integrations.imports.mapping import remember, suggest
from tandem.integrations.models import ImportJob, ImportMapping, ImportRow
from tandem.integrations.services.progress import progress_set

ALLOWED_EXTENSIONS = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm")
MAX_REMEMBERED_HEADERS = 500
MAPPABLE = (ImportStatus.UPLOADED, ImportStatus.MAPPED, ImportStatus.VALIDATED, ImportStatus.FAILED)


def file_problem_message(problem: files.FileProblem) -> str:
    """What is wrong with an uploaded file, in words its owner can act on."""
    params = problem.params
    kinds = {
        "program": _("a program"),
        "pdf": _("a PDF document"),
        "xls": _("an Excel 97–2003 workbook (.xls)"),
        "image": _("an image"),
        "archive": _("a compressed archive"),
        "rtf": _("a Word (RTF) document"),
    }
    messages = {
        "empty": _("The file is empty."),
        "header_only": _("The file has a header row but no data rows."),
        "wrong_type": _("This is not a CSV or Excel file: it looks like %(kind)s.")
        % {"kind": kinds.get(params.get("kind"), _("another kind of file"))},
        "too_many_rows": _("The file has more than %(n)s data rows; split it into smaller files.")
        % {"n": f"{params.get('max_rows', 0):,}"},
        "not_text": _("This is not a text (CSV) file; save it from Excel as CSV UTF-8 or as .xlsx."),
        "mixed_encoding": _(
            "The file mixes text encodings (line %(line)s is not UTF-8 while other lines are): "
            "save it again as CSV UTF-8."
        )
        % {"line": params.get("line", "?")},
        "bom_not_utf8": _(
            "The file is marked as UTF-8 but line %(line)s is not UTF-8 (it looks like GBK): "
            "save it again as CSV UTF-8."
        )
        % {"line": params.get("line", "?")},
        "unknown_encoding": _("The text is neither UTF-8 nor GBK/GB18030; save it from Excel as CSV UTF-8."),
        "bad_csv": _("The CSV file is malformed near line %(line)s (an unclosed quote?).")
        % {"line": params.get("line", "?")},
        "unclosed_quote": _(
            'Line %(line)s opens a quote (") that is never closed, so every line after it would become one value. '
            "Close or remove the quote and upload the file again."
        )
        % {"line": params.get("line", "?")},
        "stray_quote": _(
            'Line %(line)s has text right after a closing quote ("). A quote inside a quoted value is written '
            'twice (""). Correct it and upload the file again.'
        )
        % {"line": params.get("line", "?")},
        "cell_too_long": _("The value starting on line %(line)s is longer than %(n)s characters (an unclosed quote?).")
        % {"line": params.get("line", "?"), "n": f"{files.MAX_CSV_FIELD:,}"},
        "xlsx_damaged": _("The Excel file is damaged and cannot be read; open it in Excel and save it again."),
        "xlsx_not_xlsx": _("This ZIP file is not an Excel workbook (.xlsx)."),
        "xlsx_no_sheet": _("The Excel workbook has no visible worksheet."),
        "xlsx_too_large": _("The Excel workbook unpacks to too much data to import."),
    }
    if problem.code == "ragged":
        return _ragged_message(params)
    if problem.code == "wrong_type" and params.get("kind") == "xls":
        return _("Excel 97–2003 workbooks (.xls) cannot be read; save it as .xlsx (Excel workbook) and upload again.")
    return str(messages.get(problem.code, _("The file cannot be read.")))


def _ragged_message(params: dict) -> str:
    lines = pgettext("list separator", ", ").join(
        ngettext("line %(line)d has %(n)d cell", "line %(line)d has %(n)d cells", n) % {"line": line, "n": n}
        for line, n in params["lines"]
    )
    if params.get("more"):
        lines += " " + ngettext("and %(n)d more line", "and %(n)d more lines", params["more"]) % {"n": params["more"]}
    return _(
        "Every row must have as many cells as the header (%(width)d): %(lines)s. "
        "A value that contains the separator must be in quotes. Correct the file and upload it again."
    ) % {"width": params["width"], "lines": lines}


def encoding_label(encoding: str) -> str:
    return {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "utf-16": "UTF-16", "gb18030": "GBK/GB18030"}.get(
        encoding, encoding
    )


def _refuse_file(message: str):
    raise ApplicationError(message, errors={"file": [message]}, code="bad_file")


def _remembered(tenant_id: int, object_type: str) -> dict:
    memory = ImportMapping.objects.filter(tenant_id=tenant_id, object_type=object_type).first()
    return memory.columns if memory else {}


def import_job_create(
    *, access, object_type: str, upload, language: str = "zh-hans", client_ip: str | None = None
) -> ImportJob:
    """Check an uploaded file and start an import job with the columns mapped as suggested."""
    if object_type not in ImportObjectType.values:
        raise ApplicationError(_("Choose what to import."), errors={"object_type": [_("Not a choice.")]})
    require(access, import_permission(object_type))
    name = (getattr(upload, "name", "") or "upload").rsplit("/", 1)[-1][:255]
    if not name.lower().endswith(ALLOWED_EXTENSIONS):
        _refuse_file(_("Upload a .csv or .xlsx file."))
    if upload.size == 0:
        _refuse_file(_("The file is empty."))
    if upload.size > settings.TANDEM_IMPORT_MAX_BYTES:
        _refuse_file(
            _("The file is larger than %(size)s; split it into smaller files.")
            % {"size": filesizeformat(settings.TANDEM_IMPORT_MAX_BYTES)}
        )
    upload.seek(0)
    try:
        info = files.inspect(upload, max_rows=settings.TANDEM_IMPORT_MAX_ROWS)
    except files.FileProblem as problem:
        _refuse_file(file_problem_message(problem))
    importer = importer_for(object_type)
    mapping = suggest(info.headers, importer.synonyms(), _remembered(access.tenant_id, object_type))
    job = ImportJob(
        tenant_id=access.tenant_id,
        object_type=object_type,
        created_by_id=access.user_id,
        language=language,
        file_name=name,
        file_size=upload.size,
        file_format=info.format,
        encoding=info.encoding,
        delimiter=info.delimiter,
        header_row=info.header_row,
        headers=info.headers,
        sample=info.sample,
        mapping=mapping,
        total_rows=info.row_count,
        client_ip=client_ip,
    )
    upload.seek(0)
    job.file.save(name, upload, save=False)
    try:
        job.save()
    except Exception:
        job.file.delete(save=False)  # no row points at it
        raise
    return job


def _check_job(access, job: ImportJob) -> None:
    """The caller's own job of a type they may import (anything else is not found), as stored now."""
    if job.tenant_id != access.tenant_id or job.created_by_id != access.user_id:
        from tandem.core.errors import NotFound

        raise NotFound(_("Not found."), code="not_found")
    require(access, job.import_permission)
    job.refresh_from_db()


def _refuse_status(job: ImportJob):
    raise Conflict(
        _("This import is %(status)s; that step is not possible now.") % {"status": job.get_status_display()},
        code="wrong_status",
    )


def mapping_errors(job: ImportJob, mapping: dict) -> dict:
    """Field errors of a proposed mapping {column index: field key or ""}; empty when it can be used."""
    importer = importer_for(job.object_type)
    fields = {f.key: f for f in importer.field_list()}
    errors: dict[str, list[str]] = {}
    used: dict[str, str] = {}
    for column, key in mapping.items():
        if not key:
            continue
        if not str(column).isdigit() or int(column) >= max(len(job.headers), 1):
            errors.setdefault("mapping", []).append(_("Column %(column)s is not in the file.") % {"column": column})
        elif key not in fields:
            errors.setdefault("mapping", []).append(_("Unknown field: %(field)s.") % {"field": str(key)[:50]})
        elif key in used:
            errors.setdefault("mapping", []).append(
                _("%(field)s is chosen for two columns.") % {"field": fields[key].label}
            )
        else:
            used[key] = str(column)
    missing = [str(f.label) for f in fields.values() if f.required and f.key not in used]
    if missing:
        errors.setdefault("mapping", []).append(_("Choose a column for: %(fields)s.") % {"fields": ", ".join(missing)})
    if importer.one_of and not any(k in used for k in importer.one_of):
        labels = " / ".join(str(fields[k].label) for k in importer.one_of)
        errors.setdefault("mapping", []).append(
            _("Choose a column for at least one of: %(fields)s.") % {"fields": labels}
        )
    return errors


@transaction.atomic
def import_mapping_set(*, access, job: ImportJob, mapping: dict) -> ImportJob:
    """Choose which column fills which field; remembered for the tenant's next import of this type."""
    _check_job(access, job)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status not in MAPPABLE:
        _refuse_status(job)
    mapping = {str(column): key for column, key in (mapping or {}).items() if key}
    errors = mapping_errors(job, mapping)
    if errors:
        raise ApplicationError(_("Please correct the column choices."), errors=errors)
    ImportRow.objects.filter(tenant_id=job.tenant_id, job=job).delete()
    job.mapping = mapping
    job.status = ImportStatus.MAPPED
    job.error_message = ""
    job.errors = []
    job.valid_rows = job.invalid_rows = job.matched_rows = 0
    job.save()
    memory, _created = ImportMapping.objects.select_for_update().get_or_create(
        tenant_id=job.tenant_id, object_type=job.object_type
    )
    columns = remember(job.headers, mapping, memory.columns)
    memory.columns = dict(list(columns.items())[-MAX_REMEMBERED_HEADERS:])
    memory.updated_by_id = access.user_id
    memory.save()
    return job


def _move(job: ImportJob, allowed: tuple[str, ...], status: str, **fields) -> ImportJob:
    """Change the status only if nobody else moved it first (a double click starts one task, not two)."""
    moved = ImportJob.objects.filter(pk=job.pk, status__in=allowed).update(
        status=status, updated_at=timezone.now(), **fields
    )
    if not moved:
        job.refresh_from_db()
        _refuse_status(job)
    job.refresh_from_db()
    return job


def import_validation_start(*, access, job: ImportJob) -> ImportJob:
    """Queue the check of every row (errors, duplicates in the file and in the CRM)."""
    from tandem.integrations.tasks import import_validate_task

    _check_job(access, job)
    if not job.mapping:
        raise ApplicationError(_("Choose the columns to import first."), errors={"mapping": [_("Required.")]})
    job = _move(job, MAPPABLE, ImportStatus.VALIDATING, error_message="")
    progress_set(job.pk, 0, job.total_rows)
    import_validate_task(job.pk)
    job.refresh_from_db()
    return job


@transaction.atomic
def import_decisions_set(
    *,
    access,
    job: ImportJob,
    default: str | None = None,
    skip_invalid: bool | None = None,
    rows: dict[int, str] | None = None,
) -> ImportJob:
    """What to do with rows that may already exist: a default for all, and a choice per row."""
    _check_job(access, job)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportStatus.VALIDATED:
        _refuse_status(job)
    if default is not None:
        if default not in RowDecision.values:
            raise ApplicationError(_("Not a choice."), errors={"default_decision": [_("Not a choice.")]})
        if default == RowDecision.UPDATE:
            require(access, import_permission(job.object_type, "change"))
        job.default_decision = default
    if skip_invalid is not None:
        job.skip_invalid = skip_invalid
    job.save(update_fields=["default_decision", "skip_invalid", "updated_at"])
    if rows:
        _set_row_decisions(access, job, rows)
    return job


def _set_row_decisions(access, job: ImportJob, rows: dict[int, str]) -> None:
    numbers = [int(n) for n in rows]
    found = {
        row.number: row
        for row in ImportRow.objects.filter(
            tenant_id=job.tenant_id, job=job, number__in=numbers, status=RowStatus.MATCHED
        ).only("number", "status", "match_exact", "can_update")
    }
    errors = {}
    by_decision: dict[str, list[int]] = {}
    for number, decision in rows.items():
        row = found.get(int(number))
        if row is None:
            errors[str(number)] = [_("No row %(row)s may already exist.") % {"row": number}]
        elif decision not in ("", *row.allowed_decisions()):
            errors[str(number)] = [_("Not possible for this row.")]
        else:
            by_decision.setdefault(decision, []).append(int(number))
    if errors:
        raise ApplicationError(_("Some choices are not possible."), errors=errors)
    for decision, chosen in by_decision.items():
        ImportRow.objects.filter(tenant_id=job.tenant_id, job=job, number__in=chosen).update(decision=decision)


def import_commit_start(*, access, job: ImportJob, skip_invalid: bool | None = None) -> ImportJob:
    """Queue the import: every ready row written in one transaction, or none."""
    from tandem.integrations.tasks import import_commit_task

    _check_job(access, job)
    if skip_invalid is not None and job.status == ImportStatus.VALIDATED:
        ImportJob.objects.filter(pk=job.pk).update(skip_invalid=skip_invalid)
        job.skip_invalid = skip_invalid
    if job.status == ImportStatus.VALIDATED and job.invalid_rows and not job.skip_invalid:
        message = ngettext(
            "%(n)d row has errors: correct the file and upload it again, or choose to skip rows with errors.",
            "%(n)d rows have errors: correct the file and upload it again, or choose to skip rows with errors.",
            job.invalid_rows,
        ) % {"n": job.invalid_rows}
        raise ApplicationError(message, errors={"skip_invalid": [message]}, code="rows_with_errors")
    if job.status in (ImportStatus.IMPORTING, ImportStatus.DONE):
        return job  # a second click on "import" changes nothing
    job = _move(job, (ImportStatus.VALIDATED,), ImportStatus.IMPORTING, started_at=timezone.now())
    progress_set(job.pk, 0, job.valid_rows + job.matched_rows)
    import_commit_task(job.pk)
    job.refresh_from_db()
    return job
