"""The handoff: a project made from a template for a contract gets its budget with the contract's amount and the
template's budget lines on the tasks made from the template's tasks; a changed contract amount follows while the
budget is unlocked; monthly snapshots."""

from datetime import date
from decimal import Decimal

import pytest

from tandem.crm.services.contracts import contract_update
from tandem.crm.tests.factories import make_contract
from tandem.finance.choices import CostKind, CostType
from tandem.finance.models import BudgetLine, CostSnapshot, ProjectBudget, TemplateBudgetLine
from tandem.finance.services.actuals import cost_record_create
from tandem.finance.services.handoff import budget_from_handoff
from tandem.finance.services.snapshots import cost_snapshot_take
from tandem.finance.tasks import cost_snapshots_monthly_task
from tandem.finance.tests.factories import lock, make_code, make_line
from tandem.projects.models import TemplateTask
from tandem.projects.services.templates import template_define, template_instantiate
from tandem.projects.tests.factories import START, pm_member
from tandem.testing.kit import access_for, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def handoff(tenant):
    admin = make_member(tenant, "admin")
    pm = pm_member(tenant)
    contract = make_contract(tenant, admin.user, amount=Decimal("880000.00"))
    template = template_define(
        access=access_for(admin),
        name="机房模板",
        tasks=[
            {"key": "a", "name": "一期"},
            {"key": "a1", "name": "布线", "parent_key": "a", "duration": 960},
            {"key": "b", "name": "二期"},
            {"key": "b1", "name": "布线", "parent_key": "b", "duration": 960},
        ],
    )
    code = make_code(tenant, code="02.03", name="弱电系统")
    second_wiring = TemplateTask.objects.get(template=template, name="布线", parent__name="二期")
    TemplateBudgetLine.objects.create(
        tenant=tenant,
        template=template,
        template_task=second_wiring,
        cost_code=code,
        cost_type=CostType.MATERIAL,
        quantity=Decimal("1.5"),
        unit_price=Decimal("10.01"),
        sort_order=1,
    )
    TemplateBudgetLine.objects.create(
        tenant=tenant, template=template, cost_code=code, cost_type=CostType.OVERHEAD, unit_price=Decimal("500")
    )
    return admin, pm, contract, template


def test_a_project_from_a_template_for_a_contract_gets_its_budget(tenant, handoff, django_capture_on_commit_callbacks):
    admin, pm, contract, template = handoff
    with django_capture_on_commit_callbacks(execute=True):
        project = template_instantiate(
            access=access_for(admin),
            template=template,
            name="华东机房",
            start_date=START,
            owner=pm.user,
            account_id=contract.account_id,
            contract_id=contract.pk,
        )
    budget = ProjectBudget.objects.get(project=project)
    assert budget.original_contract_value == Decimal("880000.00")
    lines = list(BudgetLine.objects.filter(budget=budget).select_related("task__parent").order_by("sort_order"))
    assert [(line.cost_type, line.original_amount) for line in lines] == [
        (CostType.OVERHEAD, Decimal("500.00")),
        (CostType.MATERIAL, Decimal("15.02")),
    ]
    assert lines[0].task is None
    assert (lines[1].task.name, lines[1].task.parent.name) == ("布线", "二期")
    # Idempotent: a replay adds nothing.
    budget_from_handoff(tenant_id=tenant.pk, project_id=project.pk, template_id=template.pk)
    assert BudgetLine.objects.filter(budget=budget).count() == 2


def test_the_contract_amount_follows_while_the_budget_is_unlocked(tenant, handoff, django_capture_on_commit_callbacks):
    admin, pm, contract, template = handoff
    with django_capture_on_commit_callbacks(execute=True):
        project = template_instantiate(
            access=access_for(admin),
            template=template,
            name="华东机房",
            start_date=START,
            owner=pm.user,
            account_id=contract.account_id,
            contract_id=contract.pk,
        )
    contract_update(access=access_for(admin), contract=contract, amount=Decimal("900000.00"))
    budget = ProjectBudget.objects.get(project=project)
    assert budget.original_contract_value == Decimal("900000.00")
    lock(budget, pm)
    contract_update(access=access_for(admin), contract=contract, amount=Decimal("950000.00"))
    budget.refresh_from_db()
    assert budget.original_contract_value == Decimal("900000.00")


def test_a_snapshot_holds_the_months_totals_and_the_task_takes_every_budget(org):
    line = make_line(org.budget, org.pm, unit_price="1000")
    cost_record_create(
        access=org.pm_access,
        project=org.project,
        budget_line=line,
        kind=CostKind.EXPENSE,
        date=date(2025, 3, 10),
        amount=Decimal("100"),
    )
    cost_record_create(
        access=org.pm_access,
        project=org.project,
        budget_line=line,
        kind=CostKind.EXPENSE,
        date=date(2025, 4, 2),
        amount=Decimal("50"),
    )
    snapshot = cost_snapshot_take(tenant_id=org.tenant.pk, project_id=org.project.pk, month=date(2025, 3, 1))
    assert snapshot.month == date(2025, 3, 1)
    assert snapshot.totals["original"] == "1000.00" and snapshot.totals["direct"] == "100.00"
    assert snapshot.earned_value["ac"] == "100.00"
    again = cost_snapshot_take(tenant_id=org.tenant.pk, project_id=org.project.pk, month=date(2025, 3, 15))
    assert again.pk == snapshot.pk
    cost_snapshots_monthly_task.call_local()
    assert CostSnapshot.objects.filter(project=org.project).count() == 2
