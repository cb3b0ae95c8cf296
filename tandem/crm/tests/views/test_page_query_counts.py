"""Every customer list page, the kanban board and the record pages issue as many queries for 3 rows as for 30."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.crm.models import AccountContact, Receipt
from tandem.crm.tests.factories import (
    make_account,
    make_activity,
    make_contact,
    make_contract,
    make_deal,
    make_lead,
    make_milestone,
    stage_named,
)
from tandem.testing.kit import make_member, page_client


def _rep(team):
    return make_member(team.tenant, "sales", manager=team.manager.user, department=team.manager.department).user


def add_accounts(team, n):
    for _ in range(n):
        make_account(team.tenant, _rep(team), tags=["重点"], last_activity_summary="电话: 跟进")


def add_contacts(team, n):
    for _ in range(n):
        owner = _rep(team)
        contact = make_contact(team.tenant, owner, make_account(team.tenant, owner), primary=True)
        AccountContact.objects.create(tenant=team.tenant, account=make_account(team.tenant, owner), contact=contact)


def add_leads(team, n):
    for _ in range(n):
        owner = _rep(team)
        lead = make_lead(team.tenant, owner, response_due_at=timezone.now())
        make_activity(team.tenant, owner, lead=lead)


def add_deals(team, n):
    for i in range(n):
        owner = _rep(team)
        deal = make_deal(team.tenant, owner, stage=stage_named(team.tenant, 1 + i % 6), contact=None)
        make_activity(team.tenant, owner, deal=deal, account=deal.account)
        deal.lines.create(tenant=team.tenant, product="风机", unit_price=Decimal("100"))


def add_contracts(team, n):
    for _ in range(n):
        owner = _rep(team)
        contract = make_contract(team.tenant, owner, deal=make_deal(team.tenant, owner))
        period = make_milestone(contract, "1000000")
        Receipt.objects.create(
            tenant=team.tenant, contract=contract, milestone=period, amount=Decimal("1000"),
            received_on=timezone.localdate(), created_by=owner,
        )  # fmt: skip


def add_timeline(team, n, record):
    for _ in range(n):
        owner = _rep(team)
        field = record._meta.model_name
        extra = {"account": record.account} if field in ("deal",) else {}
        make_activity(team.tenant, owner, **{field: record}, **extra)


CASES = [
    ("/crm/accounts/", add_accounts),
    ("/crm/contacts/", add_contacts),
    ("/crm/leads/", add_leads),
    ("/crm/deals/", add_deals),
    ("/crm/deals/board/", add_deals),
    ("/crm/contracts/", add_contracts),
]


@pytest.mark.parametrize(("url", "add"), CASES, ids=[url for url, _a in CASES])
def test_list_pages_issue_constant_queries(team, url, add):
    client = page_client(team.manager)
    add(team, 3)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        first = client.get(url)
    add(team, 27)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert first.status_code == response.status_code == 200
    assert len(response.content) > len(first.content)
    assert len(many) == len(few), "\n".join(q["sql"] for q in many.captured_queries)


@pytest.mark.parametrize("kind", ["deal", "lead", "contact"])
def test_record_pages_issue_constant_queries(team, kind):
    owner = team.rep.user
    record = {
        "deal": lambda: make_deal(team.tenant, owner),
        "lead": lambda: make_lead(team.tenant, owner),
        "contact": lambda: make_contact(team.tenant, owner, make_account(team.tenant, owner)),
    }[kind]()
    client = page_client(team.manager)
    url = f"/crm/{kind}s/{record.pk}/"
    add_timeline(team, 3, record)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_timeline(team, 15, record)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["timeline"]) == 18
    assert len(many) == len(few), "\n".join(q["sql"] for q in many.captured_queries)


def test_contract_page_issues_constant_queries(team):
    contract = make_contract(team.tenant, team.rep.user)
    client = page_client(team.manager)
    url = f"/crm/contracts/{contract.pk}/"

    def add(n):
        for _ in range(n):
            period = make_milestone(contract, "10")
            Receipt.objects.create(
                tenant=team.tenant, contract=contract, milestone=period, amount=Decimal("1"),
                received_on=timezone.localdate(), created_by=_rep(team),
            )  # fmt: skip

    add(2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(10)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["milestones"]) == 12
    assert len(many) == len(few), "\n".join(q["sql"] for q in many.captured_queries)
