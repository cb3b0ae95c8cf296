"""What the project forms share: the date input, the people a project or a role can be given to."""

from __future__ import annotations

from django import forms

from tandem.core.services import active_members


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def members_of(access):
    """The tenant's active members, the people a project can be given to."""
    return active_members(access.tenant_id).order_by("display_name", "username")
