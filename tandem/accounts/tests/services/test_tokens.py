"""API tokens: issued once, stored as SHA-256 only, scoped, revocable, with security events."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from tandem.accounts.models import ApiToken
from tandem.accounts.services.tokens import token_authenticate, token_create, token_create_for, token_revoke
from tandem.audit.models import SecurityEvent, SecurityEventKind
from tandem.core.errors import ApplicationError, PermissionDenied
from tandem.testing.kit import access_for, make_member


def test_token_create_stores_only_the_sha256_of_the_secret(admin_member):
    token, secret = token_create(membership=admin_member, name="  ci  ", scopes=["accounts.view_*"])

    assert secret.startswith("tdm_") and len(secret) > 40
    row = ApiToken.objects.get(pk=token.pk)
    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert row.prefix == secret[:12]
    assert row.name == "ci"
    assert row.scopes == ["accounts.view_*"]
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert not any(secret in str(value) for value in stored.values())


def test_token_create_records_a_security_event(admin_member):
    token, _secret = token_create(membership=admin_member, name="ci")

    event = SecurityEvent.objects.get(kind=SecurityEventKind.TOKEN_CREATED)
    assert event.tenant_id == admin_member.tenant_id
    assert event.user_id == admin_member.user_id
    assert event.detail == {"token": token.prefix, "owner": admin_member.user.username, "scopes": ["*"]}


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "ci", "scopes": ["accounts.fly_*"]}, "scopes"),
        ({"name": "ci", "scopes": ["not a code"]}, "scopes"),
        ({"name": "ci", "expires_at": timezone.now() - timedelta(minutes=1)}, "expires_at"),
    ],
)
def test_token_create_refuses_bad_input_and_writes_nothing(admin_member, fields, error_field):
    with pytest.raises(ApplicationError) as info:
        token_create(membership=admin_member, **fields)
    assert error_field in info.value.errors
    assert not ApiToken.objects.exists()
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.TOKEN_CREATED).exists()


def test_issuing_a_token_needs_the_permission(tenant):
    sales = access_for(make_member(tenant, "sales"))
    with pytest.raises(PermissionDenied):
        token_create_for(access=sales, name="mine")
    assert not ApiToken.objects.exists()


def test_token_revoke_records_the_time_and_an_event_once(admin_member):
    token, secret = token_create(membership=admin_member, name="ci")
    access = access_for(admin_member)

    token_revoke(access=access, token=token)
    token_revoke(access=access, token=token)

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert not token.is_usable
    assert token_authenticate(secret) is None
    [event] = SecurityEvent.objects.filter(kind=SecurityEventKind.TOKEN_REVOKED)
    assert event.detail == {"token": token.prefix}
    assert event.user_id == admin_member.user_id


def test_revoking_someone_elses_token_needs_the_delete_permission(tenant):
    owner = make_member(tenant, "pm")
    token, _secret = token_create(membership=owner, name="theirs")

    with pytest.raises(PermissionDenied):
        token_revoke(access=access_for(make_member(tenant, "sales")), token=token)
    token_revoke(access=access_for(make_member(tenant, "admin")), token=token)

    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_token_of_another_tenant_cannot_be_revoked(admin_member, other_tenant):
    token, _secret = token_create(membership=make_member(other_tenant, "admin"), name="theirs")
    with pytest.raises(ApplicationError) as info:
        token_revoke(access=access_for(admin_member), token=token)
    assert info.value.code == "not_found"
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_authenticate_refuses_expired_unknown_and_foreign_secrets(admin_member):
    token, secret = token_create(membership=admin_member, name="ci", expires_at=timezone.now() + timedelta(days=1))
    assert token_authenticate(secret) == token

    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert token_authenticate(secret) is None
    assert token_authenticate(secret[:-1] + ("A" if secret[-1] != "A" else "B")) is None
    assert token_authenticate(secret.removeprefix("tdm_")) is None


def test_token_authenticate_refuses_a_deactivated_user(admin_member):
    _token, secret = token_create(membership=admin_member, name="ci")
    admin_member.user.is_active = False
    admin_member.user.save()
    assert token_authenticate(secret) is None


def test_token_authenticate_touches_last_use_at_most_once_a_minute(admin_member):
    token, secret = token_create(membership=admin_member, name="ci")

    token_authenticate(secret, ip="10.1.2.3")
    token.refresh_from_db()
    first = token.last_used_at
    assert first == pytest.approx(timezone.now(), abs=timedelta(seconds=10))
    assert token.last_used_ip == "10.1.2.3"

    token_authenticate(secret, ip="10.1.2.4")
    token.refresh_from_db()
    assert (token.last_used_at, token.last_used_ip) == (first, "10.1.2.3")

    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - timedelta(minutes=2))
    token_authenticate(secret, ip="10.1.2.4")
    token.refresh_from_db()
    assert token.last_used_at > first
    assert token.last_used_ip == "10.1.2.4"
