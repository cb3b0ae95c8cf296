"""Reads of the shared record features."""

from __future__ import annotations

from django.apps import apps

from tandem.core.models import SoftDeleteModel


def soft_delete_models() -> list:
    """Every installed model whose records go to the recycle bin when deleted."""
    return [m for m in apps.get_models() if issubclass(m, SoftDeleteModel)]


def binned_models(access) -> list:
    """The recycle-bin models whose records the caller may view."""
    return [m for m in soft_delete_models() if access.has_perm(f"{m._meta.app_label}.view_{m._meta.model_name}")]


def binned(access, model):
    """The records of one type in the recycle bin of the caller's tenant."""
    return model.all_objects.filter(tenant_id=access.tenant_id, deleted_at__isnull=False)
