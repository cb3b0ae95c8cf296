"""Downloads of the imports: the error report of a job, and the template of each object type."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.core.exports import Column, export_response
from tandem.integrations.choices import ImportObjectType
from tandem.integrations.imports.importers import importer_for
from tandem.integrations.imports.template import TemplateColumn, template_columns
from tandem.integrations.selectors import import_rows

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def error_report_response(job):
    """A CSV download (UTF-8 with BOM for Excel); cells that would run as formulas are neutralised."""
    labels = {f.key: str(f.label) for f in importer_for(job.object_type).field_list()}
    mapped = sorted((int(column), key) for column, key in job.mapping.items())
    columns = [Column(gettext_lazy("Row"), lambda row: row.number)]
    for position, (index, key) in enumerate(mapped):
        header = job.headers[index] if index < len(job.headers) and job.headers[index] else labels.get(key, key)
        columns.append(Column(header, lambda row, p=position: row.values[p] if p < len(row.values) else ""))
    columns.append(
        Column(gettext_lazy("Errors"), lambda row: "; ".join(f"{labels.get(f, f)}: {m}" for f, m in row.errors))
    )
    rows = import_rows(job=job, show="errors").only("number", "values", "errors").iterator(chunk_size=2000)
    return export_response(rows, columns, basename=f"import-{job.pk}-errors", fmt="csv")


def template_response(access, object_type: str, fmt: str):
    """The import template of `object_type`: CSV (the header and an example row) or Excel, with a help sheet."""
    columns = template_columns(importer_for(object_type)(access=access))
    basename = f"import-template-{object_type.split('.')[1]}"
    if fmt == "csv":
        cells = [Column(c.header, lambda row, i=i: row[i].example) for i, c in enumerate(columns)]
        return export_response([columns], cells, basename=basename, fmt="csv")
    response = HttpResponse(_template_workbook(columns, ImportObjectType(object_type).label), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{basename}.xlsx"'
    return response


def _template_workbook(columns: list[TemplateColumn], title) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold, required_fill = Font(bold=True), PatternFill("solid", fgColor="FFF4CE")
    book = Workbook()
    sheet = book.active
    sheet.title = str(title)[:31]  # the first visible sheet is the one an upload reads
    sheet.append([c.header for c in columns])
    sheet.append([c.example for c in columns])
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = bold
        if column.required:
            cell.fill = required_fill
        if column.help:
            cell.comment = Comment(column.help, "Tandem", width=320, height=110)
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(column.header) * 2 + 4))
    sheet.freeze_panes = "A2"

    help_sheet = book.create_sheet(_("Field help")[:31])
    help_sheet.append(
        [
            _(
                "Fill in the first sheet: one record per row from row 2, replacing the example row. "
                "Columns marked * are required; leave out the columns you do not need."
            )
        ]
    )
    help_sheet.append([])
    headings = [_("Column"), _("Header"), _("Required"), _("What it holds"), _("Choices"), _("Example")]
    help_sheet.append([*headings, _("Also recognised as")])
    for cell in help_sheet[3]:
        cell.font = bold
    for index, column in enumerate(columns, start=1):
        required = _("Yes") if column.required else ""
        help_sheet.append(
            [
                get_column_letter(index),
                column.header,
                required,
                column.help,
                column.values,
                column.example,
                column.also,
            ]
        )
    wrap = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFG", (8, 22, 8, 60, 40, 28, 40), strict=True):
        help_sheet.column_dimensions[letter].width = width
        for cell in help_sheet[letter][3:]:
            cell.alignment = wrap
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
