"""Reading an uploaded CSV or XLSX file as a header and rows of text, whatever its encoding.

The content decides the format, not the name: a workbook renamed .csv is still read as a
workbook, and a program, PDF or image renamed .csv is refused with a message that says what it
looks like. Text files are tried as UTF-8 (with or without BOM), then GB18030 (a superset of GBK,
what Excel on Chinese Windows saves); a file that is partly one and partly the other is refused,
since guessing would silently corrupt names. A malformed CSV (an unclosed quote, a row with more or fewer
cells than the header) is refused as a whole, naming its lines. No Django here: plain data in, plain data out.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from tandem.integrations.imports.xlsx import MAX_COLUMNS, XlsxError, XlsxReader

CSV, XLSX = "csv", "xlsx"
SAMPLE_ROWS = 5
DELIMITERS = (",", "\t", ";", "|")
MAX_CSV_FIELD = 32767

# Leading bytes of formats people upload by mistake: what it is, for the message.
_SIGNATURES = (
    (b"MZ", "program"),
    (b"\x7fELF", "program"),
    (b"%PDF", "pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "xls"),
    (b"\x89PNG", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF8", "image"),
    (b"Rar!", "archive"),
    (b"7z\xbc\xaf", "archive"),
    (b"\x1f\x8b", "archive"),
    (b"{\\rtf", "rtf"),
)


class FileProblem(Exception):
    """The file cannot be imported; `code` names the problem and `params` fill its message."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class FileInfo:
    """What the upload check learnt: the format, the text encoding, the header and a sample."""

    format: str
    encoding: str = ""
    delimiter: str = ""
    headers: list[str] = field(default_factory=list)
    header_row: int = 1
    sample: list[list[str]] = field(default_factory=list)
    row_count: int | None = None  # known for CSV; a workbook's rows are counted when validated


def sniff(head: bytes) -> str:
    """The format the leading bytes announce: xlsx, csv (text), or what else it is."""
    if not head.strip():
        return "empty"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return XLSX
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    return CSV


def inspect(fileobj, *, max_rows: int) -> FileInfo:
    """Check an uploaded file and read its header and first rows; raises FileProblem."""
    fileobj.seek(0)
    head = fileobj.read(8)
    fileobj.seek(0)
    kind = sniff(head)
    if kind == "empty":
        raise FileProblem("empty")
    if kind == XLSX:
        info = _inspect_xlsx(fileobj)
    elif kind == CSV:
        info = _inspect_csv(fileobj.read(), max_rows=max_rows)
    else:
        raise FileProblem("wrong_type", kind=kind)
    if info.row_count is not None and info.row_count > max_rows:
        raise FileProblem("too_many_rows", max_rows=max_rows)
    return info


def read_rows(fileobj, info: FileInfo, *, max_rows: int) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of every data row after the header; raises FileProblem past `max_rows`."""
    fileobj.seek(0)
    if info.format == XLSX:
        rows = _xlsx_rows(fileobj)
    else:
        text = _decode(fileobj.read())[0]
        rows = _csv_rows(text, info.delimiter)
    count = 0
    for number, cells in rows:
        if number <= info.header_row:
            continue
        count += 1
        if count > max_rows:
            raise FileProblem("too_many_rows", max_rows=max_rows)
        yield number, cells


# --- XLSX ------------------------------------------------------------------------------------------


def _xlsx_rows(fileobj, limit: int | None = None) -> Iterator[tuple[int, list[str]]]:
    try:
        yield from XlsxReader(fileobj).rows(limit=limit)
    except XlsxError as exc:
        raise FileProblem("xlsx_" + exc.code) from exc


def _inspect_xlsx(fileobj) -> FileInfo:
    rows = list(_xlsx_rows(fileobj, limit=SAMPLE_ROWS + 1))
    if not rows:
        raise FileProblem("empty")
    header_row, headers = rows[0]
    if len(rows) == 1:
        raise FileProblem("header_only")
    return FileInfo(format=XLSX, headers=_headers(headers), header_row=header_row, sample=[r for _n, r in rows[1:]])


# --- CSV -------------------------------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read with; raises FileProblem for binary or mixed content."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            # A UTF-8 mark before GBK text (some tools add one): refused like a mix, not guessed.
            code = "mixed_encoding" if _has_utf8_lines(data[3:]) else "bom_not_utf8"
            raise FileProblem(code, line=_first_bad_line(data[3:])) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise FileProblem("not_text") from None
    if b"\x00" in data[:65536]:
        raise FileProblem("not_text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _has_utf8_lines(data):
        raise FileProblem("mixed_encoding", line=_first_bad_line(data))
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise FileProblem("unknown_encoding") from None


def _has_utf8_lines(data: bytes) -> bool:
    """Some lines carry non-ASCII text that is valid UTF-8 (while others are not)."""
    for line in data.split(b"\n"):
        if not line.isascii():
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                continue
            return True
    return False


def _first_bad_line(data: bytes) -> int:
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            return number
    return 0


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


MAX_RAGGED_LINES = 5


def _csv_rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(record number, cells) of every non-blank record, the header first; raises FileProblem for a malformed file.

    Quotes are read strictly: an unclosed quote or text after a closing quote is an error naming the line the
    record starts on, never a record that swallows the lines after it. Every record must have the header's
    number of cells (trailing empty cells aside), or the values would land in the wrong fields.
    """
    csv.field_size_limit(MAX_CSV_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    number = end = 0
    width: int | None = None
    ragged: list[tuple[int, int]] = []
    ragged_count = 0
    try:
        for record in reader:
            start, end = end + 1, reader.line_num
            number += 1
            cells = [cell.strip() for cell in record]
            while cells and not cells[-1]:
                cells.pop()
            if not cells:
                continue
            if width is None:
                width = len(cells)
            elif len(cells) > width or len(record) < width:
                ragged_count += 1
                if len(ragged) < MAX_RAGGED_LINES:
                    ragged.append((start, len(record) if len(record) < width else len(cells)))
                continue
            yield number, cells[:MAX_COLUMNS]
    except csv.Error as exc:
        raise FileProblem(_csv_error_code(str(exc)), line=end + 1) from exc
    if ragged:
        raise FileProblem("ragged", width=width, lines=ragged, more=ragged_count - len(ragged))


def _csv_error_code(message: str) -> str:
    if "unexpected end of data" in message:
        return "unclosed_quote"
    if "expected after" in message:
        return "stray_quote"
    if "field larger than field limit" in message:
        return "cell_too_long"
    return "bad_csv"


def _inspect_csv(data: bytes, *, max_rows: int) -> FileInfo:
    text, encoding = _decode(data)
    if not text.strip():
        raise FileProblem("empty")
    delimiter = _delimiter(text)
    sample, count, header_row, headers = [], 0, 0, []
    for number, cells in _csv_rows(text, delimiter):
        if not header_row:
            header_row, headers = number, cells
            continue
        count += 1
        if len(sample) < SAMPLE_ROWS:
            sample.append(cells)
        if count > max_rows:
            break
    if not header_row:
        raise FileProblem("empty")
    if not count:
        raise FileProblem("header_only")
    return FileInfo(
        format=CSV,
        encoding=encoding,
        delimiter=delimiter,
        headers=_headers(headers),
        header_row=header_row,
        sample=sample,
        row_count=count,
    )


def _headers(cells: list[str]) -> list[str]:
    return [" ".join(cell.split()) for cell in cells]
