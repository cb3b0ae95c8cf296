"""API tokens: created once (the secret is shown once), stored hashed, scoped, revocable."""

from __future__ import annotations

import hashlib
import secrets
from fnmatch import fnmatchcase

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import ApiToken, Membership
from tandem.audit.models import SecurityEventKind
from tandem.audit.services.audit import security_event
from tandem.core import permissions
from tandem.core.errors import ApplicationError
from tandem.core.services import check_tenant, require

TOKEN_PREFIX = "tdm_"


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _validate_scopes(scopes: list[str]) -> list[str]:
    known = permissions.all_codes()
    bad = [s for s in scopes if not isinstance(s, str) or not any(fnmatchcase(code, s) for code in known)]
    if bad:
        raise ApplicationError(
            _("Unknown scope: %(scopes)s") % {"scopes": ", ".join(map(str, bad))}, errors={"scopes": bad}
        )
    return sorted(set(scopes))


@transaction.atomic
def token_create(
    *, membership: Membership, name: str, scopes: list[str] | None = None, expires_at=None, actor=None
) -> tuple[ApiToken, str]:
    """Issue a token for a member; returns the row and the secret, which is never stored."""
    if not name.strip():
        raise ApplicationError(_("Give the token a name."), errors={"name": [_("Required.")]})
    if expires_at is not None and expires_at <= timezone.now():
        raise ApplicationError(_("The expiry must be in the future."), errors={"expires_at": [_("In the past.")]})
    scopes = _validate_scopes(list(scopes or ["*"]))
    body = secrets.token_urlsafe(32)
    secret = f"{TOKEN_PREFIX}{body}"
    token = ApiToken.objects.create(
        tenant_id=membership.tenant_id,
        user=membership.user,
        name=name.strip()[:100],
        prefix=secret[:12],
        token_hash=token_hash(secret),
        scopes=scopes,
        expires_at=expires_at,
    )
    security_event(
        kind=SecurityEventKind.TOKEN_CREATED,
        tenant_id=membership.tenant_id,
        user=actor or membership.user,
        token=token.prefix,
        owner=membership.user.username,
        scopes=scopes,
    )
    return token, secret


@transaction.atomic
def token_create_for(*, access, name: str, scopes=None, expires_at=None):
    """A signed-in member issues a token for themselves."""
    require(access, "accounts.add_apitoken")
    return token_create(membership=access.membership, name=name, scopes=scopes, expires_at=expires_at)


@transaction.atomic
def token_revoke(*, access, token: ApiToken) -> ApiToken:
    """Revoke a token; one's own always, anyone's with `accounts.delete_apitoken`."""
    check_tenant(access, token)
    if token.user_id != access.user_id:
        require(access, "accounts.delete_apitoken")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        security_event(
            kind=SecurityEventKind.TOKEN_REVOKED,
            tenant_id=token.tenant_id,
            user=access.membership.user,
            token=token.prefix,
        )
    return token


def token_authenticate(secret: str, *, ip: str | None = None) -> ApiToken | None:
    """The usable token for a presented secret, touching its last-use time (at most once a minute)."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user", "tenant").filter(token_hash=token_hash(secret)).first()
    if token is None or not token.is_usable or not token.user.is_active or not token.tenant.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=ip)
    return token
