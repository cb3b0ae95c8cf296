"""Shared record features: recycle bin, numbering, owner transfer, attachments, sharing."""

from __future__ import annotations

import hashlib
import mimetypes
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.errors import ApplicationError
from tandem.core.models import Attachment, NumberingRule, NumberSequence, RecordShare, SoftDeleteModel
from tandem.core.permissions import permission_code
from tandem.core.services import actor_of, check_tenant, require

ALLOWED_ATTACHMENT_TYPES = {
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "text/plain",
    "text/csv",
    "application/zip",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-project",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/xml",
    "text/xml",
    "image/vnd.dwg",
    "application/acad",
}


@transaction.atomic
def record_soft_delete(*, access, obj: SoftDeleteModel) -> None:
    """Move a record to the recycle bin (回收站)."""
    require(access, permission_code(obj, "delete"))
    check_tenant(access, obj)
    if obj.deleted_at is not None:
        return
    before = snapshot(obj)
    obj.deleted_at = timezone.now()
    obj.deleted_by_id = access.user_id
    obj.save(update_fields=["deleted_at", "deleted_by"])
    audit_record(obj=obj, action=AuditAction.DELETE, actor=actor_of(access), before=before)


@transaction.atomic
def record_restore(*, access, obj: SoftDeleteModel) -> None:
    """Bring a record back from the recycle bin."""
    require(access, "core.change_recyclebin")
    check_tenant(access, obj)
    if obj.deleted_at is None:
        return
    obj.deleted_at = None
    obj.deleted_by = None
    obj.save(update_fields=["deleted_at", "deleted_by"])
    audit_record(obj=obj, action=AuditAction.RESTORE, actor=actor_of(access), after=snapshot(obj))


@transaction.atomic
def record_purge(*, access, obj: SoftDeleteModel) -> None:
    """Delete a record from the recycle bin for good."""
    require(access, "core.delete_recyclebin")
    check_tenant(access, obj)
    if obj.deleted_at is None:
        raise ApplicationError(_("Only records in the recycle bin can be purged."))
    audit_record(obj=obj, action=AuditAction.PURGE, actor=actor_of(access), before=snapshot(obj))
    obj.delete()


def soft_delete_models() -> list:
    return [m for m in apps.get_models() if issubclass(m, SoftDeleteModel)]


def recycle_bin_purge_expired(*, days: int | None = None) -> int:
    """Purge records deleted more than N days ago (TANDEM_RECYCLE_BIN_DAYS); each purge audited."""
    cutoff = timezone.now() - timedelta(days=days if days is not None else settings.TANDEM_RECYCLE_BIN_DAYS)
    purged = 0
    for model in soft_delete_models():
        for obj in model.all_objects.filter(deleted_at__lt=cutoff).iterator():
            with transaction.atomic():
                audit_record(obj=obj, action=AuditAction.PURGE, before=snapshot(obj))
                obj.delete()
            purged += 1
    return purged


@transaction.atomic
def number_next(*, tenant_id: int, object_type: str, default_prefix: str, on=None) -> str:
    """The next number for a record type, e.g. HT-20261127-0001: gap-free and unique under concurrency."""
    rule = NumberingRule.objects.filter(tenant_id=tenant_id, object_type=object_type).first()
    if rule is None:
        rule = NumberingRule(tenant_id=tenant_id, object_type=object_type, prefix=default_prefix)
    day = timezone.localdate(on) if on is not None else timezone.localdate()
    period = {"daily": "%Y%m%d", "monthly": "%Y%m", "yearly": "%Y", "never": ""}[rule.reset]
    period_key = day.strftime(period) if period else ""
    # Create the row first (a no-op when it exists), then lock it for the increment.
    NumberSequence.objects.get_or_create(tenant_id=tenant_id, object_type=object_type, period=period_key)
    sequence = NumberSequence.objects.select_for_update().get(
        tenant_id=tenant_id, object_type=object_type, period=period_key
    )
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    parts = [rule.prefix] + ([period_key] if period_key else []) + [str(sequence.last_value).zfill(rule.padding)]
    return rule.separator.join(p for p in parts if p)


@transaction.atomic
def record_transfer_owner(*, access, obj, new_owner, reason: str) -> None:
    """Hand a record to another member (转移), with a reason, audited."""
    require(access, permission_code(obj, "transfer"))
    check_tenant(access, obj)
    if not reason.strip():
        raise ApplicationError(_("Give a reason for the transfer."), errors={"reason": [_("Required.")]})
    from tandem.accounts.models import Membership

    if not Membership.objects.filter(tenant_id=access.tenant_id, user=new_owner, is_active=True).exists():
        raise ApplicationError(_("The new owner must be an active member."), errors={"owner": [_("Not found.")]})
    field = obj.owner_field
    before = {field: getattr(obj, f"{field}_id")}
    setattr(obj, field, new_owner)
    obj.save(update_fields=[field, "updated_at"])
    audit_record(
        obj=obj,
        action=AuditAction.TRANSFER,
        actor=actor_of(access),
        before=before,
        after={field: new_owner.pk, "reason": reason.strip()},
    )


@transaction.atomic
def record_share(*, access, obj, user, level: str = RecordShare.Level.READ, expires_at=None) -> RecordShare:
    """Share one record with a colleague (相关团队), read or read-write, optionally until a date."""
    require(access, permission_code(obj, "change"))
    check_tenant(access, obj)
    from tandem.accounts.models import Membership

    if not Membership.objects.filter(tenant_id=access.tenant_id, user=user, is_active=True).exists():
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


@transaction.atomic
def attachment_add(*, access, obj, upload) -> Attachment:
    """Attach an uploaded file to a record after checking its size and type."""
    require(access, "core.add_attachment")
    check_tenant(access, obj)
    if upload.size > settings.TANDEM_ATTACHMENT_MAX_BYTES:
        raise ApplicationError(
            _("The file is larger than %(mb)d MB.") % {"mb": settings.TANDEM_ATTACHMENT_MAX_BYTES // 1024 // 1024},
            errors={"file": [_("Too large.")]},
        )
    if upload.size == 0:
        raise ApplicationError(_("The file is empty."), errors={"file": [_("Empty.")]})
    guessed = mimetypes.guess_type(upload.name)[0] or "application/octet-stream"
    if guessed not in ALLOWED_ATTACHMENT_TYPES:
        raise ApplicationError(
            _("This type of file cannot be attached."),
            errors={"file": [_("Files of type %(type)s are not accepted.") % {"type": guessed}]},
        )
    head = upload.read(8)
    upload.seek(0)
    if not _content_matches(guessed, head):
        raise ApplicationError(
            _("The file's content does not match its name."),
            errors={"file": [_("The content is not a %(type)s file.") % {"type": guessed}]},
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    attachment = Attachment(
        tenant_id=access.tenant_id,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        name=upload.name[:255],
        size=upload.size,
        mime_type=guessed,
        sha256=digest.hexdigest(),
        uploaded_by_id=access.user_id,
    )
    attachment.file.save(upload.name, upload, save=False)
    try:
        attachment.save()
        audit_record(obj=attachment, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(attachment))
    except Exception:
        attachment.file.delete(save=False)  # no row points at it
        raise
    return attachment


# Leading bytes of the types whose content can be told apart; executables are refused whatever the name.
_SIGNATURES = {
    "application/pdf": (b"%PDF",),
    "image/png": (b"\x89PNG",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "application/zip": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (b"PK\x03\x04",),
}
_EXECUTABLE = (b"MZ", b"\x7fELF", b"#!")


def _content_matches(mime_type: str, head: bytes) -> bool:
    if head.startswith(_EXECUTABLE):
        return False
    signatures = _SIGNATURES.get(mime_type)
    return signatures is None or head.startswith(signatures)


@transaction.atomic
def numbering_rule_save(*, access, data: dict) -> NumberingRule:
    """Create or change how one object type is numbered; numbers already issued stay as they are."""
    require(access, "core.change_numberingrule")
    rule = NumberingRule.objects.filter(tenant_id=access.tenant_id, object_type=data["object_type"]).first()
    before = snapshot(rule) if rule else None
    if rule is None:
        rule = NumberingRule(tenant_id=access.tenant_id, object_type=data["object_type"])
    for name in ("prefix", "reset", "padding", "separator"):
        if name in data:
            setattr(rule, name, data[name])
    rule.full_clean()
    rule.save()
    audit_record(
        obj=rule,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        actor=actor_of(access),
        before=before,
        after=snapshot(rule),
    )
    return rule
