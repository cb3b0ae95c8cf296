"""Actual costs: direct costs, invoices against committed commitments (refused above the commitment's amount, on
its lines only), and day-work labor posted once per source."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from tandem.core.errors import ApplicationError
from tandem.finance.choices import CommitmentKind, CommitmentStatus, CostKind, CostType
from tandem.finance.models import CostRecord
from tandem.finance.services.actuals import (
    cost_record_create,
    cost_record_delete,
    cost_record_update,
    labor_cost_post,
)
from tandem.finance.services.alerts import project_cost_figures
from tandem.finance.services.commitments import commitment_create, commitment_transition
from tandem.finance.tests.factories import make_budget, make_line

pytestmark = pytest.mark.django_db
DAY = date(2025, 3, 10)


@pytest.fixture
def ledger(org):
    material = make_line(org.budget, org.pm, unit_price="10000")
    labor = make_line(org.budget, org.pm, cost_type=CostType.LABOR, unit_price="5000")
    commitment = commitment_create(
        access=org.pm_access,
        project=org.project,
        kind=CommitmentKind.PURCHASE_ORDER,
        title="线缆采购",
        vendor="远东电缆",
        lines=[{"budget_line": material, "quantity": "10", "unit_price": "300"}],
    )
    return material, labor, commitment


def _approve(org, commitment):
    for status in (CommitmentStatus.SUBMITTED, CommitmentStatus.APPROVED):
        commitment = commitment_transition(access=org.finance_access, commitment=commitment, status=status)
    return commitment


def _invoice(org, commitment, line, amount):
    return cost_record_create(
        access=org.pm_access,
        project=org.project,
        budget_line=line,
        kind=CostKind.COMMITMENT_INVOICE,
        commitment=commitment,
        date=DAY,
        amount=Decimal(amount),
    )


def test_direct_costs_count_in_direct_and_invoices_only_in_actual_cost(org, ledger):
    material, _labor, commitment = ledger
    cost_record_create(
        access=org.pm_access,
        project=org.project,
        budget_line=material,
        kind=CostKind.EXPENSE,
        date=DAY,
        amount=Decimal("120.50"),
    )
    commitment = _approve(org, commitment)
    _invoice(org, commitment, material, "1000")
    figures = project_cost_figures(tenant_id=org.tenant.pk, project_id=org.project.pk)
    assert figures.total.direct == Decimal("120.50")
    assert figures.total.committed == Decimal("3000.00")
    assert figures.actual_cost == Decimal("1120.50")


def test_an_invoice_needs_a_committed_commitment_of_the_project_on_its_lines_and_within_its_amount(org, ledger):
    material, labor, commitment = ledger
    with pytest.raises(ApplicationError) as exc:
        _invoice(org, commitment, material, "100")
    assert exc.value.code == "not_committed"
    commitment = _approve(org, commitment)
    with pytest.raises(ApplicationError) as exc:
        _invoice(org, commitment, labor, "100")
    assert "budget_line" in exc.value.errors
    other = make_budget(org.tenant, member=org.pm)
    with pytest.raises(ApplicationError) as exc:
        cost_record_create(
            access=org.pm_access,
            project=other.project,
            budget_line=material,
            kind=CostKind.EXPENSE,
            date=DAY,
            amount=Decimal("1"),
        )
    assert "budget_line" in exc.value.errors
    with pytest.raises(ApplicationError) as exc:
        cost_record_create(
            access=org.pm_access,
            project=org.project,
            budget_line=material,
            kind=CostKind.EXPENSE,
            commitment=commitment,
            date=DAY,
            amount=Decimal("1"),
        )
    assert "commitment" in exc.value.errors
    first = _invoice(org, commitment, material, "2000")
    with pytest.raises(ApplicationError) as exc:
        _invoice(org, commitment, material, "1000.01")
    assert exc.value.code == "over_commitment"
    _invoice(org, commitment, material, "1000")
    with pytest.raises(ApplicationError):
        cost_record_update(access=org.pm_access, record=first, amount=Decimal("2000.01"))
    assert CostRecord.objects.filter(commitment=commitment).count() == 2


def test_labor_posting_is_idempotent_per_source_and_cannot_be_edited_here(org, ledger):
    _material, labor, _commitment = ledger
    kwargs = {
        "tenant_id": org.tenant.pk,
        "project_id": org.project.pk,
        "source_type": "labor.ticket",
        "source_id": 42,
        "amount": Decimal("860"),
        "date": DAY,
        "description": "点工 4 人 × 1 天",
        "actor": org.pm.user,
    }
    first = labor_cost_post(**kwargs)
    again = labor_cost_post(**{**kwargs, "amount": Decimal("999")})
    assert again.pk == first.pk and again.amount == Decimal("860.00")
    assert first.budget_line == labor and first.kind == CostKind.LABOR
    assert CostRecord.objects.filter(source_type="labor.ticket").count() == 1
    for act in (cost_record_update, cost_record_delete):
        with pytest.raises(ApplicationError) as exc:
            act(
                access=org.finance_access,
                record=first,
                **({"amount": Decimal("1")} if act is cost_record_update else {}),
            )
        assert exc.value.code == "posted"


def test_labor_posting_needs_a_labor_line(org):
    make_line(org.budget, org.pm)
    with pytest.raises(ApplicationError) as exc:
        labor_cost_post(
            tenant_id=org.tenant.pk,
            project_id=org.project.pk,
            source_type="labor.ticket",
            source_id=1,
            amount="10",
            date=DAY,
            actor=org.pm.user,
        )
    assert exc.value.code == "no_labor_line"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_labor_posts_of_one_source_make_one_row(tenant):
    from tandem.finance.tests.factories import make_budget as budget_of
    from tandem.projects.tests.factories import pm_member

    pm = pm_member(tenant)
    budget = budget_of(tenant, member=pm)
    make_line(budget, pm, cost_type=CostType.LABOR, unit_price="1000")
    barrier, results, errors = threading.Barrier(2), [], []

    def post():
        try:
            barrier.wait()
            results.append(
                labor_cost_post(
                    tenant_id=tenant.pk,
                    project_id=budget.project_id,
                    source_type="labor.ticket",
                    source_id=7,
                    amount="100",
                    date=DAY,
                    actor=pm.user,
                ).pk
            )
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(set(results)) == 1
    assert CostRecord.objects.filter(source_type="labor.ticket", source_id=7).count() == 1
