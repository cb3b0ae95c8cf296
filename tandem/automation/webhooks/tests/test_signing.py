"""Standard Webhooks signatures, checked against the official ``standardwebhooks`` library."""

import base64
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from tandem.automation.webhooks.signing import (
    SigningSecret,
    VerificationError,
    new_message_id,
    new_secret,
    rotate,
    sign,
    verify,
    webhook_headers,
)

BODY = '{"type":"crm.deal.won","timestamp":"2026-05-01T08:00:00Z","data":{"id":42,"name":"智能化"}}'.encode()


def now() -> datetime:
    return datetime.now(UTC)


@pytest.mark.parametrize("nbytes", [24, 32, 64])
def test_new_secret_is_whsec_and_base64_of_random_bytes(nbytes):
    secret = new_secret(nbytes)
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"), validate=True)) == nbytes
    assert new_secret(nbytes) != secret


@pytest.mark.parametrize("nbytes", [0, 23, 65])
def test_new_secret_refuses_sizes_outside_the_spec(nbytes):
    with pytest.raises(ValueError):
        new_secret(nbytes)


def test_message_ids_are_unique_and_dot_free():
    ids = {new_message_id() for _ in range(100)}
    assert len(ids) == 100
    assert all(i.startswith("msg_") and "." not in i for i in ids)


def test_headers_verify_with_the_official_library():
    secret = new_secret()
    headers = webhook_headers([secret], new_message_id(), BODY, now=now())
    assert set(headers) == {"webhook-id", "webhook-timestamp", "webhook-signature"}
    assert headers["webhook-signature"].startswith("v1,")
    assert Webhook(secret).verify(BODY, headers)["data"]["id"] == 42


@settings(max_examples=50, deadline=None)
@given(body=st.text(), msg_id=st.from_regex(r"msg_[A-Za-z0-9_-]{1,40}", fullmatch=True))
def test_sign_matches_the_official_library_for_any_body(body, msg_id):
    secret = new_secret()
    sent_at = now().replace(microsecond=0)
    ours = sign(secret, msg_id, int(sent_at.timestamp()), body.encode())
    assert ours == Webhook(secret).sign(msg_id, sent_at, body)


def test_rotation_signs_with_both_secrets_until_the_old_one_expires():
    old = SigningSecret(new_secret())
    started = now() - timedelta(hours=1)  # rotated an hour ago, so "during" is the real now
    new, retiring = rotate(old, now=started, overlap=timedelta(hours=24))
    assert retiring.value == old.value
    assert retiring.expires_at == started + timedelta(hours=24)

    during = webhook_headers([new, retiring], new_message_id(), BODY, now=started + timedelta(hours=1))
    signatures = during["webhook-signature"].split(" ")
    assert len(signatures) == 2
    for secret in (new.value, retiring.value):
        Webhook(secret).verify(BODY, during)  # a receiver that knows either secret accepts it
        verify(secret, BODY, during, now=started + timedelta(hours=1))
    # Each signature on its own belongs to exactly one of the secrets.
    for signature in signatures:
        alone = {**during, "webhook-signature": signature}
        accepted = []
        for secret in (new.value, retiring.value):
            try:
                Webhook(secret).verify(BODY, alone)
                accepted.append(secret)
            except WebhookVerificationError:
                pass
        assert len(accepted) == 1

    after = webhook_headers([new, retiring], new_message_id(), BODY, now=started + timedelta(hours=25))
    assert len(after["webhook-signature"].split(" ")) == 1
    with pytest.raises(VerificationError):
        verify(retiring.value, BODY, after, now=started + timedelta(hours=25))


def test_rotating_twice_never_extends_the_first_overlap():
    started = now()
    first_new, first_old = rotate(SigningSecret(new_secret()), now=started, overlap=timedelta(hours=1))
    _, again = rotate(first_old, now=started, overlap=timedelta(hours=24))
    assert again.expires_at == first_old.expires_at


def test_no_active_secret_is_an_error():
    expired = SigningSecret(new_secret(), expires_at=now() - timedelta(seconds=1))
    with pytest.raises(ValueError, match="no active"):
        webhook_headers([expired], new_message_id(), BODY, now=now())


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda body, headers: (body + b" ", headers), id="body"),
        pytest.param(lambda body, headers: (body.replace(b"42", b"43"), headers), id="body-value"),
        pytest.param(
            lambda body, headers: (body, {**headers, "webhook-timestamp": str(int(headers["webhook-timestamp"]) + 1)}),
            id="timestamp",
        ),
        pytest.param(lambda body, headers: (body, {**headers, "webhook-id": "msg_other"}), id="id"),
    ],
)
def test_tampered_messages_are_refused(tamper):
    secret = new_secret()
    body, headers = tamper(BODY, webhook_headers([secret], new_message_id(), BODY, now=now()))
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body, headers)
    with pytest.raises(VerificationError, match="no matching signature"):
        verify(secret, body, headers)


def test_wrong_secret_is_refused():
    headers = webhook_headers([new_secret()], new_message_id(), BODY, now=now())
    with pytest.raises(VerificationError, match="no matching signature"):
        verify(new_secret(), BODY, headers)


def test_verify_accepts_what_the_official_library_signs():
    secret = new_secret()
    sent_at = now()
    msg_id = new_message_id()
    headers = {
        "Webhook-Id": msg_id,
        "Webhook-Timestamp": str(int(sent_at.timestamp())),
        "Webhook-Signature": "v1a,bm90IGEgc2lnbmF0dXJl v1,!!! " + Webhook(secret).sign(msg_id, sent_at, BODY.decode()),
    }
    verify(secret, BODY, headers)
    verify([new_secret(), secret], BODY, headers)  # any of the secrets known during a rotation


@pytest.mark.parametrize(
    ("shift", "message"),
    [(timedelta(minutes=-6), "too old"), (timedelta(minutes=6), "in the future")],
)
def test_timestamps_outside_the_tolerance_are_refused(shift, message):
    secret = new_secret()
    headers = webhook_headers([secret], new_message_id(), BODY, now=now() + shift)
    with pytest.raises(VerificationError, match=message):
        verify(secret, BODY, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY, headers)
    verify(secret, BODY, headers, tolerance=timedelta(minutes=10))


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"webhook-id": "msg_1", "webhook-timestamp": "1700000000"},
        {"webhook-id": "msg_1", "webhook-timestamp": "1.7e9", "webhook-signature": "v1,AAAA"},
        {"webhook-id": "msg_1", "webhook-timestamp": "-1", "webhook-signature": "v1,AAAA"},
    ],
)
def test_missing_or_malformed_headers_are_refused(headers):
    with pytest.raises(VerificationError):
        verify(new_secret(), BODY, headers)


@pytest.mark.parametrize("secret", ["", "whsec_", "whsec_not*base64", "c2hvcnQ=", "whsec_" + "A" * 8])
def test_malformed_secrets_are_rejected(secret):
    with pytest.raises(ValueError):
        sign(secret, "msg_1", 1_700_000_000, BODY)


@pytest.mark.parametrize("msg_id", ["", "msg.1", "msg 1"])
def test_message_ids_that_would_make_signatures_ambiguous_are_rejected(msg_id):
    with pytest.raises(ValueError):
        sign(new_secret(), msg_id, 1_700_000_000, BODY)
