"""Helpers every service uses."""

from django.utils.translation import gettext as _

from tandem.core.errors import PermissionDenied


def require(access, code: str) -> None:
    """Refuse unless the caller holds the permission code."""
    if access is None or not access.has_perm(code):
        raise PermissionDenied(_("You do not have permission to do this (%(code)s).") % {"code": code})
