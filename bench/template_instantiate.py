"""`bench/template_instantiate.py`: a project from a template (`template_instantiate`), in-process, no HTTP.

Each backend runs in its own child process (Django settings are read once per process) with a fresh
database and a temporary TANDEM_DATA_DIR:

  sqlite     SQLite file in the temporary data directory (no DATABASE_URL)
  postgres   PostgreSQL database BENCH_TPL_DB (default tandem_bench_tpl) on BENCH_POSTGRES_URL's server

Templates: the 120-task, 136-link template of bench/automation.py (chains, parallel crews joined by SS links,
procurement branches, milestones; the PM role on one task) and a 5-task one. Each run instantiates the
template as a new project with a PM, a one-person team and a customer (what the won-deal action passes), in
its own committed transaction; --runs timed runs after --warmup untimed ones. Reports p50/p95/max in ms and
the SQL statements of one run (CaptureQueriesContext). Asserts nothing beyond every project having all its
tasks scheduled.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from pathlib import Path

from children import backend_space, child_result, pct, pg_url, report_result

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = os.environ.get("BENCH_TPL_DB", "tandem_bench_tpl")
BACKENDS = ("sqlite", "postgres")


def run_backend(backend: str, args) -> dict:
    with backend_space(backend, prefix="tandem-bench-tpl", db_name=DB_NAME) as data_dir:
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "TANDEM_ENV"}}
        env.update(DJANGO_SETTINGS_MODULE="tandem.settings", TANDEM_DATA_DIR=str(data_dir), LOG_LEVEL="ERROR")
        env.update(HUEY_IMMEDIATE="0", PYTHONUNBUFFERED="1")  # events are queued, not dispatched here
        if backend == "postgres":
            env["DATABASE_URL"] = pg_url(DB_NAME)
        command = [sys.executable, str(Path(__file__).resolve()), "--child", backend]
        command += ["--runs", str(args.runs), "--warmup", str(args.warmup)]
        if args.profile:
            command += ["--profile", args.profile]
        if args.sql:
            command += ["--sql"]
        return child_result(command, env, backend)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20, help="timed runs per template and backend")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs first (the last one counts the SQL)")
    parser.add_argument("--backend", choices=BACKENDS, action="append", help="run only this backend (repeatable)")
    parser.add_argument("--profile", choices=("tottime", "cumulative"), help="profile the 120-task runs")
    parser.add_argument("--sql", action="store_true", help="print the statements of one run, grouped")
    parser.add_argument("--child", choices=BACKENDS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.warmup = max(1, args.warmup)
    if args.child:
        return child(args)
    results = {backend: run_backend(backend, args) for backend in args.backend or BACKENDS}
    print()
    header = (
        f"{'template_instantiate':<24} {'backend':<9} {'runs':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'SQL':>6}"
    )
    print(header)
    print("-" * len(header))
    for backend, r in results.items():
        for label, m in r.items():
            values = m["ms"]
            print(
                f"{label:<24} {backend:<9} {len(values):>5} {pct(values, 50):>8.1f} {pct(values, 95):>8.1f} "
                f"{max(values):>8.1f} {m['queries']:>6}"
            )
    return 0


def child(args) -> int:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    try:
        call_command("migrate", verbosity=0)
        report_result(measure(args))
        return 0
    finally:
        connections.close_all()


def print_sql(label: str, queries: list[dict]) -> None:
    import re
    from collections import Counter

    shapes, seconds = Counter(), Counter()
    for q in queries:
        shape = re.sub(r"\b\d+\b|'[^']*'", "?", q["sql"])[:140]
        shapes[shape] += 1
        seconds[shape] += float(q["time"])
    print(f"{label}: {len(queries)} statements, {sum(seconds.values()) * 1000:.1f} ms in the database driver")
    for shape, total in seconds.most_common():
        print(f"  {shapes[shape]:>4} {total * 1000:>7.1f} ms  {shape}")


def measure(args) -> dict:
    from datetime import date

    from automation import template_spec
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from tandem.crm.services.accounts import account_create
    from tandem.projects.models import Task
    from tandem.projects.services.templates import template_define, template_instantiate
    from tandem.testing.kit import access_for, make_member, make_tenant

    tenant = make_tenant(slug="bench-tpl", name="华筑智能化工程有限公司")
    admin = make_member(tenant, "admin", username="bench-admin", display_name="李敏")
    pm = make_member(tenant, "pm", username="bench-pm", display_name="项目经理")
    sales = make_member(tenant, "sales", username="bench-sales", display_name="陈晓")
    access = access_for(admin)
    tasks, links = template_spec()
    big = template_define(access=access, name="智能化弱电 120 项模板", tasks=tasks, links=links)
    small = template_define(
        access=access,
        name="小型 5 项模板",
        tasks=[
            {"key": "k", "name": "启动", "duration": 0, "is_milestone": True},
            {"key": "d", "name": "设计", "duration": 2 * 480, "role": "pm"},
            {"key": "i", "name": "安装", "duration": 3 * 480},
            {"key": "t", "name": "调试", "duration": 480},
            {"key": "a", "name": "验收", "duration": 0, "is_milestone": True, "payment_percent": "30"},
        ],
        links=[
            {"predecessor_key": a, "successor_key": b, "type": "FS", "lag": 0}
            for a, b in (("k", "d"), ("d", "i"), ("i", "t"), ("t", "a"))
        ],
    )
    account = account_create(access=access_for(sales), name="武汉光谷数据科技有限公司")
    out = {}
    for label, template, size in (("120 tasks, 136 links", big, len(tasks)), ("5 tasks, 4 links", small, 5)):
        times, queries = [], None
        profiler = None
        for n in range(args.warmup + args.runs):
            timed = n >= args.warmup
            if timed and size > 5 and args.profile and profiler is None:
                import cProfile

                profiler = cProfile.Profile()
            # The SQL is counted on the last untimed run (capturing slows the cursor down).
            capture = n == max(0, args.warmup - 1)
            with CaptureQueriesContext(connection) if capture else contextlib.nullcontext() as captured:
                started = time.perf_counter()
                if profiler is not None:
                    profiler.enable()
                with transaction.atomic():
                    project = template_instantiate(
                        access=access,
                        template=template,
                        name=f"光谷园区智能化 {n + 1} 期",
                        start_date=date(2026, 3, 2),
                        owner=pm.user,
                        team=[sales.user],
                        account_id=account.pk,
                    )
                elapsed = time.perf_counter() - started
                if profiler is not None:
                    profiler.disable()
            if capture:
                queries = len(captured.captured_queries)
                if args.sql:
                    print_sql(label, captured.captured_queries)
            if timed:
                times.append(elapsed * 1000)
            scheduled = Task.objects.filter(project=project, early_start__isnull=False).count()
            if scheduled != size:
                raise RuntimeError(f"{project.number}: {scheduled} of {size} tasks scheduled")
        out[label] = {"ms": times, "queries": queries}
        if profiler is not None:
            import pstats

            pstats.Stats(profiler).sort_stats(args.profile).print_stats(30)
    return out


if __name__ == "__main__":
    sys.exit(main())
