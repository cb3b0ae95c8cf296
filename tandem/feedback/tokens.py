"""Survey link tokens: a random nonce signed with the server's key, so a tampered link is known at once.

The survey row keeps the nonce (to send a reminder with the same link); the signature needs SECRET_KEY, so the
nonce alone opens nothing. Pure apart from Django's signing.
"""

from __future__ import annotations

import secrets

from django.core import signing

SALT = "tandem.feedback.survey"
_signer = signing.Signer(salt=SALT, sep=".")


def nonce_new() -> str:
    return secrets.token_urlsafe(18)


def token_for(nonce: str) -> str:
    return _signer.sign(nonce)


def nonce_of(token: str) -> str | None:
    """The nonce a token signs, or None when the token was altered or is not one of ours."""
    if not isinstance(token, str) or len(token) > 200:
        return None
    try:
        return _signer.unsign(token)
    except signing.BadSignature:
        return None
