"""`bench/conflicts.py`: the resource conflict refresh over a year of work for 500 people.

Creates a fresh PostgreSQL database (server BENCH_POSTGRES_URL, name BENCH_CONFLICTS_DB, default
tandem_bench_conflicts) and migrates it. A generator (this file run with `--generate` under the server's
settings) writes tenant `conflicts` with its default calendar (Chinese holidays and 调休 workdays), --resources
(500) people, 100 projects and --allocations (20,000) one-to-five-day tasks spread over the next 52 weeks, one
allocation each at 50–100 %, and a day of leave for one person in ten; everything bulk-inserted (bulk_create),
the schedule written as the scheduler would. The look-ahead is 52 weeks. It then times, in process:

  full refresh, first           `conflicts_refresh` of every resource with no conflict stored yet (all inserted;
                                three times, the conflicts deleted in between)
  full refresh, nothing moved   the same again: every load read, nothing written
  one change, incremental       one task moved by a day, then the refresh of its one resource (as the
                                allocation and task handlers do)

Prints the table, the data size and the machine; asserts nothing. The database and the temporary data directory
are removed at the end. Targets (issue 14): full refresh < 1 s, one change < 50 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from measure import Result, table
from run import ROOT, SERVER_URL, pg_connect, server_env, tandem

DB_NAME = os.environ.get("BENCH_CONFLICTS_DB", "tandem_bench_conflicts")


def recreate_database() -> None:
    with pg_connect(SERVER_URL.rsplit("/", 1)[1], autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def drop_database() -> None:
    with pg_connect(SERVER_URL.rsplit("/", 1)[1], autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


# --- the generator, run in a child process under the server's settings ------------------------------


def generate(resources: int, allocations: int, requests: int) -> dict:
    import random

    import django

    django.setup()
    from datetime import date, datetime, timedelta
    from decimal import Decimal

    from tandem.accounts.models import Membership, Role, User
    from tandem.accounts.services.tenants import tenant_create
    from tandem.calendars.services.calendars import calendar_default
    from tandem.projects.models import Project, Task
    from tandem.projects.services.scheduling import tenant_zone
    from tandem.resources.models import Allocation, Conflict, Leave, Resource, ResourceSettings
    from tandem.resources.services.conflicts import conflicts_refresh
    from tandem.scheduling.engine.calendar import working_time

    rng = random.Random(14)
    started = time.perf_counter()
    tenant = tenant_create(slug="conflicts", name="资源冲突基准")
    user = User.objects.create_user(username="conflicts-pm", password="bench-pass-2026!", display_name="王经理")
    membership = Membership.objects.create(tenant=tenant, user=user)
    membership.roles.set(Role.objects.filter(tenant=tenant, key="pm"))
    calendar = calendar_default(tenant_id=tenant.pk)
    ResourceSettings.objects.create(tenant=tenant, horizon_weeks=52)
    zone = tenant_zone(tenant.pk)
    today = date.today()
    from tandem.calendars.selectors import engine_calendars

    hours = working_time(next(iter(engine_calendars({calendar.pk}, since=date(today.year - 1, 1, 1)).values())))
    people = Resource.objects.bulk_create(
        [Resource(tenant=tenant, name=f"工程师{i:03d}") for i in range(resources)], batch_size=1000
    )
    projects = Project.objects.bulk_create(
        [
            Project(
                tenant=tenant,
                owner=user,
                number=f"XM-B-{i:03d}",
                name=f"机房项目{i:03d}",
                start_date=today,
                calendar=calendar,
                priority=rng.randrange(0, 1000),
            )
            for i in range(100)
        ]
    )
    workdays = [today + timedelta(days=d) for d in range(7 * 52) if hours.is_working_day(today + timedelta(days=d))]
    tasks = []
    for i in range(allocations):
        first = rng.randrange(0, len(workdays) - 5)
        length = rng.randint(1, 5)
        start = datetime.combine(workdays[first], datetime.min.time()).replace(hour=8, tzinfo=zone)
        finish = datetime.combine(workdays[first + length - 1], datetime.min.time()).replace(hour=17, tzinfo=zone)
        tasks.append(
            Task(
                tenant=tenant,
                project=projects[i % len(projects)],
                name=f"任务{i:05d}",
                duration=length * 480,
                created_by=user,
                early_start=start,
                early_finish=finish,
                total_float=rng.choice([0, 480, 2400, None]),
                sort_order=i,
            )
        )
    tasks = Task.objects.bulk_create(tasks, batch_size=2000)
    Allocation.objects.bulk_create(
        [
            Allocation(
                tenant=tenant,
                resource=people[i % resources],
                task=task,
                project_id=task.project_id,
                units=Decimal(rng.choice([50, 75, 100])),
                created_by=user,
            )
            for i, task in enumerate(tasks)
        ],
        batch_size=2000,
    )
    off = [rng.choice(workdays) for _ in people[::10]]
    Leave.objects.bulk_create(
        [
            Leave(tenant=tenant, resource=p, start=day, end=day, created_by=user)
            for p, day in zip(people[::10], off, strict=True)
        ]
    )
    generated = time.perf_counter() - started

    cpu: dict[str, list[float]] = {"first": [], "again": [], "one": []}

    def timed(call, kind: str) -> float:
        c0, t0 = time.process_time(), time.perf_counter()
        call()
        cpu[kind].append(time.process_time() - c0)
        return time.perf_counter() - t0

    first = []
    for _ in range(3):
        Conflict.objects.filter(tenant=tenant).delete()
        first.append(timed(lambda: conflicts_refresh(tenant_id=tenant.pk, today=today), "first"))
    stored = Conflict.objects.filter(tenant=tenant).count()
    again = [
        timed(lambda: conflicts_refresh(tenant_id=tenant.pk, today=today), "again")
        for _ in range(max(3, requests // 10))
    ]
    one = []
    for n in range(requests):
        task = tasks[rng.randrange(len(tasks))]
        shift = timedelta(days=1 if n % 2 == 0 else -1)
        task.early_start += shift
        task.early_finish += shift
        resource_id = people[tasks.index(task) % resources].pk

        def change(task=task, resource_id=resource_id):
            Task.objects.filter(pk=task.pk).update(early_start=task.early_start, early_finish=task.early_finish)
            conflicts_refresh(tenant_id=tenant.pk, resource_ids=[resource_id], today=today)

        one.append(timed(change, "one"))
    if os.environ.get("BENCH_PROFILE"):  # a cProfile of one full refresh, for working on it
        import cProfile

        if os.environ.get("BENCH_PROFILE_FIRST"):
            Conflict.objects.filter(tenant=tenant).delete()
        cProfile.runctx(
            "conflicts_refresh(tenant_id=tenant.pk, today=today)", globals(), locals(), os.environ["BENCH_PROFILE"]
        )
    return {"generated": generated, "first": first, "again": again, "one": one, "conflicts": stored, "cpu": cpu}


# --- the parent --------------------------------------------------------------------------------------


def _result(operation: str, latencies: list[float]) -> Result:
    return Result(operation, latencies, sum(latencies))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--resources", type=int, default=500, help="people")
    parser.add_argument("--allocations", type=int, default=20_000, help="tasks, one allocation each")
    parser.add_argument("--requests", type=int, default=100, help="measured one-change refreshes")
    parser.add_argument("--generate", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.generate:
        print(json.dumps(generate(args.resources, args.allocations, args.requests)))
        return 0

    data_dir = Path(tempfile.mkdtemp(prefix="tandem-bench-conflicts-"))
    env = server_env(DB_NAME, data_dir)
    env["PYTHONPATH"] = str(ROOT)
    try:
        print(f"bench: fresh database {DB_NAME}, migrate …", flush=True)
        recreate_database()
        tandem(env, "migrate", "--noinput")
        print(f"bench: {args.resources} resources, {args.allocations:,} allocations over 52 weeks …", flush=True)
        child = subprocess.run(
            [
                sys.executable,
                __file__,
                "--generate",
                "--resources",
                str(args.resources),
                "--allocations",
                str(args.allocations),
                "--requests",
                str(args.requests),
            ],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if child.returncode:
            raise RuntimeError(f"generator failed:\n{child.stdout}\n{child.stderr}")
        data = json.loads(child.stdout.strip().splitlines()[-1])
        results = [
            _result("full refresh, first", data["first"]),
            _result("full refresh, nothing moved", data["again"]),
            _result("one change, incremental", data["one"]),
        ]
        print()
        print(table(results))
        print()
        from run import machine_lines

        for line in machine_lines(DB_NAME):
            print(line)
        print(
            f"data:       {args.resources} resources, {args.allocations:,} allocations over 52 weeks, "
            f"{data['conflicts']:,} conflicts found (generated in {data['generated']:.1f} s)"
        )
        medians = ", ".join(f"{k} {statistics.median(v) * 1000:.0f} ms" for k, v in data["cpu"].items())
        print(f"cpu:        this process's CPU time, median: {medians} (wall time includes waiting for a busy CPU)")
        return 0
    finally:
        try:
            drop_database()
        except psycopg.Error as exc:
            print(f"bench: could not drop {DB_NAME}: {exc}", file=sys.stderr)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
