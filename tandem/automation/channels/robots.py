"""IM group robots: DingTalk custom robot, WeCom (企业微信) group robot, Feishu/Lark custom bot, Slack incoming webhook.

A builder per platform turns a ``RobotMessage`` into the request its robot expects (the URL with query, a UTF-8
JSON body, headers), signed where the platform signs; ``send`` posts it through the SSRF-safe client and reads the
answer, which for the Chinese platforms reports failures inside an HTTP 200 body.

What the vendors document, as implemented here:

- DingTalk (自定义机器人, 安全设置 › 加签): ``timestamp`` = now in milliseconds; ``sign`` = URL-encoded
  base64(HmacSHA256(key=secret, message=f"{timestamp}\\n{secret}")), both added to the webhook URL's query.
  Answer ``{"errcode": 0, "errmsg": "ok"}``; 130101 "send too fast" (20 a minute, then 10 minutes throttled);
  310000 for a wrong signature, a missing keyword or an IP outside the allow-list.
- WeCom (群机器人): ``{"msgtype": "markdown", "markdown": {"content": …}}``, at most 4096 bytes of UTF-8; no
  signature, the ``key`` in the URL is the credential. Answer ``{"errcode": 0}``; 45009 frequency limit; -1 busy.
- Feishu/Lark (自定义机器人, 签名校验): ``timestamp`` = now in *seconds*, within an hour of Feishu's clock;
  ``sign`` = base64(HmacSHA256(key=f"{timestamp}\\n{secret}", message=b"")). Unlike DingTalk the string to sign
  is the HMAC *key* and the message is empty; both fields go in the JSON body. Answer ``{"code": 0}`` (older bots:
  ``{"StatusCode": 0}``); 19021 bad signature or stale timestamp, 19024 missing keyword, 9499 and 11232 rate
  limited; the body must stay under 20 KB.
- Slack incoming webhook: ``{"text": fallback, "blocks": […]}``; answer HTTP 200 with the plain body ``ok``,
  otherwise a 4xx/5xx with a short reason (``invalid_payload``, ``channel_not_found``, …) and 429 when throttled.
  ``&``, ``<`` and ``>`` are control characters in every text object and are sent as HTML entities.
"""

import base64
import hashlib
import hmac
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import NamedTuple
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from tandem.automation.channels import cards
from tandem.automation.webhooks import net
from tandem.automation.webhooks.net import DeliveryError, Refused, Response
from tandem.automation.webhooks.retry import is_retryable, retry_after


class Platform(StrEnum):
    DINGTALK = "dingtalk"
    WECOM = "wecom"
    FEISHU = "feishu"  # Lark is the same bot API on open.larksuite.com
    SLACK = "slack"


PLATFORM_NAMES = {
    Platform.DINGTALK: "DingTalk",
    Platform.WECOM: "WeCom",
    Platform.FEISHU: "Feishu",
    Platform.SLACK: "Slack",
}


@dataclass(frozen=True)
class _WebhookRule:
    hosts: frozenset[str]
    path: str
    path_is_prefix: bool = False
    required_parameter: str = ""


WEBHOOK_RULES = {
    Platform.DINGTALK: _WebhookRule(frozenset({"oapi.dingtalk.com"}), "/robot/send", required_parameter="access_token"),
    Platform.WECOM: _WebhookRule(frozenset({"qyapi.weixin.qq.com"}), "/cgi-bin/webhook/send", required_parameter="key"),
    Platform.FEISHU: _WebhookRule(
        frozenset({"open.feishu.cn", "open.larksuite.com"}), "/open-apis/bot/v2/hook/", path_is_prefix=True
    ),
    Platform.SLACK: _WebhookRule(frozenset({"hooks.slack.com"}), "/services/", path_is_prefix=True),
}

# Vendor result codes that mean "not now": rate limits and "system busy".
RETRYABLE_CODES = {
    Platform.DINGTALK: frozenset({130101, -1}),
    Platform.WECOM: frozenset({45009, -1}),
    Platform.FEISHU: frozenset({9499, 11232, 99991400}),
}
# Documented throttling windows, reported when the answer carries no Retry-After.
THROTTLE_WAITS = {
    (Platform.DINGTALK, 130101): timedelta(minutes=10),
    (Platform.WECOM, 45009): timedelta(minutes=1),
}
# What an admin should check for the configuration errors the vendors document.
CODE_HINTS = {
    (Platform.DINGTALK, 310000): "check the signing secret, the robot's keywords and its IP allow-list",
    (Platform.WECOM, 93000): "the webhook key is invalid or the robot was removed",
    (Platform.FEISHU, 19021): "check the signing secret and this server's clock (allowed skew: one hour)",
    (Platform.FEISHU, 19022): "this server's IP address is not on the bot's allow-list",
    (Platform.FEISHU, 19024): "the message lacks one of the bot's keywords",
}

JSON_HEADERS = {"Content-Type": "application/json; charset=utf-8"}
ELLIPSIS = "…"
TITLE_MAX_CHARS = 100
LINK_MAX_CHARS = 2000
WECOM_MAX_CONTENT_BYTES = 4096
FEISHU_MAX_BODY_BYTES = 20 * 1024
FEISHU_CARD_TEXT_CHARS = 2000
SLACK_HEADER_MAX_CHARS = 150
SLACK_SECTION_MAX_CHARS = 3000
SLACK_BUTTON_MAX_CHARS = 75


class RobotConfigError(ValueError):
    """A webhook URL, secret or message we refuse to send; only fixing the configuration helps."""


@dataclass(frozen=True)
class RobotButton:
    """A button on a message card that opens a link (approve, reject, open the record)."""

    label: str
    url: str
    primary: bool = False


@dataclass(frozen=True)
class RobotMessage:
    """What a robot posts: a title, plain text and an optional link; each platform's markup in them is escaped.

    With ``buttons`` the message becomes each platform's card (DingTalk ActionCard, WeCom text_notice template
    card, Feishu interactive card, Slack buttons), and ``fields`` (label, value) lines are shown as a table.
    """

    title: str
    text: str
    url: str = ""
    link_text: str = ""  # the link's label; the URL itself when empty
    buttons: tuple[RobotButton, ...] = ()
    fields: tuple[tuple[str, str], ...] = ()


class RobotRequest(NamedTuple):
    """The HTTP POST a robot expects."""

    url: str
    body: bytes
    headers: dict[str, str]


@dataclass(frozen=True)
class RobotResult:
    """How a post went: ``retryable`` says whether the same message may get through later."""

    ok: bool
    retryable: bool = False
    error: str = ""
    status: int | None = None
    retry_after: timedelta | None = None


def dingtalk_sign(timestamp_ms: int, secret: str) -> str:
    """DingTalk's signature, base64 (the caller URL-encodes it): HmacSHA256 keyed by the secret."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def feishu_sign(timestamp_s: int, secret: str) -> str:
    """Feishu's signature: HmacSHA256 keyed by "timestamp\\nsecret" over an empty message, base64."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def check_webhook_url(platform: Platform, url: str, *, allow_any_host: bool = False) -> None:
    """Refuse a webhook URL that is not the vendor's https endpoint (any http(s) URL with ``allow_any_host``)."""
    try:
        net.parse_url(url)
    except Refused as error:
        raise RobotConfigError(f"invalid webhook URL: {error.reason}") from None
    parts = urlsplit(url)
    if parts.fragment:
        raise RobotConfigError("the webhook URL must not have a fragment")
    if allow_any_host:
        return
    rule = WEBHOOK_RULES[platform]
    name = PLATFORM_NAMES[platform]
    # Messages never name the whole URL: its token or key is a credential.
    if parts.scheme.lower() != "https":
        raise RobotConfigError(f"{name} webhooks must use https")
    host = (parts.hostname or "").lower()
    if host not in rule.hosts or parts.port not in (None, 443):
        raise RobotConfigError(f"{host!r} is not a {name} webhook host ({', '.join(sorted(rule.hosts))})")
    if rule.path_is_prefix:
        path_ok = parts.path.startswith(rule.path) and len(parts.path) > len(rule.path)
    else:
        path_ok = parts.path == rule.path
    if not path_ok:
        raise RobotConfigError(f"a {name} webhook URL has the path {rule.path}{'…' if rule.path_is_prefix else ''}")
    if rule.required_parameter and not dict(parse_qsl(parts.query)).get(rule.required_parameter):
        raise RobotConfigError(f"a {name} webhook URL carries its {rule.required_parameter} parameter")


def dingtalk_request(
    webhook_url: str, message: RobotMessage, *, secret: str | None = None, now: datetime, allow_any_host: bool = False
) -> RobotRequest:
    """A DingTalk markdown message; with a secret, ``timestamp`` and ``sign`` are added to the URL."""
    check_webhook_url(Platform.DINGTALK, webhook_url, allow_any_host=allow_any_host)
    title, text, link, label = _prepared(message)
    if message.buttons:
        body = cards.dingtalk_card(title, _card_text(text, message), _buttons(message), escape_markdown)
        return _signed_dingtalk(webhook_url, body, secret, now)
    # DingTalk's markdown joins single newlines; two trailing spaces make a hard line break.
    parts = [f"#### {escape_markdown(title)}", escape_markdown(text).replace("\n", "  \n")]
    if link:
        parts.append(f"[{escape_markdown(label)}]({link})")
    body = {"msgtype": "markdown", "markdown": {"title": title, "text": "\n\n".join(p for p in parts if p)}}
    return _signed_dingtalk(webhook_url, body, secret, now)


def _signed_dingtalk(webhook_url: str, body: dict, secret: str | None, now: datetime) -> RobotRequest:
    url = webhook_url
    if secret:
        timestamp = _epoch_milliseconds(now)
        url = _replace_query(webhook_url, timestamp=str(timestamp), sign=dingtalk_sign(timestamp, secret))
    return RobotRequest(url, _json(body), dict(JSON_HEADERS))


def wecom_request(
    webhook_url: str, message: RobotMessage, *, secret: str | None = None, allow_any_host: bool = False
) -> RobotRequest:
    """A WeCom markdown message (WeCom group robots have no signature)."""
    check_webhook_url(Platform.WECOM, webhook_url, allow_any_host=allow_any_host)
    if secret:
        raise RobotConfigError("WeCom group robots have no signing secret; the key in the URL is the credential")
    title, text, link, label = _prepared(message)
    if message.buttons:
        body = cards.wecom_card(title, text, _fields(message), _buttons(message))
        return RobotRequest(webhook_url, _json(body), dict(JSON_HEADERS))

    def content(body_text: str) -> str:
        parts = [f"**{escape_markdown(title)}**", escape_markdown(body_text)]
        if link:
            parts.append(f"[{escape_markdown(label)}]({link})")
        return "\n".join(p for p in parts if p)

    text = _fit(text, lambda t: len(content(t).encode()), WECOM_MAX_CONTENT_BYTES)
    return RobotRequest(
        webhook_url, _json({"msgtype": "markdown", "markdown": {"content": content(text)}}), dict(JSON_HEADERS)
    )


def feishu_request(
    webhook_url: str, message: RobotMessage, *, secret: str | None = None, now: datetime, allow_any_host: bool = False
) -> RobotRequest:
    """A Feishu/Lark rich-text (post) message; with a secret, ``timestamp`` and ``sign`` go in the body."""
    check_webhook_url(Platform.FEISHU, webhook_url, allow_any_host=allow_any_host)
    title, text, link, label = _prepared(message)
    signature: dict[str, str] = {}
    if secret:
        timestamp = _epoch_seconds(now)
        signature = {"timestamp": str(timestamp), "sign": feishu_sign(timestamp, secret)}

    if message.buttons:
        card = cards.feishu_card(title, _fit(text, len, FEISHU_CARD_TEXT_CHARS), _fields(message), _buttons(message))
        return RobotRequest(webhook_url, _json({**signature, **card}), dict(JSON_HEADERS))

    def body(body_text: str) -> bytes:
        # Text elements are shown literally (``un_escape`` defaults to false), so nothing needs escaping.
        paragraphs = [[{"tag": "text", "text": line}] for line in body_text.split("\n")] if body_text else []
        if link:
            paragraphs.append([{"tag": "a", "text": label, "href": link}])
        post = {"zh_cn": {"title": title, "content": paragraphs}}
        return _json({**signature, "msg_type": "post", "content": {"post": post}})

    return RobotRequest(
        webhook_url, body(_fit(text, lambda t: len(body(t)), FEISHU_MAX_BODY_BYTES)), dict(JSON_HEADERS)
    )


def slack_request(
    webhook_url: str, message: RobotMessage, *, secret: str | None = None, allow_any_host: bool = False
) -> RobotRequest:
    """A Slack Block Kit message with a plain-text fallback for notifications."""
    check_webhook_url(Platform.SLACK, webhook_url, allow_any_host=allow_any_host)
    if secret:
        raise RobotConfigError("Slack incoming webhooks have no signing secret; the URL is the credential")
    title, text, link, label = _prepared(message)

    def plain(value: str, limit: int) -> dict:
        return {"type": "plain_text", "text": _fit_escaped(value, limit), "emoji": False}

    blocks: list[dict] = [{"type": "header", "text": plain(title, SLACK_HEADER_MAX_CHARS)}]
    if text:
        blocks.append({"type": "section", "text": plain(text, SLACK_SECTION_MAX_CHARS)})
    if message.fields:
        lines = "\n".join(f"{name}: {value}" for name, value in _fields(message))
        blocks.append({"type": "section", "text": plain(lines, SLACK_SECTION_MAX_CHARS)})
    buttons = _buttons(message) or ([RobotButton(label, link)] if link else [])
    if buttons:
        elements = []
        for button in buttons:
            element = {"type": "button", "text": plain(button.label, SLACK_BUTTON_MAX_CHARS), "url": button.url}
            if button.primary:
                element["style"] = "primary"
            elements.append(element)
        blocks.append({"type": "actions", "elements": elements})
    fallback = _fit_escaped(f"{title}\n{text}".strip(), SLACK_SECTION_MAX_CHARS)
    return RobotRequest(webhook_url, _json({"text": fallback, "blocks": blocks}), dict(JSON_HEADERS))


def build_request(
    platform: Platform | str,
    webhook_url: str,
    message: RobotMessage,
    *,
    secret: str | None = None,
    now: datetime,
    allow_any_host: bool = False,
) -> RobotRequest:
    """The request for ``platform``; raises ``RobotConfigError`` for anything we refuse to send."""
    try:
        platform = Platform(platform)
    except ValueError:
        raise RobotConfigError(f"unknown robot platform {platform!r}") from None
    if platform is Platform.DINGTALK:
        return dingtalk_request(webhook_url, message, secret=secret, now=now, allow_any_host=allow_any_host)
    if platform is Platform.WECOM:
        return wecom_request(webhook_url, message, secret=secret, allow_any_host=allow_any_host)
    if platform is Platform.FEISHU:
        return feishu_request(webhook_url, message, secret=secret, now=now, allow_any_host=allow_any_host)
    return slack_request(webhook_url, message, secret=secret, allow_any_host=allow_any_host)


def send(
    platform: Platform | str,
    webhook_url: str,
    message: RobotMessage,
    *,
    secret: str | None = None,
    now: datetime,
    allow_private: bool = False,
    allow_any_host: bool = False,
    timeout: float = 10,
) -> RobotResult:
    """Post ``message`` to a robot and say how it went; a refused configuration sends nothing."""
    _require_aware(now)
    try:
        request = build_request(platform, webhook_url, message, secret=secret, now=now, allow_any_host=allow_any_host)
    except RobotConfigError as error:
        return RobotResult(ok=False, retryable=False, error=str(error))
    try:
        response = net.post(request.url, request.body, request.headers, timeout=timeout, allow_private=allow_private)
    except DeliveryError as error:
        return RobotResult(ok=False, retryable=is_retryable(error), error=error.reason)
    return interpret_answer(Platform(platform), response, now=now)


def interpret_answer(platform: Platform, response: Response, *, now: datetime) -> RobotResult:
    """Read a robot's answer: Slack speaks in HTTP statuses, the others in a result code inside the body."""
    name = PLATFORM_NAMES[platform]
    wait = retry_after(response, now)
    if platform is Platform.SLACK:
        answer = response.body.decode("utf-8", "replace").strip()
        if response.status == 200 and answer == "ok":
            return RobotResult(ok=True, status=200)
        error = f"{name} answered HTTP {response.status}: {answer[:200] or 'empty body'}"
        return RobotResult(False, is_retryable(response), error, response.status, wait)
    code, detail = _result_code(platform, response.body)
    if response.ok and code == 0:
        return RobotResult(ok=True, status=response.status)
    retryable = is_retryable(response) or code in RETRYABLE_CODES[platform]
    wait = wait or THROTTLE_WAITS.get((platform, code))
    if code is None:
        error = response.failure or f"{name} answered HTTP {response.status} without a result code"
    else:
        error = f"{name} error {code}: {detail}"
        if hint := CODE_HINTS.get((platform, code)):
            error = f"{error} ({hint})"
    return RobotResult(False, retryable, error, response.status, wait)


_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]()<>#~|!&])")
_MARKDOWN_BLOCK_MARKER = re.compile(r"^([ \t]*)([-+=])", re.MULTILINE)
_MARKDOWN_ORDERED_ITEM = re.compile(r"^([ \t]*\d+)\.", re.MULTILINE)
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape_markdown(value: str) -> str:
    """Backslash-escape (CommonMark) what DingTalk's and WeCom's markdown would read as markup, HTML included."""
    value = _MARKDOWN_PUNCTUATION.sub(r"\\\1", value)
    value = _MARKDOWN_BLOCK_MARKER.sub(r"\1\\\2", value)
    return _MARKDOWN_ORDERED_ITEM.sub(r"\1\\.", value)


def escape_slack(value: str) -> str:
    """Slack's three control characters as the HTML entities Slack asks for."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _prepared(message: RobotMessage) -> tuple[str, str, str, str]:
    """Clean title (one line), text, checked link and its label."""
    title = " ".join(_clean(message.title).split())
    if not title:
        raise RobotConfigError("a robot message needs a title")
    if len(title) > TITLE_MAX_CHARS:
        title = title[: TITLE_MAX_CHARS - 1] + ELLIPSIS
    link = _checked_link(message.url)
    label = " ".join(_clean(message.link_text).split()) or link
    return title, _clean(message.text).strip(), link, label


def _buttons(message: RobotMessage) -> list[RobotButton]:
    """The card's buttons with one-line labels and checked links; a bad link refuses the whole message."""
    buttons = []
    for button in message.buttons:
        label = " ".join(_clean(button.label).split())
        if not label:
            raise RobotConfigError("a card button needs a label")
        buttons.append(RobotButton(label, _checked_link(button.url), button.primary))
    return buttons


def _fields(message: RobotMessage) -> list[tuple[str, str]]:
    return [(" ".join(_clean(name).split()), " ".join(_clean(value).split())) for name, value in message.fields]


def _card_text(text: str, message: RobotMessage) -> str:
    """Text and field lines as one plain text, for the platforms whose cards have no table."""
    lines = [f"{name}: {value}" for name, value in _fields(message)]
    return "\n".join(part for part in [text, *lines] if part)


def _clean(value: str) -> str:
    # A lone surrogate cannot be encoded as UTF-8, and control characters have no place in a chat message.
    value = value.encode("utf-8", "replace").decode("utf-8")
    return _CONTROL_CHARACTERS.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def _checked_link(url: str) -> str:
    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or _CONTROL_CHARACTERS.search(url):
        raise RobotConfigError("the message link must be an absolute http(s) URL")
    if len(url) > LINK_MAX_CHARS:
        raise RobotConfigError(f"the message link is longer than {LINK_MAX_CHARS} characters")
    # Percent-encode what could end a markdown link target early: spaces, parentheses, angle brackets, quotes.
    return quote(url, safe="/:?#[]@!$&'*+,;=%~")


def _fit(text: str, size: Callable[[str], int], limit: int) -> str:
    """The longest prefix of ``text`` (marked with an ellipsis when cut) whose rendering is within ``limit``."""
    if size(text) <= limit:
        return text
    if size(ELLIPSIS) > limit:
        raise RobotConfigError("the title and link alone exceed the platform's message size")
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if size(text[:middle] + ELLIPSIS) <= limit:
            low = middle
        else:
            high = middle - 1
    return text[:low] + ELLIPSIS


def _fit_escaped(value: str, limit: int) -> str:
    # Cut before escaping so an entity is never split in half.
    return escape_slack(_fit(value, lambda v: len(escape_slack(v)), limit))


def _replace_query(url: str, **parameters: str) -> str:
    """``url`` with ``parameters`` (URL-encoded) replacing any of the same name, other parameters left as they were."""
    base, _, query = url.partition("?")
    kept = [item for item in query.split("&") if item and item.partition("=")[0] not in parameters]
    return f"{base}?{'&'.join([*kept, urlencode(parameters)])}"


def _result_code(platform: Platform, body: bytes) -> tuple[int | None, str]:
    try:
        answer = json.loads(body)
    except ValueError:
        return None, ""
    if not isinstance(answer, dict):
        return None, ""
    if platform is Platform.FEISHU:
        code = answer.get("code", answer.get("StatusCode"))
        detail = answer.get("msg", answer.get("StatusMessage", ""))
    else:
        code, detail = answer.get("errcode"), answer.get("errmsg", "")
    if not isinstance(code, int) or isinstance(code, bool):
        return None, ""
    return code, str(detail)[:200]


def _json(body: dict) -> bytes:
    # Raw UTF-8, not \\uXXXX escapes: WeCom refuses those (40033) and the others accept both.
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _require_aware(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")


def _epoch_milliseconds(now: datetime) -> int:
    _require_aware(now)
    return int(now.timestamp() * 1000)


def _epoch_seconds(now: datetime) -> int:
    _require_aware(now)
    return int(now.timestamp())
