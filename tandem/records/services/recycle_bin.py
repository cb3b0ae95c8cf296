"""The recycle bin (回收站): soft delete, restore, purge and the expiry purge."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.errors import ApplicationError
from tandem.core.models import SoftDeleteModel
from tandem.core.permissions import permission_code
from tandem.core.services import actor_of, check_tenant, require
from tandem.records.selectors import soft_delete_models


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
