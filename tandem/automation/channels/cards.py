"""Message cards with buttons, per IM platform, for messages that ask someone to act (an approval task).

Group robots (incoming webhooks) post cards whose buttons open links, here signed links back into Tandem. The
vendors' documented shapes and limits:

- DingTalk custom robot ``actionCard`` with independent buttons: ``{"msgtype": "actionCard", "actionCard":
  {"title", "text" (markdown), "btnOrientation": "1" (side by side), "btns": [{"title", "actionURL"}]}}``.
- WeCom group robot ``template_card`` of type ``text_notice``: ``main_title`` (title ≤ 26 characters, desc ≤ 30),
  ``sub_title_text`` ≤ 112, ``horizontal_content_list`` ≤ 6 items (keyname ≤ 5, value ≤ 26), ``jump_list`` ≤ 3
  links (title ≤ 13) and the mandatory ``card_action`` (type 1: open a URL). Longer values are cut, not refused.
- Feishu/Lark ``interactive`` card: a header, a ``div`` of plain text with short ``fields``, and an ``action``
  element of buttons that open URLs (``type`` "primary" for the main one).
"""

from __future__ import annotations

from collections.abc import Callable

ELLIPSIS = "…"
WECOM_TITLE_CHARS = 26
WECOM_DESC_CHARS = 30
WECOM_SUBTITLE_CHARS = 112
WECOM_KEY_CHARS = 5
WECOM_VALUE_CHARS = 26
WECOM_FIELDS = 6
WECOM_JUMP_TITLE_CHARS = 13
WECOM_JUMPS = 3


def cut(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + ELLIPSIS


def dingtalk_card(title: str, text: str, buttons, escape: Callable[[str], str]) -> dict:
    """An ActionCard with one button per action, side by side."""
    markdown = "\n\n".join(part for part in [f"#### {escape(title)}", escape(text).replace("\n", "  \n")] if part)
    return {
        "msgtype": "actionCard",
        "actionCard": {
            "title": title,
            "text": markdown,
            "btnOrientation": "1",
            "btns": [{"title": button.label, "actionURL": button.url} for button in buttons],
        },
    }


def wecom_card(title: str, text: str, fields: list[tuple[str, str]], buttons) -> dict:
    """A text_notice template card: the title, the text, up to six fields and up to three links."""
    card = {
        "card_type": "text_notice",
        "main_title": {"title": cut(title, WECOM_TITLE_CHARS)},
        "horizontal_content_list": [
            {"keyname": cut(name, WECOM_KEY_CHARS), "value": cut(value, WECOM_VALUE_CHARS)}
            for name, value in fields[:WECOM_FIELDS]
        ],
        "jump_list": [
            {"type": 1, "title": cut(button.label, WECOM_JUMP_TITLE_CHARS), "url": button.url}
            for button in buttons[:WECOM_JUMPS]
        ],
        # Tapping the card itself opens the last button's link: the record, by convention of the callers.
        "card_action": {"type": 1, "url": buttons[-1].url},
    }
    if len(title) > WECOM_TITLE_CHARS:
        card["main_title"]["desc"] = cut(title[WECOM_TITLE_CHARS - 1 :], WECOM_DESC_CHARS)
    if text:
        card["sub_title_text"] = cut(text, WECOM_SUBTITLE_CHARS)
    return {"msgtype": "template_card", "template_card": card}


def feishu_card(title: str, text: str, fields: list[tuple[str, str]], buttons) -> dict:
    """An interactive card: header, text, fields two to a row, and the buttons."""
    elements: list[dict] = []
    if text:
        elements.append({"tag": "div", "text": {"tag": "plain_text", "content": text}})
    if fields:
        elements.append(
            {
                "tag": "div",
                "fields": [
                    {"is_short": True, "text": {"tag": "plain_text", "content": f"{name}: {value}"}}
                    for name, value in fields
                ],
            }
        )
    elements.append(
        {
            "tag": "action",
            "actions": [
                {
                    "tag": "button",
                    "text": {"tag": "plain_text", "content": button.label},
                    "type": "primary" if button.primary else "default",
                    "url": button.url,
                }
                for button in buttons
            ],
        }
    )
    return {
        "msg_type": "interactive",
        "card": {
            "config": {"wide_screen_mode": True},
            "header": {"title": {"tag": "plain_text", "content": title}, "template": "blue"},
            "elements": elements,
        },
    }
