"""Standard Webhooks 1.0 symmetric signatures (https://www.standardwebhooks.com/).

The signed content is ``{webhook-id}.{webhook-timestamp}.{body}`` with HMAC-SHA256, the key being the
base64 part of a ``whsec_`` secret. ``webhook-signature`` carries a space-separated list of
``v1,<base64>`` entries so that a secret can be rotated without downtime: while an old secret is
still inside its overlap window, every message is signed with the new and the old one, and a
receiver that still knows only the old secret keeps verifying.
"""

import base64
import binascii
import hashlib
import hmac
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from secrets import token_bytes

SECRET_PREFIX = "whsec_"
SIGNATURE_VERSION = "v1"
# The spec asks for at least 24 random bytes (192 bits); 64 is our upper bound, well under its 512.
MIN_SECRET_BYTES = 24
MAX_SECRET_BYTES = 64
DEFAULT_SECRET_BYTES = 32
DEFAULT_TOLERANCE = timedelta(minutes=5)
DEFAULT_ROTATION_OVERLAP = timedelta(hours=24)

HEADER_ID = "webhook-id"
HEADER_TIMESTAMP = "webhook-timestamp"
HEADER_SIGNATURE = "webhook-signature"


class VerificationError(Exception):
    """A webhook whose headers, timestamp or signature do not check out; ``reason`` says which."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SigningSecret:
    """A ``whsec_`` secret of an endpoint; ``expires_at`` is set on a secret being rotated out."""

    value: str
    expires_at: datetime | None = None

    def is_active(self, now: datetime) -> bool:
        return self.expires_at is None or now < self.expires_at


def new_secret(nbytes: int = DEFAULT_SECRET_BYTES) -> str:
    """A fresh ``whsec_`` secret of ``nbytes`` random bytes (24 to 64)."""
    if not MIN_SECRET_BYTES <= nbytes <= MAX_SECRET_BYTES:
        raise ValueError(f"a webhook secret has {MIN_SECRET_BYTES} to {MAX_SECRET_BYTES} bytes, not {nbytes}")
    return SECRET_PREFIX + base64.b64encode(token_bytes(nbytes)).decode("ascii")


def new_message_id() -> str:
    """A unique ``webhook-id``; it stays the same on every retry of one message (receivers dedupe on it)."""
    return f"msg_{uuid.uuid4().hex}"


def rotate(
    current: SigningSecret, *, now: datetime, overlap: timedelta = DEFAULT_ROTATION_OVERLAP
) -> tuple[SigningSecret, SigningSecret]:
    """Return ``(new, retiring)``: a fresh secret, and the current one set to expire after ``overlap``."""
    expires_at = now + overlap
    if current.expires_at is not None:
        expires_at = min(expires_at, current.expires_at)
    return SigningSecret(new_secret()), SigningSecret(current.value, expires_at=expires_at)


def secret_key(secret: str) -> bytes:
    """The HMAC key of a ``whsec_`` secret; raises ``ValueError`` on anything else."""
    if not secret.startswith(SECRET_PREFIX):
        raise ValueError(f"a webhook secret starts with {SECRET_PREFIX!r}")
    try:
        key = base64.b64decode(secret[len(SECRET_PREFIX) :], validate=True)
    except binascii.Error as error:
        raise ValueError("a webhook secret is base64 after its prefix") from error
    if len(key) < MIN_SECRET_BYTES:
        raise ValueError(f"a webhook secret has at least {MIN_SECRET_BYTES} bytes")
    return key


def _signed_content(msg_id: str, timestamp: int, body: bytes) -> bytes:
    # A "." inside the id or timestamp would make two different (id, timestamp, body) triples sign
    # the same bytes, so the spec forbids it.
    if not msg_id or "." in msg_id or any(c.isspace() for c in msg_id):
        raise ValueError("a webhook id is non-empty and has no '.' or whitespace")
    return f"{msg_id}.{int(timestamp)}.".encode() + body


def _digest(key: bytes, msg_id: str, timestamp: int, body: bytes) -> bytes:
    return hmac.new(key, _signed_content(msg_id, timestamp, body), hashlib.sha256).digest()


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """One ``v1,<base64>`` signature of ``body`` sent as message ``msg_id`` at unix ``timestamp``."""
    signature = _digest(secret_key(secret), msg_id, timestamp, body)
    return f"{SIGNATURE_VERSION},{base64.b64encode(signature).decode('ascii')}"


def webhook_headers(
    secrets: Iterable[SigningSecret | str], msg_id: str, body: bytes, *, now: datetime
) -> dict[str, str]:
    """The three Standard Webhooks headers, signed with every secret still active at ``now``."""
    active = [s if isinstance(s, SigningSecret) else SigningSecret(s) for s in secrets]
    active = [s for s in active if s.is_active(now)]
    if not active:
        raise ValueError("no active webhook secret to sign with")
    timestamp = int(now.timestamp())
    return {
        HEADER_ID: msg_id,
        HEADER_TIMESTAMP: str(timestamp),
        HEADER_SIGNATURE: " ".join(sign(s.value, msg_id, timestamp, body) for s in active),
    }


def verify(
    secrets: str | Sequence[str],
    body: bytes,
    headers: Mapping[str, str],
    *,
    now: datetime | None = None,
    tolerance: timedelta = DEFAULT_TOLERANCE,
) -> None:
    """Check a received webhook against one secret or several (rotation); raise ``VerificationError`` if bad."""
    keys = [secret_key(s) for s in ([secrets] if isinstance(secrets, str) else secrets)]
    lowered = {name.lower(): value for name, value in headers.items()}
    msg_id = lowered.get(HEADER_ID, "")
    raw_timestamp = lowered.get(HEADER_TIMESTAMP, "")
    raw_signatures = lowered.get(HEADER_SIGNATURE, "")
    if not (msg_id and raw_timestamp and raw_signatures):
        raise VerificationError("missing webhook-id, webhook-timestamp or webhook-signature header")
    if not raw_timestamp.isascii() or not raw_timestamp.isdigit():
        raise VerificationError("webhook-timestamp is not an integer unix timestamp")
    timestamp = int(raw_timestamp)
    now = now or datetime.now(UTC)
    sent_at = datetime.fromtimestamp(timestamp, UTC)
    if sent_at < now - tolerance:
        raise VerificationError("webhook-timestamp is too old")
    if sent_at > now + tolerance:
        raise VerificationError("webhook-timestamp is in the future")
    try:
        expected = [_digest(key, msg_id, timestamp, body) for key in keys]
    except ValueError as error:
        raise VerificationError(str(error)) from error
    for entry in raw_signatures.split(" "):
        version, _, encoded = entry.partition(",")
        if version != SIGNATURE_VERSION:
            continue
        try:
            received = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            continue
        if any(hmac.compare_digest(received, digest) for digest in expected):
            return
    raise VerificationError("no matching signature")
