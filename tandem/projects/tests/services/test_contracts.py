"""A contract signed after its deal's project exists links itself to the project: the budget becomes the
contract's amount (while it is still the deal's figure), the contract finish fills in, milestones tie to
payment periods, and the change is audited as the signer's."""

from datetime import date
from decimal import Decimal

import pytest

from tandem.audit.models import AuditEntry
from tandem.crm.services.accounts import account_create
from tandem.crm.services.contracts import contract_create, contract_sign
from tandem.crm.services.deals import deal_create
from tandem.projects.models import Project
from tandem.projects.services.projects import project_update
from tandem.projects.services.tasks import task_create
from tandem.projects.tests.factories import make_project, pm_member
from tandem.testing.kit import access_for, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def deal_project(tenant):
    sales = make_member(tenant, "sales", display_name="陈晓")
    pm = pm_member(tenant)
    sales_access = access_for(sales)
    account = account_create(access=sales_access, name="宁波港城建设有限公司")
    deal = deal_create(access=sales_access, name="港城仓储机电", account=account, amount=Decimal("1790310.00"))
    project = make_project(
        tenant, member=pm, name=deal.name, account_id=account.pk, deal_id=deal.pk, budget=deal.amount
    )
    task_create(access=access_for(pm), project=project, name="竣工验收", is_milestone=True)
    return sales_access, pm, deal, project


def sign(access, deal, capture, **fields):
    periods = [
        {"name": "预付款", "percent": Decimal("30"), "due_rule": "on_date", "due_on": "2027-01-15"},
        {"name": "验收款", "percent": Decimal("70"), "due_rule": "on_milestone", "project_milestone": "竣工验收"},
    ]
    contract = contract_create(access=access, deal=deal, amount=Decimal("1688000.00"), periods=periods, **fields)
    with capture(execute=True):
        contract_sign(access=access, contract=contract)
    return contract


def test_signing_links_the_contract_and_sets_the_budget(deal_project, django_capture_on_commit_callbacks):
    sales_access, _pm, deal, project = deal_project
    contract = sign(sales_access, deal, django_capture_on_commit_callbacks, end_on=date(2027, 6, 30))
    project.refresh_from_db()
    assert project.contract_id == contract.pk
    assert project.budget == Decimal("1688000.00")
    assert project.contract_finish == date(2027, 6, 30)
    acceptance = project.tasks.get(name="竣工验收")
    assert acceptance.payment_milestone_id == contract.milestones.get(name="验收款").pk
    # The signing's own entry (the recommended priority follows it as a change of its own).
    entries = AuditEntry.objects.filter(object_type="projects.project", object_id=str(project.pk)).order_by("-id")
    entry = next(e for e in entries if (e.before or {}).get("contract_id") != (e.after or {}).get("contract_id"))
    assert entry.actor_id == sales_access.user_id
    assert entry.after["contract_id"] == contract.pk and entry.before["contract_id"] is None


def test_a_budget_set_by_hand_stays(deal_project, django_capture_on_commit_callbacks):
    sales_access, pm, deal, project = deal_project
    project_update(access=access_for(pm), project=project, budget=Decimal("1500000.00"))
    contract = sign(sales_access, deal, django_capture_on_commit_callbacks)
    project.refresh_from_db()
    assert project.contract_id == contract.pk
    assert project.budget == Decimal("1500000.00")


def test_a_project_with_a_contract_keeps_it(deal_project, django_capture_on_commit_callbacks):
    sales_access, _pm, deal, project = deal_project
    first = sign(sales_access, deal, django_capture_on_commit_callbacks)
    second = sign(sales_access, deal, django_capture_on_commit_callbacks)
    project.refresh_from_db()
    assert project.contract_id == first.pk != second.pk


def test_another_deals_contract_links_nothing(deal_project, tenant, django_capture_on_commit_callbacks):
    sales_access, _pm, deal, project = deal_project
    other = deal_create(access=sales_access, name="另一个商机", account=deal.account, amount=Decimal("5000"))
    sign(sales_access, other, django_capture_on_commit_callbacks)
    project.refresh_from_db()
    assert project.contract_id is None and project.budget == deal.amount
    assert Project.objects.filter(contract_id__isnull=False).count() == 0


def test_contacts_must_be_the_customers(deal_project, tenant):
    from tandem.core.errors import ApplicationError
    from tandem.crm.services.contacts import contact_create

    sales_access, pm, deal, project = deal_project
    theirs = contact_create(access=sales_access, name="周经理", links=[(deal.account, True)])
    stranger = contact_create(access=sales_access, name="路人甲")
    project_update(access=access_for(pm), project=project, contact_ids=[theirs.pk])
    with pytest.raises(ApplicationError) as refused:
        project_update(access=access_for(pm), project=project, contact_ids=[theirs.pk, stranger.pk])
    assert "contact_ids" in refused.value.errors
    with pytest.raises(ApplicationError):
        project_update(access=access_for(pm), project=project, budget=Decimal("-1"))
    project.refresh_from_db()
    assert project.contact_ids == [theirs.pk] and project.budget == deal.amount
