"""List exports as CSV (UTF-8 with BOM, so Excel shows Chinese) or XLSX, streamed row by row."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[object], object]


class _Echo:
    def write(self, value):
        return value


def _cell(value):
    if value is None:
        return ""
    if getattr(value, "tzinfo", None) is not None:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, (dict, list)):
        return str(value)
    # Cells starting with = + - @ (or a tab or carriage return before them) would be run as formulas by
    # spreadsheet programs.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _headers(columns: list[Column]) -> list:
    # Headers can come from users too (an import's error report repeats the file's own header row).
    return [_cell(str(c.header)) for c in columns]


def export_response(rows: Iterable, columns: list[Column], *, basename: str, fmt: str = "csv"):
    """A download of `rows` with the given columns; `fmt` is 'csv' or 'xlsx'."""
    filename = f"{basename}-{timezone.localdate():%Y%m%d}.{'xlsx' if fmt == 'xlsx' else 'csv'}"
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(basename[:31])
        sheet.append(_headers(columns))
        for row in rows:
            sheet.append([_cell(c.value(row)) for c in columns])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        writer = csv.writer(_Echo())

        def stream():
            yield "\ufeff"
            yield writer.writerow(_headers(columns))
            for row in rows:
                yield writer.writerow([_cell(c.value(row)) for c in columns])

        response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
