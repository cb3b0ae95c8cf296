"""Budgets and lines: amounts in fen, the lock refuses direct edits of amounts (and changes nothing), forecasts stay
editable, budget modifications only on locked budgets within the from-line's revised budget; cost codes."""

from decimal import Decimal

import pytest

from tandem.core.errors import ApplicationError, NotFound, PermissionDenied
from tandem.finance.choices import BudgetStatus, CostType, ForecastMethod
from tandem.finance.models import BudgetLine, BudgetModification, CostCode
from tandem.finance.services.budgets import (
    budget_for,
    budget_line_delete,
    budget_line_update,
    budget_lines_create_bulk,
    budget_lock,
    budget_modification_create,
    budget_update,
    line_revised,
)
from tandem.finance.services.cost_codes import cost_code_create, cost_code_delete, cost_codes_import
from tandem.finance.tests.factories import lock, make_budget, make_code, make_line
from tandem.projects.tests.factories import make_chain, make_project, pm_member
from tandem.testing.kit import access_for, make_member

pytestmark = pytest.mark.django_db


def test_line_amount_is_quantity_times_unit_price_rounded_half_up_to_the_fen(org):
    line = make_line(org.budget, org.pm, quantity="3.333", unit_price="10.05")  # 33.49665
    assert line.original_amount == Decimal("33.50")
    line = budget_line_update(access=org.pm_access, line=line, quantity=Decimal("2"))
    assert line.original_amount == Decimal("20.10")


def test_budget_for_makes_one_budget_and_sales_may_not_ask(org):
    assert budget_for(access=org.pm_access, project=org.project).pk == org.budget.pk
    assert budget_for(access=org.finance_access, project=org.project).pk == org.budget.pk
    with pytest.raises(PermissionDenied):
        budget_for(access=access_for(org.sales), project=org.project)


def test_budget_for_of_a_project_of_another_department_is_not_found(tenant):
    from tandem.accounts.models import Department

    east, west = (
        Department.objects.create(tenant=tenant, name="华东"),
        Department.objects.create(tenant=tenant, name="华西"),
    )
    pm_east, pm_west = pm_member(tenant, department=east), pm_member(tenant, department=west)
    project = make_project(tenant, member=pm_east)
    with pytest.raises(NotFound):
        budget_for(access=access_for(pm_west), project=project)


def test_a_locked_budget_refuses_direct_edits_of_amounts_and_changes_nothing(org):
    task = make_chain(org.project, org.pm, "主体结构")[0]
    line = make_line(org.budget, org.pm, quantity="10", unit_price="50")
    lock(org.budget, org.pm)
    other_code = make_code(org.tenant)
    refused = {
        "quantity": Decimal("11"),
        "unit_price": Decimal("51"),
        "cost_code": other_code,
        "cost_type": CostType.LABOR,
        "task": task,
    }
    for field, value in refused.items():
        with pytest.raises(ApplicationError) as exc:
            budget_line_update(access=org.pm_access, line=line, **{field: value})
        assert exc.value.code == "budget_locked"
        assert field in exc.value.errors
    with pytest.raises(ApplicationError) as exc:
        make_line(org.budget, org.pm)
    assert exc.value.code == "budget_locked"
    with pytest.raises(ApplicationError) as exc:
        budget_lines_create_bulk(
            access=org.pm_access, budget=org.budget, rows=[{"cost_code": other_code, "cost_type": CostType.LABOR}]
        )
    assert exc.value.code == "budget_locked"
    with pytest.raises(ApplicationError) as exc:
        budget_line_delete(access=org.pm_access, line=line)
    assert exc.value.code == "budget_locked"
    with pytest.raises(ApplicationError) as exc:
        budget_update(access=org.pm_access, budget=org.budget, original_contract_value=Decimal("1"))
    assert exc.value.code == "budget_locked"
    line.refresh_from_db()
    assert (line.quantity, line.unit_price, line.original_amount, line.task_id) == (
        Decimal("10"),
        Decimal("50"),
        Decimal("500.00"),
        None,
    )
    assert BudgetLine.objects.filter(budget=org.budget).count() == 1
    # The same values again are no change, and the forecast and description stay editable.
    line = budget_line_update(
        access=org.pm_access,
        line=line,
        quantity=Decimal("10.000"),
        description="钢筋",
        forecast_method=ForecastMethod.MANUAL,
        forecast_quantity=Decimal("3"),
        forecast_unit_price=Decimal("30.01"),
    )
    assert line.forecast_amount == Decimal("90.03") and line.description == "钢筋"
    line = budget_line_update(
        access=org.pm_access, line=line, forecast_method=ForecastMethod.LUMP_SUM, forecast_amount=Decimal("80.5")
    )
    assert line.forecast_amount == Decimal("80.50")
    line = budget_line_update(access=org.pm_access, line=line, forecast_method=ForecastMethod.AUTOMATIC)
    assert line.forecast_amount is None


def test_lock_needs_lines_and_happens_once(org):
    with pytest.raises(ApplicationError) as exc:
        lock(org.budget, org.pm)
    assert exc.value.code == "no_lines"
    make_line(org.budget, org.pm)
    budget = lock(org.budget, org.pm)
    assert budget.status == BudgetStatus.LOCKED and budget.locked_by == org.pm.user
    with pytest.raises(ApplicationError) as exc:
        budget_lock(access=org.pm_access, budget=budget)
    assert exc.value.code == "already_locked"


def test_a_task_of_another_project_and_an_incomplete_forecast_are_refused(org, tenant):
    other = make_project(tenant, member=org.pm)
    task = make_chain(other, org.pm, "别的任务")[0]
    with pytest.raises(ApplicationError) as exc:
        make_line(org.budget, org.pm, task=task)
    assert "task" in exc.value.errors
    with pytest.raises(ApplicationError) as exc:
        make_line(org.budget, org.pm, forecast_method=ForecastMethod.MANUAL, forecast_quantity=Decimal("1"))
    assert "forecast_quantity" in exc.value.errors
    assert not BudgetLine.objects.filter(budget=org.budget).exists()


def test_bulk_lines_are_all_or_nothing_with_row_errors(org):
    code = make_code(org.tenant)
    rows = [
        {"cost_code": code, "cost_type": CostType.MATERIAL, "quantity": Decimal("2.5"), "unit_price": Decimal("1.01")},
        {"cost_code": code, "cost_type": CostType.LABOR, "quantity": Decimal("-1")},
    ]
    with pytest.raises(ApplicationError) as exc:
        budget_lines_create_bulk(access=org.pm_access, budget=org.budget, rows=rows)
    assert "rows[1]" in exc.value.errors and "rows[0]" not in exc.value.errors
    assert not BudgetLine.objects.filter(budget=org.budget).exists()
    created = budget_lines_create_bulk(access=org.pm_access, budget=org.budget, rows=rows[:1])
    assert [line.original_amount for line in created] == [Decimal("2.53")]


def test_a_line_of_a_draft_budget_is_deleted(org):
    a, b = make_line(org.budget, org.pm), make_line(org.budget, org.pm)
    budget_line_delete(access=org.pm_access, line=b)
    assert list(BudgetLine.objects.filter(budget=org.budget)) == [a]


def test_budget_modifications_move_budget_between_lines_of_a_locked_budget(org):
    a = make_line(org.budget, org.pm, unit_price="1000")
    b = make_line(org.budget, org.pm, unit_price="500")
    with pytest.raises(ApplicationError) as exc:
        budget_modification_create(
            access=org.pm_access, budget=org.budget, from_line=a, to_line=b, amount="100", reason="调整"
        )
    assert exc.value.code == "budget_not_locked"
    lock(org.budget, org.pm)
    for amount in ("0", "-5"):
        with pytest.raises(ApplicationError) as exc:
            budget_modification_create(
                access=org.pm_access, budget=org.budget, from_line=a, to_line=b, amount=amount, reason="调整"
            )
        assert "amount" in exc.value.errors
    with pytest.raises(ApplicationError) as exc:
        budget_modification_create(
            access=org.pm_access, budget=org.budget, from_line=a, to_line=b, amount="1000.01", reason="调整"
        )
    assert exc.value.code == "over_available"
    with pytest.raises(ApplicationError) as exc:
        budget_modification_create(
            access=org.pm_access, budget=org.budget, from_line=a, to_line=a, amount="1", reason="x"
        )
    assert "to_line" in exc.value.errors
    other = make_budget(org.tenant, member=org.pm)
    stranger = make_line(other, org.pm)
    with pytest.raises(ApplicationError) as exc:
        budget_modification_create(
            access=org.pm_access, budget=org.budget, from_line=a, to_line=stranger, amount="1", reason="x"
        )
    assert "to_line" in exc.value.errors
    assert not BudgetModification.objects.exists()
    budget_modification_create(
        access=org.pm_access, budget=org.budget, from_line=a, to_line=b, amount="600.00", reason="材料价差"
    )
    assert (line_revised(a), line_revised(b)) == (Decimal("400.00"), Decimal("1100.00"))
    # What is left on the from-line is the limit of the next transfer.
    with pytest.raises(ApplicationError):
        budget_modification_create(
            access=org.pm_access, budget=org.budget, from_line=a, to_line=b, amount="400.01", reason="再调"
        )


def test_pm_cannot_write_cost_codes_and_finance_can(org):
    with pytest.raises(PermissionDenied):
        cost_code_create(access=org.pm_access, code="01", name="土建工程")
    code = cost_code_create(access=org.finance_access, code=" 01 ", name="土建工程")
    assert code.code == "01"
    with pytest.raises(ApplicationError) as exc:
        cost_code_create(access=org.finance_access, code="01", name="重复")
    assert exc.value.code == "duplicate"
    make_line(org.budget, org.pm, code=code)
    with pytest.raises(ApplicationError) as exc:
        cost_code_delete(access=org.finance_access, code=code)
    assert exc.value.code == "in_use"


def test_cost_codes_import_builds_the_tree_from_dotted_codes_and_updates_existing(org):
    make_code(org.tenant, code="02", name="旧名")
    result = cost_codes_import(
        access=org.finance_access,
        rows=[
            {"code": "02.03", "name": "弱电系统"},
            {"code": "02", "name": "安装工程"},
            {"code": "02.03.01", "name": "综合布线", "parent": "02.03"},
        ],
    )
    assert result == {"created": 2, "updated": 1}
    codes = {c.code: c for c in CostCode.objects.filter(tenant=org.tenant)}
    assert codes["02"].name == "安装工程"
    assert codes["02.03"].parent == codes["02"] and codes["02.03.01"].parent == codes["02.03"]
    with pytest.raises(ApplicationError) as exc:
        cost_codes_import(
            access=org.finance_access, rows=[{"code": "09.01", "name": "孤儿"}, {"code": "", "name": "x"}]
        )
    assert set(exc.value.errors) == {"rows[0]", "rows[1]"}
    assert not CostCode.objects.filter(code="09.01").exists()


def test_a_sales_rep_cannot_touch_the_budget(org):
    rep = make_member(org.tenant, "sales")
    with pytest.raises(PermissionDenied):
        make_line(org.budget, rep)
