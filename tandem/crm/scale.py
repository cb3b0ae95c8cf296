"""Large synthetic CRM data for benchmarks (`tandem demo --scale N`): N accounts, 3N contacts, 2N deals across the
stages of the tenant's default pipeline and 10N activities, in one tenant (by default `scale`).

Rows are written in batches with COPY on PostgreSQL (bulk_create elsewhere), all in one transaction, so a failed
run leaves nothing behind.
What the services do per row is skipped on purpose: no audit entries, no outbox events, no notifications, and
deals carry no line items (their amount is set directly). The denormalised fields the lists show are filled as
the services would leave them: each account's last follow-up (time and summary), deal numbers (SJ-YYYYMMDD-NNNN)
with the tenant's number sequences moved past them, and each deal's status and won/lost time from its stage.

A few key accounts carry far more follow-ups than the rest, so the timeline of a busy customer can be measured.
"""

from __future__ import annotations

import json
import random
import time as clock
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import accumulate

from django.db import connection, transaction
from django.utils import timezone, translation

from tandem.accounts import demo as accounts_demo
from tandem.accounts.models import Department
from tandem.core import demo
from tandem.core.models import NumberingRule, NumberSequence
from tandem.crm.choices import AccountTier, ActivityKind, LeadSource
from tandem.crm.demo.customers import invented_credit_code, invented_mobile
from tandem.crm.demo.data import (
    ACTIVITY_SUBJECTS,
    CITIES,
    CORES,
    DEAL_SCOPES,
    DISTRICTS,
    GIVEN,
    LEGAL_FORMS,
    LOST_REASONS,
    STAGE_SPREAD,
    SURNAMES,
    TITLES,
    TRADES,
)
from tandem.crm.models import (
    Account,
    AccountContact,
    Activity,
    Contact,
    Contract,
    CrmSettings,
    Deal,
    Lead,
    Pipeline,
    Pool,
    PoolRule,
    SalesTarget,
    Stage,
)
from tandem.crm.services.activities import summary_of
from tandem.crm.services.pipelines import pipeline_default

BATCH = 5000
DEFAULT_SLUG = "scale"
DEFAULT_SEED = 20261127
KEY_ACCOUNT_ACTIVITIES = 5000  # follow-ups of each key account, at most
SALES_REPS = 8
# Two-character brands on top of the demo's, so 100k company names stay distinct.
BRAND_CHARACTERS = "".join(
    dict.fromkeys(
        "华中联恒信宏远瑞丰金诚鼎盛泰和锦程博众润泽汇通天成蓝海同创长江新城东湖永兴隆昌世纪飞腾宇航达源聚力德胜"
        "佳美鑫星辰凯旋嘉禾国安荣耀云威弘毅彩百川万象银河北斗青松翠柏春晖明月清风山水方南洋西部京沪粤湘鄂赣闽光正大康"
    )
)
TIER_WEIGHTS = {AccountTier.VIP: 1, AccountTier.A: 3, AccountTier.B: 4, AccountTier.C: 3}
# How much more of everything an account of a tier gets: deals, contacts and follow-ups.
TIER_ACTIVITY = {AccountTier.VIP: 4.0, AccountTier.A: 2.0, AccountTier.B: 1.0, AccountTier.C: 0.5}
TAGS = ["国企", "上市公司", "总包", "老客户", "重点跟进", "政府项目"]
CITY_NAMES = list(CITIES)
LEAD_SOURCES = list(LeadSource.values)
FOLLOW_UP_KINDS = [k for k in ActivityKind.values if k != ActivityKind.TASK]
MEETING_NOTE = "客户关注工期与售后响应时间，要求补充同类项目业绩。"
# Tenant configuration that survives --reset; every other crm table is emptied for the tenant.
KEPT_ON_RESET = {CrmSettings, Pipeline, Stage, Pool, PoolRule, SalesTarget}


class ScaleRefused(demo.ScaleRefused):
    """The tenant already has CRM data and no reset was asked for."""


@dataclass(frozen=True)
class ScaleCounts:
    """What one run wrote."""

    tenant: str
    accounts: int
    contacts: int
    deals: int
    activities: int
    seconds: float


def scale_load(
    *,
    n: int,
    slug: str = DEFAULT_SLUG,
    reset: bool = False,
    seed: int = DEFAULT_SEED,
    batch_size: int = BATCH,
    progress: Callable[[str], None] | None = None,
) -> ScaleCounts:
    """Fill a tenant with n accounts and their contacts, deals and follow-ups; refuse if it has CRM data already
    unless `reset`, which empties the tenant's CRM records first (pipelines and settings stay)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    started = clock.perf_counter()
    say = progress or (lambda _message: None)
    with transaction.atomic():
        tenant, owners = _tenant_and_team(slug)
        existing = _existing_counts(tenant)
        if any(existing.values()):
            if not reset:
                found = ", ".join(f"{count:,} {name}" for name, count in existing.items() if count)
                raise ScaleRefused(
                    f"Tenant {slug!r} already has CRM data ({found}). Run again with --reset to replace it."
                )
            say(f"reset: emptying the CRM records of tenant {slug!r}")
            _wipe(tenant)
        with translation.override(tenant.locale):
            counts = _Generator(tenant, owners, n=n, seed=seed, batch_size=batch_size, say=say).run()
    if connection.vendor == "postgresql":
        # What autovacuum would do some minutes later: statistics for the planner and, outside a transaction,
        # the visibility map that lets counts and sums read an index alone.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            for model in (Account, Contact, AccountContact, Deal, Activity):
                cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
    return ScaleCounts(tenant=slug, seconds=clock.perf_counter() - started, **counts)


@demo.register_scale("crm")
def scale_command(*, n: int, tenant: str, reset: bool, seed: int | None, progress: Callable[[str], None]) -> str:
    """`tandem demo --scale N`: load the data set and sum it up in one line."""
    counts = scale_load(n=n, slug=tenant, reset=reset, seed=DEFAULT_SEED if seed is None else seed, progress=progress)
    return (
        f"tenant {counts.tenant!r}: {counts.accounts:,} accounts, {counts.contacts:,} contacts, "
        f"{counts.deals:,} deals, {counts.activities:,} activities in {counts.seconds:.1f} s "
        f"(sign in as {counts.tenant}-admin)"
    )


def _tenant_and_team(slug: str):
    """The tenant (created if absent) with a sales department, an admin, a sales manager and reps; returns the
    tenant and the members who own accounts (the reps, then the manager)."""
    tenant = accounts_demo._tenant(slug, "华筑机电工程有限公司（压测）", "zh-hans")
    sales, _ = Department.objects.get_or_create(tenant=tenant, name="销售部", parent=None)
    password_user = accounts_demo._user
    admin = password_user(f"{slug}-admin", "李敏")
    manager = password_user(f"{slug}-salesmgr", "王磊")
    accounts_demo._member(tenant, admin, roles=["admin"], title="系统管理员")
    accounts_demo._member(tenant, manager, roles=["sales_manager"], department=sales, title="销售总监")
    if sales.head_id is None:
        sales.head = manager
        sales.save(update_fields=["head"])
    reps = []
    for index in range(1, SALES_REPS + 1):
        rep = password_user(f"{slug}-sales{index}", f"销售{index}号")
        accounts_demo._member(tenant, rep, roles=["sales"], department=sales, manager=manager, title="销售经理")
        reps.append(rep)
    return tenant, [*reps, manager]


def _existing_counts(tenant) -> dict[str, int]:
    models = {
        "accounts": Account,
        "contacts": Contact,
        "leads": Lead,
        "deals": Deal,
        "activities": Activity,
        "contracts": Contract,
    }
    return {name: model._base_manager.filter(tenant_id=tenant.pk).count() for name, model in models.items()}


def _wipe(tenant) -> None:
    """Delete the tenant's CRM records with one statement per table: the ORM's cascade would load every row.

    Foreign keys are checked at commit, so the order of the tables does not matter."""
    from django.apps import apps

    with connection.cursor() as cursor:
        for model in apps.get_app_config("crm").get_models():
            if model in KEPT_ON_RESET or not hasattr(model, "tenant_id"):
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            # The table name comes from the model and is quoted; the tenant id is a parameter.
            cursor.execute(f"DELETE FROM {table} WHERE tenant_id = %s", [tenant.pk])  # noqa: S608
    NumberSequence.objects.filter(tenant_id=tenant.pk, object_type__startswith="crm.").delete()


def _spread(rng: random.Random, total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """`total` items over len(weights) slots: each slot at least `minimum`, the rest drawn in proportion."""
    counts = [minimum] * len(weights)
    cumulative = list(accumulate(weights))
    for slot in rng.choices(range(len(weights)), cum_weights=cumulative, k=total - minimum * len(weights)):
        counts[slot] += 1
    return counts


class _Writer:
    """Inserts plain rows ({attname: value}) with ids given out beforehand, so children can point at their
    parents before anything is written: COPY on PostgreSQL, bulk_create elsewhere (the tests' SQLite)."""

    def __init__(self, *, batch_size: int, now: datetime):
        self.batch_size, self.now = batch_size, now
        self.copy = connection.vendor == "postgresql"
        self.next_id: dict[type, int] = {}
        self.defaults: dict[type, dict] = {}

    def ids(self, model, count: int) -> list[int]:
        """`count` fresh primary keys of `model`: from its sequence on PostgreSQL (safe beside other writers),
        else past the highest id (this transaction holds SQLite's write lock)."""
        if count == 0:
            return []
        if self.copy:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [model._meta.db_table, count],
                )
                return [row[0] for row in cursor.fetchall()]
        if model not in self.next_id:
            highest = model._base_manager.order_by("-pk").values_list("pk", flat=True).first() or 0
            if connection.vendor == "sqlite":
                # Ids of deleted rows are never given again (AUTOINCREMENT): old audit entries point at them.
                with connection.cursor() as cursor:
                    cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [model._meta.db_table])
                    row = cursor.fetchone()
                highest = max(highest, row[0] if row else 0)
            self.next_id[model] = highest + 1
        first = self.next_id[model]
        self.next_id[model] = first + count
        return list(range(first, first + count))

    def _defaults(self, model) -> dict:
        """Every concrete field's default, with the insert and update times of now."""
        if model not in self.defaults:
            values = {}
            for field in model._meta.concrete_fields:
                auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
                values[field.attname] = self.now if auto else field.get_default()
            self.defaults[model] = values
        return self.defaults[model]

    def write(self, model, rows: list[dict]) -> None:
        if not rows:
            return
        defaults = self._defaults(model)
        if not self.copy:
            model._base_manager.bulk_create([model(**{**defaults, **row}) for row in rows], batch_size=self.batch_size)
            return
        pk = model._meta.pk
        # Rows without ids (links, activities) take theirs from the table's identity column.
        fields = [field for field in model._meta.concrete_fields if field is not pk or pk.attname in rows[0]]
        names = [field.attname for field in fields]
        json_names = {field.attname for field in fields if field.get_internal_type() == "JSONField"}
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in fields)
        statement = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                values = {**defaults, **row}
                for name in json_names:
                    values[name] = json.dumps(values[name], ensure_ascii=False)
                copy.write_row([values[name] for name in names])


class _Generator:
    """Writes the synthetic set chunk by chunk: each chunk's accounts, then their contacts, deals, follow-ups."""

    def __init__(self, tenant, owners: list, *, n: int, seed: int, batch_size: int, say):
        self.tenant_id, self.n, self.batch_size, self.say = tenant.pk, n, batch_size, say
        self.owner_ids = [owner.pk for owner in owners]
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.zone = timezone.get_current_timezone()
        self.writer = _Writer(batch_size=batch_size, now=self.now)
        self.names: set[str] = set()
        self.mobiles: set[str] = set()
        self.contact_seq = 0
        self.written = {"accounts": 0, "contacts": 0, "deals": 0, "activities": 0}
        self.pipeline = pipeline_default(tenant=tenant)
        self.stages = list(self.pipeline.stages.order_by("order", "id"))
        self.stage_weights = [STAGE_SPREAD.get(position, 10) for position in range(1, len(self.stages) + 1)]
        rule = NumberingRule.objects.filter(tenant_id=tenant.pk, object_type="crm.deal").first()
        self.rule = rule or NumberingRule(tenant_id=tenant.pk, object_type="crm.deal", prefix="SJ")
        self.sequences = dict(
            NumberSequence.objects.filter(tenant_id=tenant.pk, object_type="crm.deal").values_list(
                "period", "last_value"
            )
        )
        self.scope_totals = [sum(q * p for _product, _unit, q, p in items) for _scope, _type, items in DEAL_SCOPES]

    # --- the plan ---------------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        rng, n = self.rng, self.n
        tiers = rng.choices(list(TIER_WEIGHTS), weights=list(TIER_WEIGHTS.values()), k=n)
        key_accounts = min(n, max(1, n // 10_000))
        per_key = min(KEY_ACCOUNT_ACTIVITIES, 10 * n // 20)
        for index in range(key_accounts):
            tiers[index] = AccountTier.VIP
        weights = [TIER_ACTIVITY[tier] for tier in tiers]
        contacts = _spread(rng, 3 * n, weights, minimum=1)
        deals = _spread(rng, 2 * n, weights)
        activities = _spread(rng, 10 * n - key_accounts * per_key, weights)
        for index in range(key_accounts):
            activities[index] += per_key
        chunk = max(1, self.batch_size // 2)
        reported = 0
        for start in range(0, n, chunk):
            stop = min(n, start + chunk)
            self._chunk([(tiers[i], contacts[i], deals[i], activities[i]) for i in range(start, stop)])
            if stop * 10 // n > reported or stop == n:
                reported = stop * 10 // n
                self.say(", ".join(f"{count:,} {name}" for name, count in self.written.items()))
        self._save_sequences()
        return self.written

    def _chunk(self, plans: list[tuple]) -> None:
        ids = self.writer.ids
        account_ids = iter(ids(Account, len(plans)))
        contact_ids = iter(ids(Contact, sum(plan[1] for plan in plans)))
        deal_ids = iter(ids(Deal, sum(plan[2] for plan in plans)))
        accounts, contacts, links, deals, activities = [], [], [], [], []
        for tier, n_contacts, n_deals, n_activities in plans:
            account = self._account(next(account_ids), tier)
            people = [self._contact(next(contact_ids), account) for _ in range(n_contacts)]
            links += [
                {
                    "tenant_id": self.tenant_id,
                    "account_id": account["id"],
                    "contact_id": person["id"],
                    "is_primary": i == 0,
                }
                for i, person in enumerate(people)
            ]
            account_deals = [self._deal(next(deal_ids), account, people) for _ in range(n_deals)]
            follow_ups = [self._activity(account, people, account_deals) for _ in range(n_activities)]
            self._last_follow_up(account, follow_ups)
            accounts.append(account)
            contacts += people
            deals += account_deals
            activities += follow_ups
        for model, rows in (
            (Account, accounts),
            (Contact, contacts),
            (AccountContact, links),
            (Deal, deals),
            (Activity, activities),
        ):
            self.writer.write(model, rows)
        self.written["accounts"] += len(accounts)
        self.written["contacts"] += len(contacts)
        self.written["deals"] += len(deals)
        self.written["activities"] += len(activities)

    # --- one row of each kind ---------------------------------------------------------------------

    def _at(self, day: date) -> datetime:
        """A moment during office hours of `day`, in the tenant's time zone."""
        rng = self.rng
        return datetime.combine(day, time(rng.randint(8, 18), rng.randint(0, 59)), tzinfo=self.zone)

    def _company(self) -> tuple[str, str, int]:
        """A city, a company name no other account has, and the index of its trade."""
        rng = self.rng
        while True:
            city = rng.choice(CITY_NAMES)
            brand = rng.choice(CORES) if rng.random() < 0.2 else "".join(rng.sample(BRAND_CHARACTERS, 2))
            trade = rng.randrange(len(TRADES))
            core = f"{city}{brand}{TRADES[trade][0]}"
            if core not in self.names:
                self.names.add(core)
                return city, f"{core}{rng.choice(LEGAL_FORMS)}", trade

    def _account(self, pk: int, tier: str) -> dict:
        rng = self.rng
        city, name, trade = self._company()
        province, region, division = CITIES[city]
        return {
            "id": pk,
            "tenant_id": self.tenant_id,
            "owner_id": self.owner_ids[pk % len(self.owner_ids)],
            "name": name,
            "credit_code": invented_credit_code(rng, division) if rng.random() < 0.8 else "",
            "tier": tier,
            "industry": TRADES[trade][1],
            "region": region,
            "province": province,
            "city": city,
            "address": f"{city}市{rng.choice(DISTRICTS)}{rng.randint(1, 999)}号",
            "tags": rng.sample(TAGS, k=rng.choice((0, 0, 1, 1, 2))),
            "created_at": self._at(self.today - timedelta(days=rng.randint(60, 1500))),
        }

    def _contact(self, pk: int, account: dict) -> dict:
        rng = self.rng
        self.contact_seq += 1
        return {
            "id": pk,
            "tenant_id": self.tenant_id,
            "owner_id": account["owner_id"],
            "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
            "title": rng.choice(TITLES),
            "mobile": invented_mobile(rng, self.mobiles),
            "email": f"c{self.contact_seq:07d}@scale-customer.cn",
            "wechat": f"wx_s{self.contact_seq:07d}" if rng.random() < 0.4 else "",
            "created_at": account["created_at"],
        }

    def _deal(self, pk: int, account: dict, people: list[dict]) -> dict:
        rng, now = self.rng, self.now
        stage = rng.choices(self.stages, weights=self.stage_weights)[0]
        scope_index = rng.randrange(len(DEAL_SCOPES))
        scope, deal_type, _items = DEAL_SCOPES[scope_index]
        base = self.scope_totals[scope_index] or 300_000
        created = self._at(self.today - timedelta(days=rng.randint(1, 720)))
        closed = stage.is_won or stage.is_lost
        if closed:
            changed = min(created + timedelta(days=rng.randint(15, 120)), now - timedelta(hours=rng.randint(2, 48)))
        else:
            changed = created + (now - created) * rng.random()
        city = account["city"]
        expected_close = timezone.localdate(changed) if closed else self.today + timedelta(days=rng.randint(-30, 180))
        reason = rng.choice(LOST_REASONS) if stage.is_lost else ("方案与价格综合评分第一" if stage.is_won else "")
        return {
            "id": pk,
            "tenant_id": self.tenant_id,
            "owner_id": account["owner_id"] if rng.random() < 0.9 else rng.choice(self.owner_ids),
            "number": self._number(created),
            "name": f"{city}{account['name'][len(city) : len(city) + 2]}{scope}",
            "account_id": account["id"],
            "contact_id": rng.choice(people)["id"] if people and rng.random() < 0.85 else None,
            "pipeline_id": self.pipeline.pk,
            "stage_id": stage.pk,
            "status": stage.status,
            "amount": Decimal(int(base * rng.uniform(0.3, 2.5)) // 100 * 100),
            "currency": "CNY",
            "expected_close_date": expected_close,
            "deal_type": deal_type,
            "source": rng.choice(LEAD_SOURCES),
            "stage_changed_at": changed,
            "won_at": changed if stage.is_won else None,
            "lost_at": changed if stage.is_lost else None,
            "close_reason": reason,
            "created_at": created,
        }

    def _number(self, created: datetime) -> str:
        """The number deal_create would have drawn on that day (same rule, same sequence)."""
        rule = self.rule
        fmt = {"daily": "%Y%m%d", "monthly": "%Y%m", "yearly": "%Y", "never": ""}[rule.reset]
        period = created.strftime(fmt) if fmt else ""  # `created` is in the tenant's time zone already
        value = self.sequences.get(period, 0) + 1
        self.sequences[period] = value
        parts = [rule.prefix] + ([period] if period else []) + [str(value).zfill(rule.padding)]
        return rule.separator.join(p for p in parts if p)

    def _activity(self, account: dict, people: list[dict], deals: list[dict]) -> dict:
        rng, now = self.rng, self.now
        since = max(1, (self.today - account["created_at"].date()).days)
        occurred = self._at(self.today - timedelta(days=rng.randint(0, since)))
        occurred = min(occurred, now - timedelta(minutes=rng.randint(5, 600)))
        activity = {
            "tenant_id": self.tenant_id,
            "owner_id": account["owner_id"] if rng.random() < 0.9 else rng.choice(self.owner_ids),
            "occurred_at": occurred,
            "account_id": account["id"],
            "contact_id": rng.choice(people)["id"] if people and rng.random() < 0.7 else None,
            "deal_id": rng.choice(deals)["id"] if deals and rng.random() < 0.6 else None,
            "created_at": occurred,
        }
        if rng.random() < 0.08:
            kind = ActivityKind.TASK
            due = occurred + timedelta(days=rng.randint(1, 14))
            activity["due_at"] = due
            if due < now and rng.random() < 0.8:
                activity["done"], activity["done_at"] = True, due - timedelta(hours=rng.randint(1, 20))
        else:
            kind = rng.choice(FOLLOW_UP_KINDS)
            if kind in (ActivityKind.MEETING, ActivityKind.VISIT) and rng.random() < 0.5:
                activity["content"] = MEETING_NOTE
            if (self.today - occurred.date()).days < 30 and rng.random() < 0.3:
                activity["next_contact_on"] = self.today + timedelta(days=rng.randint(1, 21))
        activity["kind"], activity["subject"] = kind, rng.choice(ACTIVITY_SUBJECTS[kind])
        return activity

    def _last_follow_up(self, account: dict, activities: list[dict]) -> None:
        """What activity_create leaves on the account: the latest follow-up's time and summary."""
        latest, latest_at = None, None
        for activity in activities:
            if activity["kind"] == ActivityKind.TASK and not activity.get("done"):
                continue  # an open task is a plan, not a follow-up
            when = activity.get("done_at") or activity["occurred_at"]
            if latest_at is None or when > latest_at:
                latest, latest_at = activity, when
        if latest is not None:
            account["last_activity_at"] = latest_at
            account["last_activity_summary"] = summary_of(Activity(kind=latest["kind"], subject=latest["subject"]))

    def _save_sequences(self) -> None:
        """Move the tenant's deal number sequences past the numbers given out, so new deals number on."""
        existing = set(
            NumberSequence.objects.filter(tenant_id=self.tenant_id, object_type="crm.deal").values_list(
                "period", flat=True
            )
        )
        new = []
        for period, value in self.sequences.items():
            if period in existing:
                NumberSequence.objects.filter(tenant_id=self.tenant_id, object_type="crm.deal", period=period).update(
                    last_value=value
                )
            else:
                new.append(
                    NumberSequence(tenant_id=self.tenant_id, object_type="crm.deal", period=period, last_value=value)
                )
        NumberSequence.objects.bulk_create(new, batch_size=self.batch_size)
