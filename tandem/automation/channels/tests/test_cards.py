"""Message cards with buttons against a real HTTP receiver on 127.0.0.1: each platform's card shape, signature and
limits."""

from datetime import UTC, datetime

import pytest

from tandem.automation.channels.robots import RobotButton, RobotConfigError, RobotMessage, build_request, send
from tandem.automation.tests import channels_support
from tandem.automation.tests.channels_support import dingtalk_signature_valid, feishu_signature_valid

receiver = channels_support.receiver
SECRET = "SECb6f1c0ffee0a7d4c2e9f31a8d5b7e2c4a6f8091b3d5e7f9a1c3e5f7b9d1f3a5c7"
CARD = RobotMessage(
    title="待审批：HT-20261207-0003 青岛长江置业二期机电安装合同",
    text="提交人：李娜 · 第 1 级：部门经理",
    fields=(("金额", "¥1,280,000.00"), ("客户", "青岛长江置业有限公司")),
    buttons=(
        RobotButton("同意", "https://tandem.example.cn/approvals/im/abc/?decision=approve", primary=True),
        RobotButton("驳回", "https://tandem.example.cn/approvals/im/abc/?decision=reject"),
        RobotButton("查看", "https://tandem.example.cn/crm/contracts/3/"),
    ),
)


def now_ms() -> int:
    return int(datetime.now(UTC).timestamp() * 1000)


def post(platform, receiver, path, message=CARD, **kwargs):
    return send(
        platform, receiver.url(path), message, now=datetime.now(UTC), allow_private=True, allow_any_host=True, **kwargs
    )


def test_dingtalk_action_card_with_side_by_side_buttons_is_signed(receiver):
    receiver.answer_with(200, {"errcode": 0, "errmsg": "ok"})
    assert post("dingtalk", receiver, "/robot/send?access_token=t", secret=SECRET).ok
    [request] = receiver.requests
    assert dingtalk_signature_valid(request.parameters(), SECRET, now_ms=now_ms())
    body = request.json()
    assert body["msgtype"] == "actionCard"
    card = body["actionCard"]
    assert card["btnOrientation"] == "1"
    assert [b["title"] for b in card["btns"]] == ["同意", "驳回", "查看"]
    assert card["btns"][0]["actionURL"].endswith("decision=approve")
    # The fields are lines of the text; markdown in user values is escaped.
    assert "金额: ¥1,280,000.00" in card["text"] and "客户: 青岛长江置业有限公司" in card["text"]


def test_wecom_text_notice_card_cuts_to_the_documented_limits(receiver):
    receiver.answer_with(200, {"errcode": 0, "errmsg": "ok"})
    many = RobotMessage(
        title="待审批：" + "很长的合同名称" * 10,
        text="说明" * 100,
        fields=tuple((f"字段名称很长{i}", "值" * 40) for i in range(8)),
        buttons=tuple(RobotButton(f"按钮文字非常非常长的标签{i}", f"https://t.example.cn/{i}") for i in range(4)),
    )
    assert post("wecom", receiver, "/cgi-bin/webhook/send?key=k", message=many).ok
    card = receiver.requests[0].json()["template_card"]
    assert card["card_type"] == "text_notice"
    assert len(card["main_title"]["title"]) == 26 and len(card["main_title"]["desc"]) <= 30
    assert len(card["sub_title_text"]) == 112
    assert len(card["horizontal_content_list"]) == 6
    assert all(len(f["keyname"]) <= 5 and len(f["value"]) <= 26 for f in card["horizontal_content_list"])
    assert len(card["jump_list"]) == 3 and all(len(j["title"]) <= 13 for j in card["jump_list"])
    assert card["card_action"] == {"type": 1, "url": "https://t.example.cn/3"}


def test_feishu_interactive_card_is_signed_and_shows_fields_and_buttons(receiver):
    receiver.answer_with(200, {"code": 0, "msg": "success"})
    secret = "qN3xV8ZkP2mT7wLr4sYh"
    assert post("feishu", receiver, "/open-apis/bot/v2/hook/x", secret=secret).ok
    body = receiver.requests[0].json()
    assert feishu_signature_valid(body, secret, now_s=int(datetime.now(UTC).timestamp()))
    assert body["msg_type"] == "interactive"
    card = body["card"]
    assert card["header"]["title"]["content"] == CARD.title
    [text, fields, actions] = card["elements"]
    assert text["text"]["content"] == CARD.text
    assert [f["text"]["content"] for f in fields["fields"]] == ["金额: ¥1,280,000.00", "客户: 青岛长江置业有限公司"]
    assert [(a["text"]["content"], a["type"]) for a in actions["actions"]] == [
        ("同意", "primary"),
        ("驳回", "default"),
        ("查看", "default"),
    ]


def test_slack_buttons_and_fields(receiver):
    receiver.answer_with(200, "ok")
    assert post("slack", receiver, "/services/T/B/x").ok
    blocks = receiver.requests[0].json()["blocks"]
    assert blocks[-1]["type"] == "actions"
    assert [e["text"]["text"] for e in blocks[-1]["elements"]] == ["同意", "驳回", "查看"]
    assert blocks[-1]["elements"][0]["style"] == "primary"
    assert "金额: ¥1,280,000.00" in blocks[-2]["text"]["text"]


@pytest.mark.parametrize("platform", ["dingtalk", "wecom", "feishu", "slack"])
def test_a_button_with_a_bad_link_refuses_the_card(platform):
    message = RobotMessage(title="t", text="", buttons=(RobotButton("同意", "javascript:alert(1)"),))
    url = {
        "dingtalk": "https://oapi.dingtalk.com/robot/send?access_token=t",
        "wecom": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
        "feishu": "https://open.feishu.cn/open-apis/bot/v2/hook/x",
        "slack": "https://hooks.slack.com/services/T/B/x",
    }[platform]
    with pytest.raises(RobotConfigError):
        build_request(platform, url, message, now=datetime.now(UTC))
