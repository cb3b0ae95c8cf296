"""Template helpers of the automation pages."""

from django import template

register = template.Library()


@register.filter
def has_perm(access, code: str) -> bool:
    """Whether the member holds a permission (False outside a tenant), e.g. to show the "Run automation" menu."""
    return bool(access is not None and access != "" and access.has_perm(code))
