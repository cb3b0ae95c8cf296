"""Django admin stays available to superusers only."""

from django.contrib import admin


def _superuser_only(request) -> bool:
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superuser_only
admin.site.site_header = "Tandem"
