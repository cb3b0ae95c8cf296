"""Bearer tokens on the API: scopes narrow the user's rights; revoked or expired tokens are 401."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tandem.accounts.models import ApiToken
from tandem.accounts.services.tokens import token_create
from tandem.audit.models import SecurityEvent, SecurityEventKind
from tandem.testing.kit import api_client, make_member


def _bearer(secret: str) -> APIClient:
    client = APIClient(REMOTE_ADDR="10.9.8.7", HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def _assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    return body


def test_a_scoped_token_reaches_only_its_scopes_even_for_an_admin(admin_member):
    client = api_client(admin_member, scopes=["accounts.view_role"])

    assert client.get("/api/v1/roles/").status_code == 200
    _assert_problem(client.get("/api/v1/users/"), 403)
    _assert_problem(client.post("/api/v1/roles/", {"key": "x", "name": "X"}), 403)

    denied = SecurityEvent.objects.filter(kind=SecurityEventKind.ACCESS_DENIED).order_by("id")
    assert [(e.detail["permission"], e.detail["method"], e.detail["path"]) for e in denied] == [
        ("accounts.view_user", "GET", "/api/v1/users/"),
        ("accounts.add_role", "POST", "/api/v1/roles/"),
    ]
    assert {e.user_id for e in denied} == {admin_member.user_id}
    assert {e.tenant_id for e in denied} == {admin_member.tenant_id}


def test_a_scope_pattern_covers_the_matching_codes(admin_member):
    client = api_client(admin_member, scopes=["accounts.view_*"])
    assert client.get("/api/v1/users/").status_code == 200
    assert client.get("/api/v1/departments/").status_code == 200
    _assert_problem(client.post("/api/v1/departments/", {"name": "销售部"}), 403)


def test_a_scope_never_adds_rights_the_user_lacks(tenant):
    pm = make_member(tenant, "pm")
    _token, secret = token_create(membership=pm, name="wide", scopes=["accounts.*"])
    _assert_problem(_bearer(secret).get("/api/v1/users/"), 403)


def test_me_reports_the_token_narrowed_permissions(admin_member):
    body = api_client(admin_member, scopes=["accounts.view_role"]).get("/api/v1/me/").json()
    assert body["permissions"] == ["accounts.view_role"]


def test_a_revoked_token_is_401(admin_member):
    token, secret = token_create(membership=admin_member, name="ci")
    client = _bearer(secret)
    assert client.get("/api/v1/roles/").status_code == 200

    assert client.post(f"/api/v1/tokens/{token.pk}/revoke/").status_code == 200

    body = _assert_problem(client.get("/api/v1/roles/"), 401)
    assert body["detail"] == "Invalid, expired or revoked token."
    assert client.get("/api/v1/roles/")["WWW-Authenticate"] == 'Bearer realm="api"'


def test_an_expired_token_is_401(admin_member):
    token, secret = token_create(membership=admin_member, name="ci", expires_at=timezone.now() + timedelta(hours=1))
    assert _bearer(secret).get("/api/v1/roles/").status_code == 200

    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    _assert_problem(_bearer(secret).get("/api/v1/roles/"), 401)


@pytest.mark.parametrize("header", ["Bearer", "Bearer a b", "Bearer tdm_made-up-secret", "Bearer not-even-our-prefix"])
def test_bad_bearer_headers_are_401(db, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    _assert_problem(client.get("/api/v1/me/"), 401)


def test_a_token_stops_working_when_the_membership_ends(admin_member):
    _token, secret = token_create(membership=admin_member, name="ci")
    admin_member.is_active = False
    admin_member.save()
    body = _assert_problem(_bearer(secret).get("/api/v1/me/"), 401)
    assert body["detail"] == "The token's user is no longer a member."


def test_the_tenant_comes_from_the_token(admin_member, other_tenant):
    make_member(other_tenant, "admin", username=admin_member.user.username)
    _token, secret = token_create(membership=admin_member, name="ci")
    body = _bearer(secret).get("/api/v1/me/", {"tenant": other_tenant.pk}, HTTP_X_TENANT=str(other_tenant.pk)).json()
    assert body["tenant"]["slug"] == admin_member.tenant.slug


def test_using_a_token_records_its_last_use(admin_member):
    token, secret = token_create(membership=admin_member, name="ci")
    assert token.last_used_at is None

    _bearer(secret).get("/api/v1/me/")

    token.refresh_from_db()
    assert token.last_used_at == pytest.approx(timezone.now(), abs=timedelta(seconds=10))
    assert token.last_used_ip == "10.9.8.7"


# --- tokens endpoint ---------------------------------------------------------------------------


def test_creating_a_token_over_the_api_shows_the_secret_once(admin_member):
    client = api_client(admin_member)
    response = client.post("/api/v1/tokens/", {"name": "deploy", "scopes": ["accounts.view_role"]})

    assert response.status_code == 201
    body = response.json()
    secret = body["token"]
    assert body["scopes"] == ["accounts.view_role"]
    assert _bearer(secret).get("/api/v1/roles/").status_code == 200
    listed = client.get(f"/api/v1/tokens/{body['id']}/").json()
    assert "token" not in listed
    assert listed["prefix"] == secret[:12]
    event = SecurityEvent.objects.filter(kind=SecurityEventKind.TOKEN_CREATED).latest("id")
    assert event.detail["token"] == secret[:12]


def test_creating_a_token_with_an_unknown_scope_is_400_and_writes_nothing(admin_member):
    client = api_client(admin_member)
    before = ApiToken.objects.count()
    body = _assert_problem(client.post("/api/v1/tokens/", {"name": "x", "scopes": ["nope.view_thing"]}), 400)
    assert body["errors"] == {"scopes": ["nope.view_thing"]}
    assert ApiToken.objects.count() == before


def test_revoking_over_the_api_records_an_event(admin_member):
    token, _secret = token_create(membership=admin_member, name="old")
    response = api_client(admin_member).post(f"/api/v1/tokens/{token.pk}/revoke/")

    assert response.status_code == 200
    assert response.json()["revoked_at"] is not None
    event = SecurityEvent.objects.get(kind=SecurityEventKind.TOKEN_REVOKED)
    assert event.detail == {"token": token.prefix}


def test_a_member_sees_and_revokes_only_their_own_tokens(tenant):
    other_token, _ = token_create(membership=make_member(tenant, "pm"), name="theirs")
    sales = make_member(tenant, "sales")
    own_token, _ = token_create(membership=sales, name="mine")
    client = api_client(sales)

    ids = [t["id"] for t in client.get("/api/v1/tokens/").json()["results"]]
    assert own_token.pk in ids and other_token.pk not in ids
    _assert_problem(client.post(f"/api/v1/tokens/{other_token.pk}/revoke/"), 404)
    other_token.refresh_from_db()
    assert other_token.revoked_at is None
    assert client.post(f"/api/v1/tokens/{own_token.pk}/revoke/").status_code == 200
