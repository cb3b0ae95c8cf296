"""Switching the session's tenant: only to a tenant one is an active member of."""

import pytest

from tandem.accounts.middleware import SESSION_TENANT
from tandem.audit.models import SecurityEvent, SecurityEventKind
from tandem.testing.kit import make_member, make_tenant, page_client

URL = "/accounts/switch/"


@pytest.fixture
def two_tenants(tenant, other_tenant):
    home = make_member(tenant, "owner", username="boss")
    away = make_member(other_tenant, "owner", username="boss")
    make_member(other_tenant, "sales", username="only-away")
    return home, away


def _me(client) -> dict:
    response = client.get("/api/v1/me/")
    assert response.status_code == 200
    return response.json()


def test_switching_changes_the_request_tenant(two_tenants):
    home, away = two_tenants
    client = page_client(home)
    before = _me(client)
    assert before["tenant"]["slug"] == home.tenant.slug
    assert [t["slug"] for t in before["tenants"]] == [home.tenant.slug, away.tenant.slug]

    response = client.post(URL, {"tenant": away.tenant_id})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session[SESSION_TENANT] == away.tenant_id
    assert _me(client)["tenant"]["slug"] == away.tenant.slug
    users = client.get("/accounts/users/").context["page"]
    assert {m.user.username for m in users} == {"boss", "only-away"}


def test_switching_records_a_security_event(two_tenants):
    home, away = two_tenants
    page_client(home).post(URL, {"tenant": away.tenant_id})

    event = SecurityEvent.objects.get(kind=SecurityEventKind.TENANT_SWITCHED)
    assert event.tenant_id == away.tenant_id
    assert event.user_id == home.user_id
    assert event.detail == {"previous": home.tenant_id}


@pytest.mark.parametrize("value", ["stranger", "abc", "", "0"])
def test_switching_to_a_tenant_one_is_not_a_member_of_is_404(two_tenants, value):
    home, _away = two_tenants
    stranger = make_tenant()
    client = page_client(home)

    response = client.post(URL, {"tenant": stranger.pk if value == "stranger" else value})

    assert response.status_code == 404
    assert client.session[SESSION_TENANT] == home.tenant_id
    assert _me(client)["tenant"]["slug"] == home.tenant.slug
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.TENANT_SWITCHED).exists()


def test_switching_to_a_tenant_where_the_membership_ended_is_404(two_tenants):
    home, away = two_tenants
    away.is_active = False
    away.save()
    client = page_client(home)

    assert client.post(URL, {"tenant": away.tenant_id}).status_code == 404
    assert [t["slug"] for t in _me(client)["tenants"]] == [home.tenant.slug]


def test_switching_needs_post_and_a_signed_in_user(two_tenants):
    from django.test import Client

    home, away = two_tenants
    assert page_client(home).get(URL).status_code == 405
    assert Client().post(URL, {"tenant": away.tenant_id})["Location"] == "/accounts/login/"
