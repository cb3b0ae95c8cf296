"""IM robots against a real HTTP receiver on 127.0.0.1 that checks each vendor's signature on its own.

The verifiers (`tests/channels_support.py`) recompute the signatures from the vendors' documented recipes, from what
the receiver got (timestamp, sign) and the secret, without calling the code under test.
"""

import re
import socket
from datetime import UTC, datetime, timedelta
from urllib.parse import quote_plus

import pytest

from tandem.automation.channels.robots import (
    Platform,
    RobotConfigError,
    RobotMessage,
    build_request,
    dingtalk_sign,
    escape_markdown,
    send,
)
from tandem.automation.tests import channels_support
from tandem.automation.tests.channels_support import Received, dingtalk_signature_valid, feishu_signature_valid

DINGTALK_SECRET = "SECb6f1c0ffee0a7d4c2e9f31a8d5b7e2c4a6f8091b3d5e7f9a1c3e5f7b9d1f3a5c7"
FEISHU_SECRET = "qN3xV8ZkP2mT7wLr4sYh"
MESSAGE = RobotMessage(
    title="项目已创建：华东智能化改造",
    text="客户：上海某某科技有限公司\n项目经理：张伟\n预算：¥1,280,000",
    url="https://tandem.example.cn/projects/42/",
    link_text="查看项目",
)
ONE_HOUR_MS = 3600 * 1000
receiver = channels_support.receiver


def local_send(platform, receiver, path, message=MESSAGE, **kwargs):
    kwargs.setdefault("now", datetime.now(UTC))
    return send(platform, receiver.url(path), message, allow_private=True, allow_any_host=True, **kwargs)


def now_ms() -> int:
    return int(datetime.now(UTC).timestamp() * 1000)


def now_s() -> int:
    return int(datetime.now(UTC).timestamp())


def dingtalk_vendor(request: Received) -> tuple[int, bytes, dict]:
    """The receiver playing DingTalk: it checks the signature and answers as DingTalk does."""
    if dingtalk_signature_valid(request.parameters(), DINGTALK_SECRET, now_ms=now_ms()):
        return 200, b'{"errcode":0,"errmsg":"ok"}', {}
    return 200, b'{"errcode":310000,"errmsg":"sign not match"}', {}


def feishu_vendor(request: Received) -> tuple[int, bytes, dict]:
    if feishu_signature_valid(request.json(), FEISHU_SECRET, now_s=now_s()):
        return 200, b'{"code":0,"data":{},"msg":"success"}', {}
    return 200, b'{"code":19021,"data":{},"msg":"sign match fail or timestamp is not within one hour"}', {}


# --- DingTalk ---------------------------------------------------------------------------------------------------


def test_dingtalk_signed_markdown_is_received_and_verified(receiver):
    receiver.answer = dingtalk_vendor
    result = local_send("dingtalk", receiver, "/robot/send?access_token=tok123", secret=DINGTALK_SECRET)

    assert result.ok, result.error
    [request] = receiver.requests
    assert request.path == "/robot/send"
    parameters = request.parameters()
    assert parameters["access_token"] == "tok123"
    assert abs(int(parameters["timestamp"]) - now_ms()) < 60_000  # milliseconds, not seconds
    assert dingtalk_signature_valid(parameters, DINGTALK_SECRET, now_ms=now_ms())
    # The sign is URL-encoded: a raw "+" from base64 would arrive as a space.
    raw_sign = re.search(r"(?:^|&)sign=([^&]*)", request.query).group(1)
    assert raw_sign == quote_plus(parameters["sign"])
    assert request.headers["content-type"].startswith("application/json")
    body = request.json()
    assert body["msgtype"] == "markdown"
    assert body["markdown"]["title"] == MESSAGE.title
    assert "上海某某科技有限公司" in body["markdown"]["text"]
    assert "[查看项目](https://tandem.example.cn/projects/42/)" in body["markdown"]["text"]
    assert "华东智能化改造".encode() in request.body  # raw UTF-8, not \\u escapes


def test_dingtalk_verifier_refuses_a_tampered_or_stale_timestamp_or_a_wrong_secret(receiver):
    receiver.answer = dingtalk_vendor
    local_send("dingtalk", receiver, "/robot/send?access_token=t", secret=DINGTALK_SECRET)
    parameters = receiver.requests[0].parameters()
    assert dingtalk_signature_valid(parameters, DINGTALK_SECRET, now_ms=now_ms())

    tampered = {**parameters, "timestamp": str(int(parameters["timestamp"]) + 1)}
    assert not dingtalk_signature_valid(tampered, DINGTALK_SECRET, now_ms=now_ms())
    assert not dingtalk_signature_valid(parameters, DINGTALK_SECRET + "x", now_ms=now_ms())
    assert not dingtalk_signature_valid(parameters, DINGTALK_SECRET, now_ms=now_ms() + 2 * ONE_HOUR_MS)

    stale = local_send(
        "dingtalk",
        receiver,
        "/robot/send?access_token=t",
        secret=DINGTALK_SECRET,
        now=datetime.now(UTC) - timedelta(hours=2),
    )
    assert not stale.ok and not stale.retryable
    assert "310000" in stale.error


def test_dingtalk_signature_matches_a_published_test_vector():
    # The expected value is the URL-encoded signature published for timestamp 1700000000000 and secret "secret".
    assert quote_plus(dingtalk_sign(1700000000000, "secret")) == "OuzzJR5%2BxZ4%2FEYwqtNt6sMYZQMTa%2FHEGvc9miJe7XzY%3D"


def test_dingtalk_without_a_secret_sends_no_signature_and_replaces_stale_parameters(receiver):
    assert local_send("dingtalk", receiver, "/robot/send?access_token=t").ok
    assert receiver.requests[0].parameters() == {"access_token": "t"}

    receiver.answer = dingtalk_vendor
    old = "/robot/send?access_token=t&timestamp=1&sign=old"
    assert local_send("dingtalk", receiver, old, secret=DINGTALK_SECRET).ok
    assert receiver.requests[1].query.count("sign=") == 1


# --- WeCom --------------------------------------------------------------------------------------------------------


def test_wecom_markdown_shape_without_signature(receiver):
    result = local_send("wecom", receiver, "/cgi-bin/webhook/send?key=k-1")

    assert result.ok, result.error
    [request] = receiver.requests
    assert request.parameters() == {"key": "k-1"}
    body = request.json()
    assert set(body) == {"msgtype", "markdown"}
    assert body["msgtype"] == "markdown"
    content = body["markdown"]["content"]
    assert content.startswith("**项目已创建：华东智能化改造**\n")
    assert "项目经理：张伟" in content
    assert content.endswith("[查看项目](https://tandem.example.cn/projects/42/)")
    assert "\\u" not in request.body.decode("utf-8")


def test_wecom_refuses_a_secret_without_sending(receiver):
    result = local_send("wecom", receiver, "/cgi-bin/webhook/send?key=k", secret="whatever")
    assert not result.ok and not result.retryable
    assert receiver.requests == []


def test_wecom_long_text_is_cut_to_4096_bytes(receiver):
    long = RobotMessage(title="日报", text="进度正常，" * 2000)
    assert local_send("wecom", receiver, "/cgi-bin/webhook/send?key=k", message=long).ok
    content = receiver.requests[0].json()["markdown"]["content"]
    assert len(content.encode("utf-8")) <= 4096
    assert content.endswith("…")


# --- Feishu / Lark ------------------------------------------------------------------------------------------------


def test_feishu_signed_post_is_received_and_verified(receiver):
    receiver.answer = feishu_vendor
    result = local_send("feishu", receiver, "/open-apis/bot/v2/hook/abc-123", secret=FEISHU_SECRET)

    assert result.ok, result.error
    [request] = receiver.requests
    body = request.json()
    assert isinstance(body["timestamp"], str) and abs(int(body["timestamp"]) - now_s()) < 60  # seconds
    assert feishu_signature_valid(body, FEISHU_SECRET, now_s=now_s())
    assert body["msg_type"] == "post"
    post = body["content"]["post"]["zh_cn"]
    assert post["title"] == MESSAGE.title
    assert post["content"] == [
        [{"tag": "text", "text": "客户：上海某某科技有限公司"}],
        [{"tag": "text", "text": "项目经理：张伟"}],
        [{"tag": "text", "text": "预算：¥1,280,000"}],
        [{"tag": "a", "text": "查看项目", "href": "https://tandem.example.cn/projects/42/"}],
    ]


def test_feishu_verifier_refuses_a_tampered_or_stale_timestamp_and_the_dingtalk_recipe(receiver):
    receiver.answer = feishu_vendor
    local_send("feishu", receiver, "/open-apis/bot/v2/hook/x", secret=FEISHU_SECRET)
    body = receiver.requests[0].json()
    assert feishu_signature_valid(body, FEISHU_SECRET, now_s=now_s())

    assert not feishu_signature_valid(
        {**body, "timestamp": str(int(body["timestamp"]) - 1)}, FEISHU_SECRET, now_s=now_s()
    )
    assert not feishu_signature_valid(body, FEISHU_SECRET, now_s=now_s() + 7200)
    # Signing DingTalk's way (secret as key, string as message) is not what Feishu checks.
    dingtalk_way = dingtalk_sign(int(body["timestamp"]), FEISHU_SECRET)
    assert not feishu_signature_valid({**body, "sign": dingtalk_way}, FEISHU_SECRET, now_s=now_s())

    stale = local_send(
        "feishu", receiver, "/open-apis/bot/v2/hook/x", secret=FEISHU_SECRET, now=datetime.now(UTC) - timedelta(hours=2)
    )
    assert not stale.ok and not stale.retryable
    assert "19021" in stale.error


def test_feishu_unsigned_and_older_answer_format(receiver):
    receiver.answer_with(200, {"Extra": None, "StatusCode": 0, "StatusMessage": "success"})
    assert local_send("feishu", receiver, "/open-apis/bot/v2/hook/x").ok
    assert not {"timestamp", "sign"} & set(receiver.requests[0].json())


# --- Slack --------------------------------------------------------------------------------------------------------


def test_slack_blocks_with_fallback_and_escaping(receiver):
    receiver.answer_with(200, "ok")
    message = RobotMessage(
        title="A&B <!channel> 赢单", text="金额 > 100 万 & <@U123>", url="https://x.example/d?a=1&b=2"
    )
    result = local_send("slack", receiver, "/services/T0/B0/xyz", message=message)

    assert result.ok, result.error
    body = receiver.requests[0].json()
    assert body["text"] == "A&amp;B &lt;!channel&gt; 赢单\n金额 &gt; 100 万 &amp; &lt;@U123&gt;"
    header, section, actions = body["blocks"]
    assert header == {
        "type": "header",
        "text": {"type": "plain_text", "text": "A&amp;B &lt;!channel&gt; 赢单", "emoji": False},
    }
    assert section["type"] == "section" and section["text"]["text"] == "金额 &gt; 100 万 &amp; &lt;@U123&gt;"
    [button] = actions["elements"]
    assert button["type"] == "button" and button["url"] == "https://x.example/d?a=1&b=2"


def test_slack_header_is_cut_to_its_limit(receiver):
    receiver.answer_with(200, "ok")
    local_send("slack", receiver, "/services/T/B/x", message=RobotMessage(title="&" * 90, text=""))
    [header] = receiver.requests[0].json()["blocks"]
    assert len(header["text"]["text"]) <= 150
    assert header["text"]["text"].endswith("&amp;…")


# --- Escaping -----------------------------------------------------------------------------------------------------


INJECTION = "**粗体** [点我](http://evil.example) <font color=red>红</font> <@all>\n# 标题\n- 列表\n1. 第一\n> 引用"


@pytest.mark.parametrize("platform", ["dingtalk", "wecom"])
def test_markdown_platforms_escape_user_markup(receiver, platform):
    path = "/robot/send?access_token=t" if platform == "dingtalk" else "/cgi-bin/webhook/send?key=k"
    message = RobotMessage(title="标题*", text=INJECTION, url="https://x.example/a b)(<c>")
    assert local_send(platform, receiver, path, message=message).ok
    body = receiver.requests[0].json()["markdown"]
    rendered = body.get("text") or body["content"]
    escaped_text = escape_markdown(INJECTION)
    for character in "*[]()<>`#":
        assert not re.search(rf"(?<!\\){re.escape(character)}", escaped_text), character
    assert re.search(r"^\\#", escaped_text, re.M) and re.search(r"^\\-", escaped_text, re.M)
    assert re.search(r"^1\\\.", escaped_text, re.M)
    assert "标题\\*" in rendered
    assert "(https://x.example/a%20b%29%28%3Cc%3E)" in rendered


def test_feishu_text_is_sent_literally(receiver):
    receiver.answer_with(200, {"code": 0, "msg": "success"})
    local_send(
        "feishu", receiver, "/open-apis/bot/v2/hook/x", message=RobotMessage(title="t", text='<at user_id="all">')
    )
    [[element]] = receiver.requests[0].json()["content"]["post"]["zh_cn"]["content"]
    assert element == {"tag": "text", "text": '<at user_id="all">'}


# --- Vendor answers ---------------------------------------------------------------------------------------------

DINGTALK, WECOM, FEISHU, SLACK = (
    ("dingtalk", "/robot/send?access_token=t"),
    ("wecom", "/cgi-bin/webhook/send?key=k"),
    ("feishu", "/open-apis/bot/v2/hook/x"),
    ("slack", "/services/T/B/x"),
)


@pytest.mark.parametrize(
    ("target", "status", "answer", "ok", "retryable", "fragment"),
    [
        (DINGTALK, 200, {"errcode": 0, "errmsg": "ok"}, True, False, ""),
        (DINGTALK, 200, {"errcode": 130101, "errmsg": "send too fast"}, False, True, "130101"),
        (DINGTALK, 200, {"errcode": 310000, "errmsg": "keywords not in content"}, False, False, "keywords"),
        (DINGTALK, 200, {"errcode": 300001, "errmsg": "token is not exist"}, False, False, "300001"),
        (DINGTALK, 502, "<html>Bad Gateway</html>", False, True, "HTTP 502"),
        (WECOM, 200, {"errcode": 0, "errmsg": "ok"}, True, False, ""),
        (WECOM, 200, {"errcode": 45009, "errmsg": "api freq out of limit"}, False, True, "45009"),
        (WECOM, 200, {"errcode": -1, "errmsg": "system busy"}, False, True, "-1"),
        (WECOM, 200, {"errcode": 93000, "errmsg": "invalid webhook url"}, False, False, "removed"),
        (WECOM, 200, "not json", False, False, "without a result code"),
        (FEISHU, 200, {"code": 0, "msg": "success", "data": {}}, True, False, ""),
        (FEISHU, 200, {"StatusCode": 0, "StatusMessage": "success"}, True, False, ""),
        (FEISHU, 200, {"code": 9499, "msg": "Too Many Request"}, False, True, "9499"),
        (FEISHU, 200, {"code": 11232, "msg": "frequency limited"}, False, True, "11232"),
        (FEISHU, 200, {"code": 19021, "msg": "sign match fail"}, False, False, "clock"),
        (FEISHU, 200, {"code": 19024, "msg": "Key Words Not Found"}, False, False, "keywords"),
        (FEISHU, 400, {"code": 9499, "msg": "Bad Request"}, False, True, "9499"),
        (SLACK, 200, "ok", True, False, ""),
        (SLACK, 429, "rate_limited", False, True, "HTTP 429"),
        (SLACK, 400, "invalid_payload", False, False, "invalid_payload"),
        (SLACK, 404, "channel_not_found", False, False, "channel_not_found"),
        (SLACK, 410, "channel_is_archived", False, False, "channel_is_archived"),
        (SLACK, 403, "invalid_token", False, False, "invalid_token"),
        (SLACK, 500, "rollup_error", False, True, "rollup_error"),
        (SLACK, 200, "something else", False, False, "something else"),
    ],
)
def test_vendor_answers_map_to_ok_and_retryable(receiver, target, status, answer, ok, retryable, fragment):
    receiver.answer_with(status, answer)
    result = local_send(target[0], receiver, target[1])
    assert (result.ok, result.retryable) == (ok, retryable), result.error
    assert result.status == status
    assert fragment in result.error
    assert len(receiver.requests) == 1


def test_retry_after_is_reported(receiver):
    receiver.answer_with(429, "rate_limited", {"Retry-After": "30"})
    result = local_send("slack", receiver, "/services/T/B/x")
    assert result.retryable and result.retry_after == timedelta(seconds=30)


def test_dingtalk_throttling_waits_out_its_documented_ten_minutes(receiver):
    receiver.answer_with(200, {"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"})
    result = local_send("dingtalk", receiver, "/robot/send?access_token=t")
    assert result.retryable and result.retry_after == timedelta(minutes=10)


# --- Refusals without a request -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("platform", "path"),
    [DINGTALK, WECOM, FEISHU, SLACK],
)
def test_a_webhook_off_the_vendor_host_is_refused_without_a_request(receiver, platform, path):
    result = send(platform, receiver.url(path), MESSAGE, now=datetime.now(UTC), allow_private=True)
    assert not result.ok and not result.retryable
    assert "https" in result.error or "host" in result.error
    assert receiver.requests == []


@pytest.mark.parametrize(
    ("platform", "url"),
    [
        ("dingtalk", "http://oapi.dingtalk.com/robot/send?access_token=t"),
        ("dingtalk", "https://oapi.dingtalk.com.evil.example/robot/send?access_token=t"),
        ("dingtalk", "https://evil.example/oapi.dingtalk.com/robot/send?access_token=t"),
        ("dingtalk", "https://oapi.dingtalk.com:8443/robot/send?access_token=t"),
        ("dingtalk", "https://oapi.dingtalk.com/robot/other?access_token=t"),
        ("dingtalk", "https://oapi.dingtalk.com/robot/send"),
        ("dingtalk", "https://user@oapi.dingtalk.com/robot/send?access_token=t"),
        ("wecom", "https://qyapi.weixin.qq.com.cn/cgi-bin/webhook/send?key=k"),
        ("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"),
        ("feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/"),
        ("feishu", "https://open.feishu.com/open-apis/bot/v2/hook/x"),
        ("slack", "https://hooks.slack.com.evil.example/services/T/B/x"),
        ("slack", "https://hooks.slack.com/services/T/B/x#frag"),
        ("slack", "ftp://hooks.slack.com/services/T/B/x"),
        ("teams", "https://outlook.office.com/webhook/x"),
    ],
)
def test_bad_webhook_urls_are_refused(platform, url):
    with pytest.raises(RobotConfigError):
        build_request(platform, url, MESSAGE, now=datetime.now(UTC))
    result = send(platform, url, MESSAGE, now=datetime.now(UTC))
    assert not result.ok and not result.retryable and result.error


@pytest.mark.parametrize(
    ("platform", "url"),
    [
        ("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=abc"),
        ("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx"),
        ("feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/5e3d587e-d78e"),
        ("feishu", "https://open.larksuite.com/open-apis/bot/v2/hook/5e3d587e-d78e"),
        ("slack", "https://hooks.slack.com/services/T000/B000/XXXX"),
    ],
)
def test_vendor_webhook_urls_are_accepted(platform, url):
    request = build_request(platform, url, MESSAGE, now=datetime.now(UTC))
    assert request.url.startswith(url)


def test_private_address_is_refused_unless_allowed(receiver):
    result = send("slack", receiver.url("/services/T/B/x"), MESSAGE, now=datetime.now(UTC), allow_any_host=True)
    assert not result.ok and not result.retryable
    assert "loopback" in result.error
    assert receiver.requests == []


def test_a_bad_message_link_is_refused_without_a_request(receiver):
    message = RobotMessage(title="t", text="x", url="javascript:alert(1)")
    result = local_send("wecom", receiver, "/cgi-bin/webhook/send?key=k", message=message)
    assert not result.ok and not result.retryable and "link" in result.error
    assert receiver.requests == []


def test_no_answer_is_retryable():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = send(
        Platform.SLACK,
        f"http://127.0.0.1:{port}/services/T/B/x",
        MESSAGE,
        now=datetime.now(UTC),
        allow_private=True,
        allow_any_host=True,
        timeout=2,
    )
    assert not result.ok and result.retryable
    assert "refused" in result.error


def test_naive_now_is_a_programming_error():
    with pytest.raises(ValueError, match="timezone-aware"):
        send("slack", "https://hooks.slack.com/services/T/B/x", MESSAGE, now=datetime.now())
