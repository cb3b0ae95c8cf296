"""Notification channel pages: list, form per kind, delete with confirmation, the HTMX test button."""

import pytest
from django.urls import reverse

from tandem.automation.channels.services import channel_create
from tandem.automation.models import Channel
from tandem.automation.tests import channels_support
from tandem.automation.tests.channels_support import DINGTALK_SECRET
from tandem.testing.kit import access_for, make_member, page_client

TOKEN = "tok9f8e7d6c5b4a"

receiver = channels_support.receiver
smtp_inbox = channels_support.smtp_inbox


@pytest.fixture(autouse=True)
def _local_robots(settings):
    channels_support.allow_local_robots(settings)


@pytest.fixture
def client(admin_member):
    return page_client(admin_member)


@pytest.fixture
def robot_channel(admin_member, receiver):
    return channel_create(
        access=access_for(admin_member),
        kind="dingtalk",
        name="销售群",
        url=receiver.url(f"/robot/send?access_token={TOKEN}"),
        secret=DINGTALK_SECRET,
    )


def test_list_shows_channels_without_their_secrets(client, robot_channel):
    response = client.get(reverse("automation:channels"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "销售群" in text and "钉钉群机器人" in text and "发送测试消息" in text
    assert DINGTALK_SECRET not in text and TOKEN not in text
    assert reverse("automation:channel_test", args=[robot_channel.pk]) in text


def test_create_form_shows_help_per_kind_and_creates(client, receiver):
    page = client.get(reverse("automation:channel_add")).content.decode()
    assert "加签" in page and "添加群机器人" in page and "签名校验" in page and "hooks.slack.com" in page
    response = client.post(
        reverse("automation:channel_add"),
        {"kind": "wecom", "name": "项目群", "url": receiver.url("/cgi-bin/webhook/send?key=k"), "enabled": "on"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("automation:channels")
    channel = Channel.objects.get()
    assert (channel.kind, channel.name, channel.enabled) == ("wecom", "项目群", True)


def test_bad_input_shows_field_errors_and_writes_nothing(client):
    response = client.post(
        reverse("automation:channel_add"),
        {"kind": "dingtalk", "name": "x", "url": "", "secret": "not-sec"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "请粘贴机器人的 Webhook 地址。" in text and "钉钉加签密钥以“SEC”开头。" in text
    response = client.post(reverse("automation:channel_add"), {"kind": "email", "name": "x", "recipients": "bad"})
    assert response.status_code == 400 and "不是有效的邮箱地址" in response.content.decode()
    assert not Channel.objects.exists()


def test_edit_keeps_the_secret_and_address_when_left_blank(client, robot_channel):
    url = reverse("automation:channel_edit", args=[robot_channel.pk])
    page = client.get(url).content.decode()
    assert DINGTALK_SECRET not in page and TOKEN not in page and "保持不变" in page
    response = client.post(url, {"kind": "dingtalk", "name": "华东销售群", "url": "", "secret": ""})
    assert response.status_code == 302
    robot_channel.refresh_from_db()
    assert robot_channel.name == "华东销售群" and robot_channel.enabled is False
    assert robot_channel.secret == DINGTALK_SECRET and robot_channel.url.endswith(TOKEN)

    client.post(url, {"kind": "dingtalk", "name": "华东销售群", "clear_secret": "on", "enabled": "on"})
    robot_channel.refresh_from_db()
    assert robot_channel.secret == "" and robot_channel.enabled is True


def test_switching_to_email_needs_recipients(client, robot_channel):
    url = reverse("automation:channel_edit", args=[robot_channel.pk])
    assert client.post(url, {"kind": "email", "name": "邮件组", "recipients": ""}).status_code == 400
    response = client.post(url, {"kind": "email", "name": "邮件组", "recipients": "pm@example.com\nqa@example.com"})
    assert response.status_code == 302
    robot_channel.refresh_from_db()
    assert (robot_channel.kind, robot_channel.recipients, robot_channel.url) == (
        "email",
        ["pm@example.com", "qa@example.com"],
        "",
    )


def test_delete_asks_first(client, robot_channel):
    url = reverse("automation:channel_delete", args=[robot_channel.pk])
    page = client.get(url)
    assert page.status_code == 200 and "销售群" in page.content.decode()
    assert Channel.objects.exists()
    assert client.post(url).status_code == 302
    assert not Channel.objects.exists()


def test_test_button_shows_the_outcome_in_place(client, robot_channel, receiver):
    url = reverse("automation:channel_test", args=[robot_channel.pk])
    receiver.answer = channels_support.dingtalk_vendor
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'data-test-result="ok"' in response.content.decode() and "测试消息已发送" in response.content.decode()
    assert channels_support.dingtalk_signature_valid(receiver.requests[0].parameters(), DINGTALK_SECRET)

    receiver.answer_with(200, {"errcode": 310000, "errmsg": "sign not match"})
    text = client.post(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-test-result="failed"' in text and "310000" in text and "未送达" in text

    response = client.post(url)
    assert response.status_code == 302  # without HTMX: the outcome is a page message on the list


def test_email_channel_test_message_arrives(client, admin_member, smtp_inbox):
    channel = channel_create(
        access=access_for(admin_member), kind="email", name="邮件组", recipients=["pm@example.com"]
    )
    response = client.post(reverse("automation:channel_test", args=[channel.pk]), HTTP_HX_REQUEST="true")
    assert 'data-test-result="ok"' in response.content.decode()
    [envelope] = smtp_inbox.envelopes
    assert envelope.rcpt_tos == ["pm@example.com"]
    assert channels_support.subject_of(envelope) == "Tandem 测试消息"


def test_sales_role_is_refused_everywhere(tenant, robot_channel, receiver):
    sales = page_client(make_member(tenant, "sales"))
    for name, args in [
        ("automation:channels", []),
        ("automation:channel_add", []),
        ("automation:channel_edit", [robot_channel.pk]),
        ("automation:channel_delete", [robot_channel.pk]),
    ]:
        assert sales.get(reverse(name, args=args)).status_code == 403
    assert sales.post(reverse("automation:channel_test", args=[robot_channel.pk])).status_code == 403
    assert sales.post(reverse("automation:channel_delete", args=[robot_channel.pk])).status_code == 403
    assert Channel.objects.exists() and receiver.requests == []


def test_another_tenants_channel_is_not_found(client, other_tenant, receiver):
    foreign = channel_create(
        access=access_for(make_member(other_tenant, "admin")),
        kind="wecom",
        name="别家的群",
        url=receiver.url("/cgi-bin/webhook/send?key=k"),
    )
    for name in ("automation:channel_edit", "automation:channel_delete"):
        assert client.get(reverse(name, args=[foreign.pk])).status_code == 404
    assert client.post(reverse("automation:channel_test", args=[foreign.pk])).status_code == 404
    assert "别家的群" not in client.get(reverse("automation:channels")).content.decode()
    assert receiver.requests == []
