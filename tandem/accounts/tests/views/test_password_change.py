"""Changing one's own password through the page, under the tenant's policy."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from tandem.accounts.choices import PasswordProfile
from tandem.accounts.models import PasswordHistory
from tandem.audit.models import SecurityEvent, SecurityEventKind
from tandem.testing.kit import PASSWORD, make_member, make_tenant, page_client

URL = "/accounts/password/"


def _client(member):
    client = page_client(member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _change(client, new: str, *, old: str = PASSWORD, again: str | None = None):
    return client.post(
        URL, {"old_password": old, "new_password": new, "new_password2": new if again is None else again}
    )


def _errors(response) -> dict:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


@pytest.fixture
def member(tenant):
    return make_member(tenant, "sales", username="zhaolei")


def test_anonymous_is_sent_to_sign_in(db):
    from django.test import Client

    assert Client().get(URL)["Location"] == "/accounts/login/"


def test_a_valid_change_sets_the_password_keeps_the_session_and_records_an_event(member):
    client = _client(member)
    response = _change(client, "New-pass-2026#")

    assert response.status_code == 302
    assert response["Location"] == "/"
    user = member.user
    user.refresh_from_db()
    assert user.check_password("New-pass-2026#")
    assert user.password_changed_at == pytest.approx(timezone.now(), abs=timedelta(seconds=10))
    assert PasswordHistory.objects.filter(user=user).count() == 1
    event = SecurityEvent.objects.get(kind=SecurityEventKind.PASSWORD_CHANGED)
    assert (event.user_id, event.tenant_id) == (user.pk, member.tenant_id)
    assert client.get("/").status_code == 200  # the session survived the hash change


def test_a_wrong_current_password_changes_nothing(member):
    response = _change(_client(member), "New-pass-2026#", old="not-it")

    assert response.status_code == 200
    assert _errors(response) == {"old_password": ["Wrong password."]}
    member.user.refresh_from_db()
    assert member.user.check_password(PASSWORD)
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.PASSWORD_CHANGED).exists()


def test_two_different_new_passwords_are_refused(member):
    response = _change(_client(member), "New-pass-2026#", again="New-pass-2026$")
    assert _errors(response) == {"new_password2": ["The two passwords differ."]}


def test_mlps3_policy_errors_are_shown_on_the_new_password(member):
    client = _client(member)

    assert _errors(_change(client, "short1!")) == {"new_password": ["The password must have at least 8 characters."]}
    assert _errors(_change(client, "onlylowercase")) == {
        "new_password": ["The password must mix at least 3 of: lowercase, uppercase, digits, symbols."]
    }
    assert _errors(_change(client, PASSWORD)) == {
        "new_password": ["The password must differ from the last 5 passwords."]
    }
    member.user.refresh_from_db()
    assert member.user.check_password(PASSWORD)
    assert not PasswordHistory.objects.exists()


def test_mlps3_refuses_a_recent_password_through_the_page(member):
    client = _client(member)
    assert _change(client, "Second-pass-2026").status_code == 302
    response = _change(client, PASSWORD, old="Second-pass-2026")
    assert _errors(response) == {"new_password": ["The password must differ from the last 5 passwords."]}


def test_asvs_takes_a_long_lowercase_passphrase_and_refuses_a_short_complex_one(db):
    member = make_member(make_tenant(password_profile=PasswordProfile.ASVS), "sales", username="sunli")
    client = _client(member)

    assert _errors(_change(client, "Ab1!cd2@")) == {"new_password": ["The password must have at least 12 characters."]}
    assert _change(client, "river stones in autumn").status_code == 302
    member.user.refresh_from_db()
    assert member.user.check_password("river stones in autumn")


def test_an_expired_password_is_released_once_changed(member):
    member.user.password_changed_at = timezone.now() - timedelta(days=91)
    member.user.save(update_fields=["password_changed_at"])
    client = _client(member)
    assert client.get("/")["Location"] == "/accounts/password/?expired=1"
    assert b"Your password has expired" in client.get(URL + "?expired=1").content

    assert _change(client, "Fresh-pass-2026").status_code == 302

    assert client.get("/").status_code == 200
