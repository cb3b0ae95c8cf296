"""Input helpers every API view uses: validate a serializer, and turn ids into records within reach.

An id the caller may not see is answered like one that does not exist: a field error, never a hint.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from tandem.core.errors import ApplicationError
from tandem.core.services import member_users, tenant_users


def validated(serializer_class, data, *, partial: bool = False) -> dict:
    """The input serializer's validated data, or a 400 with its field errors."""
    serializer = serializer_class(data=data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def not_found(field: str) -> ApplicationError:
    return ApplicationError(_("Please correct the errors below."), errors={field: [_("Not found.")]})


def lookup(queryset, pk, field: str):
    """The row with this id in an already scoped queryset, or a 400 naming the field (None passes through)."""
    if pk in (None, ""):
        return None
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise not_found(field)
    return obj


def visible(access, model, pk, field: str, action: str = "view"):
    """The record with this id if the caller may `action` it; otherwise a field error."""
    if pk is None:
        return None
    obj = model.objects.restrict(access, action).filter(pk=pk).first()
    if obj is None:
        raise not_found(field)
    return obj


def in_tenant(access, model, pk, field: str):
    """A row of the caller's tenant that carries no data scope of its own (e.g. a pipeline stage)."""
    if pk is None:
        return None
    obj = model.objects.for_tenant(access.tenant_id).filter(pk=pk).first()
    if obj is None:
        raise not_found(field)
    return obj


def member(access, pk, field: str):
    """A member of the caller's tenant (a field error otherwise)."""
    if pk is None:
        return None
    user = tenant_users(access.tenant_id).filter(pk=pk).first()
    if user is None:
        raise not_found(field)
    return user


def members(access, ids, field: str) -> list:
    """Members of the caller's tenant by id, refusing the whole list if one is not."""
    return member_users(access.tenant_id, ids or [], field=field)


def resolve(access, data: dict, refs: dict) -> dict:
    """Replace the ids in `data` named in `refs` ({field: (model, action) or "user"}) by the records."""
    for field, how in refs.items():
        if field not in data:
            continue
        if how == "user":
            data[field] = member(access, data[field], field)
        else:
            model, scope_action = how
            data[field] = visible(access, model, data[field], field, scope_action)
    return data


def query_int(request, name: str, *, min_value: int, max_value: int) -> int | None:
    """An optional whole-number query parameter within bounds; None when absent, a 400 naming it otherwise."""
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    value = int(raw) if raw.lstrip("-").isdigit() and len(raw) <= 20 else None
    if value is None or not min_value <= value <= max_value:
        message = _("Enter a whole number from %(min)s to %(max)s.") % {"min": min_value, "max": max_value}
        raise ApplicationError(message, errors={name: [message]})
    return value
