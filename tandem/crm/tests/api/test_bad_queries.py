"""Malformed filters, ids and amounts answer 4xx (or are ignored on pages), never a server error."""

import pytest

from tandem.crm.models import Deal
from tandem.crm.tests.factories import make_account
from tandem.testing.kit import api_client, make_member, page_client

HUGE = "99999999999999999999999"


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/crm/accounts/?owner={HUGE}",
        "/api/v1/crm/accounts/?idle_days=1000000000",
        "/api/v1/crm/deals/?min_amount=1e400",
        "/api/v1/crm/deals/?max_amount=999999999999999999999",
        "/api/v1/crm/deals/?stage=-5",
        f"/api/v1/crm/deals/forecast/?owner={HUGE}",
        "/api/v1/crm/accounts/duplicates/?name=%00abc",
        f"/api/v1/crm/accounts/duplicates/?exclude={HUGE}",
        "/api/v1/crm/payment-milestones/?status=bogus",
        "/api/v1/crm/activities/?occurred_after=2026-02-30",
    ],
)
def test_bad_list_queries_are_400(tenant, url):
    response = api_client(make_member(tenant, "admin")).get(url)
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    "url",
    [
        f"/crm/accounts/?owner={HUGE}&idle_days=1000000000&tier=zzz",
        "/crm/deals/?min_amount=1e400&stage=abc&close_after=2026-02-30",
        "/crm/leads/?overdue=perhaps&page=abc",
        f"/api/v1/crm/accounts/{HUGE}/",
    ],
)
def test_pages_ignore_bad_filters_and_huge_ids_are_not_found(tenant, url):
    member = make_member(tenant, "admin")
    client = page_client(member) if url.startswith("/crm/") else api_client(member)
    assert client.get(url).status_code in (200, 404)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "account": int(HUGE)}, "account"),
        ({"name": "x", "account": "ACCOUNT", "lines": []}, "account"),
        (
            {
                "name": "x",
                "account": None,
                "lines": [{"product": "p", "quantity": "99999999999.999", "unit_price": "99999999999999.99"}],
            },
            "lines",
        ),
    ],
)
def test_bad_deal_bodies_are_400(tenant, body, field):
    member = make_member(tenant, "admin")
    if body["account"] is None:
        body["account"] = make_account(tenant, member.user).pk
    response = api_client(member).post("/api/v1/crm/deals/", body, format="json")
    assert response.status_code == 400 and field in response.json()["errors"]
    assert not Deal.objects.exists()
