"""`bench/approvals.py` (or `bench/run.py --only approvals`): "My approvals" for a manager with 10,000 pending tasks.

Creates a fresh PostgreSQL database (server BENCH_POSTGRES_URL, name BENCH_APPROVALS_DB, default
tandem_bench_approvals) and migrates it. A generator (this file run with `--generate` under the server's
settings) writes tenant `approvals` with a sales rep, their manager and --tasks (10,000) draft contracts, each
pending approval on the contract flow with one pending task of the manager's: contracts, approvals and tasks are
bulk-inserted (bulk_create), the flow and the people through the services. The generator then times, in process,
--requests calls after --warmup untimed ones:

  my_tasks selector, todo page     the first page (50) of `my_tasks(box="todo")` with approval and submitter read
  my_counts selector               the box counts of the top bar and the inbox tabs

Then gunicorn starts as bench/run.py does and one sequential client measures, as the manager (bearer token):

  todo API, first page             GET /api/v1/approvals/tasks/?box=todo (50 a page, the approval nested)
  todo API, page 100               GET /api/v1/approvals/tasks/?box=todo&page=100

Prints the table, the data size and the machine; asserts nothing. The server, the database and the temporary
data directory are removed at the end.
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
from measure import Client, Result, expect_ok, measure, table
from run import ROOT, SERVER_URL, machine_lines, pg_connect, server_env, start_server, stop, tandem

DB_NAME = os.environ.get("BENCH_APPROVALS_DB", "tandem_bench_approvals")
PAGE = 50


def recreate_database() -> None:
    with pg_connect(SERVER_URL.rsplit("/", 1)[1], autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def drop_database() -> None:
    with pg_connect(SERVER_URL.rsplit("/", 1)[1], autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


# --- the generator, run in a child process under the server's settings ------------------------------


def _timed(call, requests: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        call()
    latencies = []
    for _ in range(requests):
        t0 = time.perf_counter()
        call()
        latencies.append(time.perf_counter() - t0)
    return latencies


def generate(tasks: int, requests: int, warmup: int) -> dict:
    import django

    django.setup()
    from decimal import Decimal

    from django.utils import timezone

    from tandem.accounts.access import MembershipAccess
    from tandem.accounts.models import Membership, Role, User
    from tandem.accounts.services.tenants import tenant_create
    from tandem.accounts.services.tokens import token_create
    from tandem.approvals.models import Approval, ApprovalTask
    from tandem.approvals.selectors import my_counts, my_tasks
    from tandem.approvals.services import flow_create
    from tandem.crm.models import Account, Contract

    started = time.perf_counter()
    tenant = tenant_create(slug="approvals", name="审批基准")

    def member(username, role, manager=None):
        user = User.objects.create_user(username=username, password="bench-pass-2026!", display_name=username)
        membership = Membership.objects.create(tenant=tenant, user=user, manager=manager)
        membership.roles.set(Role.objects.filter(tenant=tenant, key=role))
        return Membership.objects.select_related("tenant", "user").get(pk=membership.pk)

    boss = member("approvals-boss", "owner")
    manager = member("approvals-manager", "sales_manager", manager=boss.user)
    rep = member("approvals-rep", "sales", manager=manager.user)
    node = {"key": "n1", "name": "部门经理", "kind": "approve", "approvers": {"type": "manager", "level": 1}}
    flow = flow_create(
        access=MembershipAccess(boss),
        object_type="crm.contract",
        name="合同审批",
        definition={"branches": [{"key": "all", "name": "全部", "condition": None, "nodes": [node]}]},
    )
    account = Account.objects.create(tenant=tenant, owner=rep.user, name="基准客户")
    contracts = Contract.objects.bulk_create(
        [
            Contract(
                tenant=tenant,
                owner=rep.user,
                account=account,
                name=f"合同{i:05d}",
                number=f"HT-B-{i:05d}",
                amount=Decimal(10_000 + i),
            )
            for i in range(tasks)
        ],
        batch_size=2000,
    )
    now = timezone.now()
    approvals = Approval.objects.bulk_create(
        [
            Approval(
                tenant=tenant,
                object_type="crm.contract",
                object_id=str(c.pk),
                flow_version=flow.current_version,
                branch_key="all",
                submitter=rep.user,
                submitted_at=now,
                title=f"{c.number} {c.name}",
                current_node="n1",
                values={"amount": float(c.amount)},
            )
            for c in contracts
        ],
        batch_size=2000,
    )
    ApprovalTask.objects.bulk_create(
        [
            ApprovalTask(
                tenant=tenant, approval=a, node_key="n1", node_name="部门经理", assignee=manager.user, order=100
            )
            for a in approvals
        ],
        batch_size=2000,
    )
    generated = time.perf_counter() - started
    access = MembershipAccess(manager)

    def page():
        rows = list(my_tasks(access=access, box="todo")[:PAGE])
        assert len(rows) == PAGE and all(r.approval.title and r.approval.submitter_id for r in rows)

    def counts():
        assert my_counts(access=access)["todo"] == tasks

    _token, secret = token_create(membership=manager, name="bench")
    return {
        "token": secret,
        "generated": generated,
        "selector_page": _timed(page, requests, warmup),
        "selector_counts": _timed(counts, requests, warmup),
    }


# --- the parent --------------------------------------------------------------------------------------


def _result(operation: str, latencies: list[float]) -> Result:
    return Result(operation, latencies, sum(latencies))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=10_000, help="pending tasks of the manager")
    parser.add_argument("--requests", type=int, default=200, help="measured requests per operation")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests before measuring")
    parser.add_argument("--generate", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.generate:
        print(json.dumps(generate(args.tasks, args.requests, args.warmup)))
        return 0

    data_dir = Path(tempfile.mkdtemp(prefix="tandem-bench-approvals-"))
    env = server_env(DB_NAME, data_dir)
    env["PYTHONPATH"] = str(ROOT)
    server = None
    try:
        print(f"bench: fresh database {DB_NAME}, migrate …", flush=True)
        recreate_database()
        tandem(env, "migrate", "--noinput")
        print(f"bench: {args.tasks:,} pending approval tasks …", flush=True)
        child = subprocess.run(
            [
                sys.executable,
                __file__,
                "--generate",
                "--tasks",
                str(args.tasks),
                "--requests",
                str(args.requests),
                "--warmup",
                str(args.warmup),
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
            _result(f"my_tasks selector, todo page ({PAGE})", data["selector_page"]),
            _result("my_counts selector", data["selector_counts"]),
        ]
        server, port = start_server(env, data_dir)
        client = Client("127.0.0.1", port)
        headers = {"Authorization": f"Bearer {data['token']}"}
        for name, path in (
            ("todo API, first page", "/api/v1/approvals/tasks/?box=todo"),
            ("todo API, page 100", "/api/v1/approvals/tasks/?box=todo&page=100"),
        ):
            call = expect_ok(client, path, headers)
            results.append(measure(name, call, requests=args.requests, warmup=args.warmup, client=client))
        print()
        print(table(results))
        print()
        for line in machine_lines(DB_NAME):
            print(line)
        print(
            f"data:       {args.tasks:,} contracts pending approval, one pending task each for one manager "
            f"(generated with bulk_create in {data['generated']:.1f} s); p50 of the page "
            f"{statistics.median(data['selector_page']) * 1000:.2f} ms in process"
        )
        return 0
    finally:
        stop(server)
        try:
            drop_database()
        except psycopg.Error as exc:
            print(f"bench: could not drop {DB_NAME}: {exc}", file=sys.stderr)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
