"""Channel services: validation per kind, delivery to real local robots and a real SMTP server, idempotency."""

from datetime import timedelta

import pytest

from tandem.audit.models import AuditEntry
from tandem.automation.channels import selectors, services
from tandem.automation.channels.services import ChannelFailed, ChannelRetry
from tandem.automation.models import Channel, ChannelMessage
from tandem.automation.tests import channels_support
from tandem.automation.tests.channels_support import (
    DINGTALK_SECRET,
    FEISHU_SECRET,
    dingtalk_signature_valid,
    dingtalk_vendor,
    feishu_signature_valid,
    feishu_vendor,
    free_port,
    received_email,
    subject_of,
    use_smtp,
)
from tandem.core.errors import ApplicationError, NotFound, PermissionDenied
from tandem.testing.kit import access_for, make_member, make_tenant

TITLE = "项目已创建：华东智能化改造"
BODY = "客户：上海某某科技有限公司\n项目经理：张伟"
LINK = "https://tandem.example.cn/projects/42/"


@pytest.fixture
def admin(tenant):
    return access_for(make_member(tenant, "admin"))


receiver = channels_support.receiver
smtp_inbox = channels_support.smtp_inbox


@pytest.fixture(autouse=True)
def _local_robots(settings):
    channels_support.allow_local_robots(settings)


def robot(admin, receiver, kind, path, **fields):
    return services.channel_create(
        access=admin, kind=kind, name=fields.pop("name", kind), url=receiver.url(path), **fields
    )


def deliver(channel, key="k1", **kwargs):
    kwargs.setdefault("title", TITLE)
    kwargs.setdefault("body", BODY)
    kwargs.setdefault("url", LINK)
    kwargs.setdefault("language", "zh-hans")
    return services.channel_deliver(channel=channel, key=key, **kwargs)


# --- robots ----------------------------------------------------------------------------------------


def test_dingtalk_message_arrives_signed_and_is_recorded(admin, receiver):
    receiver.answer = dingtalk_vendor
    channel = robot(admin, receiver, "dingtalk", "/robot/send?access_token=tok1", secret=DINGTALK_SECRET)

    message = deliver(channel)

    [request] = receiver.requests
    assert dingtalk_signature_valid(request.parameters(), DINGTALK_SECRET)
    assert request.parameters()["access_token"] == "tok1"
    body = request.json()
    assert body["msgtype"] == "markdown"
    assert body["markdown"]["title"] == TITLE
    assert "上海某某科技有限公司" in body["markdown"]["text"]
    assert f"[查看详情]({LINK})" in body["markdown"]["text"]
    assert (message.status, message.attempts, message.error) == ("sent", 1, "")
    assert message.sent_at is not None
    channel.refresh_from_db()
    assert channel.last_sent_at is not None and channel.last_error == ""


def test_feishu_message_arrives_signed(admin, receiver):
    receiver.answer = feishu_vendor
    channel = robot(admin, receiver, "feishu", "/open-apis/bot/v2/hook/abc", secret=FEISHU_SECRET)

    assert deliver(channel).status == "sent"

    body = receiver.requests[0].json()
    assert feishu_signature_valid(body, FEISHU_SECRET)
    post = body["content"]["post"]["zh_cn"]
    assert post["title"] == TITLE
    assert post["content"][-1] == [{"tag": "a", "text": "查看详情", "href": LINK}]


def test_wrong_feishu_secret_is_a_permanent_failure(admin, receiver):
    receiver.answer = feishu_vendor
    channel = robot(admin, receiver, "feishu", "/open-apis/bot/v2/hook/abc", secret="not-the-secret")

    with pytest.raises(ChannelFailed, match="19021"):
        deliver(channel)
    channel.refresh_from_db()
    assert "19021" in channel.last_error and channel.last_sent_at is None


def test_wecom_and_slack_bodies(admin, receiver):
    wecom = robot(admin, receiver, "wecom", "/cgi-bin/webhook/send?key=k")
    assert deliver(wecom).status == "sent"
    body = receiver.requests[0].json()
    assert body["msgtype"] == "markdown"
    assert body["markdown"]["content"].startswith(f"**{TITLE}**")
    assert "上海某某科技有限公司" in body["markdown"]["content"]

    receiver.answer_with(200, "ok")
    slack = robot(admin, receiver, "slack", "/services/T0/B0/x", name="slack")
    assert deliver(slack, title="Deal won: A&B <Ltd>", body="Amount ¥1,000", language="en").status == "sent"
    body = receiver.requests[1].json()
    assert body["blocks"][0]["text"]["text"] == "Deal won: A&amp;B &lt;Ltd&gt;"
    assert body["blocks"][-1]["elements"][0] == {
        "type": "button",
        "text": {"type": "plain_text", "text": "Open in Tandem", "emoji": False},
        "url": LINK,
    }


def test_slack_error_answer_fails(admin, receiver):
    receiver.answer_with(404, "no_service")
    channel = robot(admin, receiver, "slack", "/services/T0/B0/x")
    with pytest.raises(ChannelFailed, match="no_service"):
        deliver(channel)
    assert ChannelMessage.objects.get().status == "failed"


def test_dingtalk_310000_is_failed_and_130101_asks_to_retry_later(admin, receiver):
    channel = robot(admin, receiver, "dingtalk", "/robot/send?access_token=t", secret=DINGTALK_SECRET)
    receiver.answer_with(200, {"errcode": 310000, "errmsg": "keywords not in content"})
    with pytest.raises(ChannelFailed) as failed:
        deliver(channel, key="a")
    assert "310000" in failed.value.error
    assert failed.value.message.status == "failed"

    receiver.answer_with(200, {"errcode": 130101, "errmsg": "send too fast"})
    with pytest.raises(ChannelRetry) as retry:
        deliver(channel, key="b")
    assert retry.value.retry_after == timedelta(minutes=10)
    message = ChannelMessage.objects.get(channel=channel, key="b")
    assert (message.status, message.attempts) == ("retrying", 1)
    channel.refresh_from_db()
    assert "130101" in channel.last_error

    # The engine retries later with the same key: it goes through, once.
    receiver.answer_with(200, {"errcode": 0, "errmsg": "ok"})
    message = deliver(channel, key="b")
    assert (message.status, message.attempts, message.error) == ("sent", 2, "")
    channel.refresh_from_db()
    assert channel.last_error == "" and channel.last_sent_at is not None


def test_an_unreachable_robot_is_retried(admin, settings):
    channel = services.channel_create(
        access=admin, kind="wecom", name="gone", url=f"http://127.0.0.1:{free_port()}/cgi-bin/webhook/send?key=k"
    )
    with pytest.raises(ChannelRetry):
        deliver(channel)


def test_a_key_is_sent_once(admin, receiver):
    channel = robot(admin, receiver, "wecom", "/cgi-bin/webhook/send?key=k")
    first = deliver(channel, key="rule:7:run:9:step:0")
    again = deliver(channel, key="rule:7:run:9:step:0", title="changed")
    assert again.pk == first.pk and again.status == "sent" and again.attempts == 1
    assert len(receiver.requests) == 1
    deliver(channel, key="rule:7:run:10:step:0")
    assert len(receiver.requests) == 2
    assert ChannelMessage.objects.filter(channel=channel).count() == 2


def test_a_message_being_sent_elsewhere_is_not_sent_twice(admin, receiver):
    channel = robot(admin, receiver, "wecom", "/cgi-bin/webhook/send?key=k")
    ChannelMessage.objects.create(tenant=channel.tenant, channel=channel, key="busy", title=TITLE, status="sending")
    with pytest.raises(ChannelRetry):
        deliver(channel, key="busy")
    assert receiver.requests == []


def test_a_disabled_channel_sends_nothing(admin, receiver):
    channel = robot(admin, receiver, "wecom", "/cgi-bin/webhook/send?key=k", enabled=False)
    assert deliver(channel).status == "skipped"
    assert receiver.requests == []


# --- email -----------------------------------------------------------------------------------------


def test_email_channel_sends_a_plain_message_to_the_list(admin, smtp_inbox):
    channel = services.channel_create(
        access=admin, kind="email", name="项目组", recipients=["pm@example.com", "boss@example.com"]
    )
    message = deliver(channel, title="【任务逾期】\r\nBcc: x@example.com 弱电桥架安装")

    assert message.status == "sent"
    [envelope] = smtp_inbox.envelopes
    assert sorted(envelope.rcpt_tos) == ["boss@example.com", "pm@example.com"]
    assert subject_of(envelope) == "【任务逾期】 Bcc: x@example.com 弱电桥架安装"
    mail = received_email(envelope)
    assert mail["Bcc"] is None
    assert mail.get_content_type() == "text/plain"
    body = mail.get_content()
    assert "上海某某科技有限公司" in body and f"查看详情: {LINK}" in body


def test_email_refused_recipients_fail_and_a_down_server_is_retried(admin, smtp_inbox, settings):
    channel = services.channel_create(access=admin, kind="email", name="list", recipients=["pm@example.com"])
    smtp_inbox.refuse = "550 5.1.1 mailbox unavailable"
    with pytest.raises(ChannelFailed, match="550"):
        deliver(channel, key="a")
    smtp_inbox.refuse = "451 4.3.0 try again later"
    with pytest.raises(ChannelRetry):
        deliver(channel, key="b")
    use_smtp(settings, free_port())
    with pytest.raises(ChannelRetry, match="unreachable"):
        deliver(channel, key="c")
    assert smtp_inbox.envelopes == []


# --- test message ----------------------------------------------------------------------------------


def test_send_test_speaks_the_tenant_language(admin, receiver, tenant):
    channel = robot(admin, receiver, "wecom", "/cgi-bin/webhook/send?key=k")
    assert services.channel_send_test(access=admin, channel=channel) == services.ChannelTestResult(ok=True)
    assert "Tandem 测试消息" in receiver.requests[0].json()["markdown"]["content"]

    english = make_tenant(locale="en")
    english_admin = access_for(make_member(english, "admin"))
    other = services.channel_create(
        access=english_admin, kind="wecom", name="en", url=receiver.url("/cgi-bin/webhook/send?key=k")
    )
    receiver.answer_with(200, {"errcode": 93000, "errmsg": "invalid webhook url"})
    result = services.channel_send_test(access=english_admin, channel=other)
    assert not result.ok and "93000" in result.error
    assert "Tandem test message" in receiver.requests[1].json()["markdown"]["content"]


# --- validation, audit, permissions ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "dingtalk", "url": ""}, "url"),
        ({"kind": "dingtalk", "url": "ftp://oapi.dingtalk.com/robot/send"}, "url"),
        ({"kind": "dingtalk", "url": "https://oapi.dingtalk.com/robot/send?access_token=t", "secret": "abc"}, "secret"),
        ({"kind": "wecom", "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "secret": "x"}, "secret"),
        ({"kind": "email", "recipients": []}, "recipients"),
        ({"kind": "email", "recipients": ["pm@example.com", "not an address"]}, "recipients"),
        ({"kind": "email", "recipients": ["a@example.com\r\nBcc: b@example.com"]}, "recipients"),
        ({"kind": "fax"}, "kind"),
        ({"kind": "email", "recipients": ["a@example.com"], "name": "  "}, "name"),
    ],
)
def test_bad_input_is_refused_with_field_errors_and_nothing_written(admin, fields, field):
    fields = {"name": "频道", **fields}
    with pytest.raises(ApplicationError) as refused:
        services.channel_create(access=admin, **fields)
    assert field in refused.value.errors
    assert not Channel.objects.exists()
    assert not AuditEntry.objects.filter(object_type="automation.channel").exists()


def test_robot_addresses_must_be_on_the_vendor_host_unless_allowed(admin, settings):
    settings.TANDEM_ROBOT_ALLOW_ANY_HOST = False
    with pytest.raises(ApplicationError) as refused:
        services.channel_create(
            access=admin, kind="dingtalk", name="x", url="https://evil.example/robot/send?access_token=t"
        )
    assert "url" in refused.value.errors
    channel = services.channel_create(
        access=admin, kind="dingtalk", name="x", url="https://oapi.dingtalk.com/robot/send?access_token=t"
    )
    assert channel.pk


def test_names_are_unique_per_tenant_only(admin, other_tenant):
    services.channel_create(access=admin, kind="email", name="项目组", recipients=["a@example.com"])
    with pytest.raises(ApplicationError) as refused:
        services.channel_create(access=admin, kind="email", name="项目组", recipients=["b@example.com"])
    assert "name" in refused.value.errors
    other = access_for(make_member(other_tenant, "admin"))
    services.channel_create(access=other, kind="email", name="项目组", recipients=["b@example.com"])


def test_recipients_are_cleaned_from_text_or_lists(admin):
    channel = services.channel_create(
        access=admin, kind="email", name="x", recipients="a@example.com, b@example.com\nA@example.com；\n"
    )
    assert channel.recipients == ["a@example.com", "b@example.com"]


def test_update_keeps_write_only_fields_and_audits_without_secrets(admin, receiver):
    channel = robot(admin, receiver, "dingtalk", "/robot/send?access_token=supersecrettoken", secret=DINGTALK_SECRET)
    services.channel_update(access=admin, channel=channel, name="销售群", enabled=False)
    channel.refresh_from_db()
    assert (channel.name, channel.enabled, channel.secret) == ("销售群", False, DINGTALK_SECRET)
    assert channel.url.endswith("supersecrettoken")

    services.channel_update(access=admin, channel=channel, secret="")
    channel.refresh_from_db()
    assert channel.secret == ""

    entries = AuditEntry.objects.filter(object_type="automation.channel", object_id=str(channel.pk))
    assert entries.count() == 3
    for entry in entries:
        text = str(entry.before) + str(entry.after)
        assert DINGTALK_SECRET not in text and "supersecrettoken" not in text

    services.channel_update(access=admin, channel=channel, kind="email", recipients=["a@example.com"])
    channel.refresh_from_db()
    assert (channel.kind, channel.url, channel.secret, channel.recipients) == ("email", "", "", ["a@example.com"])


def test_changing_to_a_kind_without_secret_drops_the_kept_secret(admin, receiver):
    channel = robot(admin, receiver, "dingtalk", "/robot/send?access_token=t", secret=DINGTALK_SECRET)
    services.channel_update(
        access=admin, channel=channel, kind="wecom", url=receiver.url("/cgi-bin/webhook/send?key=k")
    )
    channel.refresh_from_db()
    assert (channel.kind, channel.secret) == ("wecom", "")


def test_delete_removes_the_channel_and_its_log(admin, receiver):
    channel = robot(admin, receiver, "wecom", "/cgi-bin/webhook/send?key=k")
    deliver(channel)
    services.channel_delete(access=admin, channel=channel)
    assert not Channel.objects.exists() and not ChannelMessage.objects.exists()
    assert AuditEntry.objects.filter(object_type="automation.channel", action="delete").count() == 1


def test_another_tenant_and_roles_without_channel_permissions_are_refused(admin, receiver, tenant, other_tenant):
    channel = robot(admin, receiver, "wecom", "/cgi-bin/webhook/send?key=k")
    foreign = access_for(make_member(other_tenant, "admin"))
    with pytest.raises(NotFound):
        services.channel_update(access=foreign, channel=channel, name="x")
    with pytest.raises(NotFound):
        services.channel_send_test(access=foreign, channel=channel)
    with pytest.raises(NotFound):
        services.channel_delete(access=foreign, channel=channel)
    assert list(selectors.channel_list(access=foreign)) == []

    sales = access_for(make_member(tenant, "sales"))
    with pytest.raises(PermissionDenied):
        services.channel_create(access=sales, kind="email", name="y", recipients=["a@example.com"])
    with pytest.raises(PermissionDenied):
        services.channel_send_test(access=sales, channel=channel)
    assert list(selectors.channel_list(access=sales)) == []
    assert receiver.requests == []


def test_masking():
    assert services.mask_url("https://oapi.dingtalk.com/robot/send?access_token=abcdef123456") == (
        "https://oapi.dingtalk.com/…3456"
    )
    assert services.mask_url("") == ""
    assert services.mask_secret(DINGTALK_SECRET) == "******"
