"""The budget view as a table (what the page shows and the Excel sheet repeats, row for row) and its workbook.

`budget_table(view)` turns a `BudgetView` into rows of labelled cells: a header row per group with its subtotal,
the group's lines, and the total. The page renders it; `budget_workbook(table)` writes the same rows, so the sheet
is exactly what is shown: same columns, same groups, same subtotals, same total.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from tandem.finance import costing
from tandem.finance.choices import BudgetGroup, CostType

COLUMN_LABELS = {
    "original": gettext_lazy("Original budget"),
    "modifications": gettext_lazy("Budget modifications"),
    "approved_changes": gettext_lazy("Approved changes"),
    "revised": gettext_lazy("Revised budget"),
    "pending_changes": gettext_lazy("Pending changes"),
    "projected_budget": gettext_lazy("Projected budget"),
    "committed": gettext_lazy("Committed"),
    "direct": gettext_lazy("Direct costs"),
    "pending_cost": gettext_lazy("Pending cost"),
    "projected_cost": gettext_lazy("Projected cost"),
    "forecast_to_complete": gettext_lazy("Forecast to complete"),
    "ecac": gettext_lazy("Estimated cost at completion"),
    "over_under": gettext_lazy("Projected over/under"),
}


@dataclass(frozen=True)
class Cell:
    column: str
    value: Decimal
    drill: str = ""  # the drill-down query (column=…&line=…) of an input cell, "" for a derived one

    @property
    def negative(self) -> bool:
        return self.value < 0


@dataclass
class TableRow:
    kind: str  # "group", "line" or "total"
    label: str
    detail: str
    cells: list[Cell]
    line: object = None
    key: str = ""


@dataclass
class BudgetTable:
    group: str
    columns: list[tuple[str, str]]
    rows: list[TableRow] = field(default_factory=list)


def _cells(figures: costing.Figures, scope: str) -> list[Cell]:
    return [
        Cell(c, getattr(figures, c), f"column={c}{scope}" if c in costing.INPUT_COLUMNS else "")
        for c in costing.COLUMNS
    ]


def budget_table(view) -> BudgetTable:
    """The rows of the budget page and its Excel sheet, from a `BudgetView`."""
    by_type = view.group == BudgetGroup.TYPE
    table = BudgetTable(view.group, [(c, str(COLUMN_LABELS[c])) for c in costing.COLUMNS])
    type_labels = dict(CostType.choices)
    for group in view.groups:
        if by_type:
            label, detail, scope, key = str(type_labels.get(group.key, group.key)), "", f"&type={group.key}", group.key
        else:
            label, detail = group.key.code, group.key.name
            scope, key = f"&code={group.key.pk}", f"code-{group.key.pk}"
        table.rows.append(TableRow("group", label, detail, _cells(group.figures, scope), key=key))
        for row in group.lines:
            line = row.line
            label = line.cost_code.code if by_type else str(type_labels.get(line.cost_type, line.cost_type))
            table.rows.append(
                TableRow("line", label, line.description, _cells(row.figures, f"&line={line.pk}"), line=line)
            )
    table.rows.append(TableRow("total", _("Total"), "", _cells(view.total, ""), key="total"))
    return table


def _text(cell, value: str):
    # What a user typed stays text: the sheet never runs it as a formula.
    cell.value = value
    cell.data_type = "s"
    return cell


def budget_workbook(view, table: BudgetTable) -> bytes:
    """The budget view as an .xlsx: a title block, the header, then the table's rows with their numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Budget")[:31]
    project = view.project
    _text(sheet.cell(1, 1), f"{project.number} {project.name}").font = Font(size=14, bold=True)
    facts = [
        f"{_('Revised contract value')}: {view.margin.contract_value:,.2f}",
        f"{pgettext('amount', 'Margin')}: {view.margin.amount:,.2f}"
        + (f" ({view.margin.percent}%)" if view.margin.percent is not None else ""),
        f"{_('Exported')}: {timezone.localtime():%Y-%m-%d %H:%M}",
    ]
    _text(sheet.cell(2, 1), "    ".join(facts)).font = Font(color="555555")
    header_row = 4
    heads = [_("Cost type") if table.group == BudgetGroup.CODE else _("Cost code"), _("Description")]
    heads += [label for _c, label in table.columns]
    bold, head_fill = Font(bold=True), PatternFill("solid", fgColor="EEF1F5")
    group_fill = PatternFill("solid", fgColor="F6F7F9")
    for i, title in enumerate(heads, start=1):
        cell = _text(sheet.cell(header_row, i), title)
        cell.font, cell.fill = bold, head_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    red = Font(color="C0392B")
    for r, row in enumerate(table.rows, start=header_row + 1):
        _text(sheet.cell(r, 1), row.label)
        _text(sheet.cell(r, 2), row.detail or "")
        for c, item in enumerate(row.cells, start=3):
            cell = sheet.cell(r, c, item.value)
            cell.number_format = "#,##0.00"
            if item.column == "over_under" and item.negative:
                cell.font = Font(color="C0392B", bold=row.kind != "line")
            elif row.kind != "line":
                cell.font = bold
        if row.kind != "line":
            for c in range(1, len(heads) + 1):
                sheet.cell(r, c).fill = group_fill
                if sheet.cell(r, c).font != red and c < 3:
                    sheet.cell(r, c).font = bold
    sheet.freeze_panes = sheet.cell(header_row + 1, 3)
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 28
    for c in range(3, len(heads) + 1):
        sheet.column_dimensions[get_column_letter(c)].width = 15
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
