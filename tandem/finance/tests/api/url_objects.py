"""Objects for the generic permission test: the finance API endpoints with parameters, filled with a colleague's
(another PM's) records. Imported from `tandem/finance/tests/__init__.py`, as approvals' API objects are."""

from datetime import date
from decimal import Decimal

from tandem.testing.permissions import colleague, seed_name, url_objects


def _world(tenant):
    from tandem.finance.tests.factories import make_budget, make_code, make_line

    pm = colleague(tenant, "pm")
    budget = make_budget(tenant, member=pm, name=seed_name(tenant, "project"))
    line = make_line(budget, pm, code=make_code(tenant, code=seed_name(tenant, "code")), unit_price="100")
    return pm, budget, line


@url_objects("api:finance-costcode-detail")
def cost_code(tenant):
    from tandem.finance.tests.factories import make_code

    return {"pk": make_code(tenant, code=seed_name(tenant, "code")).pk}


@url_objects("api:finance-budget-detail", "api:finance-budget-lock")
def budget(tenant):
    return {"pk": _world(tenant)[1].pk}


@url_objects("api:finance-budgetline-detail")
def budget_line(tenant):
    return {"pk": _world(tenant)[2].pk}


@url_objects("api:finance-budgetmodification-detail")
def modification(tenant):
    from tandem.finance.services.budgets import budget_lock, budget_modification_create
    from tandem.finance.tests.factories import make_line
    from tandem.testing.kit import access_for

    pm, budget, line = _world(tenant)
    other = make_line(budget, pm)
    budget = budget_lock(access=access_for(pm), budget=budget)
    return {
        "pk": budget_modification_create(
            access=access_for(pm),
            budget=budget,
            from_line=line,
            to_line=other,
            amount="1",
            reason=seed_name(tenant, "r"),
        ).pk
    }


@url_objects(
    "api:finance-changeorder-detail",
    "api:finance-changeorder-submit",
    "api:finance-changeorder-approve",
    "api:finance-changeorder-reject",
    "api:finance-changeorder-void",
)
def change_order(tenant):
    from tandem.finance.services.change_orders import change_order_create
    from tandem.testing.kit import access_for

    pm, budget, line = _world(tenant)
    return {
        "pk": change_order_create(
            access=access_for(pm),
            budget=budget,
            title=seed_name(tenant, "co"),
            lines=[{"budget_line": line, "amount": "1"}],
        ).pk
    }


@url_objects("api:finance-commitment-detail", "api:finance-commitment-transition")
def commitment(tenant):
    from tandem.finance.services.commitments import commitment_create
    from tandem.testing.kit import access_for

    pm, budget, line = _world(tenant)
    return {
        "pk": commitment_create(
            access=access_for(pm),
            project=budget.project,
            kind="subcontract",
            title=seed_name(tenant, "commitment"),
            vendor=seed_name(tenant, "vendor"),
            lines=[{"budget_line": line, "unit_price": "1"}],
        ).pk
    }


@url_objects("api:finance-costrecord-detail")
def cost_record(tenant):
    from tandem.finance.services.actuals import cost_record_create
    from tandem.testing.kit import access_for

    pm, budget, line = _world(tenant)
    return {
        "pk": cost_record_create(
            access=access_for(pm),
            project=budget.project,
            budget_line=line,
            kind="expense",
            date=date(2025, 3, 3),
            amount=Decimal("1"),
            description=seed_name(tenant, "cost"),
        ).pk
    }


@url_objects("api:finance-costalert-detail")
def alert(tenant):
    from tandem.finance.models import CostAlert

    pm, budget, line = _world(tenant)
    from django.utils import timezone

    return {
        "pk": CostAlert.objects.create(
            tenant=tenant,
            project=budget.project,
            kind="line_over_budget",
            budget_line=line,
            value=-1,
            threshold=0,
            opened_at=timezone.now(),
        ).pk
    }
