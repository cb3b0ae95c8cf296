"""What only the customer pages share: the bulk bar's flags. The rest of the page kit is `tandem.core.views`."""

from __future__ import annotations

from django.urls import reverse


def bulk_flags(access, model_name: str) -> dict:
    """What the list's bulk bar offers: an owner change and/or deletion, and where it posts."""
    return {
        "url": reverse(f"crm:{model_name}_bulk"),
        "transfer": access.has_perm(f"crm.transfer_{model_name}"),
        "delete": access.has_perm(f"crm.delete_{model_name}"),
    }
