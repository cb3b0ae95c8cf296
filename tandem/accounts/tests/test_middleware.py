"""Session lifetime (idle and absolute), the session's tenant, and the forced password change."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tandem.accounts.choices import PasswordProfile
from tandem.accounts.middleware import SESSION_AUTH_AT, SESSION_SEEN_AT, SESSION_TENANT
from tandem.audit.models import SecurityEvent, SecurityEventKind
from tandem.testing.kit import make_member, make_tenant, page_client


def _age_session(client, **ages: timedelta) -> None:
    """Move the session's sign-in / last-seen times into the past."""
    now = timezone.now().timestamp()
    session = client.session
    for key, age in ages.items():
        session[key] = now - age.total_seconds()
    session.save()


@pytest.fixture
def client(admin_member):
    return page_client(admin_member)


def test_an_active_session_is_kept_and_its_last_seen_time_moves(client):
    _age_session(client, **{SESSION_SEEN_AT: timedelta(minutes=29)})

    assert client.get("/accounts/users/").status_code == 200

    assert client.session[SESSION_SEEN_AT] == pytest.approx(timezone.now().timestamp(), abs=5)
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.SESSION_EXPIRED).exists()


def test_idle_session_ends_with_a_redirect_to_sign_in_and_an_event(client, admin_member):
    _age_session(client, **{SESSION_SEEN_AT: timedelta(minutes=31)})

    response = client.get("/accounts/users/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/users/"
    assert "_auth_user_id" not in client.session
    [event] = SecurityEvent.objects.filter(kind=SecurityEventKind.SESSION_EXPIRED)
    assert event.user_id == admin_member.user_id
    assert event.tenant_id == admin_member.tenant_id
    assert event.detail == {"reason": "idle_timeout"}
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.LOGOUT).exists()


def test_idle_timeout_follows_the_setting(client, settings):
    settings.TANDEM_SESSION_IDLE = timedelta(minutes=5)
    _age_session(client, **{SESSION_SEEN_AT: timedelta(minutes=6)})

    assert client.get("/accounts/users/")["Location"].startswith("/accounts/login/")
    assert SecurityEvent.objects.get(kind=SecurityEventKind.SESSION_EXPIRED).detail == {"reason": "idle_timeout"}


def test_a_busy_session_still_ends_after_the_absolute_lifetime(client):
    _age_session(client, **{SESSION_AUTH_AT: timedelta(hours=12, seconds=1), SESSION_SEEN_AT: timedelta(seconds=5)})

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    event = SecurityEvent.objects.get(kind=SecurityEventKind.SESSION_EXPIRED)
    assert event.detail == {"reason": "absolute_lifetime"}


def test_a_session_just_under_the_absolute_lifetime_is_kept(client):
    _age_session(client, **{SESSION_AUTH_AT: timedelta(hours=11, minutes=59)})
    assert client.get("/").status_code == 200


def test_an_expired_session_is_refused_by_the_api_too(client):
    assert client.get("/api/v1/me/").status_code == 200
    _age_session(client, **{SESSION_SEEN_AT: timedelta(minutes=31)})

    response = client.get("/api/v1/me/")

    assert response.status_code == 401
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.SESSION_EXPIRED).count() == 1


def test_the_session_tenant_falls_back_to_a_tenant_the_user_belongs_to(admin_member, other_tenant):
    client = page_client(admin_member)
    session = client.session
    session[SESSION_TENANT] = other_tenant.pk  # not a member there
    session.save()

    body = client.get("/api/v1/me/").json()

    assert body["tenant"]["slug"] == admin_member.tenant.slug
    assert client.session[SESSION_TENANT] == admin_member.tenant_id


# --- password expiry ---------------------------------------------------------------------------


def _expire_password(member, days: int) -> None:
    member.user.password_changed_at = timezone.now() - timedelta(days=days)
    member.user.save(update_fields=["password_changed_at"])


def test_an_expired_password_sends_every_page_to_the_change_form(tenant):
    member = make_member(tenant, "admin")
    _expire_password(member, 91)
    client = page_client(member)

    for path in ("/", "/accounts/users/", "/audit/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == "/accounts/password/?expired=1"
    page = client.get("/accounts/password/?expired=1")
    assert page.status_code == 200
    assert page.context["expired"] == "1"


def test_an_expired_password_does_not_block_the_api_or_sign_out(tenant):
    member = make_member(tenant, "admin")
    _expire_password(member, 91)
    client = page_client(member)

    assert client.get("/api/v1/me/").status_code == 200
    assert client.post("/accounts/logout/")["Location"] == "/accounts/login/"


def test_a_password_within_ninety_days_is_not_expired(tenant):
    member = make_member(tenant, "admin")
    _expire_password(member, 89)
    assert page_client(member).get("/").status_code == 200


def test_the_asvs_profile_never_expires_passwords(db):
    member = make_member(make_tenant(password_profile=PasswordProfile.ASVS), "admin")
    _expire_password(member, 400)
    assert page_client(member).get("/").status_code == 200


def test_the_strictest_profile_of_the_users_tenants_applies(db):
    member = make_member(make_tenant(password_profile=PasswordProfile.ASVS), "admin", username="shared")
    make_member(make_tenant(password_profile=PasswordProfile.CN_MLPS3), "sales", username="shared")
    _expire_password(member, 91)
    assert page_client(member).get("/")["Location"] == "/accounts/password/?expired=1"
