"""Saved list filters: per user and tenant, newest first, at most `MAX_SAVED_FILTERS` a list."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from tandem.core.errors import ApplicationError
from tandem.core.models import SavedFilter

MAX_SAVED_FILTERS = 20


def saved_filters(*, tenant_id: int, user_id: int, list_key: str) -> list[dict]:
    """[{"name", "query"}] of one list, newest first."""
    rows = SavedFilter.objects.filter(tenant_id=tenant_id, user_id=user_id, list_key=list_key)
    return [{"name": name, "query": query} for name, query in rows.values_list("name", "query")]


@transaction.atomic
def saved_filter_save(*, tenant_id: int, user_id: int, list_key: str, name: str, query: str) -> SavedFilter:
    """Keep (or replace) the filter of this name; the oldest beyond the limit are dropped."""
    name = name.strip()[:40]
    if not name:
        raise ApplicationError(_("Give the filter a name."), errors={"name": [_("Give the filter a name.")]})
    query = query.strip().lstrip("?")[:500]
    mine = SavedFilter.objects.filter(tenant_id=tenant_id, user_id=user_id, list_key=list_key)
    mine.filter(name=name).delete()
    saved = SavedFilter.objects.create(tenant_id=tenant_id, user_id=user_id, list_key=list_key, name=name, query=query)
    stale = list(mine.order_by("-created_at", "-id").values_list("pk", flat=True)[MAX_SAVED_FILTERS:])
    if stale:
        SavedFilter.objects.filter(pk__in=stale).delete()
    return saved


def saved_filter_delete(*, tenant_id: int, user_id: int, list_key: str, name: str) -> int:
    deleted, _rows = SavedFilter.objects.filter(
        tenant_id=tenant_id, user_id=user_id, list_key=list_key, name=name
    ).delete()
    return deleted
