"""The API token page: a new secret is shown once; revoking records an event."""

from rest_framework.test import APIClient

from tandem.accounts.models import ApiToken
from tandem.accounts.services.tokens import token_create
from tandem.audit.models import SecurityEvent, SecurityEventKind
from tandem.testing.kit import make_member, page_client

URL = "/accounts/tokens/"


def test_creating_a_token_on_the_page_shows_a_working_secret_once(admin_member):
    client = page_client(admin_member)

    response = client.post(URL, {"name": "报表同步", "scopes": "accounts.view_role accounts.view_department"})

    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.encode() in response.content
    token = ApiToken.objects.get()
    assert token.scopes == ["accounts.view_department", "accounts.view_role"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/roles/").status_code == 200
    assert secret.encode() not in client.get(URL).content
    assert SecurityEvent.objects.get(kind=SecurityEventKind.TOKEN_CREATED).detail["token"] == token.prefix


def test_a_bad_scope_on_the_page_is_a_form_error(admin_member):
    response = page_client(admin_member).post(URL, {"name": "x", "scopes": "nope.view_x"})
    assert response.status_code == 200
    assert response.context["secret"] is None
    assert response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_a_member_without_the_right_cannot_issue_tokens(tenant):
    response = page_client(make_member(tenant, "sales")).post(URL, {"name": "mine"})
    assert response.status_code == 404
    assert not ApiToken.objects.exists()


def test_revoking_on_the_page_records_an_event(admin_member):
    token, _secret = token_create(membership=admin_member, name="old")

    response = page_client(admin_member).post(f"{URL}{token.pk}/revoke/")

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert SecurityEvent.objects.get(kind=SecurityEventKind.TOKEN_REVOKED).detail == {"token": token.prefix}


def test_another_members_token_is_404_without_the_right(tenant):
    token, _secret = token_create(membership=make_member(tenant, "pm"), name="theirs")
    response = page_client(make_member(tenant, "sales")).post(f"{URL}{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
