"""Browser fixtures: Debian's Chromium driven by Playwright's sync API against pytest-django's live server.

Playwright's sync API keeps an asyncio event loop running in the test thread, and Django refuses ORM calls
from a thread with a running loop; the demo loader and the database flush run there, so the guard is lifted
while the browser runs (the documented Playwright + Django recipe) and restored when it stops.
"""

from __future__ import annotations

import io
import os
import re
import sqlite3
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("TANDEM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
DEMO_PASSWORD = "tandem-demo"
DESKTOP = {"width": 1280, "height": 860}


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (install Debian's chromium or set TANDEM_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# The demo as the first test of this process loaded it, when the database is SQLite in memory: later tests copy
# it back (SQLite's backup API, milliseconds) instead of loading it again (seconds each).
_DEMO_SNAPSHOT: dict[str, sqlite3.Connection] = {}


@pytest.fixture
def demo_data(transactional_db):
    from django.core.management import call_command
    from django.db import connection

    connection.ensure_connection()
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    if in_memory and "demo" in _DEMO_SNAPSHOT:
        _DEMO_SNAPSHOT["demo"].backup(connection.connection)
        _forget_process_state()
        return
    call_command("demo", stdout=io.StringIO())
    if in_memory:
        snapshot = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(snapshot)
        _DEMO_SNAPSHOT["demo"] = snapshot


def _forget_process_state() -> None:
    """The copied demo has the ids an earlier test saw: what this process remembers per tenant is read afresh."""
    from tandem.accounts.models import Tenant
    from tandem.automation.engine.watched import rules_changed

    for tenant_id in Tenant.objects.values_list("pk", flat=True):
        rules_changed(tenant_id)


class BrowserSession:
    """One browser context on the live server, recording console errors and failed requests."""

    def __init__(self, context, base_url: str):
        self.context = context
        self.base_url = base_url
        self.page = context.new_page()
        self.problems: list[str] = []
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        self.page.on("requestfailed", self._on_request_failed)
        self.page.on("response", self._on_response)

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def _on_request_failed(self, request) -> None:
        failure = request.failure or ""
        if "ERR_ABORTED" in failure:
            return  # the page navigated away while this was loading (the favicon, say): not a fault
        self.problems.append(f"request failed: {request.url} ({failure})")

    def _on_response(self, response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str):
        return self.page.goto(self.url(path))

    def path(self) -> str:
        return re.sub(r"^https?://[^/]+", "", self.page.url)

    def shot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        target = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(target), full_page=True)
        return target

    def sign_in(self, username: str, password: str = DEMO_PASSWORD) -> None:
        self.goto("/accounts/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", password)
        with self.page.expect_navigation():
            self.page.click("#sign-in")

    def html_lang(self) -> str:
        return self.page.get_attribute("html", "lang") or ""


@pytest.fixture
def session_factory(browser, live_server, demo_data):
    contexts = []

    def make(viewport=None, locale: str = "zh-CN") -> BrowserSession:
        context = browser.new_context(viewport=viewport or DESKTOP, locale=locale)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return BrowserSession(context, live_server.url)

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def web(session_factory) -> BrowserSession:
    """A desktop browser whose Accept-Language is Chinese, like a user in China."""
    return session_factory()


@pytest.fixture
def contract_approval_off(demo_data):
    """The demo companies approve contracts before they are signed (see e2e/test_approvals.py); tests about the sales
    flow itself switch that off, as an administrator of a company without contract approval would."""
    from tandem.approvals.models import Flow

    Flow.objects.filter(object_type="crm.contract").update(is_active=False)
