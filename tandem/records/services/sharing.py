"""Sharing one record with colleagues (相关团队)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record
from tandem.core.errors import ApplicationError
from tandem.core.models import RecordShare
from tandem.core.permissions import permission_code
from tandem.core.services import active_members, actor_of, check_tenant, require


@transaction.atomic
def record_share(*, access, obj, user, level: str = RecordShare.Level.READ, expires_at=None) -> RecordShare:
    """Share one record with a colleague (相关团队), read or read-write, optionally until a date."""
    require(access, permission_code(obj, "change"))
    check_tenant(access, obj)
    if not active_members(access.tenant_id).filter(pk=user.pk).exists():
        raise ApplicationError(_("Share only with active members."), errors={"user": [_("Not found.")]})
    if level not in RecordShare.Level.values:
        raise ApplicationError(_("Unknown access level."), errors={"level": [level]})
    share, _created = RecordShare.objects.update_or_create(
        tenant_id=access.tenant_id,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        user=user,
        defaults={"level": level, "expires_at": expires_at, "granted_by_id": access.user_id},
    )
    audit_record(
        obj=obj,
        action=AuditAction.SHARE,
        actor=actor_of(access),
        after={"user": user.pk, "level": level, "expires_at": expires_at.isoformat() if expires_at else None},
    )
    return share
