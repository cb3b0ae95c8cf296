"""The record types that take comments. An upper app (crm, projects) registers how to load its records within
the caller's reach, so a comment is seen and written by exactly who may view the record, and this app never
imports the app above it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tandem.core.errors import NotFound


@dataclass(frozen=True)
class Commentable:
    type_key: str  # "crm.deal"
    permission: str  # the code to view the record, e.g. "crm.view_deal"
    records: Callable[..., QuerySet]  # records(access) -> the records the caller may view
    url: Callable[[object], str]  # the record's page, linked from notifications


_TYPES: dict[str, Commentable] = {}


def register(commentable: Commentable) -> Commentable:
    """Let a record type take comments; upper apps call it in `ready()`."""
    _TYPES[commentable.type_key] = commentable
    return commentable


def commentable(type_key: str) -> Commentable:
    """The registration of a type; an unknown type is a 404 like a missing record."""
    try:
        return _TYPES[type_key]
    except KeyError:
        raise NotFound(_("Not found."), code="not_found") from None


def record_for(access, type_key: str, pk) -> object:
    """The record if the caller may view it; else a 404, whether it is missing, out of scope or another tenant's."""
    kind = commentable(type_key)
    obj = None
    if access is not None and access.has_perm(kind.permission) and str(pk).isdigit():
        obj = kind.records(access).filter(pk=int(pk)).first()
    if obj is None:
        raise NotFound(_("Not found."), code="not_found")
    return obj
