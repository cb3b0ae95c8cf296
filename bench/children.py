"""The parent side of the benchmarks that run one child process per backend (embedded, PostgreSQL + Redis).

A child prints its figures as one line `BENCH-RESULT {json}`; everything else it prints is passed through with the
backend's name in front. The PostgreSQL backend gets a fresh database (and Redis database) of its own, dropped again
afterwards; every backend gets a fresh data directory.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
RESULT = "BENCH-RESULT "


def pg_url(database: str) -> str:
    return SERVER_URL.rsplit("/", 1)[0] + "/" + database


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(SERVER_URL.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(sql)


def flush_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()


def pct(values: list[float], p: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def child_result(command: list[str], env: dict, backend: str) -> dict:
    """Run a child benchmark, pass its output through, and return the figures it reported."""
    proc = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    result = None
    for line in proc.stdout:
        if line.startswith(RESULT):
            result = json.loads(line[len(RESULT) :])
        else:
            print(f"  [{backend}] {line}", end="", flush=True)
    if proc.wait() or result is None:
        raise RuntimeError(f"the {backend} benchmark failed (exit {proc.returncode})")
    return result


def report_result(result: dict) -> None:
    """In a child: hand the figures to the parent."""
    print(RESULT + json.dumps(result), flush=True)


@contextlib.contextmanager
def backend_space(backend: str, *, prefix: str, db_name: str, redis_url: str | None = None) -> Iterator[Path]:
    """A fresh data directory, and for PostgreSQL a fresh database (and an empty Redis database), cleaned after."""
    data_dir = Path(tempfile.mkdtemp(prefix=f"{prefix}-{backend}-"))
    try:
        if backend == "postgres":
            pg_admin(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
            pg_admin(f'CREATE DATABASE "{db_name}"')
            if redis_url:
                flush_redis(redis_url)
        yield data_dir
    finally:
        if backend == "postgres":
            try:
                pg_admin(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
            except Exception as exc:  # noqa: BLE001 (report and go on cleaning)
                print(f"bench: could not drop {db_name}: {exc}", file=sys.stderr)
            if redis_url:
                try:
                    flush_redis(redis_url)
                except Exception as exc:  # noqa: BLE001
                    print(f"bench: could not flush {redis_url}: {exc}", file=sys.stderr)
        shutil.rmtree(data_dir, ignore_errors=True)
