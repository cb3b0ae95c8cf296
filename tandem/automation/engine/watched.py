"""The record types each tenant's rules watch, so that an audited write no rule watches costs no query.

`triggers.record_changed` asks `watched_types(tenant_id)` on every audited write. The answer — the record types of
the tenant's enabled record-trigger rules — is read from the rules once per tenant and *generation* and kept in
this process. The generation is a random token per tenant in a cache all processes share; `rules_changed(tenant_id)`
replaces it whenever a rule of the tenant changes, so every process (web servers, workers) reads the rules again
on its next write and none keeps a set older than the change.

A change inside a transaction replaces the token when the transaction commits. Until then the connection that made
it reads the rules on each of the tenant's writes and keeps nothing: it sees its own change, and no set built on a
change that is then rolled back outlives it.

The shared cache is Django's default one, unless that is the local-memory cache (one per process): then a small
file-based cache under the data directory carries the tokens, as for import progress.
"""

from __future__ import annotations

import logging
import uuid
import weakref
from functools import cache

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction

from tandem.automation.models import RECORD_TRIGGERS, Rule

logger = logging.getLogger(__name__)

# tenant id → (token, record type keys), as this process last read them
_read_sets: dict[int, tuple[str, frozenset[str]]] = {}
# (connection, tenant id) → the commit hooks of the open transaction that changed the tenant's rules. Django drops a
# hook once it has run at commit, or when its transaction (or savepoint) rolls back; the weak set forgets it then.
_uncommitted: dict[tuple[int, int], weakref.WeakSet] = {}


@cache
def _tokens():
    default = caches["default"]
    if isinstance(default, LocMemCache):
        return FileBasedCache(str(settings.DATA_DIR / "cache" / "automation-rules"), {"TIMEOUT": None})
    return default


def _key(tenant_id: int) -> str:
    return f"tandem:automation:watched:{tenant_id}"


def _renew(tenant_id: int) -> None:
    try:
        _tokens().set(_key(tenant_id), uuid.uuid4().hex, None)
    except Exception:  # the cache is down: the change itself must not fail for it
        logger.exception("could not renew the watched record types of tenant %s", tenant_id)


def _token(tenant_id: int) -> str:
    store, key = _tokens(), _key(tenant_id)
    token = store.get(key)
    if token is None:
        token = uuid.uuid4().hex
        if not store.add(key, token, None):
            token = store.get(key) or token
    return token


def _read(tenant_id: int) -> frozenset[str]:
    rules = Rule.objects.filter(
        tenant_id=tenant_id, enabled=True, trigger_type__in=RECORD_TRIGGERS, deleted_at__isnull=True
    )
    return frozenset(rules.values_list("model", flat=True).distinct())


def _changing(tenant_id: int) -> bool:
    """Whether this connection's open transaction changed the tenant's rules."""
    hooks = _uncommitted.get((id(transaction.get_connection()), tenant_id))
    return bool(hooks)


def watched_types(tenant_id: int) -> frozenset[str]:
    """The record types (`crm.deal`…) the tenant's enabled record-trigger rules watch; read again after a change."""
    if _changing(tenant_id):
        return _read(tenant_id)
    try:
        token = _token(tenant_id)
    except Exception:  # the cache is down: the rules table still answers
        logger.warning("watched record types of tenant %s read without the cache", tenant_id, exc_info=True)
        _read_sets.pop(tenant_id, None)
        return _read(tenant_id)
    kept = _read_sets.get(tenant_id)
    if kept is not None and kept[0] == token:
        return kept[1]
    types = _read(tenant_id)
    _read_sets[tenant_id] = (token, types)
    return types


def rules_changed(tenant_id: int) -> None:
    """A rule of the tenant was created, edited, enabled, disabled, deleted or restored: read the rules again."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _renew(tenant_id)
        return

    def committed() -> None:
        _renew(tenant_id)

    key = (id(connection), tenant_id)
    _uncommitted.setdefault(key, weakref.WeakSet()).add(committed)
    transaction.on_commit(committed, robust=True)
