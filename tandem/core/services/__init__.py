"""The service kit every app's services use: permission, actor, tenant check, validation, members.

Services take an `access` (see `tandem.core.scopes.Access`) and call these helpers instead of
writing their own; core knows the user model only through Django's `get_user_model()`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from tandem.core.errors import NON_FIELD, ApplicationError, NotFound, PermissionDenied


def require(access, code: str) -> None:
    """Refuse unless the caller holds the permission code."""
    if access is None or not access.has_perm(code):
        raise PermissionDenied(_("You do not have permission to do this (%(code)s).") % {"code": code})


def actor_of(access):
    """The user acting, or None for the system (workers, rules, imports without a person)."""
    return access.membership.user if access is not None else None


def tenant_of(access):
    return access.membership.tenant


def check_tenant(access, *objects) -> None:
    """Services act only on records of the caller's tenant, whatever the view already checked."""
    for obj in objects:
        if obj is not None and getattr(obj, "tenant_id", None) != access.tenant_id:
            raise NotFound(_("Not found."), code="not_found")


def validation_errors(exc: ValidationError) -> dict[str, list[str]]:
    """Django's validation errors as the one field-error shape: {field: [message]}, `non_field_errors` for the rest."""
    if hasattr(exc, "error_dict"):
        errors = {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
        if NON_FIELD_ERRORS in errors:
            errors[NON_FIELD] = errors.pop(NON_FIELD_ERRORS)
        return errors
    return {NON_FIELD: [str(m) for m in exc.messages]}


def full_clean(obj, *, exclude: Iterable[str] | None = None, validate_unique=True, validate_constraints=True) -> None:
    """Model validation as an ApplicationError with field errors (a 400), never an IntegrityError 500."""
    try:
        obj.full_clean(
            exclude=list(exclude or []), validate_unique=validate_unique, validate_constraints=validate_constraints
        )
    except ValidationError as exc:
        raise ApplicationError(_("Please correct the errors below."), errors=validation_errors(exc)) from exc


def set_fields(obj, fields: dict, allowed: Iterable[str]) -> None:
    """Set the given attributes, refusing (as a programming error) any not in the service's allow-list."""
    allowed = set(allowed)
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"{type(obj).__name__}: fields not settable here: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(obj, name, value)


def tenant_users(tenant_id: int):
    """The users who are members of the tenant, active or not."""
    return get_user_model().objects.filter(memberships__tenant_id=tenant_id)


def active_members(tenant_id: int):
    """The users who are active members of the tenant."""
    return get_user_model().objects.filter(memberships__tenant_id=tenant_id, memberships__is_active=True)


def check_member(access, user, field: str = "owner") -> None:
    """People named on a record must be active members of the tenant."""
    if user is None:
        return
    if not active_members(access.tenant_id).filter(pk=user.pk).exists():
        raise ApplicationError(_("Choose an active member."), errors={field: [_("Not an active member.")]})


def member_users(tenant_id: int, user_ids, *, field: str) -> list:
    """The users with the given ids, refusing any who is not a member of the tenant."""
    ids = {int(pk) for pk in user_ids if pk is not None}
    if not ids:
        return []
    users = list(tenant_users(tenant_id).filter(pk__in=ids).distinct())
    if len(users) != len(ids):
        raise ApplicationError(_("Unknown %(field)s.") % {"field": field}, errors={field: [_("Not a member.")]})
    return users


def ensure_visible(access, obj) -> None:
    """After a write the record must still be visible to its writer (e.g. not handed to someone out of scope)."""
    if not type(obj).objects.restrict(access).filter(pk=obj.pk).exists():
        message = _("You would no longer see this record; choose an owner within your reach.")
        raise ApplicationError(message, errors={"owner": [message]})
