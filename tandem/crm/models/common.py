"""Field helpers shared by the crm models."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 16, "decimal_places": 2}


def check_same_tenant(obj, *fields: str) -> None:
    """Children copy their parent's tenant; a related row of another tenant is refused."""
    errors = {}
    for name in fields:
        related = getattr(obj, name, None)
        if related is not None and getattr(related, "tenant_id", obj.tenant_id) != obj.tenant_id:
            errors[name] = _("Not found.")
    if errors:
        raise ValidationError(errors)
