from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "tandem.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from tandem.core import context_processors

        context_processors.register(_unread_notifications)


def _unread_notifications(access) -> dict:
    """The bell's count of unread notifications."""
    from tandem.notifications.selectors import unread_count

    return {"unread_notifications": unread_count(tenant_id=access.tenant_id, user_id=access.user_id)}
