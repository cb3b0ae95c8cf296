"""The project overview shows its customer: account, contacts with their roles, the deal and its sales owner,
the contract with its payment plan and % collected, the budget (where the role shows it), and the account's
recent timeline; the edit form and the API carry the budget and the customer contacts."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tandem.crm.services.accounts import account_create
from tandem.crm.services.activities import activity_create
from tandem.crm.services.contacts import contact_create
from tandem.crm.services.contracts import contract_create, contract_sign
from tandem.crm.services.deals import deal_create
from tandem.crm.services.receipts import receipt_record
from tandem.projects.tests.factories import make_project, pm_member
from tandem.testing.kit import access_for, api_client, make_member, page_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tenant, django_capture_on_commit_callbacks):
    sales = make_member(tenant, "sales", display_name="陈晓")
    foreman = make_member(tenant, "foreman", display_name="周德明")
    pm = pm_member(tenant, display_name="王工")
    sa = access_for(sales)
    account = account_create(access=sa, name="宁波港城建设有限公司")
    boss = contact_create(access=sa, name="刘总", title="总经理", mobile="13905741234", links=[(account, True)])
    site = contact_create(access=sa, name="吴工", title="现场负责人", links=[(account, False)])
    deal = deal_create(access=sa, name="港城仓储机电", account=account, contact=site, amount=Decimal("1790310"))
    activity_create(access=sa, subject="现场踏勘，确认桥架走向", kind="visit", account=account, deal=deal)
    project = make_project(
        tenant,
        member=pm,
        name=deal.name,
        account_id=account.pk,
        deal_id=deal.pk,
        budget=deal.amount,
        team=[sales.user, foreman.user],
    )
    periods = [
        {"name": "预付款", "percent": Decimal("30"), "due_rule": "on_date", "due_on": "2027-01-15"},
        {"name": "进度款", "percent": Decimal("70"), "due_rule": "on_date", "due_on": "2027-05-15"},
    ]
    contract = contract_create(access=sa, deal=deal, amount=Decimal("1000000"), periods=periods)
    return {
        "sales": sales,
        "foreman": foreman,
        "pm": pm,
        "account": account,
        "boss": boss,
        "site": site,
        "deal": deal,
        "project": project,
        "contract": contract,
        "capture": django_capture_on_commit_callbacks,
    }


def overview(member, project) -> str:
    return page_client(member).get(reverse("projects:detail", args=[project.pk])).content.decode()


def test_the_pm_sees_the_whole_customer_side(world):
    text = overview(world["pm"], world["project"])
    assert "宁波港城建设有限公司" in text and "港城仓储机电" in text
    assert "陈晓" in text  # the sales owner
    assert "刘总" in text and "总经理" in text and "吴工" in text
    assert "现场踏勘，确认桥架走向" in text  # the account's timeline
    assert 'id="project-budget"' in text and "1,790,310.00" in text
    # The deal's contract is still a draft: shown, and said to link itself once signed.
    assert world["contract"].number in text and "预付款" in text


def test_signing_shows_the_contract_and_what_was_collected(world):
    with world["capture"](execute=True):
        contract_sign(access=access_for(world["sales"]), contract=world["contract"])
    first = world["contract"].milestones.get(name="预付款")
    receipt_record(access=access_for(world["sales"]), milestone=first, amount=Decimal("300000"))
    text = overview(world["pm"], world["project"])
    assert "1,000,000.00" in text and "300,000.00" in text and "30%" in text
    world["project"].refresh_from_db()
    assert world["project"].budget == Decimal("1000000")
    assert "1,000,000.00" in text.split('id="project-budget"')[1][:300]


def test_the_salesperson_on_the_team_sees_the_customer_but_not_the_budget(world):
    text = overview(world["sales"], world["project"])
    assert "刘总" in text and world["contract"].number in text
    assert 'id="project-budget"' not in text
    data = api_client(world["sales"]).get(f"/api/v1/projects/projects/{world['project'].pk}/").json()
    assert "budget" not in data and data["account_id"] == world["account"].pk


def test_a_role_without_crm_reads_sees_only_the_customer_name(world):
    text = overview(world["foreman"], world["project"])
    assert "宁波港城建设有限公司" in text
    assert "刘总" not in text and world["contract"].number not in text and "现场踏勘" not in text


def test_the_budget_and_contacts_are_edited_on_the_form_and_the_api(world):
    project, pm = world["project"], world["pm"]
    client = page_client(pm)
    form = client.get(reverse("projects:edit", args=[project.pk])).content.decode()
    assert 'name="budget"' in form and 'name="contacts"' in form and "刘总" in form
    api = api_client(pm)
    response = api.patch(
        f"/api/v1/projects/projects/{project.pk}/",
        {"budget": "1650000.00", "contact_ids": [world["boss"].pk]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["budget"] == "1650000.00" and response.json()["contact_ids"] == [world["boss"].pk]
    bad = api.patch(f"/api/v1/projects/projects/{project.pk}/", {"budget": "-5"}, format="json")
    assert bad.status_code == 400
    project.refresh_from_db()
    assert project.budget == Decimal("1650000.00")
