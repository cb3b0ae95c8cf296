"""Sales targets: who may set them (from above), progress from contracts and receipts for a person, a
department tree and the company, by month and year, and the targets endpoint."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from tandem.accounts.models import Department
from tandem.audit.models import AuditEntry
from tandem.core.errors import PermissionDenied
from tandem.crm.choices import ContractStatus, TargetLevel, TargetMetric
from tandem.crm.kpi import completion, period_span
from tandem.crm.models import Receipt, SalesTarget
from tandem.crm.selectors.sales import targets_with_progress
from tandem.crm.services.targets import target_delete, target_set
from tandem.crm.tests.factories import make_contract, make_milestone
from tandem.testing.kit import api_client, make_member

CONTRACTS, RECEIPTS = TargetMetric.CONTRACTS, TargetMetric.RECEIPTS


def person(team, access, user, amount="100000", month=3, metric=CONTRACTS):
    return target_set(
        access=access,
        level=TargetLevel.PERSON,
        user=user,
        metric=metric,
        year=2026,
        month=month,
        amount=Decimal(amount),
    )


def test_period_span_and_completion():
    assert period_span(2026, 0) == (date(2026, 1, 1), date(2027, 1, 1))
    assert period_span(2026, 12) == (date(2026, 12, 1), date(2027, 1, 1))
    assert period_span(2026, 2) == (date(2026, 2, 1), date(2026, 3, 1))
    assert completion(Decimal("75000"), Decimal("100000")) == Decimal("75.0")
    assert completion(Decimal("1"), Decimal("3")) == Decimal("33.3")
    assert completion(Decimal("2"), Decimal("3")) == Decimal("66.7")
    assert completion(Decimal("150"), Decimal("100")) == Decimal("150.0")
    assert completion(Decimal("5"), Decimal("0")) is None and completion(Decimal("5"), None) is None


def test_targets_are_set_from_above(team):
    with pytest.raises(PermissionDenied):
        person(team, team.rep_access, team.rep.user)  # nobody sets their own
    with pytest.raises(PermissionDenied):
        person(team, team.manager_access, team.manager.user)
    target = person(team, team.manager_access, team.rep.user)
    assert target.set_by == team.manager.user
    outsider = make_member(team.tenant, "sales")
    with pytest.raises(PermissionDenied):
        person(team, team.manager_access, outsider.user)
    group = Department.objects.get(tenant=team.tenant, name="销售一组")
    top = Department.objects.get(tenant=team.tenant, name="销售部")
    target_set(
        access=team.manager_access,
        level=TargetLevel.DEPARTMENT,
        department=group,
        metric=CONTRACTS,
        year=2026,
        month=0,
        amount=Decimal("5000000"),
    )
    for level, department in ((TargetLevel.DEPARTMENT, top), (TargetLevel.COMPANY, None)):
        with pytest.raises(PermissionDenied):
            target_set(
                access=team.manager_access,
                level=level,
                department=department,
                metric=CONTRACTS,
                year=2026,
                month=0,
                amount=Decimal("1"),
            )
    company = target_set(
        access=team.admin_access, level=TargetLevel.COMPANY, metric=RECEIPTS, year=2026, month=0, amount=Decimal("9")
    )
    assert company.department is None and company.user is None


def test_setting_the_same_target_again_replaces_it_and_each_change_is_audited(team):
    first = person(team, team.manager_access, team.rep.user, "100000")
    again = person(team, team.manager_access, team.rep.user, "120000")
    assert again.pk == first.pk and SalesTarget.objects.count() == 1
    assert again.amount == Decimal("120000")
    target_delete(access=team.manager_access, target=again)
    actions = list(
        AuditEntry.objects.filter(object_type="crm.salestarget").order_by("id").values_list("action", flat=True)
    )
    assert actions == ["create", "update", "delete"]


def _contract(team, owner, signed_on, amount, status=ContractStatus.SIGNED):
    return make_contract(team.tenant, owner, amount=Decimal(amount), signed_on=signed_on, status=status)


def _receipt(contract, received_on, amount):
    period = make_milestone(contract, contract.amount)
    return Receipt.objects.create(
        tenant_id=contract.tenant_id,
        contract=contract,
        milestone=period,
        amount=Decimal(amount),
        received_on=received_on,
        created_by=contract.owner,
    )


def test_progress_counts_signed_contracts_by_signing_date_and_receipts_by_date(team):
    rep, rep2, manager = team.rep.user, team.rep2.user, team.manager.user
    march = _contract(team, rep, date(2026, 3, 5), "300000")
    _contract(team, rep, date(2026, 3, 31), "100000", status=ContractStatus.COMPLETED)
    _contract(team, rep, date(2026, 3, 10), "999999", status=ContractStatus.DRAFT)  # not signed
    _contract(team, rep, date(2026, 3, 12), "888888", status=ContractStatus.TERMINATED)  # cancelled
    _contract(team, rep, date(2026, 4, 1), "50000")  # next month
    _contract(team, rep2, date(2026, 3, 20), "200000")
    _contract(team, manager, date(2026, 2, 14), "70000")
    _receipt(march, date(2026, 3, 25), "90000")
    _receipt(march, date(2026, 4, 2), "30000")
    deleted = _contract(team, rep2, date(2026, 3, 1), "10000")
    _receipt(deleted, date(2026, 3, 2), "10000")
    deleted.deleted_at = timezone.now()
    deleted.save()

    group = Department.objects.get(tenant=team.tenant, name="销售一组")
    top = Department.objects.get(tenant=team.tenant, name="销售部")
    rows = [
        SalesTarget(tenant=team.tenant, level="person", user=rep, metric=CONTRACTS, year=2026, month=3, amount=500000),
        SalesTarget(tenant=team.tenant, level="person", user=rep, metric=RECEIPTS, year=2026, month=3, amount=300000),
        SalesTarget(tenant=team.tenant, level="person", user=rep, metric=CONTRACTS, year=2026, month=0, amount=1e6),
        SalesTarget(
            tenant=team.tenant, level="department", department=group, metric=CONTRACTS, year=2026, month=3, amount=1e6
        ),
        SalesTarget(
            tenant=team.tenant, level="department", department=top, metric=CONTRACTS, year=2026, month=0, amount=2e6
        ),
        SalesTarget(tenant=team.tenant, level="company", metric=RECEIPTS, year=2026, month=0, amount=1e5),
    ]
    SalesTarget.objects.bulk_create(rows)
    figures = {
        (t.level, t.metric, t.month, t.department_id): (t.actual, t.percent)
        for t in targets_with_progress(SalesTarget.objects.all(), tenant_id=team.tenant.pk)
    }
    assert figures["person", CONTRACTS, 3, None] == (Decimal("400000.00"), Decimal("80.0"))
    assert figures["person", RECEIPTS, 3, None] == (Decimal("90000.00"), Decimal("30.0"))
    assert figures["person", CONTRACTS, 0, None] == (Decimal("450000.00"), Decimal("45.0"))
    # 销售一组 = both reps; 销售部 (the tree) also has the manager, over the whole year.
    assert figures["department", CONTRACTS, 3, group.pk] == (Decimal("600000.00"), Decimal("60.0"))
    assert figures["department", CONTRACTS, 0, top.pk] == (Decimal("720000.00"), Decimal("36.0"))
    assert figures["company", RECEIPTS, 0, None] == (Decimal("120000.00"), Decimal("120.0"))


def test_the_targets_endpoint(team):
    client = api_client(team.manager)
    body = {
        "level": "person",
        "user": team.rep.user.pk,
        "metric": "contracts",
        "year": 2026,
        "month": 3,
        "amount": "1000",
    }
    created = client.post("/api/v1/crm/targets/", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["actual"] == "0.00" and created.json()["percent"] == "0.0"
    assert created.json()["user_name"] == str(team.rep.user)
    target_id = created.json()["id"]
    listed = client.get("/api/v1/crm/targets/?year=2026&level=person").json()
    assert [row["id"] for row in listed["results"]] == [target_id]
    assert client.get("/api/v1/crm/targets/?year=2025").json()["results"] == []
    assert (
        client.patch(f"/api/v1/crm/targets/{target_id}/", {"amount": "2000"}, format="json").json()["amount"]
        == "2000.00"
    )
    # The rep sees targets but cannot set their own.
    rep = api_client(team.rep)
    assert rep.get(f"/api/v1/crm/targets/{target_id}/").status_code == 200
    own = {**body, "amount": "1"}
    assert rep.post("/api/v1/crm/targets/", own, format="json").status_code == 403
    assert rep.delete(f"/api/v1/crm/targets/{target_id}/").status_code == 403
    assert client.post("/api/v1/crm/targets/", {**body, "user": None}, format="json").status_code == 400
    assert client.delete(f"/api/v1/crm/targets/{target_id}/").status_code == 204
