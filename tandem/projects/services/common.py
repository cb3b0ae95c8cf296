"""Helpers shared by the projects services."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tandem.core.errors import ApplicationError, NotFound


def actor_of(access):
    return access.membership.user if access is not None else None


def errors_of(exc: ValidationError) -> dict:
    if hasattr(exc, "message_dict"):
        return {k: list(v) for k, v in exc.message_dict.items()}
    return {"__all__": list(exc.messages)}


def full_clean(obj, *, exclude=None, validate_unique: bool = True, validate_constraints: bool = True) -> None:
    """Model validation as a 400 with field errors, never an IntegrityError 500."""
    try:
        obj.full_clean(exclude=exclude, validate_unique=validate_unique, validate_constraints=validate_constraints)
    except ValidationError as exc:
        raise ApplicationError(_("Please correct the errors below."), errors=errors_of(exc)) from exc


def check_tenant(access, *objects) -> None:
    """Services act only on the caller's tenant's records, whatever the view already checked."""
    for obj in objects:
        if obj is not None and getattr(obj, "tenant_id", None) != access.tenant_id:
            raise NotFound(_("Not found."), code="not_found")


def member_users(tenant_id: int, user_ids, *, field: str):
    """The users with the given ids, refusing any who is not a member of the tenant."""
    from tandem.accounts.models import User

    ids = {int(pk) for pk in user_ids if pk is not None}
    if not ids:
        return []
    users = list(User.objects.filter(pk__in=ids, memberships__tenant_id=tenant_id).distinct())
    if len(users) != len(ids):
        raise ApplicationError(_("Unknown %(field)s.") % {"field": field}, errors={field: [_("Not a member.")]})
    return users
