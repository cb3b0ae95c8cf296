"""In-app notifications: once per event, the bell, mark read, never another user's inbox."""

import uuid

from tandem.core.testing import api_client, make_member, page_client
from tandem.notifications.models import Notification
from tandem.notifications.services import notification_send, unread_count


def test_send_is_once_per_recipient_and_event(tenant):
    member = make_member(tenant, "pm")
    event_id = uuid.uuid4()
    first = notification_send(tenant_id=tenant.pk, recipient_id=member.user_id, title="项目已立项", event_id=event_id)
    again = notification_send(tenant_id=tenant.pk, recipient_id=member.user_id, title="项目已立项", event_id=event_id)
    assert first.pk == again.pk
    assert unread_count(tenant_id=tenant.pk, user_id=member.user_id) == 1


def test_bell_and_list_show_only_my_unread(tenant):
    me = make_member(tenant, "sales")
    someone = make_member(tenant, "sales")
    notification_send(tenant_id=tenant.pk, recipient_id=me.user_id, title="跟进提醒：中建三局")
    notification_send(tenant_id=tenant.pk, recipient_id=someone.user_id, title="别人的通知")
    client = page_client(me)
    bell = client.get("/notifications/bell/").content.decode()
    assert "跟进提醒：中建三局" in bell and "别人的通知" not in bell
    home = client.get("/").content.decode()
    assert 'id="bell-count">1<' in home
    client.post("/notifications/read/")
    assert unread_count(tenant_id=tenant.pk, user_id=me.user_id) == 0
    assert unread_count(tenant_id=tenant.pk, user_id=someone.user_id) == 1


def test_api_lists_and_marks_read_my_notifications_only(tenant):
    me = make_member(tenant, "foreman")
    someone = make_member(tenant, "foreman")
    mine = notification_send(tenant_id=tenant.pk, recipient_id=me.user_id, title="点工单待审批")
    theirs = notification_send(tenant_id=tenant.pk, recipient_id=someone.user_id, title="x")
    client = api_client(me)
    listed = client.get("/api/v1/notifications/").json()
    assert [n["id"] for n in listed["results"]] == [mine.pk]
    assert client.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    assert client.post(f"/api/v1/notifications/{mine.pk}/read/").status_code == 200
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    assert Notification.objects.get(pk=theirs.pk).read_at is None
