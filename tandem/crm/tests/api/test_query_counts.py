"""Every crm list endpoint, export and list page issues the same number of queries for 3 rows as for 30."""

import itertools
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.crm.models import AccountContact, Receipt
from tandem.crm.services.pipelines import pipeline_default
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
from tandem.testing.kit import api_client, make_member

_seq = itertools.count(1)


def _rep(team):
    """A new rep in the manager's team, so each row has its own owner."""
    return make_member(team.tenant, "sales", manager=team.manager.user, department=team.manager.department).user


def add_accounts(team, n):
    parent = make_account(team.tenant, _rep(team))
    for _ in range(n):
        make_account(team.tenant, _rep(team), parent=parent, risk_owner=_rep(team), tags=["重点"])


def add_contacts(team, n):
    for _ in range(n):
        owner = _rep(team)
        contact = make_contact(team.tenant, owner, make_account(team.tenant, owner), primary=True, mobile="")
        AccountContact.objects.create(tenant=team.tenant, account=make_account(team.tenant, owner), contact=contact)


def add_leads(team, n):
    for _ in range(n):
        make_lead(team.tenant, _rep(team), response_due_at=timezone.now())


def add_deals(team, n):
    for i in range(n):
        owner = _rep(team)
        deal = make_deal(team.tenant, owner, stage=stage_named(team.tenant, 1 + i % 4))
        deal.contact = make_contact(team.tenant, owner)
        deal.save()
        deal.lines.create(tenant=team.tenant, product="风机", unit_price=Decimal("100"))


def add_activities(team, n):
    for _ in range(n):
        owner = _rep(team)
        deal = make_deal(team.tenant, owner)
        make_activity(
            team.tenant,
            owner,
            account=deal.account,
            deal=deal,
            contact=make_contact(team.tenant, owner),
            lead=make_lead(team.tenant, owner),
        )


def add_contracts(team, n):
    for _ in range(n):
        owner = _rep(team)
        contract = make_contract(team.tenant, owner, deal=make_deal(team.tenant, owner), company_signatory=owner)
        period = make_milestone(contract, "400000")
        make_milestone(contract, "600000", due_on=timezone.localdate() - timedelta(days=1))
        Receipt.objects.create(
            tenant=team.tenant,
            contract=contract,
            milestone=period,
            amount=Decimal("1000"),
            received_on=timezone.localdate(),
            created_by=owner,
        )


def add_pipelines(team, n):
    from tandem.crm.models import Pipeline, Stage

    for _ in range(n):
        pipeline = Pipeline.objects.create(tenant=team.tenant, name=f"流程{next(_seq)}")
        Stage.objects.create(tenant=team.tenant, pipeline=pipeline, name="阶段", order=1)


API = "/api/v1/crm/"
CASES = [
    (f"{API}accounts/", add_accounts),
    (f"{API}accounts/export/", add_accounts),
    (f"{API}contacts/", add_contacts),
    (f"{API}contacts/export/?fmt=xlsx", add_contacts),
    (f"{API}leads/", add_leads),
    (f"{API}leads/export/", add_leads),
    (f"{API}pipelines/", add_pipelines),
    (f"{API}deals/", add_deals),
    (f"{API}deals/export/", add_deals),
    (f"{API}deals/forecast/", add_deals),
    (f"{API}activities/", add_activities),
    (f"{API}activities/export/", add_activities),
    (f"{API}contracts/", add_contracts),
    (f"{API}contracts/export/", add_contracts),
    (f"{API}payment-milestones/", add_contracts),
    (f"{API}payment-milestones/export/", add_contracts),
    (f"{API}receipts/", add_contracts),
    (f"{API}receipts/export/", add_contracts),
]


def fetch(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200, body[:500]
    return response, body, queries


@pytest.mark.parametrize(("url", "add_rows"), CASES, ids=[url for url, _f in CASES])
def test_list_endpoint_queries_do_not_grow_with_rows(team, url, add_rows):
    pipeline_default(tenant=team.tenant)
    client = api_client(team.manager)
    add_rows(team, 3)
    client.get(url)  # warm-up: content types and the token's last-use stamp

    _few, few_body, few_queries = fetch(client, url)
    add_rows(team, 27)
    _many, many_body, many_queries = fetch(client, url)

    assert len(many_body) > len(few_body)  # the new rows really are listed
    assert len(many_queries) == len(few_queries), "\n".join(
        [f"{len(few_queries)} queries before, {len(many_queries)} after:"]
        + [q["sql"] for q in many_queries.captured_queries]
    )


def test_account_timeline_queries_do_not_grow(team):
    account = make_account(team.tenant, team.rep.user)
    client = api_client(team.rep)
    url = f"{API}accounts/{account.pk}/timeline/"

    def add(n):
        for _ in range(n):
            owner = _rep(team)
            make_activity(team.tenant, owner, account=account, deal=make_deal(team.tenant, owner, account))
            client.patch(f"{API}accounts/{account.pk}/", {"notes": f"备注{next(_seq)}"}, format="json")

    add(3)
    client.get(url)
    _r, few_body, few = fetch(client, url)
    add(20)
    _r, many_body, many = fetch(client, url)
    assert len(many_body) > len(few_body)
    assert len(many) == len(few)
