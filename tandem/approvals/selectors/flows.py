"""Approval flows as the settings pages and the API list them."""

from __future__ import annotations

from tandem.approvals.models import Flow


def flow_list(*, access, object_type: str | None = None):
    """The tenant's flows with their current version, by type and name."""
    qs = Flow.objects.filter(tenant_id=access.tenant_id).select_related("current_version")
    if object_type:
        qs = qs.filter(object_type=object_type)
    return qs.order_by("object_type", "name", "pk")


def active_flow(tenant_id: int, object_type: str) -> Flow | None:
    """The active flow of a type (at most one), with its current version."""
    return (
        Flow.objects.filter(tenant_id=tenant_id, object_type=object_type, is_active=True)
        .select_related("current_version")
        .first()
    )
