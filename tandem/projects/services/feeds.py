"""iCalendar feed URLs: signed per member and project, revoked by rotating the key's salt."""

from __future__ import annotations

import secrets

from django.core import signing
from django.db import transaction

from tandem.accounts.access import MembershipAccess
from tandem.accounts.models import Membership
from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record
from tandem.core.services import actor_of, check_tenant, require
from tandem.projects.models import CalendarFeedKey, Project

SALT_PREFIX = "tandem.projects.calendar-feed:"


def _signer(key: CalendarFeedKey) -> signing.Signer:
    return signing.Signer(salt=SALT_PREFIX + key.salt)


@transaction.atomic
def calendar_feed_token(*, access, project: Project, rotate: bool = False) -> str:
    """The caller's feed token for a project; `rotate` makes a new one and revokes the old."""
    require(access, "projects.view_project")
    check_tenant(access, project)
    key, created = CalendarFeedKey.objects.get_or_create(
        tenant_id=project.tenant_id,
        project=project,
        user_id=access.user_id,
        defaults={"salt": secrets.token_hex(16)},
    )
    if rotate and not created:
        key.salt = secrets.token_hex(16)
        key.save(update_fields=["salt", "updated_at"])
        audit_record(
            obj=project,
            action=AuditAction.UPDATE,
            actor=actor_of(access),
            before={"calendar_feed": "revoked"},
            after={"calendar_feed": "rotated", "user": access.user_id},
        )
    return f"{key.pk}.{_signer(key).sign(f'{project.pk}.{key.user_id}')}"


def calendar_feed_resolve(token: str) -> CalendarFeedKey | None:
    """The key a feed token was signed with, if the signature holds and names its project and member."""
    key_id, _sep, signed = (token or "").partition(".")
    if not key_id.isdigit() or not signed or len(token) > 300:
        return None
    key = CalendarFeedKey.objects.filter(pk=int(key_id)).first()
    if key is None:
        return None
    try:
        value = _signer(key).unsign(signed)
    except signing.BadSignature:
        return None
    return key if value == f"{key.project_id}.{key.user_id}" else None


def calendar_feed_access(token: str, *, project_id: int) -> MembershipAccess | None:
    """Whom a feed token of this project speaks for, as that member's access; None when the token is bad or
    revoked, names another project, or its member or tenant is no longer active."""
    key = calendar_feed_resolve(token)
    if key is None or key.project_id != project_id:
        return None
    membership = (
        Membership.objects.select_related("tenant", "user")
        .prefetch_related("roles")
        .filter(tenant_id=key.tenant_id, user_id=key.user_id, is_active=True, tenant__is_active=True)
        .first()
    )
    return MembershipAccess(membership) if membership is not None else None
