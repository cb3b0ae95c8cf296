"""Reads of notification channels, already scoped to the caller's tenant (and permission, for the pages)."""

from __future__ import annotations

from tandem.automation.models import Channel


def channel_list(*, access, action: str = "view"):
    """The tenant's channels the caller may `action`."""
    return Channel.objects.restrict(access, action).order_by("name", "id")


def channel_choices(*, access):
    """The tenant's enabled channels, for the rule builder's notify action (choosing one needs no channel rights)."""
    return Channel.objects.for_tenant(access.tenant_id).filter(enabled=True).order_by("name")
