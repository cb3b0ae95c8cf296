"""Helpers the crm services share: the actor, validation into application errors, membership checks."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tandem.core.errors import ApplicationError, NotFound


def actor_of(access):
    return access.membership.user


def tenant_of(access):
    return access.membership.tenant


def validation_errors(exc: ValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
    return {"non_field_errors": [str(m) for m in exc.messages]}


def clean(obj, *, exclude: Iterable[str] | None = None) -> None:
    """`full_clean()` with its errors turned into an ApplicationError carrying field errors."""
    try:
        obj.full_clean(exclude=list(exclude or []))
    except ValidationError as exc:
        raise ApplicationError(_("Please correct the errors below."), errors=validation_errors(exc)) from exc


def check_tenant(access, *objects) -> None:
    """Services act only on records of the caller's tenant, whatever the view already checked."""
    for obj in objects:
        if obj is not None and getattr(obj, "tenant_id", None) != access.tenant_id:
            raise NotFound(_("Not found."), code="not_found")


def check_member(access, user, field: str = "owner") -> None:
    """People named on a record must be active members of the tenant."""
    from tandem.accounts.models import Membership

    if user is None:
        return
    if not Membership.objects.filter(tenant_id=access.tenant_id, user_id=user.pk, is_active=True).exists():
        raise ApplicationError(_("Choose an active member."), errors={field: [_("Not an active member.")]})


def ensure_visible(access, obj) -> None:
    """After a write the record must still be visible to its writer (e.g. not handed to someone out of scope)."""
    if not type(obj).objects.restrict(access).filter(pk=obj.pk).exists():
        message = _("You would no longer see this record; choose an owner within your reach.")
        raise ApplicationError(message, errors={"owner": [message]})


def set_fields(obj, fields: dict, allowed: Iterable[str]) -> None:
    allowed = set(allowed)
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"{type(obj).__name__}: fields not settable here: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(obj, name, value)
