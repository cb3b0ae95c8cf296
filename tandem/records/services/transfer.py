"""Handing a record to another member (转移)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record
from tandem.core.errors import ApplicationError
from tandem.core.permissions import permission_code
from tandem.core.services import active_members, actor_of, check_tenant, require


@transaction.atomic
def record_transfer_owner(*, access, obj, new_owner, reason: str) -> None:
    """Hand a record to another member (转移), with a reason, audited."""
    require(access, permission_code(obj, "transfer"))
    check_tenant(access, obj)
    if not reason.strip():
        raise ApplicationError(_("Give a reason for the transfer."), errors={"reason": [_("Required.")]})
    if not active_members(access.tenant_id).filter(pk=new_owner.pk).exists():
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
