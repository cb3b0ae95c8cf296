"""Reading uploads: formats told apart by content, encodings, bad files, workbook cells (no database)."""

import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from tandem.integrations.imports.files import CSV, XLSX, FileProblem, inspect, read_rows
from tandem.integrations.tests.conftest import xlsx_bytes

HEADER = "客户名称,统一社会信用代码,负责人\n"


def look(data: bytes, max_rows: int = 1000):
    return inspect(io.BytesIO(data), max_rows=max_rows)


def rows_of(data: bytes, max_rows: int = 1000):
    info = look(data, max_rows)
    return list(read_rows(io.BytesIO(data), info, max_rows=max_rows))


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ((HEADER + "武汉地铁集团有限公司,,王磊\n").encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + (HEADER + "武汉地铁集团有限公司,,王磊\n").encode("utf-8"), "utf-8-sig"),
        ((HEADER + "武汉地铁集团有限公司,,王磊\n").encode("gbk"), "gb18030"),
        ((HEADER + "武汉地铁集团有限公司,,王磊\n").encode("utf-16"), "utf-16"),
    ],
)
def test_text_encodings_are_detected_and_reported(data, encoding):
    info = look(data)
    assert (info.format, info.encoding) == (CSV, encoding)
    assert info.headers == ["客户名称", "统一社会信用代码", "负责人"]
    assert info.sample == [["武汉地铁集团有限公司", "", "王磊"]]
    assert info.row_count == 1


def test_gb18030_characters_beyond_gbk_survive():
    data = (HEADER + "𠮷野家餐饮有限公司,,王磊\n").encode("gb18030")
    assert rows_of(data) == [(2, ["𠮷野家餐饮有限公司", "", "王磊"])]


def test_mixed_encodings_are_refused_with_the_line():
    data = HEADER.encode("utf-8") + "武汉地铁集团,,王磊\n".encode() + "上海建工集团,,陈晓\n".encode("gbk")
    with pytest.raises(FileProblem) as problem:
        look(data)
    assert problem.value.code == "mixed_encoding"
    assert problem.value.params["line"] == 3


def test_delimiters_quotes_and_blank_lines():
    data = '名称;地址\n"上海建工集团";"上海市; 虹口区"\n\n\n"武汉地铁";"武汉"\n'.encode()
    info = look(data)
    assert info.delimiter == ";"
    assert rows_of(data) == [(2, ["上海建工集团", "上海市; 虹口区"]), (5, ["武汉地铁", "武汉"])]


@pytest.mark.parametrize(
    ("data", "code", "kind"),
    [
        (b"", "empty", None),
        (b"   \n\n", "empty", None),
        (HEADER.encode(), "header_only", None),
        (b"\xef\xbb\xbf" + HEADER.encode() + b"\n,,\n", "header_only", None),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 100, "wrong_type", "program"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 50, "wrong_type", "program"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "wrong_type", "pdf"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "wrong_type", "xls"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "wrong_type", "image"),
        (b"name,city\nabc\x00def,x\n", "not_text", None),
        (b"PK\x03\x04this is not really a zip", "xlsx_damaged", None),
    ],
)
def test_bad_files_are_refused_with_a_reason(data, code, kind):
    with pytest.raises(FileProblem) as problem:
        look(data)
    assert problem.value.code == code
    if kind:
        assert problem.value.params["kind"] == kind


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(FileProblem) as problem:
        look(buffer.getvalue())
    assert problem.value.code == "xlsx_not_xlsx"


def test_a_truncated_workbook_is_damaged():
    data = xlsx_bytes([["名称"], ["上海建工"]])
    with pytest.raises(FileProblem) as problem:
        look(data[: len(data) // 2])
    assert problem.value.code == "xlsx_damaged"


def test_too_many_rows_is_refused_at_upload_for_csv_and_while_reading_a_workbook():
    data = (HEADER + "".join(f"公司{i},,\n" for i in range(11))).encode()
    with pytest.raises(FileProblem) as problem:
        look(data, max_rows=10)
    assert problem.value.code == "too_many_rows"
    workbook = xlsx_bytes([["名称"], *[[f"公司{i}"] for i in range(11)]])
    info = look(workbook, max_rows=10)
    with pytest.raises(FileProblem):
        list(read_rows(io.BytesIO(workbook), info, max_rows=10))


def test_workbook_cells_come_back_as_text_people_typed():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["名称", "手机", "金额", "日期", "时间", "是否", "公式"])
    sheet.append(["  上海建工  ", 13901023457, 1234.5, date(2026, 3, 1), datetime(2026, 3, 1, 9, 30), True, "=1+1"])
    sheet.append([None, None, None, None, None, None, None])
    sheet.append(["武汉地铁", "010-62345678", 0.1 + 0.2, "2026/3/2", None, False, None])
    sheet["D4"].number_format = "yyyy/m/d"
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    info = look(data)
    assert info.format == XLSX and info.headers[0] == "名称"
    rows = rows_of(data)
    # A formula counts by its last computed value; openpyxl stores none, so the cell is empty.
    assert rows[0] == (2, ["上海建工", "13901023457", "1234.5", "2026-03-01", "2026-03-01 09:30:00", "TRUE"])
    assert rows[1] == (4, ["武汉地铁", "010-62345678", "0.3", "2026/3/2", "", "FALSE"])


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def excel_like_workbook() -> bytes:
    """A workbook shaped as Excel saves it: shared strings (rich text, phonetic hints), prefixed
    namespaces, East Asian and custom date formats, a hidden first sheet, a cached formula value."""
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "xl/workbook.xml": (
            f'<x:workbook xmlns:x="{MAIN}" xmlns:r="{RELS}"><x:workbookPr/><x:sheets>'
            '<x:sheet name="模板" sheetId="1" state="hidden" r:id="rId1"/>'
            '<x:sheet name="客户" sheetId="2" r:id="rId2"/></x:sheets></x:workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="ws"/>'
            '<Relationship Id="rId2" Target="/xl/worksheets/data.xml" Type="ws"/></Relationships>'
        ),
        "xl/sharedStrings.xml": (
            f'<sst xmlns="{MAIN}"><si><t>客户名称</t></si><si><t>签约日期</t></si>'
            "<si><r><t>上海</t></r><r><rPr><b/></rPr><t>建工集团</t></r><rPh><t>シャンハイ</t></rPh></si>"
            "<si><t>预计金额</t></si></sst>"
        ),
        "xl/styles.xml": (
            f'<styleSheet xmlns="{MAIN}"><numFmts count="1">'
            '<numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>'
            '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="31"/><xf numFmtId="176"/><xf numFmtId="4"/>'
            "</cellXfs></styleSheet>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>hidden</t></is></c>'
            "</row></sheetData></worksheet>"
        ),
        "xl/worksheets/data.xml": (
            f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData>'
            '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c>'
            '<x:c r="D1" t="s"><x:v>3</x:v></x:c></x:row>'
            '<x:row r="3"><x:c r="A3" t="s"><x:v>2</x:v></x:c><x:c r="B3" s="1"><x:v>46082</x:v></x:c>'
            '<x:c r="C3" s="2"><x:v>46083</x:v></x:c><x:c r="D3" s="3"><x:f>1000*2.5</x:f><x:v>2500</x:v></x:c></x:row>'
            "</x:sheetData></x:worksheet>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_a_workbook_as_excel_writes_it():
    data = excel_like_workbook()
    info = look(data)
    assert info.headers == ["客户名称", "签约日期", "", "预计金额"]
    assert rows_of(data) == [(3, ["上海建工集团", "2026-03-01", "2026-03-02", "2500"])]


def test_a_workbook_with_a_dtd_is_refused():
    buffer = io.BytesIO()
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>'
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", bomb)
    with pytest.raises(FileProblem) as problem:
        look(buffer.getvalue())
    assert problem.value.code == "xlsx_damaged"


# --- malformed CSV: refused as a whole, naming the line; never rows merged or shifted -------------


def problem_of(data: bytes) -> FileProblem:
    with pytest.raises(FileProblem) as problem:
        look(data)
    return problem.value


@pytest.mark.parametrize(
    "text",
    [
        '名称,城市\n"未闭合引号公司,杭州\n正常公司,苏州\n',
        '名称,城市\n"未闭合引号公司,杭州\n正常公司,苏州',  # no newline at the end
        '名称,城市\n正常公司,苏州\n"未闭合引号公司,杭州\n',
    ],
)
def test_an_unclosed_quote_is_an_error_on_the_line_it_opens(text):
    problem = problem_of(text.encode())
    assert problem.code == "unclosed_quote"
    assert problem.params["line"] == text.splitlines().index('"未闭合引号公司,杭州') + 1


def test_a_quote_closed_in_the_middle_of_a_value_is_an_error():
    problem = problem_of('名称,城市\n正常公司,苏州\n"上海"建工,上海\n'.encode())
    assert (problem.code, problem.params["line"]) == ("stray_quote", 3)


def test_rows_with_more_or_fewer_cells_than_the_header_are_listed_by_line():
    text = "名称,城市,地址\n上海建工,上海,虹口\n武汉地铁,武汉\n杭州公司,杭州,西湖,多余\n苏州公司,苏州,,\n"
    problem = problem_of(text.encode())
    assert problem.code == "ragged"
    assert problem.params == {"width": 3, "lines": [(3, 2), (4, 4)], "more": 0}


def test_only_the_first_ragged_lines_are_listed_and_the_rest_counted():
    text = "名称,城市\n" + "".join(f"公司{i},城市,多余\n" for i in range(8))
    problem = problem_of(text.encode())
    assert problem.params["lines"] == [(line, 3) for line in range(2, 7)]
    assert problem.params["more"] == 3


def test_trailing_empty_cells_are_not_ragged():
    data = "名称,城市,\n上海建工,上海,,,\n武汉地铁,武汉\n".encode()
    assert rows_of(data) == [(2, ["上海建工", "上海"]), (3, ["武汉地铁", "武汉"])]


def test_a_newline_inside_a_quoted_cell_is_one_cell_and_later_lines_are_counted_right():
    data = '名称,地址\n"上海建工","上海市\n虹口区\n东大名路"\n武汉地铁,武汉\n杭州公司,杭州,多余\n'.encode()
    problem = problem_of(data)
    assert problem.params["lines"] == [(6, 3)]  # the sixth line of the file, the fourth record
    data = '名称,地址\n"上海建工","上海市\n虹口区"\n武汉地铁,武汉\n'.encode()
    assert rows_of(data) == [(2, ["上海建工", "上海市\n虹口区"]), (3, ["武汉地铁", "武汉"])]


def test_a_utf8_mark_before_gbk_text_is_refused_with_the_line():
    problem = problem_of(b"\xef\xbb\xbf" + (HEADER + "武汉地铁集团有限公司,,王磊\n").encode("gbk"))
    assert (problem.code, problem.params["line"]) == ("bom_not_utf8", 1)
    problem = problem_of(b"\xef\xbb\xbf" + HEADER.encode() + "武汉地铁集团有限公司,,王磊\n".encode("gbk"))
    assert (problem.code, problem.params["line"]) == ("mixed_encoding", 2)
