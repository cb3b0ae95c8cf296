"""Notification channels API: CRUD with write-only secrets, field errors, the test action, scope and roles."""

import pytest

from tandem.automation.models import Channel
from tandem.automation.tests import channels_support
from tandem.automation.tests.channels_support import DINGTALK_SECRET, dingtalk_signature_valid, dingtalk_vendor
from tandem.testing.kit import api_client, make_member

URL = "/api/v1/automation/channels/"
TOKEN = "a1b2c3d4e5f6secrettoken"

receiver = channels_support.receiver


@pytest.fixture(autouse=True)
def _local_robots(settings):
    channels_support.allow_local_robots(settings)


@pytest.fixture
def client(admin_member):
    return api_client(admin_member)


def dingtalk(receiver, **fields):
    return {
        "kind": "dingtalk",
        "name": "销售群",
        "url": receiver.url(f"/robot/send?access_token={TOKEN}"),
        "secret": DINGTALK_SECRET,
        **fields,
    }


def test_create_list_and_detail_never_show_the_secret_or_token(client, receiver):
    response = client.post(URL, dingtalk(receiver), format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["kind"] == "dingtalk" and created["has_secret"] is True
    assert created["secret"] == "******"
    assert created["url"].startswith("http://127.0.0.1:") and TOKEN not in created["url"]

    for answer in (client.get(URL), client.get(f"{URL}{created['id']}/")):
        assert answer.status_code == 200
        text = answer.content.decode()
        assert DINGTALK_SECRET not in text and TOKEN not in text
    assert client.get(URL).json()["results"][0]["name"] == "销售群"
    channel = Channel.objects.get()
    assert channel.secret == DINGTALK_SECRET and channel.url.endswith(TOKEN)


def test_bad_input_is_a_400_with_field_errors_and_writes_nothing(client, receiver):
    response = client.post(URL, dingtalk(receiver, secret="nope", url=""), format="json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    errors = response.json()["errors"]
    assert set(errors) >= {"url", "secret"}

    response = client.post(
        URL, {"kind": "email", "name": "邮件组", "recipients": ["pm@example.com", "bad"]}, format="json"
    )
    assert response.status_code == 400 and "recipients" in response.json()["errors"]
    response = client.post(URL, {"kind": "fax", "name": "x"}, format="json")
    assert response.status_code == 400 and "kind" in response.json()["errors"]
    assert not Channel.objects.exists()


def test_patch_keeps_the_secret_unless_asked_and_put_changes_kind(client, receiver):
    pk = client.post(URL, dingtalk(receiver), format="json").json()["id"]
    response = client.patch(f"{URL}{pk}/", {"name": "华东销售群", "enabled": False}, format="json")
    assert response.status_code == 200
    assert response.json()["has_secret"] is True and response.json()["enabled"] is False
    assert Channel.objects.get().secret == DINGTALK_SECRET

    assert client.patch(f"{URL}{pk}/", {"secret": ""}, format="json").json()["has_secret"] is False

    response = client.put(
        f"{URL}{pk}/", {"kind": "email", "name": "邮件组", "recipients": ["pm@example.com"]}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["recipients"] == ["pm@example.com"] and response.json()["url"] == ""


def test_test_action_sends_a_signed_message_and_reports_failures(client, receiver):
    receiver.answer = dingtalk_vendor
    pk = client.post(URL, dingtalk(receiver), format="json").json()["id"]
    response = client.post(f"{URL}{pk}/test/")
    assert response.status_code == 200
    assert response.json() == {"ok": True, "error": "", "retryable": False}
    assert dingtalk_signature_valid(receiver.requests[0].parameters(), DINGTALK_SECRET)
    assert "Tandem 测试消息" in receiver.requests[0].json()["markdown"]["title"]

    receiver.answer_with(200, {"errcode": 130101, "errmsg": "send too fast"})
    result = client.post(f"{URL}{pk}/test/").json()
    assert result["ok"] is False and result["retryable"] is True and "130101" in result["error"]
    channel = Channel.objects.get()
    assert "130101" in channel.last_error
    assert client.get(f"{URL}{pk}/").json()["last_error"] == channel.last_error


def test_delete(client, receiver):
    pk = client.post(URL, dingtalk(receiver), format="json").json()["id"]
    assert client.delete(f"{URL}{pk}/").status_code == 204
    assert not Channel.objects.exists()


def test_another_tenants_channel_is_not_found(client, receiver, other_tenant):
    foreign = api_client(make_member(other_tenant, "admin"))
    pk = foreign.post(URL, dingtalk(receiver), format="json").json()["id"]
    assert client.get(f"{URL}{pk}/").status_code == 404
    assert client.patch(f"{URL}{pk}/", {"name": "x"}, format="json").status_code == 404
    assert client.post(f"{URL}{pk}/test/").status_code == 404
    assert client.delete(f"{URL}{pk}/").status_code == 404
    assert client.get(URL).json()["results"] == []
    assert receiver.requests == []
    assert Channel.objects.get().name == "销售群"


def test_sales_may_not_read_or_change_channels(tenant, client, receiver):
    pk = client.post(URL, dingtalk(receiver), format="json").json()["id"]
    sales = api_client(make_member(tenant, "sales"))
    assert sales.get(URL).status_code == 403
    assert sales.get(f"{URL}{pk}/").status_code == 403
    assert sales.post(URL, dingtalk(receiver, name="x"), format="json").status_code == 403
    assert sales.post(f"{URL}{pk}/test/").status_code == 403
    assert sales.delete(f"{URL}{pk}/").status_code == 403
    assert Channel.objects.count() == 1 and receiver.requests == []


def test_approval_cards_are_off_by_default_and_switch_on_and_off(client, receiver):
    created = client.post(URL, dingtalk(receiver), format="json").json()
    assert created["approval_cards"] is False
    url = f"{URL}{created['id']}/"
    assert client.patch(url, {"approval_cards": True}, format="json").json()["approval_cards"] is True
    assert Channel.objects.get().approval_cards is True
    assert client.patch(url, {"name": "项目群"}, format="json").json()["approval_cards"] is True  # kept when left out
    assert client.patch(url, {"approval_cards": False}, format="json").json()["approval_cards"] is False
