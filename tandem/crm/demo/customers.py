"""Demo customers for the demo tenant: ~60 invented Chinese companies, 150 contacts, 20 leads, 80 deals across
the default pipeline, follow-ups, and 10 signed contracts with 30/60/7/3 payment plans and some receipts.

Everything is invented and deterministic (a seeded generator); the loader does nothing once the tenant has
accounts, so running `tandem demo` again is safe.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone
from stdnum.cn import uscc

from tandem.accounts.models import Tenant, User
from tandem.core import demo
from tandem.crm.choices import (
    AccountTier,
    ActivityKind,
    ContractStatus,
    ContractType,
    DealStatus,
    DealType,
    DueRule,
    LeadSource,
    LeadStatus,
    PaymentMethod,
)
from tandem.crm.demo.data import (
    ACTIVITY_SUBJECTS,
    CITIES,
    CORES,
    DEAL_SCOPES,
    DISTRICTS,
    GIVEN,
    LEGAL_FORMS,
    LOST_REASONS,
    OWNERS,
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
    Deal,
    DealLine,
    Lead,
    PaymentMilestone,
    Receipt,
)
from tandem.crm.services.pipelines import pipeline_default
from tandem.records.services.numbering import number_next


def _aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def invented_credit_code(rng: random.Random, division: str) -> str:
    """A unified social credit code (统一社会信用代码) with a valid check character, of an invented company."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "91" + division + "".join(rng.choice(alphabet) for _ in range(9))
    return body + uscc.calc_check_digit(body)


def invented_mobile(rng: random.Random, used: set[str]) -> str:
    """An invented mainland mobile number not in `used` (and added to it)."""
    while True:
        number = rng.choice(["138", "139", "136", "135", "158", "159", "186", "187", "177", "189"]) + "".join(
            rng.choice("0123456789") for _ in range(8)
        )
        if number not in used:
            used.add(number)
            return number


def _accounts(tenant, rng, owners, today):
    accounts, names = [], set()
    cities = list(CITIES)
    while len(accounts) < 60:
        city, core = rng.choice(cities), rng.choice(CORES)
        trade, industry, _deal_type = rng.choice(TRADES)
        name = f"{city}{core}{trade}{rng.choice(LEGAL_FORMS)}"
        if name in names:
            continue
        names.add(name)
        province, region, division = CITIES[city]
        tier = rng.choices([AccountTier.VIP, AccountTier.A, AccountTier.B, AccountTier.C], [1, 3, 4, 3])[0]
        accounts.append(
            Account(
                tenant=tenant,
                owner=owners[len(accounts) % len(owners)],
                name=name,
                credit_code=invented_credit_code(rng, division) if rng.random() < 0.8 else "",
                tier=tier,
                industry=industry,
                region=region,
                province=province,
                city=city,
                address=f"{city}市{rng.choice(DISTRICTS)}{rng.randint(1, 999)}号",
                tags=rng.sample(["国企", "上市公司", "总包", "老客户", "重点跟进", "政府项目"], k=rng.randint(0, 2)),
                created_at=_aware(today - timedelta(days=rng.randint(250, 900))),
            )
        )
    Account.objects.bulk_create(accounts)
    vip = next(a for a in accounts if a.tier == AccountTier.VIP)
    vip.risk_flag, vip.risk_reason, vip.risk_owner = True, "质保金回款逾期，客户投诉维修响应慢", owners[2]
    vip.save(update_fields=["risk_flag", "risk_reason", "risk_owner"])
    return accounts


def _contacts(tenant, rng, accounts):
    used: set[str] = set()
    contacts, links = [], []
    for index in range(150):
        account = accounts[index % len(accounts)]
        contact = Contact(
            tenant=tenant,
            owner=account.owner,
            name=rng.choice(SURNAMES) + rng.choice(GIVEN),
            title=rng.choice(TITLES),
            mobile=invented_mobile(rng, used),
            email=f"contact{index + 1:03d}@demo-customer.cn",
            wechat=f"wx_{index + 1:03d}" if rng.random() < 0.5 else "",
        )
        contacts.append(contact)
    Contact.objects.bulk_create(contacts)
    for index, contact in enumerate(contacts):
        account = accounts[index % len(accounts)]
        links.append(AccountContact(tenant=tenant, account=account, contact=contact, is_primary=index < len(accounts)))
    AccountContact.objects.bulk_create(links)
    return contacts


def _deals(tenant, rng, accounts, contacts, today):
    pipeline = pipeline_default(tenant=tenant)
    stages = {s.order: s for s in pipeline.stages.all()}
    # The first contact of each account is its primary contact (see _contacts).
    by_account = {account.pk: contacts[index] for index, account in enumerate(accounts)}
    deals, lines = [], []
    positions = [p for p, count in STAGE_SPREAD.items() for _ in range(count)]
    rng.shuffle(positions)
    for index, position in enumerate(positions):
        account = accounts[(index * 7) % len(accounts)]
        scope, deal_type, items = DEAL_SCOPES[index % len(DEAL_SCOPES)]
        stage = stages[position]
        created = today - timedelta(days=rng.randint(20, 240))
        deal_lines = [
            (product, unit, Decimal(max(1, round(qty * rng.uniform(0.5, 1.5)))), Decimal(price))
            for product, unit, qty, price in items
        ]
        amount = sum((q * p for _product, _unit, q, p in deal_lines), Decimal("0"))
        if not deal_lines:
            amount = Decimal(rng.randrange(80, 900)) * 1000
        closed_at = _aware(created + timedelta(days=rng.randint(15, 90)), 16) if stage.is_won or stage.is_lost else None
        if closed_at and closed_at > timezone.now():
            closed_at = timezone.now() - timedelta(days=1)
        deal = Deal(
            tenant=tenant,
            owner=account.owner,
            number=number_next(tenant_id=tenant.pk, object_type="crm.deal", default_prefix="SJ", on=_aware(created)),
            name=f"{account.city}{account.name[len(account.city) : len(account.city) + 2]}{scope}",
            account=account,
            contact=by_account.get(account.pk),
            pipeline=pipeline,
            stage=stage,
            status=stage.status,
            amount=amount.quantize(Decimal("0.01")),
            currency="CNY",
            expected_close_date=today + timedelta(days=rng.randint(-30, 180)),
            deal_type=deal_type,
            source=rng.choice(LeadSource.values),
            stage_changed_at=closed_at or _aware(today - timedelta(days=rng.randint(1, 40))),
            won_at=closed_at if stage.is_won else None,
            lost_at=closed_at if stage.is_lost else None,
            close_reason=rng.choice(LOST_REASONS)
            if stage.is_lost
            else ("方案与价格综合评分第一" if stage.is_won else ""),
            created_at=_aware(created),
        )
        deals.append(deal)
        lines.append(deal_lines)
    Deal.objects.bulk_create(deals)
    DealLine.objects.bulk_create(
        DealLine(tenant=tenant, deal=deal, product=p, unit=u, quantity=q, unit_price=price, sort_order=i)
        for deal, deal_lines in zip(deals, lines, strict=True)
        for i, (p, u, q, price) in enumerate(deal_lines, start=1)
    )
    return deals


def _activities(tenant, rng, deals, today):
    activities = []
    for deal in deals:
        for _ in range(rng.randint(1, 4)):
            kind = rng.choice([k for k in ActivityKind.values if k != ActivityKind.TASK])
            occurred = _aware(today - timedelta(days=rng.randint(0, 90)), rng.randint(9, 18))
            activities.append(
                Activity(
                    tenant=tenant,
                    owner=deal.owner,
                    kind=kind,
                    subject=rng.choice(ACTIVITY_SUBJECTS[kind]),
                    content="客户关注工期与售后响应时间，要求补充同类项目业绩。"
                    if kind == ActivityKind.MEETING
                    else "",
                    occurred_at=occurred,
                    next_contact_on=today + timedelta(days=rng.randint(1, 21)) if rng.random() < 0.4 else None,
                    account=deal.account,
                    contact=deal.contact,
                    deal=deal,
                )
            )
        if deal.status == DealStatus.OPEN and rng.random() < 0.3:
            due = _aware(today + timedelta(days=rng.randint(-3, 10)), 17)
            activities.append(
                Activity(
                    tenant=tenant,
                    owner=deal.owner,
                    kind=ActivityKind.TASK,
                    subject=rng.choice(ACTIVITY_SUBJECTS[ActivityKind.TASK]),
                    occurred_at=due - timedelta(days=7),
                    due_at=due,
                    account=deal.account,
                    deal=deal,
                )
            )
    Activity.objects.bulk_create(activities)
    latest: dict[int, Activity] = {}
    for activity in activities:
        if activity.kind == ActivityKind.TASK:
            continue
        best = latest.get(activity.account_id)
        if best is None or activity.occurred_at > best.occurred_at:
            latest[activity.account_id] = activity
    for account_id, activity in latest.items():
        Account.objects.filter(pk=account_id).update(
            last_activity_at=activity.occurred_at,
            last_activity_summary=f"{activity.get_kind_display()}: {activity.subject}"[:200],
        )


def _leads(tenant, rng, owners, today):
    used: set[str] = set()
    statuses = [LeadStatus.NEW] * 7 + [LeadStatus.CONTACTED] * 6 + [LeadStatus.QUALIFIED] * 4 + [LeadStatus.LOST] * 3
    leads = []
    for index, status in enumerate(statuses):
        city = rng.choice(list(CITIES))
        trade, industry, _deal_type = rng.choice(TRADES)
        created = timezone.now() - timedelta(hours=rng.randint(2, 24 * 30))
        responded = created + timedelta(hours=rng.randint(1, 40)) if status != LeadStatus.NEW else None
        leads.append(
            Lead(
                tenant=tenant,
                owner=owners[index % len(owners)],
                company=f"{city}{rng.choice(CORES)}{trade}{rng.choice(LEGAL_FORMS)}",
                contact_name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                title=rng.choice(TITLES),
                phone=invented_mobile(rng, used),
                source=rng.choice(LeadSource.values),
                status=status,
                industry=industry,
                province=CITIES[city][0],
                city=city,
                region=CITIES[city][1],
                estimated_amount=Decimal(rng.randrange(100, 3000)) * 1000,
                description="计划明年启动机电改造，需要初步方案与估算。",
                response_due_at=created + timedelta(hours=24),
                first_response_at=responded,
                lost_reason="客户已选定其他供应商" if status == LeadStatus.LOST else "",
                created_at=created,
            )
        )
    Lead.objects.bulk_create(leads)


PLAN = [
    ("预付款", Decimal("30"), DueRule.ON_DATE, None, False),
    ("进度款", Decimal("60"), DueRule.ON_MILESTONE, None, False),
    ("验收款", Decimal("7"), DueRule.AFTER_ACCEPTANCE, 30, False),
    ("质保金", Decimal("3"), DueRule.AFTER_ACCEPTANCE, 730, True),
]


def _contracts(tenant, rng, deals, signatory):
    won = [d for d in deals if d.status == DealStatus.WON][:10]
    for index, deal in enumerate(won):
        signed = timezone.localdate(deal.won_at) + timedelta(days=rng.randint(3, 15))
        accepted = signed + timedelta(days=120) if index < 3 else None
        contract = Contract.objects.create(
            tenant=tenant,
            owner=deal.owner,
            number=number_next(tenant_id=tenant.pk, object_type="crm.contract", default_prefix="HT", on=_aware(signed)),
            name=deal.name,
            account=deal.account,
            deal=deal,
            contract_type=ContractType.MAINTENANCE
            if deal.deal_type == DealType.MAINTENANCE
            else ContractType.CONSTRUCTION,
            status=ContractStatus.SIGNED,
            amount=deal.amount,
            tax_rate=Decimal("9.00"),
            customer_signatory=deal.contact.name if deal.contact else "",
            company_signatory=signatory,
            signed_on=signed,
            start_on=signed + timedelta(days=7),
            end_on=signed + timedelta(days=240),
            accepted_on=accepted,
        )
        amounts = [(deal.amount * pct / 100).quantize(Decimal("0.01")) for _n, pct, _r, _d, _ret in PLAN]
        amounts[-1] += deal.amount - sum(amounts)
        for sequence, ((name, pct, rule, days, retention), amount) in enumerate(zip(PLAN, amounts, strict=True), 1):
            due = signed + timedelta(days=10) if rule == DueRule.ON_DATE else None
            if rule == DueRule.AFTER_ACCEPTANCE and accepted:
                due = accepted + timedelta(days=days)
            period = PaymentMilestone.objects.create(
                tenant=tenant,
                contract=contract,
                sequence=sequence,
                name=name,
                percent=pct,
                amount=amount,
                due_rule=rule,
                due_on=due,
                days_after_acceptance=days,
                project_milestone="主体安装完成" if rule == DueRule.ON_MILESTONE else "",
                is_retention=retention,
                created_by=deal.owner,
            )
            received = Decimal("0")
            if sequence == 1 and index != 9:
                received = amount
            elif sequence == 2 and index < 5:
                received = (amount * Decimal(rng.choice(["0.5", "1"]))).quantize(Decimal("0.01"))
            if received:
                Receipt.objects.create(
                    tenant=tenant,
                    contract=contract,
                    milestone=period,
                    received_on=min(signed + timedelta(days=rng.randint(5, 60)), timezone.localdate()),
                    amount=received,
                    method=rng.choice([PaymentMethod.BANK_TRANSFER, PaymentMethod.ACCEPTANCE_BILL]),
                    bank=rng.choice(["招商银行", "中国建设银行", "中国工商银行", "兴业银行"]),
                    reference=f"HD{contract.pk:04d}{sequence}",
                    created_by=deal.owner,
                )


@demo.register(20, "crm")
def load() -> None:
    tenant = Tenant.objects.filter(slug="demo").first()
    if tenant is None or Account.all_objects.filter(tenant=tenant).exists():
        return
    users = {u.username: u for u in User.objects.filter(username__in=[*OWNERS, "owner"])}
    owners = [users[name] for name in OWNERS]
    rng = random.Random(20)
    today = timezone.localdate()
    accounts = _accounts(tenant, rng, owners, today)
    contacts = _contacts(tenant, rng, accounts)
    deals = _deals(tenant, rng, accounts, contacts, today)
    _activities(tenant, rng, deals, today)
    _leads(tenant, rng, owners, today)
    _contracts(tenant, rng, deals, users.get("owner"))
