"""The Gantt chart as an Excel sheet that stays editable: real dates and numbers beside week cells filled as bars."""

from __future__ import annotations

import io
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from tandem.projects.views.schedule import ScheduleRow, finish_day, schedule_span

COLORS = {"critical": "D63C3C", "normal": "3F7CC2", "summary": "3B3F45", "milestone": "1F2328", "today": "FFF3CD"}
FIXED_COLUMNS = 9  # WBS … assignees; the week columns follow
WIDTHS = (8, 38, 9, 11, 11, 9, 6, 8, 14)
HEADER_ROW, MONTH_ROW = 5, 4
THIN = Side(style="thin", color="D0D5DD")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="EEF1F5")
FILLS = {kind: PatternFill("solid", fgColor=color) for kind, color in COLORS.items()}


def bar_kind(row: ScheduleRow) -> str:
    if row.task.is_summary:
        return "summary"
    if row.task.is_milestone:
        return "milestone"
    return "critical" if row.task.is_critical else "normal"


def _text(cell, value: str):
    # A name typed as "=…" stays text: the sheet must never run what a user typed as a formula.
    cell.value = value
    cell.data_type = "s"
    return cell


class GanttSheet:
    """One worksheet: a title block, the column headers with one column per week, a row per task, a legend."""

    def __init__(self, sheet, project, rows: list[ScheduleRow], today: date):
        self.sheet, self.project, self.rows, self.today = sheet, project, rows, today
        first, last = schedule_span(rows, project)
        monday = first - timedelta(days=first.weekday())
        self.weeks = []
        while monday <= last:
            self.weeks.append(monday)
            monday += timedelta(days=7)

    def write(self) -> None:
        self.title()
        self.headers()
        for offset, row in enumerate(self.rows, start=1):
            self.task_row(HEADER_ROW + offset, row)
        self.legend(HEADER_ROW + len(self.rows) + 2)
        self.page_setup()

    def title(self) -> None:
        sheet, project = self.sheet, self.project
        _text(sheet["A1"], project.name).font = Font(size=14, bold=True)
        facts = [
            f"{_('Number')}: {project.number}",
            f"{_('Start')}: {project.start_date:%Y-%m-%d}",
            f"{_('Scheduled finish')}: {finish_day(project.scheduled_finish) or '—'}",
            f"{_('Contract finish')}: {project.contract_finish or '—'}",
            f"{_('Exported')}: {timezone.localtime():%Y-%m-%d %H:%M}",
        ]
        _text(sheet["A2"], "    ".join(facts)).font = Font(color="555555")

    def headers(self) -> None:
        sheet = self.sheet
        titles = [
            _("WBS"),
            _("Task name"),
            _("Duration (days)"),
            _("Start"),
            _("Finish"),
            _("Total float (days)"),
            _("Critical"),
            _("Percent complete"),
            _("Assignees"),
        ]
        for col, title in enumerate(titles, start=1):
            cell = _text(sheet.cell(row=HEADER_ROW, column=col), str(title))
            cell.font, cell.fill, cell.border = Font(bold=True), HEAD_FILL, GRID
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            sheet.column_dimensions[get_column_letter(col)].width = WIDTHS[col - 1]
        for index, monday in enumerate(self.weeks):
            col = FIXED_COLUMNS + 1 + index
            cell = _text(sheet.cell(row=HEADER_ROW, column=col), f"{monday.month}/{monday.day}")
            cell.font, cell.border = Font(size=8, color="555555"), GRID
            cell.alignment = Alignment(horizontal="center", text_rotation=90)
            cell.fill = FILLS["today"] if monday <= self.today < monday + timedelta(days=7) else HEAD_FILL
            sheet.column_dimensions[get_column_letter(col)].width = 3.2
            if index == 0 or monday.month != self.weeks[index - 1].month:
                month = _("%(year)d-%(month)02d") % {"year": monday.year, "month": monday.month}
                _text(sheet.cell(row=MONTH_ROW, column=col), month).font = Font(bold=True, size=9)
        sheet.row_dimensions[HEADER_ROW].height = 36

    def task_row(self, r: int, row: ScheduleRow) -> None:
        sheet, task = self.sheet, row.task
        critical = task.is_critical and not task.is_summary
        values = [
            row.duration_days,
            row.start,
            row.finish,
            row.float_days,
            str(_("Yes")) if critical else "",
            row.progress / 100,
        ]
        _text(sheet.cell(row=r, column=1), task.outline_number)
        _text(sheet.cell(row=r, column=2), task.name).alignment = Alignment(indent=max(0, task.outline_level - 1))
        for col, value in enumerate(values, start=3):
            sheet.cell(row=r, column=col, value=value)
        _text(sheet.cell(row=r, column=9), row.assignee_names)
        for col in range(1, FIXED_COLUMNS + 1):
            cell = sheet.cell(row=r, column=col)
            cell.border = GRID
            if task.is_summary:
                cell.font = Font(bold=True)
        sheet.cell(row=r, column=4).number_format = sheet.cell(row=r, column=5).number_format = "yyyy-mm-dd"
        sheet.cell(row=r, column=8).number_format = "0%"
        if critical:
            sheet.cell(row=r, column=7).font = Font(color=COLORS["critical"], bold=True)
        if task.outline_level > 1:
            sheet.row_dimensions[r].outline_level = min(task.outline_level - 1, 7)
        if row.start and row.finish:
            self.bar(r, row)

    def bar(self, r: int, row: ScheduleRow) -> None:
        """Every week the task works in is filled; a milestone's week shows a diamond."""
        kind = bar_kind(row)
        for index, monday in enumerate(self.weeks):
            if monday > row.finish or monday + timedelta(days=6) < row.start:
                continue
            cell = self.sheet.cell(row=r, column=FIXED_COLUMNS + 1 + index)
            if kind == "milestone":
                cell.value = "◆"
                cell.font = Font(color=COLORS["critical" if row.task.is_critical else "milestone"], bold=True)
                cell.alignment = Alignment(horizontal="center")
            else:
                cell.fill = FILLS[kind]

    def legend(self, top: int) -> None:
        sheet = self.sheet
        _text(sheet.cell(row=top, column=2), str(_("Legend")))
        keys = [("critical", _("Critical task")), ("normal", _("Task")), ("summary", _("Summary task"))]
        for offset, (kind, label) in enumerate(keys, start=1):
            sheet.cell(row=top + offset, column=1).fill = FILLS[kind]
            _text(sheet.cell(row=top + offset, column=2), str(label))
        sheet.cell(row=top + len(keys) + 1, column=1, value="◆")
        _text(sheet.cell(row=top + len(keys) + 1, column=2), str(_("Milestone")))

    def page_setup(self) -> None:
        sheet = self.sheet
        sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=FIXED_COLUMNS + 1)
        sheet.sheet_properties.outlinePr.summaryBelow = False
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A3
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def gantt_workbook(project, rows: list[ScheduleRow], today: date) -> bytes:
    """The workbook of the Gantt sheet, as bytes to send."""
    book = Workbook()
    sheet = book.active
    sheet.title = str(_("Gantt chart"))[:31]
    GanttSheet(sheet, project, rows, today).write()
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
