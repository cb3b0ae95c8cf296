"""`bench/imports.py` (or `bench/run.py --only import`): a 100k-row XLSX of accounts imported end to end.

Creates a fresh PostgreSQL database (server BENCH_POSTGRES_URL, name BENCH_IMPORT_DB, default
tandem_bench_imports), migrates it, seeds a tenant with --existing accounts (bulk, untimed), writes an
Excel workbook of --rows accounts (cached in the temp directory between runs), then times, in this process
with the Huey tasks run inline:

  upload    ImportJob from the file: type sniffing, header and sample, column suggestions
  validate  every row: cleaning, owners, credit-code checksums, duplicates in the file and against the
            existing accounts (credit code, name, fuzzy name), rows stored for the preview
  commit    all rows in one transaction: accounts, one audit row each, one event

The file mixes new companies with ~3 % rows carrying an existing credit code, ~1 % legal-form variants of
existing names and ~1 % bad credit codes; the default decision is "create", so fuzzy look-alikes are
created and certain duplicates skipped. Prints the figures; asserts nothing. The database and the data
directory are removed at the end. Target (shared/PERFORMANCE.md): ≥ 2,000 validated rows/s, 100k < 60 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
SERVER_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAME = os.environ.get("BENCH_IMPORT_DB", "tandem_bench_imports")

CITIES = [
    "武汉",
    "上海",
    "南京",
    "苏州",
    "杭州",
    "合肥",
    "长沙",
    "郑州",
    "成都",
    "重庆",
    "西安",
    "天津",
    "青岛",
    "深圳",
    "广州",
    "厦门",
]
BRAND = "华中联恒信宏远瑞丰金诚鼎盛泰和锦程博众润泽汇通天成蓝海同创冶科长江新城东湖光明正大安康"
BRAND += "永兴隆昌盛世纪飞腾宇航达源聚力德胜佳美鑫海星辰凯旋嘉禾国泰民丰荣耀腾云威远弘毅华彩"
BRAND += "信达恒通百川万象中天银河北斗青松翠柏春晖明月清风山水东方南洋西部北辰京沪粤湘鄂赣闽"
TRADES = ["建设工程", "机电安装", "置业", "地产开发", "轨道交通", "数据科技", "云计算", "医疗投资", "生物医药"]
TRADES += ["智能制造", "精密机械", "新能源", "热电", "酒店管理", "商业管理", "物流", "教育科技", "环保科技"]
FORMS = ["有限公司", "有限责任公司", "股份有限公司", "集团有限公司"]
TIERS = ["VIP", "A类", "B类", "C类", "A", "B", ""]
INDUSTRIES = ["建筑", "房地产", "制造业", "能源", "交通运输", "医疗", "数据中心", "", "其他"]
HEADER = ["客户名称", "统一社会信用代码", "客户等级", "行业", "区域", "省份", "城市", "详细地址", "负责人", "标签"]
OWNERS = ("sales1", "sales2", "sales3", "sales4", "salesmgr")


def pg_url(database: str) -> str:
    return SERVER_URL.rsplit("/", 1)[0] + "/" + database


def admin_connection() -> psycopg.Connection:
    url = SERVER_URL.replace("postgres://", "postgresql://", 1)
    return psycopg.connect(url, autocommit=True)


def recreate_database() -> None:
    with admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def drop_database() -> None:
    with admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


class Names:
    """Distinct, plausible company names: city + two-character brand + trade + legal form."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def core(self) -> str:
        while True:
            city, trade = self.rng.choice(CITIES), self.rng.choice(TRADES)
            core = f"{city}{self.rng.choice(BRAND)}{self.rng.choice(BRAND)}{trade}"
            if core not in self.used:
                self.used.add(core)
                return core

    def name(self) -> str:
        return self.core() + self.rng.choice(FORMS)


def credit_code(rng: random.Random) -> str:
    from stdnum.cn import uscc

    body = "91" + rng.choice(["420100", "310000", "320100", "440300", "510100"])
    body += "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return body + uscc.calc_check_digit(body)


def seed(tenant, owners, names: Names, rng, count: int) -> list[tuple[str, str]]:
    """`count` existing accounts, written in bulk; returns (name, credit code) of each."""
    from tandem.crm.models import Account

    existing, batch = [], []
    for i in range(count):
        name, code = names.name(), credit_code(rng) if rng.random() < 0.8 else ""
        existing.append((name, code))
        batch.append(Account(tenant=tenant, owner=owners[i % len(owners)], name=name, credit_code=code))
        if len(batch) == 5000:
            Account.objects.bulk_create(batch)
            batch = []
    Account.objects.bulk_create(batch)
    return existing


def workbook(path: Path, rows: int, existing: list[tuple[str, str]], names: Names, rng) -> dict:
    """The file to import; returns how many rows of each kind it holds."""
    from openpyxl import Workbook

    kinds = {"new": 0, "same credit code": 0, "legal-form variant": 0, "bad credit code": 0}
    book = Workbook(write_only=True)
    sheet = book.create_sheet("客户")
    sheet.append(HEADER)
    with_code = [e for e in existing if e[1]]
    for i in range(rows):
        roll = rng.random()
        code = ""
        if roll < 0.03:
            name, code = rng.choice(with_code)
            kinds["same credit code"] += 1
        elif roll < 0.04:
            name = rng.choice(existing)[0]
            for form in FORMS:
                name = name.removesuffix(form)
            name += "（集团）股份有限公司"
            kinds["legal-form variant"] += 1
        else:
            name = names.name()
            code = credit_code(rng) if rng.random() < 0.7 or roll > 0.99 else ""
            if roll > 0.99:
                code = code[:-1] + ("0" if code[-1] != "0" else "1")  # a wrong check character
                kinds["bad credit code"] += 1
            else:
                kinds["new"] += 1
        city = next((c for c in CITIES if name.startswith(c)), "")
        sheet.append(
            [
                name,
                code,
                rng.choice(TIERS),
                rng.choice(INDUSTRIES),
                "",
                "",
                city,
                f"{city}市高新区{rng.randint(1, 999)}号",
                OWNERS[i % len(OWNERS)],
                rng.choice(["", "国企", "上市公司,重点跟进", "老客户"]),
            ]
        )
    book.save(path)
    return kinds


def machine() -> list[str]:
    cpu = "unknown"
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return [
        f"machine:    {os.cpu_count()} CPUs, {cpu}, {platform.system()} {platform.release()}, "
        f"load average {os.getloadavg()[0]:.1f}",
        f"software:   Python {platform.python_version()}, Django {django.get_version()}, PostgreSQL {pg} "
        f"on {SERVER_URL.split('@')[-1].rsplit('/', 1)[0]}",
    ]


def run(args, data_dir: Path) -> None:
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from tandem.accounts.models import Department
    from tandem.audit.models import AuditEntry
    from tandem.crm.models import Account
    from tandem.integrations.services import jobs
    from tandem.testing.kit import access_for, make_member, make_tenant

    call_command("migrate", verbosity=0)
    tenant = make_tenant(slug="bench", name="华筑机电工程有限公司")
    sales = Department.objects.create(tenant=tenant, name="销售部")
    manager = make_member(tenant, "sales_manager", username="salesmgr", display_name="王磊", department=sales)
    sales.head = manager.user
    sales.save(update_fields=["head"])
    members = [
        make_member(tenant, "sales", username=f"sales{i}", manager=manager.user, department=sales) for i in range(1, 5)
    ]
    owners = [m.user for m in members] + [manager.user]
    access = access_for(manager)
    rng = random.Random(args.seed)
    names = Names(rng)
    started = time.perf_counter()
    existing = seed(tenant, owners, names, rng, args.existing)
    seeded = time.perf_counter() - started
    path = Path(tempfile.gettempdir()) / f"tandem-bench-import-{args.rows}-{args.existing}-{args.seed}.xlsx"
    kinds_path = path.with_suffix(".kinds")
    started = time.perf_counter()
    if path.exists() and kinds_path.exists():
        kinds = json.loads(kinds_path.read_text())
    else:
        kinds = workbook(path, args.rows, existing, names, rng)
        kinds_path.write_text(json.dumps(kinds))
    written = time.perf_counter() - started
    size_mb = path.stat().st_size / 1024 / 1024
    print(
        f"bench: {args.existing:,} existing accounts seeded in {seeded:.1f} s; workbook of {args.rows:,} rows "
        f"({size_mb:.1f} MB) {'read from cache' if written < 1 else f'written in {written:.1f} s'}\n",
        flush=True,
    )

    timings = {}
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
    started = time.perf_counter()
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    job = jobs.import_job_create(access=access, object_type="crm.account", upload=upload, language="zh-hans")
    timings["upload"] = time.perf_counter() - started
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    job = jobs.import_validation_start(access=access, job=job)
    timings["validate"] = time.perf_counter() - started
    if job.status != "validated":
        raise RuntimeError(f"the check failed: {job.error_message}")
    jobs.import_decisions_set(access=access, job=job, default="create", skip_invalid=True)
    started = time.perf_counter()
    jobs.import_commit_start(access=access, job=job)
    timings["commit"] = time.perf_counter() - started
    if profiler:
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats(args.profile).print_stats(40)
    job.refresh_from_db()
    if job.status != "done":
        raise RuntimeError(f"the import failed: {job.error_message}")

    total = sum(timings.values())
    print(f"{'phase':<12}{'seconds':>10}{'rows/s':>12}")
    print("-" * 34)
    for phase, seconds in timings.items():
        print(f"{phase:<12}{seconds:>10.2f}{job.total_rows / seconds:>12,.0f}")
    print(f"{'end to end':<12}{total:>10.2f}{job.total_rows / total:>12,.0f}")
    verdict = "meets" if total < 60 and job.total_rows / total >= 2000 else "misses"
    print(f"\ntarget:     ≥ 2,000 rows/s and 100k rows < 60 s end to end: {verdict}")
    print(
        f"rows:       {job.total_rows:,} ({', '.join(f'{n:,} {k}' for k, n in kinds.items())}); "
        f"check: {job.valid_rows:,} ready, {job.matched_rows:,} may exist, {job.invalid_rows:,} with errors"
    )
    print(
        f"written:    {job.created_count:,} created, {job.updated_count:,} updated, {job.skipped_count:,} skipped; "
        f"{Account.objects.filter(tenant=tenant).count():,} accounts, "
        f"{AuditEntry.objects.filter(tenant_id=tenant.pk, object_type='crm.account').count():,} account audit rows"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"memory:     peak RSS {peak:.0f} MB (the whole bench process)")
    for line in machine():
        print(line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the workbook")
    parser.add_argument("--existing", type=int, default=100_000, help="accounts already in the tenant")
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--profile", choices=("tottime", "cumulative"), help="print where the work goes")
    args = parser.parse_args(argv)
    data_dir = Path(tempfile.mkdtemp(prefix="tandem-bench-imports-"))
    os.environ.update(
        DATABASE_URL=pg_url(DB_NAME),
        DJANGO_SETTINGS_MODULE="tandem.settings",
        TANDEM_DATA_DIR=str(data_dir),
        HUEY_IMMEDIATE="1",
        LOG_LEVEL="ERROR",
        TANDEM_IMPORT_MAX_ROWS=str(max(args.rows, 200_000)),
    )
    for name in ("REDIS_URL", "DEBUG", "TANDEM_ENV"):
        os.environ.pop(name, None)
    sys.path.insert(0, str(ROOT))
    print(f"bench: fresh database {DB_NAME}, migrate …", flush=True)
    recreate_database()
    try:
        run(args, data_dir)
        return 0
    finally:
        from django.db import connections

        connections.close_all()
        try:
            drop_database()
        except psycopg.Error as exc:
            print(f"bench: could not drop {DB_NAME}: {exc}", file=sys.stderr)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
