"""What the channel tests share: a local robot receiver that checks vendor signatures, a real SMTP server.

The signature verifiers recompute DingTalk's and Feishu's documented recipes from what arrived, without calling
the code under test. A test module uses a fixture by binding it to a module name:
``receiver = channels_support.receiver``.
"""

from __future__ import annotations

import base64
import email
import email.header
import email.policy
import hashlib
import hmac
import json
import socket
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from aiosmtpd.controller import Controller

from tandem.automation.tests.local_server import serving

DINGTALK_SECRET = "SECc0ffee5eed0a7d4c2e9f31a8d5b7e2c4a6f8091b3d5e7f9a1c3e5f7b9d1f3a5"
FEISHU_SECRET = "fS7kQ2mXw9LpR4tZ"


@dataclass
class Received:
    path: str
    query: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body.decode("utf-8"))

    def parameters(self) -> dict[str, str]:
        return {name: values[0] for name, values in parse_qs(self.query, keep_blank_values=True).items()}


@dataclass
class Receiver:
    """Records every POST and answers with ``answer(request)``: (status, body bytes), or with headers to send too
    (status, body bytes, headers)."""

    server: ThreadingHTTPServer
    requests: list[Received] = field(default_factory=list)
    answer: object = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def answer_with(self, status: int, body: bytes | str | dict, headers: dict[str, str] | None = None) -> None:
        if isinstance(body, dict):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode()
        self.answer = lambda request: (status, body, headers or {})


@pytest.fixture
def receiver():
    def respond(path: str, headers: dict[str, str], body: bytes):
        parts = urlsplit(path)
        request = Received(parts.path, parts.query, headers, body)
        target.requests.append(request)
        status, answer, *more = target.answer(request)
        return status, {"Content-Type": "application/json", **(more[0] if more else {})}, answer

    with serving(respond) as server:
        target = Receiver(server)
        target.answer_with(200, {"errcode": 0, "errmsg": "ok"})
        yield target


def allow_local_robots(settings) -> None:
    """Robots on 127.0.0.1 are allowed, on any host."""
    settings.TANDEM_WEBHOOK_ALLOW_PRIVATE = True
    settings.TANDEM_ROBOT_ALLOW_ANY_HOST = True


def dingtalk_signature_valid(parameters: dict[str, str], secret: str, *, now_ms: int | None = None) -> bool:
    """DingTalk: HmacSHA256(key=secret, msg="timestamp\\nsecret"), base64; timestamp in ms within an hour of now."""
    now_ms = int(datetime.now(UTC).timestamp() * 1000) if now_ms is None else now_ms
    timestamp, sign = parameters.get("timestamp", ""), parameters.get("sign", "")
    if not timestamp.isdigit() or abs(now_ms - int(timestamp)) > 3600 * 1000:
        return False
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}\n{secret}".encode(), digestmod=hashlib.sha256)
    return hmac.compare_digest(base64.b64encode(mac.digest()).decode(), sign)


def feishu_signature_valid(body: dict, secret: str, *, now_s: int | None = None) -> bool:
    """Feishu: HmacSHA256(key="timestamp\\nsecret", msg=empty), base64; timestamp in seconds within an hour of now."""
    now_s = int(datetime.now(UTC).timestamp()) if now_s is None else now_s
    timestamp, sign = str(body.get("timestamp", "")), body.get("sign", "")
    if not timestamp.isdigit() or abs(now_s - int(timestamp)) > 3600:
        return False
    mac = hmac.new(f"{timestamp}\n{secret}".encode(), b"", digestmod=hashlib.sha256)
    return hmac.compare_digest(base64.b64encode(mac.digest()).decode(), sign)


def dingtalk_vendor(request: Received) -> tuple[int, bytes]:
    """The receiver playing DingTalk: a wrong signature is errcode 310000 inside an HTTP 200."""
    if dingtalk_signature_valid(request.parameters(), DINGTALK_SECRET):
        return 200, b'{"errcode":0,"errmsg":"ok"}'
    return 200, b'{"errcode":310000,"errmsg":"sign not match"}'


def feishu_vendor(request: Received) -> tuple[int, bytes]:
    if feishu_signature_valid(request.json(), FEISHU_SECRET):
        return 200, b'{"code":0,"data":{},"msg":"success"}'
    return 200, b'{"code":19021,"data":{},"msg":"sign match fail or timestamp is not within one hour"}'


# --- email -----------------------------------------------------------------------------------------


class Inbox:
    """An aiosmtpd handler keeping what it accepted; ``refuse`` makes it answer RCPT with that reply."""

    def __init__(self):
        self.envelopes = []
        self.refuse = ""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def use_smtp(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "tandem@example.com"


@pytest.fixture
def smtp_inbox(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    use_smtp(settings, controller.port)
    try:
        yield inbox
    finally:
        controller.stop()


def received_email(envelope):
    return email.message_from_bytes(envelope.original_content, policy=email.policy.default)


def subject_of(envelope) -> str:
    raw = email.message_from_bytes(envelope.original_content)["Subject"]
    return str(email.header.make_header(email.header.decode_header(raw)))
