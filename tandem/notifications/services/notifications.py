"""Writing in-app notifications: sending one, marking them read."""

from django.db import transaction
from django.utils import timezone

from tandem.notifications.models import Notification


@transaction.atomic
def notification_send(
    *, tenant_id: int, recipient_id: int, title: str, body: str = "", url: str = "", event_id=None
) -> Notification:
    """Send one in-app notification; at most one per (recipient, event), so retried handlers send once."""
    if event_id is not None:
        existing = Notification.objects.filter(
            tenant_id=tenant_id, recipient_id=recipient_id, event_id=event_id
        ).first()
        if existing:
            return existing
    return Notification.objects.create(
        tenant_id=tenant_id, recipient_id=recipient_id, title=title[:200], body=body, url=url[:500], event_id=event_id
    )


def notification_mark_read(*, access, ids=None) -> int:
    """Mark the caller's unread notifications read (only those of `ids` when given); how many were."""
    qs = Notification.objects.filter(tenant_id=access.tenant_id, recipient_id=access.user_id, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
