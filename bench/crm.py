"""`bench/crm.py` (or `bench/run.py --only crm`): CRM pages and endpoints over a large synthetic data set.

Creates a fresh PostgreSQL database (server BENCH_POSTGRES_URL, name BENCH_CRM_DB, default tandem_bench_crm),
migrates it and runs `tandem demo --scale N` (default N = 100,000: 100k accounts, 300k contacts, 200k deals,
1M activities in tenant `scale`), plus a second tenant with 10,000 accounts (20k deals) for the 20k-deal row
of the targets unless --no-small. Then starts gunicorn as bench/run.py does and measures with one sequential
client, --warmup untimed then --requests timed requests each:

  deals API, stage, -amount    GET /api/v1/crm/deals/?stage=<busiest open stage>&ordering=-amount (50 a page)
  deals page, stage, -amount   the same list as the HTML page (signed in), with its forecast chart
  deals page, default          GET /crm/deals/ as a user first opens it
  timeline API                 GET /api/v1/crm/accounts/<id>/timeline/ of the account with most follow-ups
  account page                 GET /crm/accounts/<id>/ of that account (timeline tab, 20 a page)
  kanban board                 GET /crm/deals/board/ of the default pipeline
  create deal API              POST /api/v1/crm/deals/ (name, account, amount): one new deal a request

Everything runs as the tenant's admin (data scope: all). Prints the table, the data sizes and the machine;
asserts nothing. The server, the database and the temporary data directory are removed at the end.
Targets (shared/PERFORMANCE.md): deal list and account timeline p95 < 50 ms at this size; 20k deals p50 ≤ 9 ms;
create p50 ≤ 16 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from measure import Client, Result, expect_ok, measure, table
from run import (
    DEMO_PASSWORD,
    SERVER_URL,
    machine_lines,
    pg_connect,
    server_env,
    start_server,
    stop,
    tandem,
)

DB_NAME = os.environ.get("BENCH_CRM_DB", "tandem_bench_crm")
SMALL_ACCOUNTS = 10_000  # 20k deals


def recreate_database() -> None:
    with pg_connect(SERVER_URL.rsplit("/", 1)[1], autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def drop_database() -> None:
    with pg_connect(SERVER_URL.rsplit("/", 1)[1], autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


def targets(slug: str) -> dict:
    """Ids the requests need: the open stage with most deals, the account with most follow-ups, any account."""
    with pg_connect(DB_NAME) as conn:
        tenant_id = conn.execute("SELECT id FROM accounts_tenant WHERE slug = %s", [slug]).fetchone()[0]
        stage_id, stage_deals = conn.execute(
            "SELECT s.id, count(*) FROM crm_deal d JOIN crm_stage s ON s.id = d.stage_id "
            "WHERE d.tenant_id = %s AND NOT s.is_won AND NOT s.is_lost GROUP BY s.id ORDER BY 2 DESC LIMIT 1",
            [tenant_id],
        ).fetchone()
        account_id, activities = conn.execute(
            "SELECT account_id, count(*) FROM crm_activity WHERE tenant_id = %s GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
            [tenant_id],
        ).fetchone()
        deals = conn.execute("SELECT count(*) FROM crm_deal WHERE account_id = %s", [account_id]).fetchone()[0]
    return {
        "stage": stage_id,
        "stage_deals": stage_deals,
        "account": account_id,
        "account_activities": activities,
        "account_deals": deals,
    }


def create_deal(client: Client, headers: dict, account_id: int):
    counter = iter(range(1, 10**9))

    def call() -> None:
        body = {"name": f"压测商机 {next(counter)}", "account": account_id, "amount": "880000.00"}
        status, data = client.request("POST", "/api/v1/crm/deals/", body=json.dumps(body).encode(), headers=headers)
        if status != 201:
            raise RuntimeError(f"POST /api/v1/crm/deals/ answered {status}: {data[:300]!r}")

    return call


def run_benchmarks(port: int, tokens: dict, ids: dict, requests: int, warmup: int) -> list[Result]:
    results = []

    def timed(name: str, call, client: Client) -> None:
        results.append(measure(name, call, requests=requests, warmup=warmup, client=client))
        print(f"bench: {name} done", flush=True)

    big = ids["scale"]
    api = Client("127.0.0.1", port)
    bearer = {"Authorization": f"Bearer {tokens['scale']}", "Accept": "application/json"}
    deals_url = f"/api/v1/crm/deals/?stage={big['stage']}&ordering=-amount"
    timed("deals API, stage, -amount", expect_ok(api, deals_url, bearer), api)
    if "small" in tokens:
        small_bearer = {"Authorization": f"Bearer {tokens['small']}", "Accept": "application/json"}
        small_url = f"/api/v1/crm/deals/?stage={ids['small']['stage']}&ordering=-amount"
        timed("deals API, 20k deals", expect_ok(api, small_url, small_bearer), api)
    timed("timeline API", expect_ok(api, f"/api/v1/crm/accounts/{big['account']}/timeline/", bearer), api)
    post_headers = {**bearer, "Content-Type": "application/json"}
    timed("create deal API (POST)", create_deal(api, post_headers, big["account"]), api)
    api.close()

    browser = Client("127.0.0.1", port)
    browser.sign_in("scale-admin", DEMO_PASSWORD)
    timed(
        "deals page, stage, -amount", expect_ok(browser, f"/crm/deals/?stage={big['stage']}&ordering=-amount"), browser
    )
    timed("deals page, default", expect_ok(browser, "/crm/deals/"), browser)
    timed("account page (timeline)", expect_ok(browser, f"/crm/accounts/{big['account']}/"), browser)
    timed("kanban board", expect_ok(browser, "/crm/deals/board/"), browser)
    browser.close()
    return results


def data_sizes(slugs: list[str]) -> list[str]:
    lines = []
    with pg_connect(DB_NAME) as conn:
        for slug in slugs:
            counts = conn.execute(
                "SELECT (SELECT count(*) FROM crm_account WHERE tenant_id = t.id), "
                "(SELECT count(*) FROM crm_contact WHERE tenant_id = t.id), "
                "(SELECT count(*) FROM crm_deal WHERE tenant_id = t.id), "
                "(SELECT count(*) FROM crm_activity WHERE tenant_id = t.id) FROM accounts_tenant t WHERE slug = %s",
                [slug],
            ).fetchone()
            lines.append(
                f"data:       tenant {slug}: {counts[0]:,} accounts, {counts[1]:,} contacts, {counts[2]:,} deals, "
                f"{counts[3]:,} activities"
            )
        size = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]
    lines.append(f"database:   {size}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=100_000, help="accounts of the big tenant (N)")
    parser.add_argument("--requests", type=int, default=200, help="measured requests per operation")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests before measuring")
    parser.add_argument("--no-small", action="store_true", help="skip the 20k-deal tenant")
    args = parser.parse_args(argv)

    data_dir = Path(tempfile.mkdtemp(prefix="tandem-bench-crm-"))
    env = server_env(DB_NAME, data_dir)
    server = None
    try:
        print(f"bench: fresh database {DB_NAME}, migrate …", flush=True)
        recreate_database()
        tandem(env, "migrate", "--noinput")
        started = time.perf_counter()
        print(f"bench: tandem demo --scale {args.scale:,} …", flush=True)
        tandem(env, "demo", "--scale", str(args.scale))
        loaded = [f"generated:  tandem demo --scale {args.scale:,} took {time.perf_counter() - started:.0f} s"]
        slugs = ["scale"]
        if not args.no_small:
            started = time.perf_counter()
            tandem(env, "demo", "--scale", str(SMALL_ACCOUNTS), "--tenant", "small")
            loaded.append(
                f"            tandem demo --scale {SMALL_ACCOUNTS:,} --tenant small took "
                f"{time.perf_counter() - started:.0f} s"
            )
            slugs.append("small")
        tokens = {}
        for slug in slugs:
            created = tandem(env, "token", "create", "--tenant", slug, "--user", f"{slug}-admin", "--name", "bench")
            tokens[slug] = created.split()[-1]
        ids = {slug: targets(slug) for slug in slugs}

        server, port = start_server(env, data_dir)
        print(f"bench: gunicorn on 127.0.0.1:{port}; {args.requests} requests each after {args.warmup} warm-up\n")
        load_before = os.getloadavg()[0]
        results = run_benchmarks(port, tokens, ids, args.requests, args.warmup)
        print()
        print(table(results))
        print()
        big = ids["scale"]
        for line in [*machine_lines(DB_NAME), *data_sizes(slugs), *loaded]:
            print(line)
        print(
            f"requests:   stage {big['stage']} holds {big['stage_deals']:,} deals; account {big['account']} has "
            f"{big['account_activities']:,} activities and {big['account_deals']:,} deals; as scale-admin (all data); "
            f"the POSTs added {args.requests + args.warmup} deals to tenant scale"
        )
        print(
            f"load:       1-minute load average {load_before:.1f} before the requests, {os.getloadavg()[0]:.1f} after; "
            "other work on the machine slows every figure"
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
