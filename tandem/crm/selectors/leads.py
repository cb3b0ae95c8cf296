"""Reads of leads (线索)."""

from __future__ import annotations

from tandem.crm.models import Lead


def lead_related(qs):
    return qs.select_related("owner", "converted_account", "converted_deal")


def lead_list(*, access, action: str = "view"):
    return lead_related(Lead.objects.restrict(access, action)).order_by("-id")
