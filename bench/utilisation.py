"""`bench/utilisation.py`: the utilisation heatmap's selector for 500 resources × 52 weeks × 20,000 allocations.

Creates a fresh PostgreSQL database (server BENCH_POSTGRES_URL, name BENCH_UTILISATION_DB, default
tandem_bench_utilisation) and migrates it. A generator (this file run with `--generate` under the server's
settings) writes tenant `utilisation`: the default calendar with the Chinese holidays, --resources (500) people
and crews in 20 departments with 1–3 of 12 skills each, 40 projects of --allocations / 40 tasks each with stored
schedule dates spread over the year (1–15 working days), one allocation per task on a random resource (50 or
100 %), and a day or two of leave for every other resource — bulk-inserted (bulk_create). It then times, in
process, --runs calls after one untimed one:

  utilisation, by department     `utilisation(access, year)`: 52 ISO weeks, every resource, grouped by team
  utilisation, by skill          the same grouped by skill (a resource under each of its skills)
  API body                       the API's serializer over the by-department answer (the JSON the endpoint sends)
  tasks behind a cell            `cell_tasks` for the busiest resource's busiest week

Prints the table, the data size and the machine; asserts nothing. The database and the temporary data directory
are removed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from measure import Result, table
from run import ROOT, SERVER_URL, machine_lines, pg_connect, server_env, tandem

DB_NAME = os.environ.get("BENCH_UTILISATION_DB", "tandem_bench_utilisation")
PROJECTS = 40
DEPARTMENTS = 20
SKILLS = ["电工", "弱电调试", "网络布线", "暖通", "给排水", "消防", "安防", "土建", "装修", "项目管理", "测量", "焊工"]


def recreate_database() -> None:
    with pg_connect(SERVER_URL.rsplit("/", 1)[1], autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def drop_database() -> None:
    with pg_connect(SERVER_URL.rsplit("/", 1)[1], autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


# --- the generator, run in a child process under the server's settings ------------------------------


def _timed(call, runs: int) -> list[float]:
    call()
    latencies = []
    for _ in range(runs):
        t0 = time.perf_counter()
        call()
        latencies.append(time.perf_counter() - t0)
    return latencies


def generate(resources: int, allocations: int, runs: int, profile: bool = False) -> dict:
    import django

    django.setup()
    from datetime import date, datetime, timedelta

    from tandem.accounts.access import MembershipAccess
    from tandem.accounts.models import Department, Membership, Role, User
    from tandem.accounts.services.tenants import tenant_create
    from tandem.calendars.services.calendars import calendar_default
    from tandem.projects.models import Project, Task
    from tandem.projects.services.scheduling import tenant_zone
    from tandem.resources.api.serializers.utilisation import UtilisationOutput
    from tandem.resources.models import Allocation, Leave, Resource, ResourceSkill, Skill
    from tandem.resources.selectors.utilisation import cell_tasks, utilisation

    rng = random.Random(0)
    started = time.perf_counter()
    tenant = tenant_create(slug="utilisation", name="负荷基准")
    user = User.objects.create_user(username="utilisation-pm", password="bench-pass-2026!", display_name="周工")
    membership = Membership.objects.create(tenant=tenant, user=user)
    membership.roles.set(Role.objects.filter(tenant=tenant, key="pm"))
    membership = Membership.objects.select_related("tenant", "user").prefetch_related("roles").get(pk=membership.pk)
    calendar = calendar_default(tenant_id=tenant.pk)
    zone = tenant_zone(tenant.pk)

    departments = Department.objects.bulk_create(
        [Department(tenant=tenant, name=f"班组{i + 1:02d}") for i in range(DEPARTMENTS)]
    )
    skills = Skill.objects.bulk_create([Skill(tenant=tenant, name=name) for name in SKILLS])
    people = Resource.objects.bulk_create(
        [
            Resource(
                tenant=tenant,
                name=f"工程师{i + 1:03d}" if i % 10 else f"安装{i // 10 + 1:02d}班",
                kind="person" if i % 10 else "crew",
                headcount=1 if i % 10 else rng.randint(3, 8),
                department=departments[i % DEPARTMENTS],
            )
            for i in range(resources)
        ],
        batch_size=2000,
    )
    ResourceSkill.objects.bulk_create(
        [
            ResourceSkill(tenant=tenant, resource=r, skill=s, level=rng.randint(1, 5))
            for r in people
            for s in rng.sample(skills, rng.randint(1, 3))
        ],
        batch_size=2000,
    )
    first = date(2026, 1, 5)  # the Monday of ISO week 2026-W02
    last = first + timedelta(weeks=52, days=-1)
    projects = Project.objects.bulk_create(
        [
            Project(
                tenant=tenant,
                owner=user,
                number=f"XM-B-{i + 1:03d}",
                name=f"基准项目{i + 1:02d}",
                start_date=first,
                calendar=calendar,
                status="active",
            )
            for i in range(PROJECTS)
        ]
    )
    tasks = []
    for i in range(allocations):
        start = first + timedelta(days=rng.randrange(0, 364))
        days = rng.randint(1, 15)
        finish = start + timedelta(days=days + (days // 5) * 2)
        tasks.append(
            Task(
                tenant=tenant,
                project=projects[i % PROJECTS],
                name=f"任务{i + 1:05d}",
                sort_order=i,
                duration=days * 480,
                created_by=user,
                early_start=datetime(start.year, start.month, start.day, 9, tzinfo=zone),
                early_finish=datetime(finish.year, finish.month, finish.day, 18, tzinfo=zone),
                is_critical=i % 7 == 0,
            )
        )
    tasks = Task.objects.bulk_create(tasks, batch_size=2000)
    Allocation.objects.bulk_create(
        [
            Allocation(
                tenant=tenant,
                resource=rng.choice(people),
                task=t,
                project_id=t.project_id,
                units=rng.choice((50, 100)),
                work=t.duration,
                created_by=user,
            )
            for t in tasks
        ],
        batch_size=2000,
    )
    leave = []
    for r in people[::2]:
        day = first + timedelta(days=rng.randrange(0, 360))
        leave.append(
            Leave(tenant=tenant, resource=r, start=day, end=day + timedelta(days=rng.randint(0, 1)), created_by=user)
        )
    Leave.objects.bulk_create(leave, batch_size=2000)
    generated = time.perf_counter() - started

    access = MembershipAccess(membership)
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(utilisation, access, first, last, group="department")
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
    by_department = utilisation(access, first, last, group="department")
    body = json.dumps(UtilisationOutput(by_department).data, default=str)
    busiest = max(
        ((row, cell) for group in by_department.groups for row in group.rows for cell in row.cells),
        key=lambda pair: pair[1].booked,
    )
    return {
        "generated": generated,
        "weeks": len(by_department.weeks),
        "resources": by_department.resource_count,
        "cells": sum(len(row.cells) for group in by_department.groups for row in group.rows),
        "over_cells": by_department.over_cells,
        "allocations": Allocation.objects.filter(tenant=tenant).count(),
        "tasks": Task.objects.filter(tenant=tenant).count(),
        "leave": len(leave),
        "skill_rows": ResourceSkill.objects.filter(tenant=tenant).count(),
        "body_kb": len(body.encode()) // 1024,
        "department": _timed(lambda: utilisation(access, first, last, group="department"), runs),
        "skill": _timed(lambda: utilisation(access, first, last, group="skill"), runs),
        "serializer": _timed(lambda: json.dumps(UtilisationOutput(by_department).data, default=str), runs),
        "cell": _timed(lambda: cell_tasks(access, busiest[0].resource, busiest[1].week), runs * 4),
    }


# --- the parent --------------------------------------------------------------------------------------


def _result(operation: str, latencies: list[float]) -> Result:
    return Result(operation, latencies, sum(latencies))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--resources", type=int, default=500)
    parser.add_argument("--allocations", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5, help="measured calls of each full-year selector")
    parser.add_argument("--profile", action="store_true", help="print a profile of one by-department call")
    parser.add_argument("--generate", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.generate:
        print(json.dumps(generate(args.resources, args.allocations, args.runs, args.profile)))
        return 0

    data_dir = Path(tempfile.mkdtemp(prefix="tandem-bench-utilisation-"))
    env = server_env(DB_NAME, data_dir)
    env["PYTHONPATH"] = str(ROOT)
    try:
        print(f"bench: fresh database {DB_NAME}, migrate …", flush=True)
        recreate_database()
        tandem(env, "migrate", "--noinput")
        print(f"bench: {args.resources} resources, {args.allocations:,} allocations over 52 weeks …", flush=True)
        command = [sys.executable, __file__, "--generate", "--resources", str(args.resources)]
        command += ["--allocations", str(args.allocations), "--runs", str(args.runs)]
        command += ["--profile"] if args.profile else []
        child = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
        if child.returncode:
            raise RuntimeError(f"generator failed:\n{child.stdout}\n{child.stderr}")
        data = json.loads(child.stdout.strip().splitlines()[-1])
        if args.profile:
            print(child.stderr)
        results = [
            _result(f"utilisation, by department ({data['cells']:,} cells)", data["department"]),
            _result("utilisation, by skill", data["skill"]),
            _result(f"API body, by department ({data['body_kb']:,} KB JSON)", data["serializer"]),
            _result("tasks behind the busiest cell", data["cell"]),
        ]
        print()
        print(table(results))
        print()
        for line in machine_lines(DB_NAME):
            print(line)
        print(
            f"data:       {data['resources']} resources × {data['weeks']} weeks, {data['allocations']:,} allocations "
            f"on {data['tasks']:,} tasks in {PROJECTS} projects, {data['skill_rows']:,} resource skills, "
            f"{data['leave']} leave rows; {data['over_cells']:,} over-allocated cells "
            f"(generated with bulk_create in {data['generated']:.1f} s)"
        )
        print(
            f"full year:  {statistics.mean(data['department']):.2f} s by department, "
            f"{statistics.mean(data['skill']):.2f} s by skill (mean of {args.runs} in-process calls)"
        )
        return 0
    finally:
        try:
            drop_database()
        except psycopg.Error as exc:
            print(f"bench: could not drop {DB_NAME}: {exc}", file=sys.stderr)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
