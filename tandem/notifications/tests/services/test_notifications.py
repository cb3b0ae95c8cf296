"""Sending in-app notifications: once per recipient and event."""

import uuid

from tandem.notifications.selectors import unread_count
from tandem.notifications.services.notifications import notification_send
from tandem.testing.kit import make_member


def test_send_is_once_per_recipient_and_event(tenant):
    member = make_member(tenant, "pm")
    event_id = uuid.uuid4()
    first = notification_send(tenant_id=tenant.pk, recipient_id=member.user_id, title="项目已立项", event_id=event_id)
    again = notification_send(tenant_id=tenant.pk, recipient_id=member.user_id, title="项目已立项", event_id=event_id)
    assert first.pk == again.pk
    assert unread_count(tenant_id=tenant.pk, user_id=member.user_id) == 1
