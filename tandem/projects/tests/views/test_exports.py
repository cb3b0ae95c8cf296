"""The Gantt chart out of the browser: an editable Excel sheet and an A3/A4 print view."""

import io
from datetime import datetime

from openpyxl import load_workbook

from tandem.testing.kit import make_member, page_client


def workbook(member, project):
    response = page_client(member).get(f"/projects/{project.pk}/gantt/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(f'attachment; filename="{project.number}-gantt-')
    return load_workbook(io.BytesIO(response.content))


def test_the_excel_gantt_has_task_rows_and_a_week_by_week_bar_area(plan):
    sheet = workbook(plan.pm, plan.project).active
    assert sheet.title == "甘特图"
    assert sheet["A1"].value == "厂房机电安装"
    rows = {sheet.cell(row=r, column=2).value: r for r in range(6, sheet.max_row + 1)}
    assert {"A区机电安装", "桥架安装", "电缆敷设", "标识牌制作", "送电验收"} <= set(rows)
    bridge = rows["桥架安装"]
    assert sheet.cell(row=bridge, column=1).value == "1.1"
    assert sheet.cell(row=bridge, column=3).value == 3
    assert sheet.cell(row=bridge, column=4).value == datetime(2025, 3, 3)
    assert sheet.cell(row=bridge, column=5).value == datetime(2025, 3, 5)
    assert sheet.cell(row=bridge, column=7).value == "是"
    assert sheet.row_dimensions[bridge].outline_level == 1
    assert sheet.cell(row=5, column=10).value == "3/3"  # the week of Monday 3 March
    assert sheet.cell(row=bridge, column=10).fill.fgColor.rgb.endswith("D63C3C")  # critical: red
    signs = rows["标识牌制作"]
    assert sheet.cell(row=signs, column=10).fill.fgColor.rgb.endswith("3F7CC2")  # float: blue
    assert sheet.cell(row=rows["送电验收"], column=10).value == "◆"
    assert sheet.freeze_panes == "J6"


def test_the_excel_export_needs_the_export_permission(plan):
    foreman = make_member(plan.project.tenant, "foreman")
    assert page_client(foreman).get(f"/projects/{plan.project.pk}/gantt/export/").status_code == 403


def test_the_print_view_is_landscape_a3_or_a4_with_bars_placed_on_the_timeline(plan):
    client = page_client(plan.pm)
    text = client.get(f"/projects/{plan.project.pk}/gantt/print/").content.decode()
    assert "size: A3 landscape" in text and 'class="print-page paper-a3"' in text
    assert "WenQuanYi Micro Hei" in client.get("/static/projects/print.css").getvalue().decode()
    assert 'class="bar critical"' in text and 'class="bar normal"' in text and 'class="ms critical"' in text
    assert 'class="base"' in text  # the first baseline is drawn under the bars
    text = client.get(f"/projects/{plan.project.pk}/gantt/print/", {"paper": "a4", "baseline": "0"}).content.decode()
    assert "size: A4 landscape" in text and 'class="base"' not in text


def test_a_name_that_looks_like_a_formula_stays_text_in_excel(plan):
    from tandem.projects.services.tasks import task_update
    from tandem.testing.kit import access_for

    task_update(access=access_for(plan.pm), task=plan.signs, name='=HYPERLINK("http://evil","点我")')
    sheet = workbook(plan.pm, plan.project).active
    cell = next(
        sheet.cell(row=r, column=2)
        for r in range(6, sheet.max_row + 1)
        if "HYPERLINK" in str(sheet.cell(row=r, column=2).value)
    )
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
