"""Importing the cost center's data from real XLSX files: the cost code tree and a bill of quantities (清单) into a
project's budget lines, with Chinese headers, 万 amounts, errors per cell, locked budgets and nothing written on
error."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from tandem.audit.models import AuditEntry
from tandem.core.errors import ApplicationError, PermissionDenied
from tandem.finance.choices import BudgetStatus
from tandem.finance.models import BudgetLine, CostCode, ProjectBudget
from tandem.integrations.choices import ImportStatus, RowDecision, RowStatus
from tandem.integrations.models import ImportRow
from tandem.integrations.services import jobs
from tandem.integrations.tests.conftest import checked, imported, upload, xlsx_upload
from tandem.projects.services.tasks import task_create
from tandem.projects.tests.factories import make_project
from tandem.testing.kit import access_for, make_member

CODES = "finance.costcode"
BOQ = "finance.budgetline"


@pytest.fixture
def shop(tenant):
    """Finance (赵会计) keeps the cost codes; the PM 周经理 runs 光谷数据中心机电安装 with two tasks."""
    finance = make_member(tenant, "finance", display_name="赵会计", preferred_language="en")
    pm = make_member(tenant, "pm", display_name="周经理", preferred_language="en")
    sales = make_member(tenant, "sales", display_name="陈晓", preferred_language="en")
    project = make_project(tenant, member=pm, name="光谷数据中心机电安装")
    pm_access = access_for(pm)
    cabling = task_create(access=pm_access, project=project, name="桥架及线缆敷设")
    hvac = task_create(access=pm_access, project=project, name="空调水系统")
    cabling.refresh_from_db()
    hvac.refresh_from_db()
    return SimpleNamespace(
        tenant=tenant,
        finance=finance,
        pm=pm,
        sales=sales,
        project=project,
        cabling=cabling,
        hvac=hvac,
        finance_access=access_for(finance),
        pm_access=pm_access,
        sales_access=access_for(sales),
    )


def _codes(tenant, *pairs):
    made = {}
    for code, name in pairs:
        parent = made.get(code.rsplit(".", 1)[0]) if "." in code else None
        made[code] = CostCode.objects.create(tenant=tenant, code=code, name=name, parent=parent)
    return made


def _errors(job) -> dict[int, dict[str, str]]:
    return {
        row.number: {field: message for field, message in row.errors}
        for row in ImportRow.objects.filter(job=job, status=RowStatus.INVALID)
    }


# --- cost codes ----------------------------------------------------------------------------------------------

TREE = [
    ["科目编码", "科目名称", "上级科目"],
    ["01", "土建工程", ""],
    ["02", "安装工程", ""],
    ["02.01", "强电", "02"],
    ["02.02", "弱电", ""],  # the parent from the dotted prefix
    ["02.03", "暖通", "02"],
    ["03", "智能化系统", ""],
]


def test_cost_code_tree_from_excel_with_chinese_headers(shop):
    job = checked(shop.finance_access, CODES, xlsx_upload(TREE))
    assert job.status == ImportStatus.VALIDATED, job.error_message
    assert job.mapping == {"0": "code", "1": "name", "2": "parent"}
    assert (job.total_rows, job.valid_rows, job.invalid_rows, job.matched_rows) == (6, 6, 0, 0)
    job = imported(shop.finance_access, job)
    assert job.status == ImportStatus.DONE, job.error_message
    assert job.created_count == 6
    codes = {c.code: c for c in CostCode.objects.filter(tenant=shop.tenant).select_related("parent")}
    assert set(codes) == {"01", "02", "02.01", "02.02", "02.03", "03"}
    assert codes["02.01"].parent.code == "02" and codes["02.02"].parent.code == "02"
    assert codes["01"].parent is None and codes["02.03"].name == "暖通"
    # The service audits the import; the framework adds its job summary.
    assert AuditEntry.objects.filter(tenant_id=shop.tenant.pk, object_type="finance.costcode").exists()
    assert AuditEntry.objects.get(tenant_id=shop.tenant.pk, object_type="integrations.importjob").after["created"] == 6


def test_cost_code_errors_are_reported_per_cell_and_nothing_is_written(shop):
    _codes(shop.tenant, ("01", "土建工程"))
    rows = [
        ["科目编码", "科目名称", "上级科目"],
        ["04", "措施项目", ""],
        ["04.01", "", "04"],  # no name
        ["05.01", "管理人员工资", ""],  # 05 exists nowhere
        ["04.02", "安全文明施工", "09"],  # unknown parent
        ["04", "措施项目（重复）", ""],  # same code twice
        ["04 03", "临时设施", "04"],  # a space inside the code
        ["04.04", "脚手架", "04.04"],  # its own parent
    ]
    job = checked(shop.finance_access, CODES, xlsx_upload(rows))
    assert job.status == ImportStatus.VALIDATED, job.error_message
    errors = _errors(job)
    assert set(errors) == {3, 4, 5, 6, 7, 8}
    assert list(errors[3]) == ["name"]
    assert list(errors[4]) == ["code"] and "05" in errors[4]["code"]
    assert list(errors[5]) == ["parent"] and "09" in errors[5]["parent"]
    assert "row 2" in errors[6]["code"]
    assert list(errors[7]) == ["code"]
    assert list(errors[8]) == ["parent"]
    # The existing 01 is a match, the rest either valid (04) or invalid.
    assert job.valid_rows == 1 and job.invalid_rows == 6
    with pytest.raises(ApplicationError) as refused:
        jobs.import_commit_start(access=shop.finance_access, job=job)
    assert getattr(refused.value, "code", "") == "rows_with_errors"
    assert list(CostCode.objects.filter(tenant=shop.tenant).values_list("code", flat=True)) == ["01"]


def test_an_existing_code_is_matched_and_may_be_renamed(shop):
    _codes(shop.tenant, ("02", "安装"), ("02.01", "强电"))
    rows = [["科目编码", "科目名称", "上级科目"], ["02", "安装工程", ""], ["02.02", "弱电", "02"]]
    job = checked(shop.finance_access, CODES, xlsx_upload(rows))
    assert (job.valid_rows, job.matched_rows) == (1, 1)
    matched = ImportRow.objects.get(job=job, status=RowStatus.MATCHED)
    assert matched.match_exact and matched.can_update
    assert matched.allowed_decisions() == [RowDecision.UPDATE, RowDecision.SKIP]
    jobs.import_decisions_set(access=shop.finance_access, job=job, default=RowDecision.UPDATE)
    job = imported(shop.finance_access, job)
    assert job.status == ImportStatus.DONE, job.error_message
    assert (job.created_count, job.updated_count) == (1, 1)
    assert CostCode.objects.get(tenant=shop.tenant, code="02").name == "安装工程"
    assert CostCode.objects.get(tenant=shop.tenant, code="02.02").parent.code == "02"


def test_who_may_import_cost_codes(shop):
    # Cost codes are finance's: the PM may not import them, the salesperson imports nothing of finance.
    with pytest.raises(PermissionDenied):
        upload(shop.pm_access, CODES, xlsx_upload(TREE))
    with pytest.raises(PermissionDenied):
        upload(shop.sales_access, CODES, xlsx_upload(TREE))
    with pytest.raises(PermissionDenied):
        upload(shop.sales_access, BOQ, xlsx_upload(TREE))


# --- bill of quantities --------------------------------------------------------------------------------------

BOQ_HEADER = ["项目编号", "科目编码", "成本类型", "项目名称", "单位", "工程量", "综合单价", "WBS 任务"]


def _boq_codes(tenant):
    return _codes(
        tenant,
        ("02", "安装工程"),
        ("02.01", "强电"),
        ("02.02", "弱电"),
        ("02.03", "暖通"),
        ("04", "措施项目"),
        ("05", "管理费用"),
    )


def test_bill_of_quantities_into_the_project_budget(shop):
    codes = _boq_codes(shop.tenant)
    number = shop.project.number
    rows = [
        BOQ_HEADER,
        [number, "02.01", "材料费", "镀锌桥架 300×100", "m", 1250.5, "86.50", shop.cabling.outline_number],
        [number, "02.01", "人工费", "桥架安装", "m", "1,250.5", 18.34, "桥架及线缆敷设"],
        [number, "02.03", "分包", "空调水系统专业分包", "项", 1, "1.2万", "空调水系统"],
        [number, "02.02", "机械费", "高空作业车台班", "台班", 15, 680, ""],
        [number, "04", "措施费", "安全文明施工费", "项", 1, "¥35,000.00", ""],
        [number, "05", "管理费", "项目管理人员工资", "月", 8, 18000, ""],
        [number, "05", "规费", "社会保险费", "项", 1, 9800, ""],
        [number, "05", "税金", "增值税", "项", 1, "3.5万", ""],
        [number, "02.02", "其他", "暂列金额", "项", 1, 5000, ""],
    ]
    job = checked(shop.pm_access, BOQ, xlsx_upload(rows, name="光谷清单.xlsx"))
    assert job.status == ImportStatus.VALIDATED, job.error_message
    assert job.mapping == {
        "0": "project",
        "1": "cost_code",
        "2": "cost_type",
        "3": "description",
        "4": "unit",
        "5": "quantity",
        "6": "unit_price",
        "7": "task",
    }
    assert (job.valid_rows, job.invalid_rows, job.matched_rows) == (9, 0, 0), _errors(job)
    job = imported(shop.pm_access, job)
    assert job.status == ImportStatus.DONE, job.error_message
    assert job.created_count == 9
    lines = list(BudgetLine.objects.filter(project=shop.project).order_by("sort_order"))
    assert [line.cost_type for line in lines] == [
        "material",
        "labor",
        "subcontract",
        "machinery",
        "measures",
        "overhead",
        "fees",
        "tax",
        "other",
    ]
    tray, labor, sub = lines[0], lines[1], lines[2]
    assert (tray.cost_code, tray.description, tray.unit) == (codes["02.01"], "镀锌桥架 300×100", "m")
    assert (tray.quantity, tray.unit_price, tray.original_amount) == (
        Decimal("1250.500"),
        Decimal("86.50"),
        Decimal("108168.25"),
    )
    assert tray.task == shop.cabling and labor.task == shop.cabling and sub.task == shop.hvac
    assert labor.original_amount == Decimal("22934.17")  # 1,250.5 × 18.34
    assert sub.unit_price == Decimal("12000.00") and sub.original_amount == Decimal("12000.00")
    assert lines[7].unit_price == Decimal("35000.00")
    assert lines[3].task is None
    # 108,168.25 + 22,934.17 + 12,000 + 15 × 680 + 35,000 + 8 × 18,000 + 9,800 + 35,000 + 5,000
    assert sum(line.original_amount for line in lines) == Decimal("382102.42")


def test_bill_of_quantities_errors_per_cell_and_nothing_written(shop):
    _boq_codes(shop.tenant)
    CostCode.objects.filter(tenant=shop.tenant, code="02.02").update(is_active=False)
    number = shop.project.number
    rows = [
        BOQ_HEADER,
        [number, "02.01", "材料费", "电缆 YJV-4×95", "m", 800, 215, ""],  # fine
        [number, "09.99", "材料费", "未知科目", "m", 1, 1, ""],
        [number, "02.01", "运输费", "类型不对", "m", 1, 1, ""],
        [number, "02.01", "材料费", "负数", "m", -3, 1, ""],
        [number, "02.01", "材料费", "单价不对", "m", 1, "八十元", ""],
        [number, "02.01", "材料费", "没有的任务", "m", 1, 1, "9.9"],
        ["XM-不存在", "02.01", "材料费", "没有的项目", "m", 1, 1, ""],
        [number, "02.02", "材料费", "停用科目", "m", 1, 1, ""],
        [number, "02.01", "材料费", "三位以上小数", "m", "1.2345", 1, ""],
        [number, "02.01", "", "缺成本类型", "m", 1, 1, ""],
    ]
    job = checked(shop.pm_access, BOQ, xlsx_upload(rows))
    assert job.status == ImportStatus.VALIDATED, job.error_message
    errors = _errors(job)
    assert {n: list(e) for n, e in errors.items()} == {
        3: ["cost_code"],
        4: ["cost_type"],
        5: ["quantity"],
        6: ["unit_price"],
        7: ["task"],
        8: ["project"],
        9: ["cost_code"],
        10: ["quantity"],
        11: ["cost_type"],
    }
    assert job.valid_rows == 1 and job.invalid_rows == 9
    with pytest.raises(ApplicationError) as refused:
        jobs.import_commit_start(access=shop.pm_access, job=job)
    assert getattr(refused.value, "code", "") == "rows_with_errors"
    assert not BudgetLine.objects.filter(project=shop.project).exists()
    # Skipping the rows with errors imports the one good row.
    job = imported(shop.pm_access, job, skip_invalid=True)
    assert job.status == ImportStatus.DONE, job.error_message
    assert (job.created_count, job.skipped_count) == (1, 9)
    assert BudgetLine.objects.get(project=shop.project).original_amount == Decimal("172000.00")


def test_rows_for_a_locked_budget_are_refused(shop):
    _boq_codes(shop.tenant)
    ProjectBudget.objects.update_or_create(
        tenant=shop.tenant, project=shop.project, defaults={"status": BudgetStatus.LOCKED}
    )
    rows = [BOQ_HEADER, [shop.project.number, "02.01", "材料费", "电缆", "m", 800, 215, ""]]
    job = checked(shop.pm_access, BOQ, xlsx_upload(rows))
    assert job.status == ImportStatus.VALIDATED, job.error_message
    assert list(_errors(job)[2]) == ["project"]
    assert job.valid_rows == 0


def test_a_budget_locked_after_the_check_fails_the_commit_with_nothing_written(shop):
    _boq_codes(shop.tenant)
    number = shop.project.number
    rows = [
        BOQ_HEADER,
        [number, "02.01", "材料费", "电缆", "m", 800, 215, ""],
        [number, "04", "措施费", "", "项", 1, 1, ""],
    ]
    job = checked(shop.pm_access, BOQ, xlsx_upload(rows))
    assert job.valid_rows == 2
    ProjectBudget.objects.update_or_create(
        tenant=shop.tenant, project=shop.project, defaults={"status": BudgetStatus.LOCKED}
    )
    job = imported(shop.pm_access, job)
    assert job.status == ImportStatus.FAILED
    assert job.error_message.startswith("Nothing was imported")
    assert not BudgetLine.objects.filter(project=shop.project).exists()
    assert not AuditEntry.objects.filter(tenant_id=shop.tenant.pk, object_type="integrations.importjob").exists()


def test_projects_out_of_reach_are_not_found(shop):
    _boq_codes(shop.tenant)
    other_pm = make_member(shop.tenant, "pm", display_name="吴经理")
    theirs = make_project(shop.tenant, member=other_pm, name="别人的项目")
    # The PM role sees its department's projects; a member of no department sees only their own.
    rows = [BOQ_HEADER, [theirs.number, "02.01", "材料费", "电缆", "m", 1, 1, ""]]
    job = checked(shop.pm_access, BOQ, xlsx_upload(rows))
    assert list(_errors(job)[2]) == ["project"]
    # The project found by its exact name as well as by its number.
    rows = [BOQ_HEADER, ["光谷数据中心机电安装", "02.01", "材料费", "电缆", "m", 1, 1, ""]]
    job = checked(shop.pm_access, BOQ, xlsx_upload(rows))
    assert job.valid_rows == 1, _errors(job)


def test_finance_imports_are_offered_to_whom_may_use_them_with_a_template_that_maps_itself(shop):
    from io import BytesIO

    from openpyxl import load_workbook

    from tandem.integrations.exports import template_response
    from tandem.integrations.selectors import importable_types

    assert {CODES, BOQ} <= {value for value, _label in importable_types(shop.finance_access)}
    pm_types = {value for value, _label in importable_types(shop.pm_access)}
    assert BOQ in pm_types and CODES not in pm_types
    assert not {CODES, BOQ} & {value for value, _label in importable_types(shop.sales_access)}
    _boq_codes(shop.tenant)
    response = template_response(shop.pm_access, BOQ, "xlsx")
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    header, example = [c.value for c in sheet[1]], [c.value for c in sheet[2]]
    assert example[0] == shop.project.number and example[1] == "02.01"
    # The template filled in as it comes back checks without a change of mapping.
    job = checked(shop.pm_access, BOQ, xlsx_upload([header, example]))
    assert job.valid_rows == 1, _errors(job)
