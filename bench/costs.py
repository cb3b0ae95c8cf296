"""`bench/costs.py`: the cost center's budget view of a project with 5,000 budget lines and 50,000 cost records,
and the portfolio over 500 projects.

Creates a fresh database — PostgreSQL by default (server BENCH_POSTGRES_URL, name BENCH_COSTS_DB, default
tandem_bench_costs), or SQLite in a temporary data directory with `--sqlite` — and migrates it. A generator (this
file run with `--generate` under those settings) writes tenant `costs`: a cost code tree of 10 groups × 8 codes,
one large project with --lines (5,000) budget lines (cost code × cost type, quantity × unit price in fen), 100
commitments (subcontracts and purchase orders in every status) with 2,000 lines, 60 change orders (approved,
pending, draft) with 600 lines, 200 budget modifications and --records (50,000) cost records (expenses, supplier
invoices, labor, commitment invoices) over 12 months; and --projects − 1 (499) smaller projects of 12 lines and
40 cost records each, so the portfolio has 500 budgets — bulk-inserted (bulk_create). It then times, in
process, after one untimed call each:

  budget view, by cost code     `budget_view(access, project, group="code")` of the large project (--runs calls)
  budget view, by cost type     the same grouped by type
  portfolio                     `portfolio(access)`: totals, margin and CPI of the 500 projects (--runs // 4)

and counts the queries of one budget view. Prints the table (p50/p95, goal < 300 ms for the budget view), the
data size and the machine; asserts nothing. The database and the temporary data directory are removed at the end.
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

from measure import Result, table
from run import ROOT, SERVER_URL, cpu_model, machine_lines, pg_connect, server_env, tandem

DB_NAME = os.environ.get("BENCH_COSTS_DB", "tandem_bench_costs")
GOAL_MS = 300


def recreate_database() -> None:
    with pg_connect(SERVER_URL.rsplit("/", 1)[1], autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def drop_database() -> None:
    with pg_connect(SERVER_URL.rsplit("/", 1)[1], autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


# --- the generator, run in a child process under the chosen settings -------------------------------


def _timed(call, runs: int) -> list[float]:
    call()
    latencies = []
    for _ in range(runs):
        t0 = time.perf_counter()
        call()
        latencies.append(time.perf_counter() - t0)
    return latencies


def generate(lines: int, records: int, projects: int, runs: int, profile: bool = False) -> dict:
    import django

    django.setup()
    from datetime import date, timedelta
    from decimal import Decimal

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from tandem.accounts.access import MembershipAccess
    from tandem.accounts.models import Membership, Role, User
    from tandem.accounts.services.tenants import tenant_create
    from tandem.calendars.services.calendars import calendar_default
    from tandem.finance.choices import (
        BudgetStatus,
        ChangeOrderKind,
        ChangeOrderStatus,
        CommitmentKind,
        CostKind,
        CostType,
    )
    from tandem.finance.costing import line_amount
    from tandem.finance.models import (
        BudgetLine,
        BudgetModification,
        ChangeOrder,
        ChangeOrderLine,
        Commitment,
        CommitmentLine,
        CostCode,
        CostRecord,
        ProjectBudget,
    )
    from tandem.finance.selectors.budget_view import budget_view, portfolio
    from tandem.projects.models import Project

    rng = random.Random(0)
    started = time.perf_counter()
    tenant = tenant_create(slug="costs", name="成本基准")
    user = User.objects.create_user(username="costs-finance", password="bench-pass-2026!", display_name="孙会计")
    membership = Membership.objects.create(tenant=tenant, user=user)
    membership.roles.set(Role.objects.filter(tenant=tenant, key="finance"))
    membership = Membership.objects.select_related("tenant", "user").prefetch_related("roles").get(pk=membership.pk)
    access = MembershipAccess(membership)
    calendar = calendar_default(tenant_id=tenant.pk)
    now = timezone.now()
    first_day = date(2026, 1, 1)

    groups = CostCode.objects.bulk_create(
        [CostCode(tenant=tenant, code=f"{g + 1:02d}", name=f"科目组{g + 1:02d}") for g in range(10)]
    )
    codes = CostCode.objects.bulk_create(
        [
            CostCode(
                tenant=tenant, parent=groups[g], code=f"{g + 1:02d}.{c + 1:02d}", name=f"科目{g + 1:02d}.{c + 1:02d}"
            )
            for g in range(10)
            for c in range(8)
        ]
    )
    all_projects = Project.objects.bulk_create(
        [
            Project(
                tenant=tenant,
                owner=user,
                number=f"XM-C-{i + 1:04d}",
                name=f"成本基准项目{i + 1:04d}",
                start_date=first_day,
                calendar=calendar,
                status="active",
            )
            for i in range(projects)
        ],
        batch_size=2000,
    )
    budgets = ProjectBudget.objects.bulk_create(
        [
            ProjectBudget(
                tenant=tenant,
                project=p,
                status=BudgetStatus.LOCKED,
                original_contract_value=Decimal(rng.randrange(500_000, 5_000_000)),
                locked_at=now,
            )
            for p in all_projects
        ],
        batch_size=2000,
    )
    big_project, big_budget = all_projects[0], budgets[0]
    big_budget.original_contract_value = Decimal("98000000.00")
    big_budget.save(update_fields=["original_contract_value"])
    types = list(CostType.values)

    def make_lines(budget, project, n):
        out = []
        for i in range(n):
            quantity = Decimal(rng.randrange(1, 50_000)) / 10
            price = Decimal(rng.randrange(100, 500_000)) / 100
            out.append(
                BudgetLine(
                    tenant=tenant,
                    budget=budget,
                    project=project,
                    cost_code=codes[i % len(codes)],
                    cost_type=types[i % len(types)],
                    description=f"清单项{i + 1:05d}",
                    quantity=quantity,
                    unit="m",
                    unit_price=price,
                    original_amount=line_amount(quantity, price),
                    sort_order=i,
                )
            )
        return out

    line_objects = make_lines(big_budget, big_project, lines)
    for budget, project in zip(budgets[1:], all_projects[1:], strict=True):
        line_objects.extend(make_lines(budget, project, 12))
    line_objects = BudgetLine.objects.bulk_create(line_objects, batch_size=2000)
    big_lines = [line for line in line_objects if line.project_id == big_project.pk]
    small_lines: dict[int, list] = {}
    for line in line_objects:
        if line.project_id != big_project.pk:
            small_lines.setdefault(line.project_id, []).append(line)

    statuses = {
        CommitmentKind.SUBCONTRACT: ["draft", "out_for_bid", "out_for_signature", "approved", "complete", "void"],
        CommitmentKind.PURCHASE_ORDER: ["draft", "submitted", "approved", "partially_received", "received", "closed"],
    }
    commitments = Commitment.objects.bulk_create(
        [
            Commitment(
                tenant=tenant,
                project=big_project,
                kind=kind,
                number=f"CM-{i + 1:04d}",
                title=f"承诺{i + 1:03d}",
                vendor=f"供应商{i % 30 + 1:02d}",
                status=rng.choice(statuses[kind]),
                created_by=user,
            )
            for i in range(100)
            for kind in [CommitmentKind.SUBCONTRACT if i % 3 == 0 else CommitmentKind.PURCHASE_ORDER]
        ]
    )
    commitment_lines = []
    for i in range(2000):
        line = rng.choice(big_lines)
        quantity, price = line.quantity, line.unit_price * Decimal(rng.randrange(80, 120)) / 100
        commitment_lines.append(
            CommitmentLine(
                tenant=tenant,
                commitment=commitments[i % len(commitments)],
                budget_line=line,
                quantity=quantity,
                unit_price=price.quantize(Decimal("0.01")),
                amount=line_amount(quantity, price.quantize(Decimal("0.01"))),
            )
        )
    CommitmentLine.objects.bulk_create(commitment_lines, batch_size=2000)
    change_orders = ChangeOrder.objects.bulk_create(
        [
            ChangeOrder(
                tenant=tenant,
                budget=big_budget,
                project=big_project,
                number=f"BG-{i + 1:04d}",
                kind=ChangeOrderKind.PRIME if i % 2 else ChangeOrderKind.BUDGET,
                title=f"变更{i + 1:03d}",
                contract_amount=Decimal(rng.randrange(10_000, 500_000)) if i % 2 else 0,
                status=(ChangeOrderStatus.APPROVED, ChangeOrderStatus.PENDING, ChangeOrderStatus.DRAFT)[i % 3],
                created_by=user,
            )
            for i in range(60)
        ]
    )
    ChangeOrderLine.objects.bulk_create(
        [
            ChangeOrderLine(
                tenant=tenant,
                change_order=change_orders[i % 60],
                budget_line=rng.choice(big_lines),
                amount=Decimal(rng.randrange(-200_000, 800_000)) / 100 or Decimal("1.00"),
            )
            for i in range(600)
        ],
        batch_size=2000,
    )
    modifications = []
    for _ in range(200):
        a, b = rng.sample(big_lines, 2)
        modifications.append(
            BudgetModification(
                tenant=tenant,
                budget=big_budget,
                project=big_project,
                from_line=a,
                to_line=b,
                amount=Decimal(rng.randrange(100, 500_000)) / 100,
                reason="预算调整",
                created_by=user,
            )
        )
    BudgetModification.objects.bulk_create(modifications, batch_size=2000)

    kinds = [CostKind.EXPENSE, CostKind.SUPPLIER_INVOICE, CostKind.LABOR, CostKind.COMMITMENT_INVOICE]

    def cost(project, line, i):
        kind = kinds[i % 4]
        return CostRecord(
            tenant=tenant,
            project=project,
            budget_line=line,
            kind=kind,
            commitment=commitments[i % len(commitments)] if kind == CostKind.COMMITMENT_INVOICE else None,
            date=first_day + timedelta(days=rng.randrange(0, 365)),
            amount=Decimal(rng.randrange(100, 5_000_000)) / 100,
            reference=f"FP{i:07d}",
            created_by=user,
        )

    records_out = [cost(big_project, rng.choice(big_lines), i) for i in range(records)]
    n = records
    for project in all_projects[1:]:
        for _ in range(40):
            n += 1
            # The small projects have no commitments: their costs are direct.
            record = cost(project, rng.choice(small_lines[project.pk]), n * 4 + n % 3)
            records_out.append(record)
    CostRecord.objects.bulk_create(records_out, batch_size=5000)
    generated = time.perf_counter() - started

    if profile:
        import cProfile
        import pstats

        budget_view(access=access, project=big_project, group="code")
        profiler = cProfile.Profile()
        profiler.runcall(budget_view, access=access, project=big_project, group="code")
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(20)
    with CaptureQueriesContext(connection) as queries:
        view = budget_view(access=access, project=big_project, group="code")
    rows = portfolio(access=access)
    return {
        "generated": generated,
        "lines": len(view.rows),
        "groups": len(view.groups),
        "queries": len(queries.captured_queries),
        "records": CostRecord.objects.filter(tenant=tenant, project=big_project).count(),
        "all_records": CostRecord.objects.filter(tenant=tenant).count(),
        "all_lines": BudgetLine.objects.filter(tenant=tenant).count(),
        "commitment_lines": len(commitment_lines),
        "portfolio_rows": len(rows),
        "margin": str(view.margin.percent),
        "code": _timed(lambda: budget_view(access=access, project=big_project, group="code"), runs),
        "type": _timed(lambda: budget_view(access=access, project=big_project, group="type"), runs),
        "portfolio": _timed(lambda: portfolio(access=access), max(runs // 4, 3)),
    }


# --- the parent --------------------------------------------------------------------------------------


def _result(operation: str, latencies: list[float]) -> Result:
    return Result(operation, latencies, sum(latencies))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=5_000)
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--projects", type=int, default=500)
    parser.add_argument("--runs", type=int, default=40, help="measured calls of each budget view")
    parser.add_argument("--sqlite", action="store_true", help="SQLite in a temporary directory, not PostgreSQL")
    parser.add_argument("--profile", action="store_true", help="print a profile of one budget view")
    parser.add_argument("--generate", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.generate:
        print(json.dumps(generate(args.lines, args.records, args.projects, args.runs, args.profile)))
        return 0

    data_dir = Path(tempfile.mkdtemp(prefix="tandem-bench-costs-"))
    env = server_env(DB_NAME, data_dir)
    env["PYTHONPATH"] = str(ROOT)
    if args.sqlite:
        env.pop("DATABASE_URL", None)  # the settings' default: SQLite in TANDEM_DATA_DIR
    database = "SQLite" if args.sqlite else DB_NAME
    try:
        print(f"bench: fresh database {database}, migrate …", flush=True)
        if not args.sqlite:
            recreate_database()
        tandem(env, "migrate", "--noinput")
        print(
            f"bench: {args.lines:,} budget lines, {args.records:,} cost records, {args.projects} projects …",
            flush=True,
        )
        command = [sys.executable, __file__, "--generate", "--lines", str(args.lines)]
        command += ["--records", str(args.records), "--projects", str(args.projects), "--runs", str(args.runs)]
        command += ["--profile"] if args.profile else []
        child = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
        if child.returncode:
            raise RuntimeError(f"generator failed:\n{child.stdout}\n{child.stderr}")
        data = json.loads(child.stdout.strip().splitlines()[-1])
        if args.profile:
            print(child.stderr)
        results = [
            _result(f"budget view by cost code ({data['lines']:,} lines, {data['groups']} groups)", data["code"]),
            _result("budget view by cost type", data["type"]),
            _result(f"portfolio ({data['portfolio_rows']} projects)", data["portfolio"]),
        ]
        print()
        print(table(results))
        print()
        if args.sqlite:
            import platform
            import sqlite3

            import django

            print(f"machine:    {os.cpu_count()} CPUs, {cpu_model()}, {platform.system()} {platform.release()}")
            print(
                f"software:   Python {platform.python_version()}, Django {django.get_version()}, "
                f"SQLite {sqlite3.sqlite_version} (in process, the settings' default database)"
            )
        else:
            for line in machine_lines(DB_NAME):
                print(line)
        print(
            f"data:       one project of {data['lines']:,} budget lines and {data['records']:,} cost records, "
            f"{data['commitment_lines']:,} commitment lines, 600 change order lines, 200 modifications; "
            f"{data['portfolio_rows']} projects in all ({data['all_lines']:,} lines, {data['all_records']:,} "
            f"cost records), generated with bulk_create in {data['generated']:.1f} s"
        )
        p50 = statistics.median(data["code"]) * 1000
        print(
            f"budget view: {data['queries']} queries whatever the number of lines; p50 {p50:.0f} ms "
            f"(goal < {GOAL_MS} ms: {'met' if p50 < GOAL_MS else 'NOT met'})"
        )
        return 0
    finally:
        if not args.sqlite:
            try:
                drop_database()
            except Exception as exc:  # noqa: BLE001 - report and go on; the bench's figures are printed
                print(f"bench: could not drop {DB_NAME}: {exc}", file=sys.stderr)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
