"""`bench/automation.py` (or `bench/run.py --only automation`): the won-deal handoff and the event dispatcher
through a real Huey consumer, embedded (SQLite + SqliteHuey) and scaled out (PostgreSQL + RedisHuey).

Each backend runs in its own child process (Django settings are read once per process) with a fresh database
and a temporary TANDEM_DATA_DIR, and starts `tandem run_huey` with the same environment:

  embedded   SQLite file and SqliteHuey queue in the temporary data directory (no DATABASE_URL, no REDIS_URL)
  postgres   PostgreSQL database BENCH_AUTO_DB (default tandem_bench_auto) on BENCH_POSTGRES_URL's server,
             RedisHuey on BENCH_AUTO_REDIS_URL (default redis://127.0.0.1:6379/13, a Redis database only this
             benchmark uses: it is flushed before and after) with queue name HUEY_NAME=tandem-bench-automation

What it measures, in each backend:

1. Won deal → project → PM notified. A tenant with 3 PMs holding the skill, a 120-task template (6 areas of two
   parallel 8-task crews joined by SS links, procurement branches, area acceptance milestones, commissioning and
   handover; 136 links) and --deals open deals, each with a signed contract whose last payment falls due on the
   final milestone. The default rule `won_deal_project` is pointed at the template (PM by skill, least loaded).
   The bench marks the deals won one at a time through `deal_mark_won` (own committed transaction), stamps the
   commit from an on-commit callback registered before the service's own (so before the dispatch task is
   queued), and polls every 20 ms until the PM's in-app notification for the new project exists. Latency =
   the notification row's created_at − commit ("row"), and the poll that first saw it − commit ("seen").
   Afterwards: exactly one project per deal, each with the 120 tasks, scheduled (early dates set); and where
   the time went, from the outbox event, the run and its two steps.
2. Dispatcher throughput. 17 more enabled rules (20 with the 3 defaults): 10 event rules on
   crm.deal.stage_changed whose conditions never hold, 2 that hold for a few percent of the events
   (action add_activity), 3 event rules on other events and 2 record-updated rules on crm.deal. --events events
   "crm.deal.stage_changed" with real deal payloads are emitted; then
   a. in-process: the consumer is stopped, the events' queued dispatch tasks are discarded and
      `tandem.core.events.dispatch(id)` is called for each in a loop (events/s); the run tasks it queues are
      then drained by the restarted consumer (runs/s);
   b. real consumer: the same number of events is emitted in transactions of 50 while the consumer runs;
      events/s = events / (first emit → every outbox row of the tenant dispatched).

Prints two tables, the breakdown, the data size and the machine; asserts nothing (but stops with an error if a
deal gets no project, two projects, or no notification). The consumers, the PostgreSQL database, the Redis
database's keys and the data directories are removed at the end, also on failure.
Target (shared/PERFORMANCE.md): deal won → project from a 120-task template, scheduled, PM notified, p95 < 1 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import subprocess
import sys
import time
from pathlib import Path

from children import backend_space, child_result, cpu_model, pct, pg_url, report_result

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = os.environ.get("BENCH_AUTO_DB", "tandem_bench_auto")
REDIS_URL = os.environ.get("BENCH_AUTO_REDIS_URL", "redis://127.0.0.1:6379/13")
HUEY_NAME = "tandem-bench-automation"
BACKENDS = ("embedded", "postgres")
POLL = 0.02
EMIT_BATCH = 50


# --- parent: one child process per backend ----------------------------------------------------------


def child_env(backend: str, data_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL", "DEBUG", "TANDEM_ENV"}}
    env.update(
        DJANGO_SETTINGS_MODULE="tandem.settings",
        TANDEM_DATA_DIR=str(data_dir),
        LOG_LEVEL="ERROR",
        HUEY_IMMEDIATE="0",
        HUEY_NAME=HUEY_NAME,
        PYTHONUNBUFFERED="1",
    )
    env.pop("HUEY_SQLITE_PATH", None)
    if backend == "postgres":
        env.update(DATABASE_URL=pg_url(DB_NAME), REDIS_URL=REDIS_URL)
    return env


def run_backend(backend: str, args) -> dict:
    with backend_space(backend, prefix="tandem-bench-auto", db_name=DB_NAME, redis_url=REDIS_URL) as data_dir:
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--child",
            backend,
            "--deals",
            str(args.deals),
            "--events",
            str(args.events),
        ]
        if args.profile:
            command += ["--profile", args.profile]
        return child_result(command, child_env(backend, data_dir), backend)


def report(results: dict[str, dict], args, load_before: float) -> None:
    print()
    header = f"{'won deal → PM notified':<38} {'backend':<9} {'deals':>5} {'p50 s':>7} {'p95 s':>7} {'max s':>7}"
    print(header)
    print("-" * len(header))
    for backend, r in results.items():
        for label, key in (("commit → notification row", "row"), ("commit → seen by poller (20 ms)", "seen")):
            values = r["latency"][key]
            print(
                f"{label:<38} {backend:<9} {len(values):>5} {pct(values, 50):>7.3f} {pct(values, 95):>7.3f} "
                f"{max(values):>7.3f}"
            )
    print()
    header = f"{'dispatcher, 20 rules':<38} {'backend':<9} {'events':>6} {'seconds':>8} {'events/s':>9} {'runs':>6}"
    print(header)
    print("-" * len(header))
    for backend, r in results.items():
        t = r["throughput"]
        rows = [
            ("dispatch() in-process loop", t["inprocess_events"], t["inprocess_seconds"], t["inprocess_runs"]),
            ("real consumer, emit → all dispatched", t["consumer_events"], t["consumer_seconds"], t["consumer_runs"]),
        ]
        for label, events, seconds, runs in rows:
            print(f"{label:<38} {backend:<9} {events:>6} {seconds:>8.2f} {events / seconds:>9.1f} {runs:>6}")
    print()
    for backend, r in results.items():
        b, t = r["breakdown"], r["throughput"]
        print(
            f"{backend}: p50 (p95) s from commit: dispatch task picked up and run written {b['run_created'][0]:.3f} "
            f"({b['run_created'][1]:.3f}); run started {b['run_started'][0]:.3f} ({b['run_started'][1]:.3f}); "
            f"create_project step {b['create_project'][0]:.3f} ({b['create_project'][1]:.3f}); notify step "
            f"{b['notify'][0]:.3f} ({b['notify'][1]:.3f}); won event fully dispatched {b['dispatched'][0]:.3f} "
            f"({b['dispatched'][1]:.3f})"
        )
        print(
            f"{backend}: {t['matched_runs']} of the in-process runs matched (add_activity); the restarted consumer "
            f"ran them {t['backlog_seconds']:.2f} s after its start (start-up included); consumer phase: emitting took "
            f"{t['emit_seconds']:.2f} s, its {t['consumer_matched']} matched runs finished "
            f"{t['runs_done_seconds']:.2f} s after the first emit"
        )
    print()
    any_result = next(iter(results.values()))
    target = "meets" if all(pct(r["latency"]["seen"], 95) < 1 for r in results.values()) else "misses"
    print(f"target:     deal won → project from a 120-task template, scheduled, PM notified, p95 < 1 s: {target}")
    print(
        f"data:       {any_result['data']}; --deals {args.deals} won one after another, --events {args.events} "
        "per dispatcher phase"
    )
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
    parser.add_argument("--deals", type=int, default=30, help="deals won one after another, per backend")
    parser.add_argument("--events", type=int, default=100, help="events per dispatcher phase, per backend")
    parser.add_argument("--backend", choices=BACKENDS, action="append", help="run only this backend (repeatable)")
    parser.add_argument("--profile", choices=("tottime", "cumulative"), help="profile the in-process dispatch loop")
    parser.add_argument("--child", choices=BACKENDS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args)
    load_before = os.getloadavg()[0]
    results = {}
    for backend in args.backend or BACKENDS:
        print(f"bench: automation, {backend} …", flush=True)
        results[backend] = run_backend(backend, args)
    report(results, args, load_before)
    return 0


# --- child: one backend, Django set up from the environment ---------------------------------------


class Consumer:
    """`tandem run_huey` with this process's environment; its output goes to the data directory."""

    def __init__(self, data_dir: Path):
        self.log = data_dir / "consumer.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "tandem", "run_huey"],
                env=os.environ.copy(),
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def check(self) -> None:
        if self.proc is not None and self.proc.poll() is not None:
            raise RuntimeError(f"the consumer exited with {self.proc.returncode}:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGINT)  # Huey's graceful stop: finish the running tasks
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def wait_until(condition, *, timeout: float, what: str, consumer: Consumer | None = None, every: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if consumer is not None:
            consumer.check()
        if condition():
            return
        time.sleep(every)
    raise RuntimeError(f"timed out after {timeout:.0f} s waiting for {what}")


def template_spec() -> tuple[list[dict], list[dict]]:
    """120 template tasks: kickoff, design, 5 procurement branches, 6 areas (summary, two parallel crews of 8,
    acceptance milestone), commissioning, trial run, training, handover, final acceptance (pays 30 %)."""
    day = 480
    tasks: list[dict] = []
    links: list[dict] = []

    def task(key, name, days, **extra):
        tasks.append({"key": key, "name": name, "duration": days * day, "duration_unit": "days", **extra})

    def link(pred, succ, kind="FS", lag=0):
        links.append({"predecessor_key": pred, "successor_key": succ, "type": kind, "lag": lag})

    tasks.append({"key": "kickoff", "name": "项目启动", "duration": 0, "is_milestone": True})
    task("design", "深化设计", 5, role="pm")
    link("kickoff", "design")
    for k in range(5):
        task(f"buy{k}", f"设备采购 {k + 1}", 8 + 2 * k)
        link("design", f"buy{k}")
    crew_a = ["放线定位", "预埋管", "桥架安装", "线管敷设", "线缆敷设", "线缆测试", "标识", "自检"]
    crew_b = ["机柜安装", "设备上架", "前端设备安装", "终端接线", "配线架端接", "设备加电", "单机调试", "整改"]
    previous_area = None
    for area in range(6):
        parent = f"area{area}"
        tasks.append({"key": parent, "name": f"{area + 1} 区", "duration": 0})
        for i, name in enumerate(crew_a):
            task(f"{parent}a{i}", f"{area + 1}区 {name}", 1 + (i % 3), parent_key=parent)
            if i:
                link(f"{parent}a{i - 1}", f"{parent}a{i}")
        for i, name in enumerate(crew_b):
            task(f"{parent}b{i}", f"{area + 1}区 {name}", 1 + (i % 2), parent_key=parent)
            if i:
                link(f"{parent}b{i - 1}", f"{parent}b{i}")
        link("design", f"{parent}a0")
        if previous_area is not None:
            link(f"{previous_area}a3", f"{parent}a0")  # the cable crew moves on
        link(f"{parent}a2", f"{parent}b0", "SS", day)  # cabinets a day after the trays start
        link(f"buy{area % 5}", f"{parent}b1")  # equipment on site before it is racked
        tasks.append({"key": f"{parent}ok", "name": f"{area + 1}区 分项验收", "duration": 0, "is_milestone": True})
        link(f"{parent}a7", f"{parent}ok")
        link(f"{parent}b7", f"{parent}ok")
        previous_area = parent
    task("commission", "系统联调", 6)
    for area in range(6):
        link(f"area{area}ok", "commission")
    task("trial", "试运行", 10)
    link("commission", "trial")
    task("training", "用户培训", 2)
    link("trial", "training", "SS", 2 * day)
    task("docs", "竣工资料移交", 3)
    link("trial", "docs", "FF")
    tasks.append({"key": "done", "name": "竣工验收", "duration": 0, "is_milestone": True, "payment_percent": "30"})
    link("training", "done")
    link("docs", "done")
    return tasks, links


def throughput_rules(access, stages: list) -> None:
    """17 rules beside the 3 defaults: 20 enabled rules in the tenant."""
    from tandem.automation.services.rules import rule_create

    never = [
        {"field": "deal.amount", "op": "gt", "value": "1000000000000"},
        {"field": "deal.deal_type", "op": "eq", "value": "maintenance"},
        {"field": "deal.name", "op": "contains", "value": "不存在的项目"},
        {"field": "account.tier", "op": "eq", "value": "X"},
        {"all": [{"field": "deal.amount", "op": "lt", "value": "1"}, {"field": "trigger.to_stage", "op": "is_set"}]},
        {"field": "trigger.to_stage", "op": "eq", "value": "无此阶段"},
        {
            "any": [
                {"field": "deal.currency", "op": "eq", "value": "USD"},
                {"field": "deal.status", "op": "eq", "value": "lost"},
            ]
        },
        {"field": "deal.expected_close_date", "op": "within_last_days", "value": 0},
        {"not": {"field": "deal.amount", "op": "is_set"}},
        {"field": "trigger.from_stage", "op": "in", "value": ["甲", "乙", "丙"]},
    ]
    follow_up = [{"type": "add_activity", "params": {"subject": "阶段变化自动跟进", "kind": "note"}}]
    for n, condition in enumerate(never, 1):
        rule_create(
            access=access,
            name=f"压测规则 不匹配 {n}",
            trigger_type="event",
            model="crm.deal",
            trigger={"event": "crm.deal.stage_changed"},
            conditions=condition,
            actions=follow_up,
        )
    # A few percent of the events: the target stage is the first open stage and the deal a big one.
    for n, threshold in enumerate(("1000000", "1500000"), 1):
        rule_create(
            access=access,
            name=f"压测规则 匹配 {n}",
            trigger_type="event",
            model="crm.deal",
            trigger={"event": "crm.deal.stage_changed"},
            conditions={
                "all": [
                    {"field": "trigger.to_stage_id", "op": "eq", "value": stages[0].pk},
                    {"field": "deal.amount", "op": "gte", "value": threshold},
                ]
            },
            actions=follow_up,
        )
    for n, event in enumerate(("crm.deal.lost", "crm.lead.created", "projects.task.completed"), 1):
        rule_create(
            access=access,
            name=f"压测规则 其他事件 {n}",
            trigger_type="event",
            model="crm.deal" if event.startswith("crm.deal") else "",
            trigger={"event": event},
            actions=[{"type": "notify", "params": {"recipients": ["user:1"], "subject": "x", "channels": ["in_app"]}}],
        )
    for n, name in enumerate(("description", "source"), 1):
        rule_create(
            access=access,
            name=f"压测规则 字段更新 {n}",
            trigger_type="record_updated",
            model="crm.deal",
            trigger={"fields": [name]},
            actions=follow_up,
        )


def diagnose(tenant_id: int, deal_id: int, consumer: Consumer) -> str:
    """What became of a deal's won event: dispatch, runs, steps, notifications, and the consumer's log."""
    from tandem.automation.models import ActionRun, Run
    from tandem.core.models import OutboxEvent
    from tandem.notifications.models import Notification

    lines = []
    for event in OutboxEvent.objects.filter(tenant_id=tenant_id, payload__deal_id=deal_id).order_by("created_at"):
        lines.append(f"event {event.name} dispatched_at={event.dispatched_at} error={event.last_error!r}")
        for run in Run.objects.filter(event_id=event.pk).exclude(status="skipped"):
            lines.append(f"  run {run.pk} {run.rule.name}: {run.status} {run.error!r}")
            for step in ActionRun.objects.filter(run=run).order_by("index"):
                lines.append(f"    step {step.index} {step.action}: {step.status} {step.error!r} {step.result!r}")
    for note in Notification.objects.filter(tenant_id=tenant_id).order_by("-created_at")[:5]:
        lines.append(f"notification to {note.recipient_id}: {note.title!r} {note.url!r}")
    log = consumer.log.read_text(errors="replace")[-3000:] if consumer.log.exists() else ""
    return "\n".join(lines) + "\nconsumer log:\n" + log


def child(args) -> int:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    data_dir = Path(os.environ["TANDEM_DATA_DIR"])
    consumer = Consumer(data_dir)
    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrated in {time.perf_counter() - started:.0f} s", flush=True)
        result = measure(args, consumer)
        vendor = connection.vendor
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SHOW server_version")
                db = f"PostgreSQL {cursor.fetchone()[0]} + Redis (RedisHuey)"
        else:
            import sqlite3

            db = f"SQLite {sqlite3.sqlite_version} + SqliteHuey"
        import huey

        result["software"] = (
            f"Python {platform.python_version()}, Django {django.get_version()}, huey {huey.__version__}, {db}; "
            "consumer `tandem run_huey`, 2 worker threads"
        )
        report_result(result)
        return 0
    finally:
        consumer.stop()
        from django.db import connections

        connections.close_all()


def measure(args, consumer: Consumer) -> dict:
    from decimal import Decimal

    from django.db import transaction
    from django.urls import reverse
    from huey.contrib.djhuey import HUEY

    import tandem.automation.tasks  # noqa: F401  (the dispatch and run tasks this process enqueues)
    import tandem.core.tasks  # noqa: F401
    from tandem.accounts.models import Membership
    from tandem.automation.models import ActionRun, Rule, Run
    from tandem.automation.services.defaults import WON_DEAL_KEY
    from tandem.automation.services.rules import rule_update
    from tandem.core.events import dispatch, emit
    from tandem.core.models import OutboxEvent
    from tandem.crm.models import Stage
    from tandem.crm.services.accounts import account_create
    from tandem.crm.services.contacts import contact_create
    from tandem.crm.services.contracts import contract_create, contract_sign
    from tandem.crm.services.deals import deal_create, deal_mark_won, deal_payload
    from tandem.notifications.models import Notification
    from tandem.projects.models import Project, Task
    from tandem.projects.services.templates import template_define
    from tandem.testing.kit import access_for, make_member, make_tenant

    HUEY.flush()

    # --- the company ---
    started = time.perf_counter()
    tenant = make_tenant(slug="bench-auto", name="华筑智能化工程有限公司")
    admin = make_member(tenant, "admin", username="bench-admin", display_name="李敏")
    sales = make_member(tenant, "sales", username="bench-sales", display_name="陈晓")
    pms = [make_member(tenant, "pm", username=f"bench-pm{i}", display_name=f"项目经理{i}") for i in range(1, 4)]
    Membership.objects.filter(pk__in=[m.pk for m in pms]).update(skills=["弱电", "机电"])
    admin_access, sales_access = access_for(admin), access_for(sales)
    tasks, links = template_spec()
    template = template_define(access=admin_access, name="智能化弱电 120 项模板", tasks=tasks, links=links)
    account = account_create(access=sales_access, name="武汉光谷数据科技有限公司")
    contact = contact_create(access=sales_access, name="周经理", mobile="13800138000", links=[(account, True)])
    deals = []
    for n in range(args.deals):
        deal = deal_create(
            access=sales_access,
            name=f"光谷园区智能化 {n + 1} 期",
            account=account,
            contact=contact,
            amount=Decimal(300000 + 25000 * n),
            deal_type="installation",
        )
        contract = contract_create(
            access=sales_access,
            deal=deal,
            amount=Decimal(290000 + 25000 * n),
            periods=[
                {"name": "预付款", "percent": Decimal("30"), "due_rule": "on_date", "due_on": "2027-01-31"},
                {"name": "进度款", "percent": Decimal("40"), "due_rule": "on_date", "due_on": "2027-04-30"},
                {
                    "name": "验收款",
                    "percent": Decimal("30"),
                    "due_rule": "on_milestone",
                    "project_milestone": "竣工验收",
                },
            ],
        )
        contract_sign(access=sales_access, contract=contract)
        deals.append(deal)
    won_rule = Rule.objects.get(tenant=tenant, key=WON_DEAL_KEY)
    actions = won_rule.actions
    actions[0]["params"]["template"] = {"mode": "fixed", "id": template.pk}
    actions[0]["params"]["manager"] = {"strategy": "by_skill", "role": "pm", "skill": "弱电"}
    rule_update(access=admin_access, rule=won_rule, actions=actions)
    print(f"tenant, template and {args.deals} deals with signed contracts in {time.perf_counter() - started:.1f} s")

    def pending_events() -> int:
        return OutboxEvent.objects.filter(tenant_id=tenant.pk, dispatched_at__isnull=True).count()

    def open_runs() -> int:
        return Run.objects.filter(tenant_id=tenant.pk, status__in=["queued", "running", "waiting"]).count()

    def quiet() -> bool:
        return pending_events() == 0 and open_runs() == 0 and HUEY.pending_count() == 0

    consumer.start()
    started = time.perf_counter()
    wait_until(quiet, timeout=120, what="the consumer to drain the set-up's events", consumer=consumer)
    print(f"consumer up, set-up events drained in {time.perf_counter() - started:.1f} s", flush=True)

    # --- 1. won deal → project → PM notified ---
    row, seen, commits = [], [], {}
    for deal in deals:
        stamp: list[float] = []
        with transaction.atomic():
            transaction.on_commit(lambda s=stamp: s.append(time.time()))  # runs before emit()'s enqueue
            deal_mark_won(access=sales_access, deal=deal)
        committed = stamp[0]
        commits[deal.pk] = committed
        deadline = time.monotonic() + 60
        found = None
        while found is None:
            project = Project.objects.filter(tenant_id=tenant.pk, deal_id=deal.pk).values("pk", "owner_id").first()
            if project is not None:
                found = (
                    Notification.objects.filter(
                        tenant_id=tenant.pk,
                        recipient_id=project["owner_id"],
                        url=reverse("projects:detail", args=[project["pk"]]),
                    )
                    .values_list("created_at", flat=True)
                    .first()
                )
            if found is None:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"deal {deal.number}: no project or no PM notification after 60 s\n"
                        + diagnose(tenant.pk, deal.pk, consumer)
                    )
                consumer.check()
                time.sleep(POLL)
        seen.append(time.time() - committed)
        row.append(found.timestamp() - committed)
    print(
        f"{args.deals} deals won: p50 {pct(seen, 50):.3f} s, p95 {pct(seen, 95):.3f} s (seen by the poller)",
        flush=True,
    )
    wait_until(quiet, timeout=60, what="the handoff runs to finish", consumer=consumer)

    # one project per deal, each with the template's tasks, scheduled
    projects = list(Project.objects.filter(tenant_id=tenant.pk, deal_id__in=commits).values("pk", "deal_id"))
    per_deal = {pk: sum(1 for p in projects if p["deal_id"] == pk) for pk in commits}
    if set(per_deal.values()) != {1}:
        raise RuntimeError(f"projects per deal {sorted(per_deal.values())}, expected exactly one each")
    for p in projects:
        count = Task.objects.filter(project_id=p["pk"]).count()
        unscheduled = Task.objects.filter(project_id=p["pk"], early_start__isnull=True).count()
        if count != len(tasks) or unscheduled:
            raise RuntimeError(f"project {p['pk']}: {count} tasks, {unscheduled} without dates")

    # where the time went
    parts: dict[str, list[float]] = {"run_created": [], "run_started": [], "create_project": [], "notify": []}
    parts["dispatched"] = []
    for deal_pk, committed in commits.items():
        event = OutboxEvent.objects.get(tenant_id=tenant.pk, name="crm.deal.won", payload__deal_id=deal_pk)
        run = Run.objects.get(rule=won_rule, event_id=event.pk)
        steps = dict(ActionRun.objects.filter(run=run).values_list("action", "duration_ms"))
        parts["dispatched"].append(event.dispatched_at.timestamp() - committed)
        parts["run_created"].append(run.created_at.timestamp() - committed)
        parts["run_started"].append(run.started_at.timestamp() - committed)
        parts["create_project"].append(steps["create_project"] / 1000)
        parts["notify"].append(steps["notify"] / 1000)
    breakdown = {name: (pct(v, 50), pct(v, 95)) for name, v in parts.items()}

    # --- 2. dispatcher throughput with 20 rules ---
    stages = list(Stage.objects.filter(pipeline_id=deals[0].pipeline_id, is_won=False, is_lost=False).order_by("order"))
    throughput_rules(admin_access, stages)
    rules = Rule.objects.filter(tenant=tenant, enabled=True).count()
    more = [
        deal_create(
            access=sales_access,
            name=f"压测商机 {n + 1}",
            account=account,
            amount=Decimal(100000 * (n + 1)),
            deal_type="installation",
        )
        for n in range(20)
    ]
    wait_until(quiet, timeout=60, what="the rules' and deals' events to drain", consumer=consumer)
    pool = [*deals, *more]

    def last_run() -> int:
        return Run.objects.filter(tenant_id=tenant.pk).order_by("-pk").values_list("pk", flat=True).first() or 0

    def emit_events(count: int, batch: int) -> list:
        ids = []
        for start in range(0, count, batch):
            with transaction.atomic():
                for n in range(start, min(count, start + batch)):
                    deal = pool[n % len(pool)]
                    to_stage, from_stage = stages[n % len(stages)], stages[(n + 1) % len(stages)]
                    payload = {
                        **deal_payload(deal),
                        "from_stage_id": from_stage.pk,
                        "from_stage": from_stage.name,
                        "to_stage_id": to_stage.pk,
                        "to_stage": to_stage.name,
                    }
                    ids.append(emit("crm.deal.stage_changed", tenant=tenant, actor=sales.user, payload=payload).pk)
        return ids

    # a. in-process: no consumer, the queued dispatch tasks discarded, dispatch() in a loop
    consumer.stop()
    runs_before = last_run()
    ids = emit_events(args.events, args.events)
    HUEY.flush()
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started = time.perf_counter()
    for event_id in ids:
        dispatch(event_id)
    inprocess_seconds = time.perf_counter() - started
    if profiler:
        import pstats

        profiler.disable()
        pstats.Stats(profiler, stream=sys.stdout).sort_stats(args.profile).print_stats(45)
    inprocess_events = len(ids)
    if pending_events():
        raise RuntimeError(f"{pending_events()} events left undispatched by the in-process loop")
    inprocess_runs = Run.objects.filter(tenant_id=tenant.pk, pk__gt=runs_before).count()
    matched = Run.objects.filter(tenant_id=tenant.pk, pk__gt=runs_before).exclude(status="skipped").count()
    print(f"in-process: {len(ids)} events in {inprocess_seconds:.2f} s, {inprocess_runs} runs written", flush=True)
    started = time.perf_counter()
    consumer.start()
    wait_until(quiet, timeout=300, what="the consumer to run the queued runs", consumer=consumer)
    backlog_seconds = time.perf_counter() - started
    print(f"restarted consumer ran {matched} queued runs in {backlog_seconds:.2f} s", flush=True)

    # b. the real consumer: emit in transactions of EMIT_BATCH, wait until every event is dispatched
    runs_before = last_run()
    started = time.perf_counter()
    ids = emit_events(args.events, EMIT_BATCH)
    emit_seconds = time.perf_counter() - started
    wait_until(lambda: pending_events() == 0, timeout=600, what="every event dispatched", consumer=consumer)
    consumer_seconds = time.perf_counter() - started
    wait_until(quiet, timeout=600, what="every run finished", consumer=consumer)
    runs_done_seconds = time.perf_counter() - started
    consumer_runs = Run.objects.filter(tenant_id=tenant.pk, pk__gt=runs_before).count()
    consumer_matched = Run.objects.filter(tenant_id=tenant.pk, pk__gt=runs_before).exclude(status="skipped").count()
    print(f"consumer: {len(ids)} events dispatched {consumer_seconds:.2f} s after the first emit", flush=True)
    consumer.stop()

    counts = [
        model.objects.filter(tenant_id=tenant.pk).count() for model in (OutboxEvent, Run, Task, Project, Notification)
    ]
    sizes = "{:,} outbox events, {:,} runs, {:,} tasks in {} projects, {:,} notifications at the end".format(*counts)
    return {
        "latency": {"row": row, "seen": seen},
        "breakdown": breakdown,
        "throughput": {
            "inprocess_events": inprocess_events,
            "inprocess_seconds": inprocess_seconds,
            "inprocess_runs": inprocess_runs,
            "matched_runs": matched,
            "backlog_seconds": backlog_seconds,
            "consumer_events": len(ids),
            "consumer_seconds": consumer_seconds,
            "consumer_runs": consumer_runs,
            "consumer_matched": consumer_matched,
            "emit_seconds": emit_seconds,
            "runs_done_seconds": runs_done_seconds,
        },
        "data": (
            f"1 tenant, {rules} enabled rules (3 default), 3 PMs with the skill, template of {len(tasks)} tasks and "
            f"{len(links)} links, {args.deals} + 20 deals"
        ),
        "sizes": sizes,
    }


if __name__ == "__main__":
    sys.exit(main())
