"""Demo cost center for both demo tenants: a cost code tree, and for each demo project a budget (locked once the
project runs) with lines on its tasks, commitments (a subcontract and purchase orders in different statuses),
change orders (an approved prime change raising the contract value, a pending one), actual costs month by month
(expenses, supplier invoices, commitment invoices, day-work labor) and monthly snapshots.

The story: most projects run to plan, a little under cost; one project per tenant — the late factory fit-out in
the Chinese tenant, the project under way in the English one — is eroding its margin: its subcontract and
material orders came in above the budget lines, work costs more than it earns (CPI below 0.9), several lines
show red over/under and the margin is below the 10 % threshold, so its cost alerts are open.

Everything is written through the finance services (audited, alerts refreshed as a user's writes would);
a project whose budget already has lines is left alone, so running `tandem demo` again is safe.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from tandem.core import demo

D = Decimal
FEN = D("0.01")
LUMP = None  # a line given as one item (项) of its share of the budget


@dataclass(frozen=True)
class LineSpec:
    """A budget line of the demo: code, type, description, unit, unit price (None = a lump sum), share of the
    budget, and whether it sits on a WBS task."""

    code: str
    cost_type: str
    description: str
    unit: str
    unit_price: Decimal | None
    share: Decimal
    on_task: bool = True


@dataclass(frozen=True)
class Company:
    slug: str
    pm: str
    finance: str
    codes: tuple[tuple[str, str], ...]
    lines: tuple[LineSpec, ...]
    eroding: str  # the project code (or "active" for the English tenant's project under way) that erodes
    words: dict


ZH_CODES = (
    ("01", "土建工程"),
    ("01.01", "设备基础及预埋"),
    ("02", "安装工程"),
    ("02.01", "强电"),
    ("02.02", "弱电"),
    ("02.03", "暖通"),
    ("02.04", "给排水及消防"),
    ("03", "智能化系统"),
    ("04", "措施项目"),
    ("05", "管理费用"),
)
EN_CODES = (
    ("01", "Civil works"),
    ("01.01", "Plinths and embedded parts"),
    ("02", "MEP installation"),
    ("02.01", "Electrical power"),
    ("02.02", "Low-voltage systems"),
    ("02.03", "HVAC"),
    ("02.04", "Plumbing and fire protection"),
    ("03", "Building automation and ICT"),
    ("04", "Preliminaries and site measures"),
    ("05", "Management costs"),
)


def _lines(names: list[tuple[str, str]]) -> tuple[LineSpec, ...]:
    """The same bill in either language: (description, unit) per line, in the order below."""
    shape = [
        ("02.01", "material", D("215.00"), D("0.14"), True),
        ("02.01", "labor", D("380.00"), D("0.08"), True),
        ("02.01", "material", D("86.50"), D("0.05"), True),
        ("02.02", "material", D("680.00"), D("0.04"), True),
        ("02.02", "labor", D("360.00"), D("0.04"), True),
        ("02.03", "subcontract", LUMP, D("0.18"), True),
        ("02.03", "material", D("96.00"), D("0.06"), True),
        ("02.03", "machinery", D("2800.00"), D("0.02"), True),
        ("02.04", "material", D("58.00"), D("0.03"), True),
        ("03", "subcontract", LUMP, D("0.10"), True),
        ("03", "material", D("5800.00"), D("0.03"), True),
        ("01.01", "material", D("520.00"), D("0.01"), True),
        ("04", "measures", LUMP, D("0.03"), False),
        ("04", "measures", D("28.00"), D("0.02"), False),
        ("05", "overhead", D("18000.00"), D("0.09"), False),
        ("05", "fees", LUMP, D("0.03"), False),
        ("05", "tax", LUMP, D("0.05"), False),
    ]
    assert sum(s[3] for s in shape) == 1 and len(names) == len(shape)
    return tuple(
        LineSpec(code, cost_type, description, unit, price, share, on_task)
        for (code, cost_type, price, share, on_task), (description, unit) in zip(shape, names, strict=True)
    )


ZH_LINES = _lines(
    [
        ("电力电缆 YJV-4×95+1×50", "m"),
        ("强电安装人工", "工日"),
        ("镀锌桥架 300×100", "m"),
        ("六类非屏蔽网线", "箱"),
        ("弱电布线人工", "工日"),
        ("空调水系统专业分包", "项"),
        ("镀锌钢管 DN100", "m"),
        ("汽车吊台班 25t", "台班"),
        ("消防喷淋管 DN25", "m"),
        ("智能化系统分包（视频监控、门禁）", "项"),
        ("网络交换机 48口", "台"),
        ("设备基础混凝土 C30", "m³"),
        ("安全文明施工费", "项"),
        ("脚手架搭拆", "m²"),
        ("项目管理人员工资", "月"),
        ("社会保险费及住房公积金", "项"),
        ("增值税及附加", "项"),
    ]
)
EN_LINES = _lines(
    [
        ("Power cable YJV-4×95+1×50", "m"),
        ("Electrical installation labour", "man-day"),
        ("Galvanised cable tray 300×100", "m"),
        ("Cat 6 UTP cable", "box"),
        ("Low-voltage cabling labour", "man-day"),
        ("Chilled-water system subcontract", "item"),
        ("Galvanised steel pipe DN100", "m"),
        ("Mobile crane 25 t", "shift"),
        ("Sprinkler pipe DN25", "m"),
        ("CCTV and access control subcontract", "item"),
        ("48-port network switch", "pcs"),
        ("Equipment plinth concrete C30", "m³"),
        ("Site safety and welfare", "item"),
        ("Scaffolding erect and dismantle", "m²"),
        ("Site management salaries", "month"),
        ("Statutory social insurance", "item"),
        ("VAT and surcharges", "item"),
    ]
)

ZH_WORDS = {
    "hvac_vendor": "武汉中锐机电安装有限公司",
    "ict_vendor": "湖北楚天智联科技有限公司",
    "cable_vendor": "远东电缆有限公司",
    "pipe_vendor": "天津友发钢管集团",
    "switch_vendor": "新华三技术有限公司",
    "hvac_title": "空调水系统专业分包合同",
    "ict_title": "智能化系统分包合同",
    "cable_title": "电力电缆采购订单",
    "pipe_title": "镀锌钢管采购订单",
    "switch_title": "网络交换机采购订单",
    "prime_title": "业主新增配电回路及照明改造",
    "prime_reason": "业主书面通知增加两路配电回路，并将车间照明改为LED，双方已签认现场签证。",
    "pending_title": "铜价上涨电缆预算调增",
    "pending_reason": "电缆主材铜价较投标时上涨约12%，申请调增预算。",
    "expense": "费用报销",
    "invoice": "供应商发票",
    "commitment_invoice": "进度款发票",
    "labor": "点工人工费",
    "forecast_note": "分包及主材价格上涨，剩余工程按现价预测。",
    "modification_reason": "脚手架实际用量减少，调剂至消防喷淋管。",
}
EN_WORDS = {
    "hvac_vendor": "Harbour Mechanical Services Ltd.",
    "ict_vendor": "Brightline Systems Integration Co.",
    "cable_vendor": "Eastern Cable Supply Co.",
    "pipe_vendor": "Tianjin Steel Pipe Trading Co.",
    "switch_vendor": "Netcore Distribution Ltd.",
    "hvac_title": "Chilled-water system subcontract",
    "ict_title": "CCTV and access control subcontract",
    "cable_title": "Power cable purchase order",
    "pipe_title": "Steel pipe purchase order",
    "switch_title": "Network switch purchase order",
    "prime_title": "Client-requested extra circuits and LED lighting",
    "prime_reason": "The client instructed two additional circuits and LED lighting in the workshop; site "
    "instruction signed by both parties.",
    "pending_title": "Cable budget increase for the copper price rise",
    "pending_reason": "Copper is about 12 % above the tender price; the cable budget needs raising.",
    "expense": "Expense claim",
    "invoice": "Supplier invoice",
    "commitment_invoice": "Progress invoice",
    "labor": "Day-work labour",
    "forecast_note": "Subcontract and material prices rose; the remaining work is forecast at today's prices.",
    "modification_reason": "Less scaffolding was needed; the saving goes to the sprinkler pipework.",
}

COMPANIES = (
    Company("demo", "pm", "finance", ZH_CODES, ZH_LINES, "DEMO-XM-01", ZH_WORDS),
    Company("northwind", "emily", "grace", EN_CODES, EN_LINES, "active", EN_WORDS),
)

# How the eroding project's money goes against its budget, and how the others' does.
ERODING = {"price": D("1.18"), "spend": D("1.22")}  # commitments 18 % over their lines; work costs 22 % more
ON_PLAN = {"price": D("0.97"), "spend": D("0.96")}


def _fen(value) -> Decimal:
    return D(value).quantize(FEN, rounding=ROUND_HALF_UP)


def _access(tenant_slug: str, username: str):
    from tandem.accounts.access import MembershipAccess
    from tandem.accounts.models import Membership

    membership = (
        Membership.objects.select_related("tenant", "user")
        .prefetch_related("roles")
        .filter(tenant__slug=tenant_slug, user__username=username, is_active=True)
        .first()
    )
    return MembershipAccess(membership) if membership else None


def _contract_value(project, budget) -> Decimal:
    """The contract's amount (the handoff filled it), else the project's budget, else a typical job's."""
    if budget.original_contract_value:
        return budget.original_contract_value
    return _fen(project.budget or D("1860000"))


def _month_spans(first: date, last: date) -> list[tuple[date, date]]:
    """(start, end) of each calendar month piece of [first, last]."""
    spans, start = [], first
    while start <= last:
        end = min(date(start.year, start.month, calendar.monthrange(start.year, start.month)[1]), last)
        spans.append((start, end))
        start = end + timedelta(days=1)
    return spans


def _spread(amount: Decimal, first: date, last: date) -> list[tuple[date, Decimal]]:
    """An amount cut into one posting per month of [first, last] by days, dated on the 25th (or the last day);
    the pieces add up to the amount exactly."""
    spans = _month_spans(first, last)
    days = sum((end - start).days + 1 for start, end in spans)
    out, left = [], amount
    for i, (start, end) in enumerate(spans):
        piece = left if i == len(spans) - 1 else _fen(amount * ((end - start).days + 1) / days)
        left -= piece
        if piece > 0:
            out.append((min(end, start.replace(day=25)) if start.day <= 25 else end, piece))
    return out


def _codes(access, company: Company) -> dict:
    from tandem.finance.models import CostCode
    from tandem.finance.services.cost_codes import cost_codes_import

    if not CostCode.objects.filter(tenant_id=access.tenant_id).exists():
        cost_codes_import(
            access=access,
            rows=[{"code": code, "name": name, "sort_order": i} for i, (code, name) in enumerate(company.codes)],
        )
    return {c.code: c for c in CostCode.objects.filter(tenant_id=access.tenant_id)}


def _leaf_tasks(project) -> list:
    from tandem.projects.models import Task

    return list(
        Task.objects.filter(project=project, is_summary=False, is_milestone=False)
        .exclude(duration=0)
        .order_by("sort_order", "id")
    )


def _project_percent(tasks) -> Decimal:
    total = sum(t.duration for t in tasks)
    return D(sum(t.duration * t.percent_complete for t in tasks)) / total if total else D(0)


def load_project(company: Company, project, *, pm, finance, codes: dict, eroding: bool, today: date) -> None:
    """One project's budget and money, as its PM and finance would have entered them."""
    from tandem.finance.choices import ChangeOrderKind, CommitmentKind, CommitmentStatus, ForecastMethod
    from tandem.finance.services import budgets as budget_services
    from tandem.finance.services import change_orders as co_services
    from tandem.finance.services import commitments as commitment_services

    budget = budget_services.budget_for(access=pm, project=project)
    if budget.lines.exists():
        return
    value = _contract_value(project, budget)
    if budget.original_contract_value != value:
        budget = budget_services.budget_update(access=pm, budget=budget, original_contract_value=value)
    planned = _fen(value * D("0.86"))  # a 14 % planned margin
    tasks = _leaf_tasks(project)
    rows = []
    for index, spec in enumerate(company.lines):
        share = _fen(planned * spec.share)
        if spec.unit_price is LUMP:
            quantity, price = D("1"), share
        else:
            quantity = max((share / spec.unit_price).quantize(D("0.1"), rounding=ROUND_HALF_UP), D("0.1"))
            price = spec.unit_price
        task = tasks[(index * 5) % len(tasks)] if spec.on_task and tasks else None
        rows.append(
            {
                "cost_code": codes[spec.code],
                "cost_type": spec.cost_type,
                "description": spec.description,
                "unit": spec.unit,
                "quantity": quantity,
                "unit_price": price,
                "task": task,
                "sort_order": index + 1,
            }
        )
    lines = budget_services.budget_lines_create_bulk(access=pm, budget=budget, rows=rows)
    started = project.start_date < today and project.status in ("active", "on_hold")
    if not started:
        return  # a project in planning has a draft budget, no money moved yet
    budget = budget_services.budget_lock(access=pm, budget=budget)
    factors = ERODING if eroding else ON_PLAN
    words = company.words
    by_index = dict(enumerate(lines))
    cable, hvac_sub, ict_sub, switches = by_index[0], by_index[5], by_index[9], by_index[10]

    def commit(kind, title, vendor, line, share, statuses, retention=0):
        amount_line = {
            "budget_line": line,
            "description": line.description,
            "quantity": line.quantity,
            "unit": line.unit,
            "unit_price": _fen(line.unit_price * share),
        }
        commitment = commitment_services.commitment_create(
            access=pm,
            project=project,
            kind=kind,
            title=title,
            vendor=vendor,
            retention_percent=retention,
            lines=[amount_line],
            signed_on=project.start_date + timedelta(days=10),
        )
        for status in statuses:
            commitment = commitment_services.commitment_transition(access=finance, commitment=commitment, status=status)
        return commitment

    price = factors["price"]
    progress = _progress(project, lines, tasks, today)
    subcontract = commit(
        CommitmentKind.SUBCONTRACT,
        words["hvac_title"],
        words["hvac_vendor"],
        hvac_sub,
        price,
        [CommitmentStatus.OUT_FOR_SIGNATURE, CommitmentStatus.APPROVED],
        retention=5,
    )
    cable_po = commit(
        CommitmentKind.PURCHASE_ORDER,
        words["cable_title"],
        words["cable_vendor"],
        cable,
        price,
        [CommitmentStatus.SUBMITTED, CommitmentStatus.APPROVED, CommitmentStatus.PARTIALLY_RECEIVED],
    )
    invoiced = {hvac_sub.pk: subcontract, cable.pk: cable_po}
    # The integrator signs before its work starts: approved once its line has progress, else out for signature.
    ict_started = progress.get(ict_sub.pk, D(0)) > 0
    ict = commit(
        CommitmentKind.SUBCONTRACT,
        words["ict_title"],
        words["ict_vendor"],
        ict_sub,
        price,
        [CommitmentStatus.OUT_FOR_SIGNATURE, *([CommitmentStatus.APPROVED] if ict_started else [])],
        retention=3,
    )
    if ict_started:
        invoiced[ict_sub.pk] = ict
    # Pending cost: the order for the material needed last is submitted, not approved yet.
    pipe = min((by_index[i] for i in (6, 8, 11)), key=lambda line: (progress.get(line.pk, D(0)), line.sort_order))
    commit(
        CommitmentKind.PURCHASE_ORDER,
        words["pipe_title"],
        words["pipe_vendor"],
        pipe,
        price,
        [CommitmentStatus.SUBMITTED],
    )
    commit(CommitmentKind.PURCHASE_ORDER, words["switch_title"], words["switch_vendor"], switches, D("1"), [])

    # Change orders: the client's extra circuits (approved, raising the contract value), a pending budget change.
    extra = _fen(value * D("0.05"))
    prime = co_services.change_order_create(
        access=pm,
        budget=budget,
        kind=ChangeOrderKind.PRIME,
        title=words["prime_title"],
        reason=words["prime_reason"],
        contract_amount=extra,
        lines=[
            {"budget_line": by_index[2], "description": words["prime_title"], "amount": _fen(extra * D("0.55"))},
            {"budget_line": by_index[1], "description": words["prime_title"], "amount": _fen(extra * D("0.25"))},
        ],
    )
    co_services.change_order_submit(access=pm, change_order=prime)
    co_services.change_order_approve(access=finance, change_order=prime)
    pending = co_services.change_order_create(
        access=pm,
        budget=budget,
        kind=ChangeOrderKind.BUDGET,
        title=words["pending_title"],
        reason=words["pending_reason"],
        contract_amount=0,
        lines=[
            {
                "budget_line": cable,
                "description": words["pending_title"],
                "amount": _fen(cable.original_amount * D("0.08")),
            }
        ],
    )
    co_services.change_order_submit(access=pm, change_order=pending)
    # A transfer after the lock: scaffolding came in cheaper, the sprinkler pipe needs more.
    budget_services.budget_modification_create(
        access=pm,
        budget=budget,
        from_line=by_index[13],
        to_line=by_index[8],
        amount=_fen(by_index[13].original_amount * D("0.2")),
        reason=words["modification_reason"],
    )

    revised = _revised(lines)
    # No cost yet on a line whose order or subcontract is not approved: nothing was bought or done under it.
    waiting = {pipe.pk} | ({ict_sub.pk} if not ict_started else set())
    _actuals(
        company,
        project,
        lines,
        pm=pm,
        spend=factors["spend"],
        progress=progress,
        revised=revised,
        commitments=invoiced,
        waiting=waiting,
        today=today,
    )
    if eroding:
        # The PM forecasts the labour lines at today's cost rate: what is left costs 22 % more.
        for line in lines:
            if line.cost_type == "labor":
                left = revised[line.pk] * (100 - progress.get(line.pk, D(0))) / 100
                budget_services.budget_line_update(
                    access=pm,
                    line=line,
                    forecast_method=ForecastMethod.LUMP_SUM,
                    forecast_amount=_fen(left * factors["spend"]),
                )
    _snapshots(project, today)


def _revised(lines) -> dict[int, Decimal]:
    """Each line's revised budget: original, transfers in and out, approved change order lines."""
    from django.db.models import Sum

    from tandem.finance.models import BudgetModification, ChangeOrderLine

    out = {line.pk: line.original_amount for line in lines}
    ids = list(out)
    for row in (
        ChangeOrderLine.objects.filter(budget_line_id__in=ids, change_order__status="approved")
        .values("budget_line_id")
        .annotate(s=Sum("amount"))
    ):
        out[row["budget_line_id"]] += row["s"]
    for field, sign in (("to_line_id", 1), ("from_line_id", -1)):
        for row in BudgetModification.objects.filter(**{f"{field}__in": ids}).values(field).annotate(s=Sum("amount")):
            out[row[field]] += sign * row["s"]
    return {pk: _fen(v) for pk, v in out.items()}


def _progress(project, lines, tasks, today: date) -> dict[int, Decimal]:
    """Each line's % complete as earned value reads it: its task's, else the project's (duration-weighted)."""
    overall = _project_percent(tasks)
    out = {}
    for line in lines:
        task = line.task
        if task is None:
            out[line.pk] = overall if project.start_date < today else D(0)
        else:
            out[line.pk] = D(task.percent_complete) if task.actual_start else D(0)
    return out


def _actuals(company, project, lines, *, pm, spend, progress, revised, commitments, waiting, today: date) -> None:
    """What each line has cost so far: its revised budget × its progress × the spend factor, month by month (an
    invoice against a commitment stays within 95 % of it)."""
    from tandem.finance.choices import CostKind
    from tandem.finance.services import actuals

    words = company.words
    yesterday = today - timedelta(days=1)
    for line in lines:
        done = progress.get(line.pk, D(0))
        if done <= 0 or line.pk in waiting:
            continue
        task = line.task
        if task is not None:
            first = timezone.localtime(task.actual_start).date()
            last = timezone.localtime(task.actual_finish).date() if task.actual_finish else yesterday
        else:
            first, last = project.start_date, yesterday
        if first > yesterday:
            continue
        cost = _fen(revised[line.pk] * done / 100 * spend)
        commitment = commitments.get(line.pk)
        if commitment is not None:
            committed = sum(c.amount for c in commitment.lines.all())
            cost = min(cost, _fen(committed * D("0.95")))
        for number, (day, amount) in enumerate(_spread(cost, first, min(last, yesterday)), start=1):
            reference = f"{project.code or project.number}-{line.sort_order:02d}-{number:02d}"
            if line.cost_type == "labor":
                actuals.labor_cost_post(
                    tenant_id=project.tenant_id,
                    project_id=project.pk,
                    source_type="demo.labor",
                    source_id=line.pk * 100 + number,
                    amount=amount,
                    date=day,
                    description=f"{words['labor']} {line.description}",
                    budget_line=line,
                    actor=pm.membership.user,
                )
            elif commitment is not None:
                actuals.cost_record_create(
                    access=pm,
                    project=project,
                    budget_line=line,
                    kind=CostKind.COMMITMENT_INVOICE,
                    commitment=commitment,
                    date=day,
                    amount=amount,
                    vendor=commitment.vendor,
                    reference=reference,
                    description=f"{words['commitment_invoice']} {commitment.number}",
                )
            else:
                kind = CostKind.SUPPLIER_INVOICE if line.cost_type in ("material", "machinery") else CostKind.EXPENSE
                actuals.cost_record_create(
                    access=pm,
                    project=project,
                    budget_line=line,
                    kind=kind,
                    date=day,
                    amount=amount,
                    reference=reference,
                    description=f"{words['invoice'] if kind == CostKind.SUPPLIER_INVOICE else words['expense']} "
                    f"{line.description}",
                )


def _snapshots(project, today: date) -> None:
    """A snapshot for every month the project has run (the current month's too, as the trend's last point).

    Snapshots taken now for months gone by would carry today's % complete; a running company would have taken them
    at each month's end. The demo gives each past month the earned value of its planned value at today's schedule
    performance (EV = PV × today's SPI), so the S-curve and the CPI trend read as they would have."""
    from decimal import Decimal

    from tandem.finance import evm
    from tandem.finance.models import CostSnapshot
    from tandem.finance.services.snapshots import cost_snapshot_take

    month = project.start_date.replace(day=1)
    taken = []
    while month <= today:
        taken.append(cost_snapshot_take(tenant_id=project.tenant_id, project_id=project.pk, month=month))
        month = (month + timedelta(days=32)).replace(day=1)
    if not taken or not taken[-1].earned_value.get("spi"):
        return
    spi = Decimal(taken[-1].earned_value["spi"])
    for snapshot in taken[:-1]:
        values = snapshot.earned_value
        pv, ac, bac = (Decimal(values[k]) for k in ("pv", "ac", "bac"))
        ev = (pv * spi).quantize(Decimal("0.01"))
        snapshot.earned_value = evm.indices(bac=bac, pv=pv, ev=ev, ac=ac).as_dict()
    CostSnapshot.objects.bulk_update(taken[:-1], ["earned_value"])


def load_company(company: Company, today: date | None = None) -> None:
    from tandem.projects.models import Project

    pm, finance = _access(company.slug, company.pm), _access(company.slug, company.finance)
    if pm is None or finance is None:
        return
    today = today or timezone.localdate()
    codes = _codes(finance, company)
    projects = list(Project.objects.filter(tenant_id=pm.tenant_id).order_by("start_date", "id"))
    for project in projects:
        if company.eroding == "active":
            eroding = project.status == "active" and project.start_date < today
        else:
            eroding = project.code == company.eroding
        load_project(company, project, pm=pm, finance=finance, codes=codes, eroding=eroding, today=today)


@demo.register(55, "cost center")
def load() -> None:
    for company in COMPANIES:
        load_company(company)
