"""The real Huey consumer for tests: a `tandem run_huey` subprocess on the test database and a Redis queue of its
own, and a way to make this test process enqueue onto that queue instead of running tasks in-process."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

from django.db import connection

REPO_ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/0"


def database_url() -> str:
    """The URL of the database pytest-django created, so subprocesses see the rows a test commits."""
    s = connection.settings_dict
    auth = quote(s["USER"] or "")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"])
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def wait_for(predicate, *, timeout: float, what: str, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    detail = log.read_text(errors="replace")[-3000:] if log else ""
    raise AssertionError(f"timed out after {timeout}s waiting for {what}\n{detail}")


def worker_env(name: str, **extra: str) -> dict:
    """The environment of a worker (or a web process) of the scaled-out deployment, on the test database."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tandem.settings_test",
        "HUEY_IMMEDIATE": "0",
        "REDIS_URL": REDIS_URL,
        "HUEY_NAME": name,
        "DATABASE_URL": database_url(),
        **extra,
    }


def start_consumer(env: dict, log: Path) -> subprocess.Popen:
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "tandem", "run_huey"], env=env, cwd=REPO_ROOT, stdout=out, stderr=subprocess.STDOUT
        )
    wait_for(
        lambda: "Huey consumer started" in log.read_text(errors="replace") or process.poll() is not None,
        timeout=30,
        what="the consumer to start",
        log=log,
    )
    assert process.poll() is None, log.read_text(errors="replace")
    return process


def stop(process: subprocess.Popen | None) -> None:
    if process is not None and process.poll() is None:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)


def drop_queue(name: str) -> None:
    import redis

    queue = redis.Redis.from_url(REDIS_URL)
    keys = list(queue.scan_iter(match=f"huey.*{name}*"))
    if keys:
        queue.delete(*keys)
    queue.close()


@contextlib.contextmanager
def enqueue_to(name: str):
    """While inside, this process's tasks go onto the Redis queue `name` (for a real consumer) instead of
    running in-process as the test settings' immediate mode has them."""
    from huey.contrib.djhuey import HUEY
    from huey.storage import RedisStorage

    immediate, storage = HUEY.immediate, HUEY.storage
    HUEY.immediate = False
    HUEY.storage = RedisStorage(name=name, url=REDIS_URL)
    try:
        yield
    finally:
        HUEY.storage = storage
        HUEY.immediate = immediate


def queue_name(prefix: str = "tandem_test") -> str:
    return f"{prefix}_{uuid.uuid4().hex[:12]}"
