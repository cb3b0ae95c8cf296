"""Reads of the in-app inbox: a user only ever sees their own notifications in the current tenant."""

from tandem.notifications.models import Notification

BELL_ITEMS = 8


def notification_list(*, access):
    """The caller's notifications in the current tenant, newest first."""
    return Notification.objects.filter(tenant_id=access.tenant_id, recipient_id=access.user_id).order_by("-id")


def notification_unread(*, access, limit: int = BELL_ITEMS) -> list[Notification]:
    """The caller's newest unread notifications, for the bell."""
    return list(notification_list(access=access).filter(read_at__isnull=True)[:limit])


def unread_count(*, tenant_id: int, user_id: int) -> int:
    return Notification.objects.filter(tenant_id=tenant_id, recipient_id=user_id, read_at__isnull=True).count()
