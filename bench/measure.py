"""A single sequential HTTP client over one reusable connection, and latency statistics."""

from __future__ import annotations

import http.client
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Result:
    operation: str
    latencies: list[float]  # seconds, one per measured request
    elapsed: float  # wall time of the measured loop
    connects: int = 0  # TCP connections the client had to open during the measured loop

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def percentile_ms(self, pct: int) -> float:
        # quantiles(n=100) returns the 1st..99th percentile cut points.
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[pct - 1] * 1000


class Client:
    """Keeps one connection open for as long as the server allows, and a cookie jar for the session."""

    def __init__(self, host: str, port: int):
        self.conn = http.client.HTTPConnection(host, port, timeout=30)
        self.cookies: dict[str, str] = {}
        self.connects = 0

    def request(self, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.conn.sock is None:
            self.connects += 1  # http.client reconnects by itself when the server closed the connection
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        for header in response.msg.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
        return response.status, data

    def get(self, path: str, headers: dict | None = None):
        return self.request("GET", path, headers=headers)

    def sign_in(self, username: str, password: str) -> None:
        """Sign in through the login form, as a browser does: CSRF token from the page, then POST."""
        status, page = self.get("/accounts/login/")
        match = CSRF_INPUT.search(page.decode())
        if status != 200 or match is None:
            raise RuntimeError(f"login page answered {status} without a CSRF token")
        form = urlencode({"csrfmiddlewaretoken": match.group(1), "username": username, "password": password})
        status, _ = self.request(
            "POST",
            "/accounts/login/",
            body=form.encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"sign-in as {username} failed with HTTP {status}")

    def close(self) -> None:
        self.conn.close()


def measure(operation: str, call: Callable[[], None], *, requests: int, warmup: int, client=None) -> Result:
    """Run `call` warmup times untimed, then `requests` times timed one after another."""
    for _ in range(warmup):
        call()
    connects_before = client.connects if client else 0
    latencies = []
    started = time.perf_counter()
    for _ in range(requests):
        t0 = time.perf_counter()
        call()
        latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    connects = (client.connects - connects_before) if client else 0
    return Result(operation, latencies, elapsed, connects)


def expect_ok(client: Client, path: str, headers: dict | None = None) -> Callable[[], None]:
    """A request that must answer 200 (a redirect to the login page would measure the wrong thing)."""

    def call() -> None:
        status, body = client.get(path, headers=headers)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}: {body[:200]!r}")

    return call


def table(results: list[Result]) -> str:
    width = max([34, *(len(r.operation) for r in results)])
    header = f"{'operation':<{width}} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'connects':>9}"
    lines = [header, "-" * len(header)]
    for r in results:
        lines.append(
            f"{r.operation:<{width}} {len(r.latencies):>8} {r.per_second:>8.1f} "
            f"{r.percentile_ms(50):>8.2f} {r.percentile_ms(95):>8.2f} {r.connects:>9}"
        )
    return "\n".join(lines)
