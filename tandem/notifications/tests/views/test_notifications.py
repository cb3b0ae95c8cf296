"""The bell and the notification list: my unread only, mark read."""

from tandem.notifications.selectors import unread_count
from tandem.notifications.services.notifications import notification_send
from tandem.testing.kit import make_member, page_client


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


def test_mark_read_goes_back_to_a_page_of_this_site_only(tenant):
    client = page_client(make_member(tenant, "sales"))
    assert client.post("/notifications/read/", {"next": "/crm/accounts/"})["Location"] == "/crm/accounts/"
    assert client.post("/notifications/read/", {"next": "//evil.example/"})["Location"] == "/notifications/"
