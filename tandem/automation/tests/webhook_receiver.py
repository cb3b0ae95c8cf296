"""A real HTTP receiver on 127.0.0.1 that checks each webhook with the `standardwebhooks` library.

The receiver verifies on its own, from what it got and the secrets the test gives it, without calling the
code under test. Import ``receiver_fixture`` (and ``immediate_tasks_fixture``) into a test module to use them.
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from tandem.automation.tests.local_server import serving


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    verified_with: list[str]  # the secrets (of those the receiver knows) whose check passed

    def json(self) -> dict:
        return json.loads(self.body.decode("utf-8"))

    @property
    def message_id(self) -> str:
        return self.headers["webhook-id"]


@dataclass
class Receiver:
    """Answers each POST with the next scripted (status, headers, body), then with ``default``."""

    server: ThreadingHTTPServer
    secrets: list[str] = field(default_factory=list)
    answers: deque = field(default_factory=deque)
    default: tuple[int, dict, bytes] = (204, {}, b"")
    requests: list[Received] = field(default_factory=list)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def url(self, path: str = "/hooks") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def script(self, *answers: int | tuple[int, dict, bytes]) -> None:
        for answer in answers:
            self.answers.append((answer, {}, b"") if isinstance(answer, int) else answer)

    def verify(self, body: bytes, headers: dict[str, str]) -> list[str]:
        passed = []
        for secret in self.secrets:
            try:
                Webhook(secret).verify(body, headers)
            except WebhookVerificationError:
                continue
            passed.append(secret)
        return passed


@pytest.fixture(name="receiver")
def receiver_fixture():
    def respond(path: str, headers: dict[str, str], body: bytes):
        receiver.requests.append(Received(path, headers, body, receiver.verify(body, headers)))
        return receiver.answers.popleft() if receiver.answers else receiver.default

    with serving(respond) as server:
        receiver = Receiver(server)
        yield receiver


@pytest.fixture(name="immediate_tasks")
def immediate_tasks_fixture():
    """Tasks run in place, as under the test settings, whichever settings module pytest was started with."""
    from huey.contrib.djhuey import HUEY

    was = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = was
