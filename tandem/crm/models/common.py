"""Field helpers shared by the crm models, and the way to the delivery projects."""

from __future__ import annotations

from django.apps import apps
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


def project_model():
    """The delivery project model (None without the projects app). Projects sit above crm, which refers to them
    by id (`Activity.project_id`, `Project.deal`) and looks their model up by name rather than importing it."""
    return apps.get_model("projects", "Project") if apps.is_installed("tandem.projects") else None
