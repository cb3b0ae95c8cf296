"""The error report of an import: the rows with errors, with the file's values and what is wrong."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tandem.core.exports import Column, export_response
from tandem.integrations.imports.importers import importer_for
from tandem.integrations.selectors import import_rows


def error_report_response(job):
    """A CSV download (UTF-8 with BOM for Excel); cells that would run as formulas are neutralised."""
    labels = {f.key: str(f.label) for f in importer_for(job.object_type).field_list()}
    mapped = sorted((int(column), key) for column, key in job.mapping.items())
    columns = [Column(_("Row"), lambda row: row.number)]
    for position, (index, key) in enumerate(mapped):
        header = job.headers[index] if index < len(job.headers) and job.headers[index] else labels.get(key, key)
        columns.append(Column(header, lambda row, p=position: row.values[p] if p < len(row.values) else ""))
    columns.append(Column(_("Errors"), lambda row: "; ".join(f"{labels.get(f, f)}: {m}" for f, m in row.errors)))
    rows = import_rows(job=job, show="errors").only("number", "values", "errors").iterator(chunk_size=2000)
    return export_response(rows, columns, basename=f"import-{job.pk}-errors", fmt="csv")
