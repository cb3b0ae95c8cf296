"""Signed links back into Tandem from an approval card in an IM group (approve, reject, open).

A link names the tenant, the approval and the decision, signed with the server's secret and valid for
``LINK_MAX_AGE``; it grants nothing by itself: whoever opens it signs in, and only an approver with a task
waiting on that approval can act. A tampered or expired link is refused before anything is looked up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "tandem.approvals.im-link"
LINK_MAX_AGE = timedelta(days=14)
DECISIONS = ("approve", "reject", "open")


@dataclass(frozen=True)
class LinkClaim:
    tenant_id: int
    approval_id: int
    decision: str


class BadLink(Exception):
    """The link was altered, is not one of ours, or has expired."""


def approval_link_token(*, tenant_id: int, approval_id: int, decision: str) -> str:
    if decision not in DECISIONS:
        raise ValueError(f"unknown decision {decision!r}")
    return signing.dumps({"t": tenant_id, "a": approval_id, "d": decision}, salt=SALT, compress=True)


def approval_link(*, tenant_id: int, approval_id: int, decision: str) -> str:
    """The absolute URL a card button opens."""
    token = approval_link_token(tenant_id=tenant_id, approval_id=approval_id, decision=decision)
    return settings.TANDEM_BASE_URL.rstrip("/") + reverse("approvals:im_link", args=[token])


def approval_link_read(token: str) -> LinkClaim:
    """What a link says, or ``BadLink``."""
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature as error:  # SignatureExpired is a BadSignature
        raise BadLink(str(error)) from None
    try:
        claim = LinkClaim(int(data["t"]), int(data["a"]), str(data["d"]))
    except (KeyError, TypeError, ValueError):
        raise BadLink("malformed link") from None
    if claim.decision not in DECISIONS:
        raise BadLink("unknown decision")
    return claim
