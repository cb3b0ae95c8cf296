"""Template context for the app shell: navigation, tenants, unread notifications."""

from django.conf import settings

from tandem.core.navigation import visible_sections


def shell(request):
    access = getattr(request, "access", None)
    if access is None:
        return {"LANGUAGES_AVAILABLE": settings.LANGUAGES}
    from tandem.accounts.selectors import tenants_of
    from tandem.notifications.selectors import unread_count

    return {
        "nav_sections": visible_sections(access),
        "my_tenants": tenants_of(user_id=access.user_id),
        "unread_notifications": unread_count(tenant_id=access.tenant_id, user_id=access.user_id),
        "LANGUAGES_AVAILABLE": settings.LANGUAGES,
        "access": access,
    }
