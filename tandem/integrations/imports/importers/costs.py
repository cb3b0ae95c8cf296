"""Importing the cost center's data: the cost code tree (成本科目) and a project's bill of quantities (工程量清单)
as budget lines.

Both write through the finance services (`cost_codes_import`, `budget_lines_create_bulk`), which check, audit and
refresh the cost alerts as any other write does; the commit hands them every row at once, so a file is written
whole or not at all.

The bill of quantities names its project in a column (项目 / 项目编号): the import framework has one file per
object type and no per-job options, so the project travels with the rows. A row for a project whose budget is
locked is refused at the check (a locked budget changes only through modifications and change orders).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from tandem.core.errors import ApplicationError
from tandem.finance.choices import BudgetStatus, CostType
from tandem.finance.models import BudgetLine, CostCode, ProjectBudget
from tandem.integrations.imports import cells
from tandem.integrations.imports.cells import CellError, Field
from tandem.integrations.imports.importers.base import MONEY_HELP, QUERY_CHUNK, CommitRefused, Importer, Match, loose

MAX_QUANTITY = Decimal("1e13")  # DecimalField(max_digits=16, decimal_places=3)
COST_TYPE_SYNONYMS = {
    CostType.LABOR: ("人工", "人工费", "人工费用", "劳务", "劳务费", "labour"),
    CostType.MATERIAL: ("材料", "材料费", "主材", "主材费", "辅材", "设备材料", "materials"),
    CostType.MACHINERY: ("机械", "机械费", "机械使用费", "施工机具使用费", "机具", "机具费", "machine", "equipment"),
    CostType.SUBCONTRACT: ("分包", "分包费", "专业分包", "劳务分包", "分包工程", "subcontractor"),
    CostType.MEASURES: ("措施", "措施费", "措施项目", "措施项目费", "安全文明施工费"),
    CostType.OVERHEAD: ("管理费", "企业管理费", "项目管理费", "间接费"),
    CostType.FEES: ("规费", "规费费用", "社会保险费", "fees"),
    CostType.TAX: ("税金", "税费", "增值税", "税"),
    CostType.OTHER: ("其他", "其它", "其他费", "其他项目费", "暂列金额"),
}


def code_text(max_length: int):
    """A code such as 02.01: no spaces inside, full-width characters made half-width."""

    def clean(value: str) -> str:
        value = unicodedata.normalize("NFKC", value).strip()
        if any(ch.isspace() for ch in value):
            raise CellError(_("A code has no spaces."))
        if len(value) > max_length:
            raise CellError(_("At most %(n)d characters.") % {"n": max_length})
        return value

    return clean


def quantity(value: str) -> str:
    """A quantity ≥ 0 with at most three decimals, such as 1,250.5 (as text, JSON-safe)."""
    text = unicodedata.normalize("NFKC", value).replace(",", "").replace("，", "").strip()
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        raise CellError(_("Not a number.")) from None
    if not number.is_finite() or number < 0:
        raise CellError(_("Give a quantity of zero or more."))
    if number != number.quantize(Decimal("0.001")):
        raise CellError(_("At most three decimals."))
    if number >= MAX_QUANTITY:
        raise CellError(_("Too large a quantity."))
    return str(number.quantize(Decimal("0.001")))


def _refused(exc: ApplicationError, numbers: list[int]) -> CommitRefused:
    """A service's refusal as one message naming the file's row and field of its first error."""
    errors = exc.errors or {}
    for key, value in errors.items():
        if key.startswith("rows[") and key.endswith("]"):
            index = int(key[5:-1])
            row = numbers[index] if index < len(numbers) else index + 1
            if isinstance(value, dict):
                field, messages = next(iter(value.items()))
                message = messages[0] if messages else exc.message
            else:
                field, message = "", value[0] if value else exc.message
            return CommitRefused(
                _("row %(row)d: %(field)s %(message)s") % {"row": row, "field": field, "message": message}
            )
        if value:
            return CommitRefused(value[0] if isinstance(value, list) else exc.message)
    return CommitRefused(exc.message)


class CostCodeImporter(Importer):
    """The tenant's cost code tree, one code a row with its parent (上级科目); an existing code may be updated."""

    object_type = "finance.costcode"
    model = CostCode
    fields = (
        Field(
            "code",
            pgettext_lazy("import column", "Cost code"),
            ("科目编码", "科目代码", "成本科目编码", "编码", "代码", "code", "cost code"),
            required=True,
            clean=code_text(40),
            updatable=False,
            help=gettext_lazy("Such as 02.01; an existing code is found by it and may be updated."),
            example="02.01",
        ),
        Field(
            "name",
            gettext_lazy("Cost code name"),
            ("科目名称", "成本科目", "科目", "名称", "name"),
            required=True,
            clean=cells.name(200),
            example=gettext_lazy("Power distribution"),
        ),
        Field(
            "parent",
            gettext_lazy("Parent code"),
            ("上级科目", "上级科目编码", "上级编码", "父级科目", "父级编码", "上级", "parent", "parent code"),
            clean=code_text(40),
            help=gettext_lazy(
                "The code of an existing code or of one in an earlier row; empty means the code's dotted prefix "
                "(02 for 02.01), or none."
            ),
            example="02",
        ),
        Field(
            "sort_order",
            gettext_lazy("Sort order"),
            ("排序", "序号", "顺序", "order"),
            clean=quantity,
            help=gettext_lazy("A whole number; codes are listed by it, then by code."),
        ),
        Field(
            "is_active",
            pgettext_lazy("cost code", "Active"),
            ("启用", "是否启用", "有效", "active"),
            clean=cells.boolean,
            help=gettext_lazy("Yes or no (是/否); empty means yes for a new code and no change for an existing one."),
        ),
    )
    writes_itself = True

    def prepare(self, mapped) -> None:
        super().prepare(mapped)
        self.existing: dict[str, tuple[int, str]] = {
            code: (pk, name)
            for pk, code, name in CostCode.objects.filter(tenant_id=self.tenant_id)
            .values_list("id", "code", "name")
            .iterator(chunk_size=QUERY_CHUNK)
        }
        self.seen: dict[str, int] = {}

    def check(self, data: dict, errors: list) -> None:
        order = data.get("sort_order")
        if order is not None:
            if Decimal(order) != Decimal(order).to_integral_value():
                errors.append(["sort_order", _("A whole number.")])
            else:
                data["sort_order"] = int(Decimal(order))
        if data.get("parent") == data["code"]:
            errors.append(["parent", _("A code cannot be its own parent.")])

    def in_file(self, data: dict, number: int) -> list[list[str]]:
        code = data["code"]
        first = self.seen.setdefault(code, number)
        if first != number:
            return [["code", _("Same code as row %(row)d.") % {"row": first}]]
        parent = data.get("parent") or (code.rsplit(".", 1)[0] if "." in code else "")
        if parent and parent not in self.existing and parent not in self.seen:
            field = "parent" if data.get("parent") else "code"
            return [
                [
                    field,
                    _("No cost code %(code)s: it must exist already or come in an earlier row.") % {"code": parent},
                ]
            ]
        return []

    def match(self, data: dict) -> Match | None:
        found = self.existing.get(data["code"])
        if found is None:
            return None
        pk, name = found
        return Match(pk, f"{data['code']} {name}", "code", 100, True)

    def write(self, creates: list[dict], updates: list[tuple[int, dict]]) -> tuple[list, int]:
        from tandem.finance.services.cost_codes import cost_codes_import

        rows = [*creates, *(data for _pk, data in updates)]
        if not rows:
            return [], 0
        try:
            cost_codes_import(access=self.access, rows=rows)
        except ApplicationError as exc:
            raise _refused(exc, list(range(1, len(rows) + 1))) from exc
        created = list(CostCode.objects.filter(tenant_id=self.tenant_id, code__in=[r["code"] for r in creates]))
        return created, len(updates)


class BillOfQuantitiesImporter(Importer):
    """A bill of quantities (工程量清单) into budget lines: project, cost code, cost type, item, unit, quantity and
    all-in unit price (综合单价), optionally on a WBS task. Always creates lines."""

    object_type = "finance.budgetline"
    model = BudgetLine
    fields = (
        Field(
            "project",
            gettext_lazy("Project"),
            ("项目", "项目编号", "所属项目", "工程项目", "项目代码", "工程编号", "project", "project number"),
            required=True,
            help=gettext_lazy(
                "The number, code or exact name of a project you can see whose budget is not locked yet."
            ),
        ),
        Field(
            "cost_code",
            pgettext_lazy("import column", "Cost code"),
            ("科目编码", "成本科目编码", "科目代码", "成本科目", "科目", "cost code"),
            required=True,
            clean=code_text(40),
            help=gettext_lazy("An active code of your cost code tree, such as 02.01."),
        ),
        Field(
            "cost_type",
            gettext_lazy("Cost type"),
            ("成本类型", "费用类型", "费用类别", "成本类别", "类型", "cost type", "type"),
            required=True,
            help=gettext_lazy("Labor, material, machinery, subcontract… (人工费, 材料费, 机械费, 分包… are read too)."),
            example=CostType.MATERIAL.label,
            choices=tuple(CostType.choices),
            choice_synonyms=COST_TYPE_SYNONYMS,
        ),
        Field(
            "description",
            pgettext_lazy("bill of quantities", "Item"),
            ("项目名称", "清单名称", "清单项目名称", "子目名称", "分项名称", "名称", "description", "item"),
            clean=cells.name(300),
            example=gettext_lazy("Cable tray 300×100, galvanised"),
        ),
        Field(
            "unit",
            gettext_lazy("Unit"),
            ("单位", "计量单位", "unit"),
            clean=cells.text(20),
            example="m",
        ),
        Field(
            "quantity",
            pgettext_lazy("bill of quantities", "Quantity"),
            ("工程量", "清单工程量", "数量", "quantity", "qty"),
            required=True,
            clean=quantity,
            load=cells.load_decimal,
            help=gettext_lazy("A number ≥ 0 with at most three decimals."),
            example="1250.5",
        ),
        Field(
            "unit_price",
            pgettext_lazy("bill of quantities", "Unit price"),
            ("综合单价", "单价", "综合单价元", "全费用单价", "unit price", "rate"),
            required=True,
            clean=cells.money,
            load=cells.load_decimal,
            help=MONEY_HELP,
            example="86.50",
        ),
        Field(
            "task",
            gettext_lazy("WBS task"),
            ("WBS 任务", "wbs任务", "任务", "WBS", "WBS编码", "任务名称", "工作分解", "task", "wbs task"),
            help=gettext_lazy("The WBS code (such as 1.2) or the exact name of a task of the project; may be empty."),
        ),
    )
    writes_itself = True

    def examples(self) -> dict[str, str]:
        from tandem.projects.models import Project

        values = super().examples()
        values["project"] = (
            Project.objects.restrict(self.access).order_by("-id").values_list("number", flat=True).first() or ""
        )
        values["cost_code"] = (
            CostCode.objects.filter(tenant_id=self.tenant_id, is_active=True, children__isnull=True)
            .order_by("code")
            .values_list("code", flat=True)
            .first()
            or "02.01"
        )
        return values

    def prepare(self, mapped) -> None:
        from tandem.projects.models import Project

        super().prepare(mapped)
        self.codes: dict[str, tuple[int, bool]] = {
            code: (pk, active)
            for pk, code, active in CostCode.objects.filter(tenant_id=self.tenant_id).values_list(
                "id", "code", "is_active"
            )
        }
        self.projects: dict[str, int] = {}
        by_name: dict[str, set[int]] = defaultdict(set)
        rows = Project.objects.restrict(self.access).values_list("id", "number", "code", "name")
        for pk, number, code, name in rows.iterator(chunk_size=QUERY_CHUNK):
            self.projects[loose(number)] = pk
            if code:
                self.projects.setdefault(loose(code), pk)
            by_name[loose(name)].add(pk)
        self.project_names = by_name
        self.locked = set(
            ProjectBudget.objects.filter(tenant_id=self.tenant_id, status=BudgetStatus.LOCKED).values_list(
                "project_id", flat=True
            )
        )
        self.tasks: dict[int, tuple[dict[str, int], dict[str, set[int]]]] = {}

    def _project(self, text: str) -> int:
        found = self.projects.get(loose(text))
        if found:
            return found
        ids = self.project_names.get(loose(text), set())
        if len(ids) == 1:
            return next(iter(ids))
        if ids:
            raise CellError(_("Several projects are called %(name)s; use the project number.") % {"name": text[:50]})
        raise CellError(_("No project %(name)s that you can see.") % {"name": text[:100]})

    def _task(self, project_id: int, text: str) -> int:
        """A task of the project by WBS code or exact name; the project's tasks are read once."""
        if project_id not in self.tasks:
            from tandem.projects.models import Task

            by_wbs: dict[str, int] = {}
            by_name: dict[str, set[int]] = defaultdict(set)
            for pk, outline, name in Task.objects.filter(tenant_id=self.tenant_id, project_id=project_id).values_list(
                "id", "outline_number", "name"
            ):
                if outline:
                    by_wbs[outline] = pk
                by_name[loose(name)].add(pk)
            self.tasks[project_id] = (by_wbs, by_name)
        by_wbs, by_name = self.tasks[project_id]
        key = unicodedata.normalize("NFKC", text).strip()
        if key in by_wbs:
            return by_wbs[key]
        ids = by_name.get(loose(text), set())
        if len(ids) == 1:
            return next(iter(ids))
        if ids:
            raise CellError(_("Several tasks are called %(name)s; use the WBS code.") % {"name": text[:50]})
        raise CellError(_("The project has no task %(name)s.") % {"name": text[:100]})

    def check(self, data: dict, errors: list) -> None:
        try:
            project_id = self._project(data["project"])
        except CellError as exc:
            errors.append(["project", exc.message])
            return
        if project_id in self.locked:
            errors.append(
                [
                    "project",
                    _("The project's budget is locked; change it with a budget modification or a change order."),
                ]
            )
            return
        data["project"] = project_id
        code = self.codes.get(data["cost_code"])
        if code is None:
            errors.append(["cost_code", _("No cost code %(code)s.") % {"code": data["cost_code"][:40]}])
        elif not code[1]:
            errors.append(["cost_code", _("The cost code %(code)s is no longer in use.") % {"code": data["cost_code"]}])
        else:
            data["cost_code"] = code[0]
        if data.get("task"):
            try:
                data["task"] = self._task(project_id, data["task"])
            except CellError as exc:
                errors.append(["task", exc.message])

    def in_file(self, data: dict, number: int) -> list[list[str]]:
        data["row"] = number  # to name the file's row if the services refuse one
        return []

    def write(self, creates: list[dict], updates: list[tuple[int, dict]]) -> tuple[list, int]:
        from tandem.finance.services.budgets import budget_for, budget_lines_create_bulk
        from tandem.projects.models import Project, Task

        by_project: dict[int, list[dict]] = defaultdict(list)
        for data in creates:
            by_project[data["project"]].append(data)
        codes = CostCode.objects.filter(tenant_id=self.tenant_id).in_bulk(list({d["cost_code"] for d in creates}))
        task_ids = list({d["task"] for d in creates if d.get("task")})
        tasks = Task.objects.filter(tenant_id=self.tenant_id).in_bulk(task_ids) if task_ids else {}
        projects = Project.objects.restrict(self.access).in_bulk(list(by_project))
        created: list = []
        for project_id, rows in by_project.items():
            project = projects.get(project_id)
            if project is None:
                raise CommitRefused(_("A project of the file is no longer visible to you; check the file again."))
            try:
                budget = budget_for(access=self.access, project=project)
                start = (budget.lines.aggregate(n=Max("sort_order"))["n"] or 0) + 1
                lines = [
                    {
                        "cost_code": codes.get(row["cost_code"]),
                        "cost_type": row["cost_type"],
                        "task": tasks.get(row["task"]) if row.get("task") else None,
                        "description": row.get("description", ""),
                        "unit": row.get("unit", ""),
                        "quantity": Decimal(row["quantity"]),
                        "unit_price": Decimal(row["unit_price"]),
                        "sort_order": start + index,
                    }
                    for index, row in enumerate(rows)
                ]
                created.extend(budget_lines_create_bulk(access=self.access, budget=budget, rows=lines))
            except ApplicationError as exc:
                raise _refused(exc, [row.get("row", 0) for row in rows]) from exc
        return created, 0
