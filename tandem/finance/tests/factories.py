"""Test data of the finance app, built through its services so amounts, numbers and checks are real."""

from __future__ import annotations

import itertools
from decimal import Decimal

from tandem.finance.choices import CostType
from tandem.finance.models import CostCode
from tandem.finance.services.budgets import budget_for, budget_line_create, budget_lock
from tandem.projects.tests.factories import make_project, pm_member
from tandem.testing.kit import access_for

_seq = itertools.count(1)


def make_code(tenant, code=None, name=None, parent=None) -> CostCode:
    n = next(_seq)
    return CostCode.objects.create(tenant=tenant, code=code or f"{n:02d}", name=name or f"科目{n}", parent=parent)


def make_budget(tenant, *, member=None, project=None, contract_value="0", **project_fields):
    """A project of `member` (a PM by default) with an empty draft budget."""
    member = member or pm_member(tenant)
    project = project or make_project(tenant, member=member, **project_fields)
    budget = budget_for(access=access_for(member), project=project)
    if Decimal(contract_value):
        budget.original_contract_value = Decimal(contract_value)
        budget.save(update_fields=["original_contract_value"])
    return budget


def make_line(budget, member, *, code=None, cost_type=CostType.MATERIAL, quantity="1", unit_price="100", **fields):
    code = code or make_code(budget.tenant)
    return budget_line_create(
        access=access_for(member),
        budget=budget,
        cost_code=code,
        cost_type=cost_type,
        quantity=Decimal(quantity),
        unit_price=Decimal(unit_price),
        **fields,
    )


def lock(budget, member):
    return budget_lock(access=access_for(member), budget=budget)
