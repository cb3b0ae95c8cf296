"""The notification API: never another user's inbox."""

from tandem.notifications.models import Notification
from tandem.notifications.services.notifications import notification_send
from tandem.testing.kit import api_client, make_member


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
