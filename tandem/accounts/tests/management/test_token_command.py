"""`tandem token create` prints a working token once and stores only its hash."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from tandem.accounts.models import ApiToken
from tandem.testing.kit import make_member


def _create(*args: str) -> str:
    out = StringIO()
    call_command("token", "create", *args, stdout=out)
    return out.getvalue().strip()


def _get(secret: str, path: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client.get(path)


def test_the_printed_token_works_and_only_its_hash_is_stored(tenant):
    member = make_member(tenant, "admin", username="ops")

    secret = _create("--tenant", tenant.slug, "--user", "ops")

    body = _get(secret, "/api/v1/me/").json()
    assert body["user"]["username"] == "ops"
    assert body["tenant"]["slug"] == tenant.slug
    token = ApiToken.objects.get()
    assert token.user_id == member.user_id
    assert token.name == "cli"
    assert token.scopes == ["*"]
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert not any(secret in str(value) for value in ApiToken.objects.values().get().values())


def test_scopes_and_expiry_are_applied(tenant):
    make_member(tenant, "admin", username="ops")

    secret = _create("--tenant", tenant.slug, "--user", "ops", "--scopes", "accounts.view_role", "--days", "7")

    token = ApiToken.objects.get()
    assert token.scopes == ["accounts.view_role"]
    assert token.expires_at == pytest.approx(timezone.now() + timedelta(days=7), abs=timedelta(minutes=1))
    assert _get(secret, "/api/v1/roles/").status_code == 200
    assert _get(secret, "/api/v1/users/").status_code == 403


def test_an_unknown_member_is_an_error(tenant, other_tenant):
    make_member(other_tenant, "admin", username="elsewhere")
    with pytest.raises(CommandError, match="No active member 'elsewhere'"):
        _create("--tenant", tenant.slug, "--user", "elsewhere")
    assert not ApiToken.objects.exists()


def test_an_unknown_scope_is_an_error(tenant):
    make_member(tenant, "admin", username="ops")
    with pytest.raises(CommandError, match="bogus.scope"):
        _create("--tenant", tenant.slug, "--user", "ops", "--scopes", "bogus.scope")
    assert not ApiToken.objects.exists()
