"""Signing in and out through the real pages: security events, the lockout rule."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tandem.accounts.middleware import SESSION_AUTH_AT, SESSION_SEEN_AT, SESSION_TENANT
from tandem.accounts.models import Lockout, LoginFailure
from tandem.audit.models import SecurityEvent, SecurityEventKind
from tandem.testing.kit import PASSWORD, make_member

LOGIN = "/accounts/login/"
IP = "10.0.0.7"


def _client(ip: str = IP) -> Client:
    return Client(REMOTE_ADDR=ip, HTTP_ACCEPT_LANGUAGE="en", HTTP_USER_AGENT="pytest-browser/1.0")


def _sign_in(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


def _form_errors(response) -> list[str]:
    return list(response.context["form"].non_field_errors())


def _events(kind: str):
    return SecurityEvent.objects.filter(kind=kind).order_by("id")


@pytest.fixture
def member(tenant):
    return make_member(tenant, "sales", username="wangfang")


def test_sign_in_success_starts_a_tenant_session_and_records_an_event(member):
    client = _client()
    response = _sign_in(client, "wangfang", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session[SESSION_TENANT] == member.tenant_id
    assert client.session[SESSION_AUTH_AT] == pytest.approx(timezone.now().timestamp(), abs=5)
    assert client.session[SESSION_SEEN_AT] == pytest.approx(timezone.now().timestamp(), abs=5)
    [event] = _events(SecurityEventKind.LOGIN_SUCCESS)
    assert event.tenant_id == member.tenant_id
    assert event.user_id == member.user_id
    assert event.username == "wangfang"
    assert event.ip == IP
    assert event.user_agent == "pytest-browser/1.0"
    assert event.request_id == response["X-Request-ID"]
    assert client.get("/").status_code == 200


def test_sign_in_ignores_an_offsite_next_url(member):
    response = _client().post(LOGIN + "?next=https://evil.example/", {"username": "wangfang", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_sign_in_follows_a_local_next_url(member):
    response = _client().post(LOGIN + "?next=/accounts/tokens/", {"username": "wangfang", "password": PASSWORD})
    assert response["Location"] == "/accounts/tokens/"


def test_wrong_password_is_refused_and_recorded(member):
    client = _client()
    response = _sign_in(client, "WangFang", "not-the-password")

    assert response.status_code == 200
    assert _form_errors(response) == ["Wrong user name or password."]
    assert "_auth_user_id" not in client.session
    [event] = _events(SecurityEventKind.LOGIN_FAILURE)
    assert event.username == "wangfang"
    assert event.user_id is None
    assert event.detail == {"reason": "bad_credentials"}
    assert event.ip == IP
    assert LoginFailure.objects.filter(username="wangfang", ip=IP).count() == 1


def test_unknown_user_is_refused_with_the_same_message(db):
    response = _sign_in(_client(), "nobody", PASSWORD)
    assert _form_errors(response) == ["Wrong user name or password."]
    assert _events(SecurityEventKind.LOGIN_FAILURE).get().username == "nobody"


def test_user_without_an_active_membership_cannot_sign_in(member):
    member.is_active = False
    member.save()
    client = _client()
    response = _sign_in(client, "wangfang", PASSWORD)

    assert response.status_code == 200
    assert _form_errors(response) == ["Your account has no active organisation. Ask your administrator."]
    assert "_auth_user_id" not in client.session
    [event] = _events(SecurityEventKind.LOGIN_FAILURE)
    assert event.user_id == member.user_id
    assert event.detail == {"reason": "no_active_membership"}


def test_successful_sign_in_clears_earlier_failures(member):
    client = _client()
    for _ in range(3):
        _sign_in(client, "wangfang", "wrong")
    assert LoginFailure.objects.filter(username="wangfang").count() == 3
    _sign_in(client, "wangfang", PASSWORD)
    assert not LoginFailure.objects.filter(username="wangfang").exists()


def test_sign_out_ends_the_session_and_records_an_event(member):
    client = _client()
    _sign_in(client, "wangfang", PASSWORD)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session
    [event] = _events(SecurityEventKind.LOGOUT)
    assert event.user_id == member.user_id
    assert event.tenant_id == member.tenant_id
    assert event.detail == {"reason": ""}
    assert client.get("/").status_code == 302


def test_sign_out_needs_post(member):
    client = _client()
    _sign_in(client, "wangfang", PASSWORD)
    assert client.get("/accounts/logout/").status_code == 405
    assert "_auth_user_id" in client.session
    assert not _events(SecurityEventKind.LOGOUT).exists()


# --- lockout -----------------------------------------------------------------------------------


def _fail(client: Client, times: int, username: str = "wangfang"):
    return [_sign_in(client, username, f"wrong-{i}") for i in range(times)]


def test_five_failures_lock_the_username_and_address(member):
    client = _client()
    responses = _fail(client, 5)

    assert [_form_errors(r) for r in responses[:4]] == [["Wrong user name or password."]] * 4
    assert _form_errors(responses[4]) == ["Too many failed sign-ins. The account is locked for 30 minutes."]
    lock = Lockout.objects.get()
    assert (lock.username, lock.ip) == ("wangfang", IP)
    assert lock.until == pytest.approx(timezone.now() + timedelta(minutes=30), abs=timedelta(seconds=10))
    [event] = _events(SecurityEventKind.LOCKOUT)
    assert event.username == "wangfang"
    assert event.ip == IP
    assert event.detail == {"failures": 5}


def test_the_right_password_is_refused_while_locked(member):
    client = _client()
    _fail(client, 5)

    response = _sign_in(client, "wangfang", PASSWORD)

    assert response.status_code == 200
    until = timezone.localtime(Lockout.objects.get().until).strftime("%H:%M")
    assert _form_errors(response) == [f"Too many failed sign-ins. Try again after {until}."]
    assert "_auth_user_id" not in client.session
    assert not _events(SecurityEventKind.LOGIN_SUCCESS).exists()
    assert _events(SecurityEventKind.LOGIN_FAILURE).last().detail == {"reason": "locked"}


def test_the_lock_ignores_the_case_of_the_username(member):
    client = _client()
    _fail(client, 5, username="WANGFANG")
    assert _form_errors(_sign_in(client, "wangfang", PASSWORD))[0].startswith("Too many failed sign-ins.")


def test_another_address_is_not_locked(member):
    _fail(_client(), 5)

    other = _client("10.0.0.8")
    response = _sign_in(other, "wangfang", PASSWORD)

    assert response.status_code == 302
    assert other.session["_auth_user_id"] == str(member.user_id)


def test_failures_older_than_the_window_do_not_count(member):
    client = _client()
    _fail(client, 4)
    LoginFailure.objects.update(created_at=timezone.now() - timedelta(minutes=16))

    response = _fail(client, 1)[0]

    assert _form_errors(response) == ["Wrong user name or password."]
    assert not Lockout.objects.exists()


def test_sign_in_works_again_after_the_lock_expires(member):
    client = _client()
    _fail(client, 5)
    Lockout.objects.update(until=timezone.now() - timedelta(seconds=1))

    response = _sign_in(client, "wangfang", PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.user_id)


def test_the_lock_duration_follows_the_setting(member, settings):
    settings.TANDEM_LOCKOUT_DURATION = timedelta(minutes=5)
    client = _client()
    responses = _fail(client, 5)
    assert _form_errors(responses[-1]) == ["Too many failed sign-ins. The account is locked for 5 minutes."]
    assert Lockout.objects.get().until < timezone.now() + timedelta(minutes=6)


def test_failed_sign_ins_of_a_member_show_in_each_of_their_tenants(member, other_tenant):
    make_member(other_tenant, "sales", username="wangfang")
    _sign_in(_client(), "wangfang", "wrong-password")
    tenant_ids = set(_events(SecurityEventKind.LOGIN_FAILURE).values_list("tenant_id", flat=True))
    assert tenant_ids == {member.tenant_id, other_tenant.pk}


def test_failed_sign_in_of_an_unknown_name_belongs_to_no_tenant(db):
    _sign_in(_client(), "nobody", "wrong-password")
    assert list(_events(SecurityEventKind.LOGIN_FAILURE).values_list("tenant_id", flat=True)) == [None]


def test_a_session_without_a_start_time_gets_one_and_then_ends_on_time(member, settings):
    client = _client()
    client.force_login(member.user)  # like the admin login: no Tandem start time in the session
    assert client.get("/").status_code == 200
    started = client.session[SESSION_AUTH_AT]
    session = client.session
    session[SESSION_AUTH_AT] = started - settings.TANDEM_SESSION_ABSOLUTE.total_seconds() - 1
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
