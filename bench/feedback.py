"""`bench/feedback.py` (or `bench/run.py --only feedback`): a bulk survey send to 10,000 contacts through a real
Huey consumer to a real SMTP server, and the customer's answer page under 50 concurrent clients.

Each backend runs in its own child process (Django settings are read once per process) with a fresh database and
a temporary TANDEM_DATA_DIR:

  embedded   SQLite file and SqliteHuey queue in the temporary data directory (no DATABASE_URL, no REDIS_URL)
  postgres   PostgreSQL database BENCH_FEEDBACK_DB (default tandem_bench_feedback) on BENCH_POSTGRES_URL's server,
             RedisHuey and the cache on BENCH_FEEDBACK_REDIS_URL (default redis://127.0.0.1:6379/14, a Redis
             database only this benchmark uses: flushed before and after)

What it measures, in each backend (after `migrate`, LOG_LEVEL=ERROR, HUEY_IMMEDIATE=0):

1. Bulk send. A tenant with --contacts accounts, each with a primary contact with an email address (bulk-inserted;
   every 10th account tagged), an aiosmtpd sink on 127.0.0.1 counting what it accepts, and `tandem run_huey`
   (2 worker threads) started with EMAIL_* pointing at the sink. The bench calls `survey_batch_start` with no
   filter (all accounts) and times from its commit: the batch task picked up (status running), every survey written
   (status done), and every email accepted by the sink. Then it checks one message per contact and no failures.
2. The answer page. gunicorn (2 sync workers, as `tandem serve` starts it) on a free loopback port; --clients
   threads each GET /s/<token>/ for --requests-per-client different surveys (a customer opening their link once,
   which notes the opening: a write), each with its own X-Forwarded-For address (the settings module
   bench/feedback_settings.py trusts the proxy header, as behind the reverse proxy of docs/deploy.md, so the
   per-address rate limit of 30 a minute sees customers, not the bench). p50/p95/max latency and requests/s;
   every answer must be 200 with the 0–10 scale.

Prints a table, the data size and the machine; asserts nothing. The consumer, the sink, gunicorn, the PostgreSQL
database, the Redis keys and the data directories are removed at the end, also on failure.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from automation import Consumer, wait_until
from children import backend_space, child_result, cpu_model, pct, pg_url, report_result

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
DB_NAME = os.environ.get("BENCH_FEEDBACK_DB", "tandem_bench_feedback")
REDIS_URL = os.environ.get("BENCH_FEEDBACK_REDIS_URL", "redis://127.0.0.1:6379/14")
HUEY_NAME = "tandem-bench-feedback"
BACKENDS = ("embedded", "postgres")


# --- parent: one child process per backend ----------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def child_env(backend: str, data_dir: Path, smtp_port: int) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL", "DEBUG", "TANDEM_ENV"}}
    env.update(
        DJANGO_SETTINGS_MODULE="feedback_settings",
        PYTHONPATH=os.pathsep.join([str(ROOT), str(BENCH), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        TANDEM_DATA_DIR=str(data_dir),
        LOG_LEVEL="ERROR",
        HUEY_IMMEDIATE="0",
        HUEY_NAME=HUEY_NAME,
        PYTHONUNBUFFERED="1",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        EMAIL_TIMEOUT="10",
        DEFAULT_FROM_EMAIL="survey@bench.example.com",
        TANDEM_BASE_URL="http://127.0.0.1:8000",
    )
    env.pop("HUEY_SQLITE_PATH", None)
    if backend == "postgres":
        env.update(DATABASE_URL=pg_url(DB_NAME), REDIS_URL=REDIS_URL)
    return env


def run_backend(backend: str, args) -> dict:
    with backend_space(backend, prefix="tandem-bench-feedback", db_name=DB_NAME, redis_url=REDIS_URL) as data_dir:
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--child",
            backend,
            "--contacts",
            str(args.contacts),
            "--clients",
            str(args.clients),
            "--requests-per-client",
            str(args.requests_per_client),
        ]
        return child_result(command, child_env(backend, data_dir, free_port()), backend)


def report(results: dict[str, dict], args, load_before: float) -> None:
    print()
    header = f"{'bulk send, from commit':<40} {'backend':<9} {'contacts':>8} {'seconds':>8} {'per s':>8}"
    print(header)
    print("-" * len(header))
    for backend, r in results.items():
        b = r["bulk"]
        for label, key in (
            ("batch picked up by the worker", "picked_up"),
            ("every survey written (batch done)", "done"),
            ("every email accepted by the SMTP sink", "mailed"),
        ):
            seconds = b[key]
            rate = f"{b['contacts'] / seconds:>8.0f}" if key != "picked_up" else f"{'':>8}"
            print(f"{label:<40} {backend:<9} {b['contacts']:>8} {seconds:>8.2f} {rate}")
    print()
    header = (
        f"{'GET /s/<token>/ (answer page)':<34} {'backend':<9} {'clients':>7} {'requests':>8} {'req/s':>7} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}"
    )
    print(header)
    print("-" * len(header))
    for backend, r in results.items():
        h = r["http"]
        lat = h["latencies"]
        print(
            f"{'first opening of a link':<34} {backend:<9} {h['clients']:>7} {len(lat):>8} "
            f"{len(lat) / h['elapsed']:>7.1f} {pct(lat, 50) * 1000:>7.1f} {pct(lat, 95) * 1000:>7.1f} "
            f"{max(lat) * 1000:>7.1f}"
        )
    print()
    any_result = next(iter(results.values()))
    print(f"data:       {any_result['data']}")
    for backend, r in results.items():
        print(f"            {backend}: {r['sizes']}")
    print(
        f"machine:    {os.cpu_count()} CPUs, {cpu_model()}, {platform.system()} {platform.release()}; "
        f"1-minute load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
    )
    for r in results.values():
        print(f"software:   {r['software']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contacts", type=int, default=10000, help="accounts, each with one primary contact")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients on the answer page")
    parser.add_argument("--requests-per-client", type=int, default=20, help="links each client opens")
    parser.add_argument("--backend", choices=BACKENDS, action="append", help="run only this backend (repeatable)")
    parser.add_argument("--child", choices=BACKENDS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args)
    load_before = os.getloadavg()[0]
    results = {}
    for backend in args.backend or BACKENDS:
        print(f"bench: feedback, {backend} …", flush=True)
        results[backend] = run_backend(backend, args)
    report(results, args, load_before)
    return 0


# --- child: one backend, Django set up from the environment ---------------------------------------


class Sink:
    """An aiosmtpd server on 127.0.0.1 that accepts everything and counts messages and recipients."""

    def __init__(self, port: int):
        from aiosmtpd.controller import Controller

        self.messages = 0
        self.recipients: set[str] = set()
        self.lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=port)

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages += 1
            self.recipients.update(envelope.rcpt_tos)
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


def seed(contacts: int):
    """One tenant, a service member, --contacts accounts each with a primary contact (bulk-inserted)."""
    from tandem.crm.models import Account, AccountContact, Contact
    from tandem.testing.kit import access_for, make_member, make_tenant

    tenant = make_tenant(slug="bench-feedback", name="华筑智能化工程有限公司", locale="zh-hans")
    service = make_member(tenant, "service", username="bench-service", display_name="赵静")
    owner = make_member(tenant, "sales", username="bench-sales", display_name="陈晓")
    tiers = ("vip", "key", "normal")
    accounts = Account.objects.bulk_create(
        [
            Account(
                tenant=tenant,
                owner=owner.user,
                name=f"压测客户{n:05d}有限公司",
                tier=tiers[n % 3],
                tags=["年度回访"] if n % 10 == 0 else [],
            )
            for n in range(contacts)
        ],
        batch_size=1000,
    )
    people = Contact.objects.bulk_create(
        [
            Contact(tenant=tenant, owner=owner.user, name=f"联系人{n:05d}", email=f"c{n:05d}@customer.example.com")
            for n in range(contacts)
        ],
        batch_size=1000,
    )
    AccountContact.objects.bulk_create(
        [
            AccountContact(tenant=tenant, account=a, contact=c, is_primary=True)
            for a, c in zip(accounts, people, strict=True)
        ],
        batch_size=1000,
    )
    return tenant, access_for(service)


def open_links(port: int, tokens: list[str], clients: int) -> tuple[list[float], float]:
    """`clients` threads, each opening its share of the links one after another; (latencies, elapsed)."""
    shares = [tokens[i::clients] for i in range(clients)]
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)

    def client(n: int, share: list[str]) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        start.wait()
        for i, token in enumerate(share):
            headers = {"X-Forwarded-For": f"10.{n}.{i // 250}.{i % 250 + 1}", "Accept-Language": "zh-hans"}
            t0 = time.perf_counter()
            conn.request("GET", f"/s/{token}/", headers=headers)
            response = conn.getresponse()
            body = response.read()
            mine.append(time.perf_counter() - t0)
            if response.status != 200 or b"nps-scale" not in body:
                with lock:
                    errors.append(f"{response.status} {body[:200]!r}")
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(n, share)) for n, share in enumerate(shares)]
    for thread in threads:
        thread.start()
    start.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"{len(errors)} answer pages failed, e.g. {errors[0]}")
    return latencies, elapsed


def start_gunicorn(data_dir: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    log = data_dir / "gunicorn.log"
    with log.open("w") as out:
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
            env=os.environ.copy(),
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def healthy() -> bool:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}:\n{log.read_text()[-3000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            ok = conn.getresponse().status == 200
            conn.close()
            return ok
        except OSError:
            return False

    wait_until(healthy, timeout=60, what="gunicorn to answer /healthz", every=0.2)
    return server, port


def stop_process(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def child(args) -> int:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    data_dir = Path(os.environ["TANDEM_DATA_DIR"])
    sink = Sink(int(os.environ["EMAIL_PORT"]))
    consumer = Consumer(data_dir)
    server = None
    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrated in {time.perf_counter() - started:.0f} s", flush=True)
        sink.start()
        result, server = measure(args, sink, consumer, data_dir)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SHOW server_version")
                db = f"PostgreSQL {cursor.fetchone()[0]} + Redis (RedisHuey, cache)"
        else:
            import sqlite3

            db = f"SQLite {sqlite3.sqlite_version} + SqliteHuey, local-memory cache"
        import aiosmtpd
        import gunicorn
        import huey

        result["software"] = (
            f"Python {platform.python_version()}, Django {django.get_version()}, huey {huey.__version__}, {db}; "
            f"consumer `tandem run_huey` (2 worker threads); gunicorn {gunicorn.__version__} (2 sync workers); "
            f"aiosmtpd {aiosmtpd.__version__} sink"
        )
        report_result(result)
        return 0
    finally:
        stop_process(server)
        consumer.stop()
        sink.stop()
        from django.db import connections

        connections.close_all()


def measure(args, sink: Sink, consumer: Consumer, data_dir: Path):
    from django.db import transaction
    from django.db.models import F
    from huey.contrib.djhuey import HUEY

    import tandem.core.tasks  # noqa: F401  (the tasks this process enqueues)
    import tandem.feedback.tasks  # noqa: F401
    from tandem.feedback import tokens
    from tandem.feedback.choices import BatchStatus, SurveyStatus
    from tandem.feedback.models import Survey, SurveyBatch
    from tandem.feedback.services.batches import survey_batch_start
    from tandem.feedback.services.templates import template_default

    HUEY.flush()
    started = time.perf_counter()
    tenant, access = seed(args.contacts)
    template = template_default(tenant_id=tenant.pk, language="zh-hans")
    print(f"{args.contacts:,} accounts with a primary contact in {time.perf_counter() - started:.1f} s", flush=True)
    consumer.start()
    time.sleep(2)  # the consumer's start-up is not the batch's time
    consumer.check()

    # --- 1. bulk send ---
    stamp: list[float] = []
    with transaction.atomic():
        transaction.on_commit(lambda: stamp.append(time.perf_counter()))  # runs before the batch task is queued
        batch = survey_batch_start(access=access, filters={}, template=template)
    committed = stamp[0]
    picked_up = done = mailed = None
    last_print = time.perf_counter()
    deadline = time.perf_counter() + 1800
    while mailed is None or done is None:
        consumer.check()
        now = time.perf_counter()
        if now > deadline:
            raise RuntimeError(f"not finished after 30 minutes; consumer log:\n{consumer.log.read_text()[-3000:]}")
        status, processed = (
            SurveyBatch.objects.filter(pk=batch.pk)
            .annotate(processed=F("sent") + F("skipped") + F("failed"))
            .values_list("status", "processed")
            .first()
        )
        if picked_up is None and status != BatchStatus.QUEUED:
            picked_up = now - committed
        if done is None and status in (BatchStatus.DONE, BatchStatus.FAILED):
            done = now - committed
        if mailed is None and sink.messages >= args.contacts:
            mailed = now - committed
        if now - last_print > 15:
            print(
                f"  {now - committed:.0f} s: batch {status}, {processed:,} surveys written, "
                f"{sink.messages:,} emails accepted",
                flush=True,
            )
            last_print = now
        time.sleep(0.05)
    batch.refresh_from_db()
    if batch.status != BatchStatus.DONE or batch.sent != args.contacts or batch.failed:
        raise RuntimeError(f"batch {batch.status}: sent {batch.sent}, skipped {batch.skipped}, failed {batch.failed}")
    time.sleep(1)
    if sink.messages != args.contacts or len(sink.recipients) != args.contacts:
        raise RuntimeError(f"{sink.messages} messages to {len(sink.recipients)} addresses, expected one per contact")
    failed = Survey.objects.filter(batch=batch, status=SurveyStatus.FAILED).count()
    if failed:
        raise RuntimeError(f"{failed} deliveries failed")
    print(f"bulk: {args.contacts:,} emails accepted {mailed:.1f} s after the commit", flush=True)
    consumer.stop()

    # --- 2. the answer page under concurrent clients ---
    wanted = args.clients * args.requests_per_client
    nonces = list(Survey.objects.filter(batch=batch).order_by("?").values_list("nonce", flat=True)[:wanted])
    links = [tokens.token_for(n) for n in nonces]
    server, port = start_gunicorn(data_dir)
    warm, _ = open_links(port, links[: args.clients], args.clients)  # untimed: the workers' first requests
    latencies, elapsed = open_links(port, links[args.clients :], args.clients)
    print(f"answer page: {len(latencies)} requests, p95 {pct(latencies, 95) * 1000:.0f} ms", flush=True)

    counts = {
        "surveys": Survey.objects.filter(tenant_id=tenant.pk).count(),
        "opened": Survey.objects.filter(tenant_id=tenant.pk, opened_at__isnull=False).count(),
    }
    from tandem.core.models import OutboxEvent

    counts["events"] = OutboxEvent.objects.filter(tenant_id=tenant.pk).count()
    return (
        {
            "bulk": {"contacts": args.contacts, "picked_up": picked_up, "done": done, "mailed": mailed},
            "http": {"clients": args.clients, "latencies": latencies, "elapsed": elapsed},
            "data": (
                f"1 tenant, {args.contacts:,} accounts each with a primary contact with an email address, the default "
                f"survey template; answer page: {args.clients} clients × {args.requests_per_client - 1} timed links "
                "each (one untimed warm-up link each), every link opened once"
            ),
            "sizes": "{surveys:,} surveys ({opened:,} opened), {events:,} outbox events at the end".format(**counts),
        },
        server,
    )


if __name__ == "__main__":
    sys.exit(main())
