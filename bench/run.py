"""`make bench`: request latency of a real deployment shape on this machine.

Creates a fresh PostgreSQL database, migrates it, loads the demo data, starts gunicorn (2 sync workers) and
measures with one sequential client: the health check (request handling floor), an API call with a bearer
token, an HTML list page with a signed-in session, the Gantt page of a 1,000-task project (HTML, JSON data and
the full draw in headless Chromium; bench/gantt.py), and a bare `SELECT 1` round trip for scale. Prints a
table; asserts nothing. The database, the server and the temporary data directory are removed at the end.

Options: --requests N (500), --warmup N (50); PostgreSQL server from BENCH_POSTGRES_URL
(postgres://postgres@127.0.0.1:5432/postgres), database name from BENCH_DB (tandem_bench).
The scheduling engine benchmarks (bench/engine.py, no database) run first, then resource leveling on every
PSPLIB j30/j60 instance (bench/leveling.py, ~15 minutes); `--only engine` runs just those, `--only leveling`
the leveling alone, `--only http` skips them.
`--only import` runs the 100k-row XLSX import benchmark (bench/imports.py) alone.
`--only automation` runs the won-deal handoff and event dispatcher benchmark through a real Huey consumer,
embedded and PostgreSQL + Redis (bench/automation.py) alone; without `--only` it runs after the HTTP requests.
`--only crm` runs the CRM benchmark over 100k accounts and 1M activities (bench/crm.py) alone; without
`--only` it runs after the automation benchmark.
`--only feedback` runs the bulk survey send to 10,000 contacts and the answer page under 50 clients
(bench/feedback.py) alone; without `--only` it runs after the CRM benchmark.
`--only printing` prints a 200-line contract to PDF with the shipped Chinese template (bench/printing.py) alone;
without `--only` it runs last.
`--only approvals` runs "My approvals" of a manager with 10,000 pending tasks, selector and API page
(bench/approvals.py) alone; without `--only` it runs after printing.
`--only resources` runs the resource conflict refresh (full and after one change; bench/conflicts.py) and the
utilisation heatmap's year (bench/utilisation.py), 500 resources × 52 weeks × 20,000 allocations, alone; without
`--only` they run last.
`--only costs` runs the cost center's budget view of a project with 5,000 budget lines and 50,000 cost records
and the portfolio over 500 projects (bench/costs.py) alone; without `--only` it runs after the resources.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import gantt
import psycopg
from measure import Client, Result, expect_ok, measure, table

ROOT = Path(__file__).resolve().parent.parent
SERVER_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAME = os.environ.get("BENCH_DB", "tandem_bench")
DEMO_PASSWORD = "tandem-demo"


def pg_url(database: str) -> str:
    return SERVER_URL.rsplit("/", 1)[0] + "/" + database


def pg_connect(database: str, **kwargs) -> psycopg.Connection:
    return psycopg.connect(pg_url(database).replace("postgres://", "postgresql://", 1), **kwargs)


def recreate_database() -> None:
    with pg_connect(SERVER_URL.rsplit("/", 1)[1], autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def drop_database() -> None:
    with pg_connect(SERVER_URL.rsplit("/", 1)[1], autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


def tandem(env: dict, *args: str) -> str:
    """Run a `tandem` management command (the console script's entry point) and return its output."""
    proc = subprocess.run([sys.executable, "-m", "tandem", *args], env=env, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(f"tandem {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_health(port: int, server: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}:\n{log.read_text()}")
        try:
            client = Client("127.0.0.1", port)
            status, _ = client.get("/healthz")
            client.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"/healthz did not answer within {timeout:.0f} s:\n{log.read_text()}")


def stop(server: subprocess.Popen | None) -> None:
    if server is None or server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)  # the arbiter stops its workers gracefully
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def start_server(env: dict, data_dir: Path) -> tuple[subprocess.Popen, int]:
    """gunicorn with 2 sync workers on a free loopback port, answering /healthz; its log goes to data_dir."""
    port = free_port()
    log = data_dir / "gunicorn.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "tandem.wsgi:application",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
            ],
            env=env,
            cwd=ROOT,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_health(port, server, log)
    except BaseException:
        stop(server)
        raise
    return server, port


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_info() -> list[str]:
    return machine_lines(DB_NAME)


def machine_lines(database: str) -> list[str]:
    with pg_connect(database) as conn:
        pg_version = conn.execute("SHOW server_version").fetchone()[0]
    import django
    import gunicorn

    host = SERVER_URL.split("@")[-1].rsplit("/", 1)[0]
    return [
        f"machine:    {os.cpu_count()} CPUs, {cpu_model()}, {platform.system()} {platform.release()}",
        f"software:   Python {platform.python_version()}, Django {django.get_version()}, "
        f"gunicorn {gunicorn.__version__} (2 sync workers), PostgreSQL {pg_version} on {host}",
    ]


def data_size() -> str:
    tables = {
        "tenants": "accounts_tenant",
        "users": "accounts_user",
        "memberships": "accounts_membership",
        "roles": "accounts_role",
        "audit entries": "audit_auditentry",
        "security events": "audit_securityevent",
    }
    with pg_connect(DB_NAME) as conn:
        counts = [
            f"{label} {conn.execute(f'SELECT count(*) FROM {table}').fetchone()[0]}" for label, table in tables.items()
        ]
        size = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]
    return f"data:       demo data ({', '.join(counts)}); database {size}"


def select_one(requests: int, warmup: int) -> Result:
    with pg_connect(DB_NAME, autocommit=True) as conn, conn.cursor() as cursor:

        def call() -> None:
            cursor.execute("SELECT 1")
            cursor.fetchone()

        return measure("psycopg SELECT 1 (scale)", call, requests=requests, warmup=warmup)


def run_benchmarks(port: int, token: str, requests: int, warmup: int, gantt_project=None) -> list[Result]:
    results = []
    client = Client("127.0.0.1", port)
    results.append(
        measure("GET /healthz", expect_ok(client, "/healthz"), requests=requests, warmup=warmup, client=client)
    )
    bearer = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    results.append(
        measure(
            "GET /api/v1/me/ (bearer token)",
            expect_ok(client, "/api/v1/me/", bearer),
            requests=requests,
            warmup=warmup,
            client=client,
        )
    )
    client.close()
    browser = Client("127.0.0.1", port)
    browser.sign_in("admin", DEMO_PASSWORD)
    results.append(
        measure(
            "GET /accounts/users/ (session)",
            expect_ok(browser, "/accounts/users/"),
            requests=requests,
            warmup=warmup,
            client=browser,
        )
    )
    browser.close()
    if gantt_project is not None:
        project_id, rows = gantt_project
        page_requests, page_warmup = max(requests // 10, 20), max(warmup // 10, 3)
        results += gantt.http_results(port, project_id, rows, DEMO_PASSWORD, page_requests, page_warmup)
        results += gantt.browser_results(port, project_id, rows, DEMO_PASSWORD)
    results.append(select_one(requests, warmup))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=500, help="measured requests per operation")
    parser.add_argument("--warmup", type=int, default=50, help="untimed requests before measuring")
    parser.add_argument(
        "--only",
        choices=(
            "engine",
            "leveling",
            "http",
            "import",
            "automation",
            "crm",
            "feedback",
            "printing",
            "approvals",
            "resources",
            "costs",
        ),
        help="run only these benchmarks",
    )
    args = parser.parse_args()
    if args.only == "import":
        import imports

        return imports.main([])
    if args.only == "automation":
        import automation

        return automation.main([])
    if args.only == "crm":
        import crm

        return crm.main([])
    if args.only == "feedback":
        import feedback

        return feedback.main([])
    if args.only == "printing":
        import printing

        return printing.main([])
    if args.only == "leveling":
        import leveling

        return leveling.main([])
    if args.only == "approvals":
        import approvals

        return approvals.main([])
    if args.only == "resources":
        return resources()
    if args.only == "costs":
        import costs

        return costs.main([])
    if args.only != "http":
        import engine
        import leveling

        engine.main([])
        print()
        leveling.main([])
        print()
        if args.only == "engine":
            return 0
    http(args)
    if args.only is None:
        import approvals
        import automation
        import crm
        import feedback
        import printing

        print()
        automation.main([])
        print()
        code = crm.main([])
        print()
        code = feedback.main([]) or code
        print()
        code = printing.main([]) or code
        print()
        code = approvals.main([]) or code
        print()
        code = resources() or code
        print()
        import costs

        return costs.main([]) or code
    return 0


def resources() -> int:
    import conflicts
    import utilisation

    code = conflicts.main([])
    print()
    return utilisation.main([]) or code


def server_env(database: str, data_dir: Path) -> dict:
    """The environment of `tandem` commands and gunicorn: production settings on `database`, quiet logs."""
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DEBUG", "TANDEM_ENV"}}
    env.update(
        DATABASE_URL=pg_url(database),
        DJANGO_SETTINGS_MODULE="tandem.settings",
        TANDEM_DATA_DIR=str(data_dir),
        LOG_LEVEL="ERROR",
    )
    return env


def http(args) -> None:
    """The request benchmarks over the demo data (see the module docstring)."""
    data_dir = Path(tempfile.mkdtemp(prefix="tandem-bench-"))
    env = server_env(DB_NAME, data_dir)
    server = None
    try:
        print(f"bench: fresh database {DB_NAME}, migrate, demo data …", flush=True)
        recreate_database()
        tandem(env, "migrate", "--noinput")
        tandem(env, "demo")
        token = tandem(env, "token", "create", "--tenant", "demo", "--user", "admin", "--name", "bench").split()[-1]
        print("bench: a 1,000-task project for the Gantt …", flush=True)
        gantt_project = gantt.seed(tandem, env, tasks=1000)

        server, port = start_server(env, data_dir)
        print(f"bench: gunicorn on 127.0.0.1:{port}; {args.requests} requests each after {args.warmup} warm-up\n")

        results = run_benchmarks(port, token, args.requests, args.warmup, gantt_project)
        print(table(results))
        print()
        for line in [*machine_info(), data_size()]:
            print(line)
        print(
            "client:     one sequential http.client connection over loopback; gunicorn's sync workers close "
            "every connection, so each request includes a TCP connect ('connects')"
        )
    finally:
        stop(server)
        try:
            drop_database()
        except psycopg.Error as exc:
            print(f"bench: could not drop {DB_NAME}: {exc}", file=sys.stderr)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
