"""Approval flows: create, change (a new version when the definition changes), delete."""

from __future__ import annotations

from django.db import transaction


@transaction.atomic
def flow_create(*, access, object_type: str, name: str, definition: dict, description: str = "", is_active=True):
    raise NotImplementedError


@transaction.atomic
def flow_update(*, access, flow, definition=None, name=None, description=None, is_active=None):
    raise NotImplementedError


@transaction.atomic
def flow_delete(*, access, flow) -> None:
    raise NotImplementedError
