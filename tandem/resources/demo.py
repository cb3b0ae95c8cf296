"""Demo resources: the company's engineers, installers and crews with their skills and rates, some leave, and seed
scenario 3 on the day the demo is started — a VIP customer's project whose critical commissioning task starts
next week while its engineer is also booked half-time on a lesser customer's job (150 % that week), so the
conflict warning ranks it first and offers its fixes.

Nothing is written once the tenant has skills, so running `tandem demo` again is safe.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from tandem.core import demo

DAY = 480
SUPERVISION = 30  # % of a day a project manager or foreman gives each task their role is booked on


@dataclass(frozen=True)
class Person:
    name: str
    code: str
    skills: tuple[tuple[str, int], ...]
    cost: int  # CNY per hour
    bill: int
    username: str = ""
    kind: str = "person"
    headcount: int = 1


@dataclass(frozen=True)
class Job:
    """A scenario project: its tasks are (key, name, working days, resource names with units, predecessors)."""

    code: str
    name: str
    tier: str
    tasks: tuple[tuple[str, str, int, tuple[tuple[str, int], ...], tuple[str, ...]], ...]
    description: str = ""


@dataclass(frozen=True)
class Company:
    pm: str
    managers: tuple[str, ...]
    skills: tuple[str, ...]
    people: tuple[Person, ...]
    jobs: tuple[Job, ...]
    leave: tuple[tuple[str, int, int, str], ...] = field(default=())  # resource, from (days after today), days, note


COMPANIES = {
    "demo": Company(
        pm="pm",
        managers=("pm", "admin"),
        skills=("弱电调试", "综合布线", "强电施工", "暖通安装", "消防调试", "项目管理"),
        people=(
            Person("李明", "RD-001", (("弱电调试", 4), ("综合布线", 3)), 120, 260),
            Person("赵磊", "RD-002", (("弱电调试", 4), ("综合布线", 3), ("消防调试", 3)), 110, 240),
            Person("孙涛", "RD-003", (("综合布线", 4), ("弱电调试", 2)), 90, 200),
            Person("周芳", "EL-001", (("强电施工", 4),), 95, 210),
            Person("郑海", "HV-001", (("暖通安装", 4), ("强电施工", 2)), 95, 210),
            Person("吴刚", "FS-001", (("消防调试", 5),), 115, 250),
            Person("赵志强", "PM-001", (("项目管理", 4),), 150, 320, username="pm"),
            Person("安装一班", "CR-01", (("强电施工", 3), ("综合布线", 3)), 60, 120, kind="crew", headcount=6),
            Person("安装二班", "CR-02", (("暖通安装", 3), ("强电施工", 3)), 60, 120, kind="crew", headcount=5),
        ),
        jobs=(
            Job(
                "DEMO-ZY-01",
                "数据中心机房弱电智能化改造",
                "vip",
                (
                    ("b", "机房弱电系统联调", 5, (("李明", 100),), ()),
                    ("c", "动环监控系统试运行", 3, (("李明", 50), ("孙涛", 50)), ("b",)),
                    ("d", "标识标牌安装", 2, (("安装一班", 100),), ()),
                    ("e", "竣工验收", 0, (), ("c", "d")),
                ),
                "客户核心机房不停机改造，合同约定工期不可顺延。",
            ),
            Job(
                "DEMO-ZY-02",
                "厂区安防监控扩容",
                "c",
                (
                    ("a", "前端摄像机安装", 15, (("安装二班", 300),), ()),
                    ("b", "监控点位调试", 5, (("李明", 50),), ()),
                    ("c", "系统验收", 0, (), ("a", "b")),
                ),
                "新增 60 路监控点位，点位调试可在前端安装期间任意安排。",
            ),
        ),
        leave=(("周芳", 3, 2, "年假"), ("郑海", 10, 5, "外出培训")),
    ),
    "northwind": Company(
        pm="emily",
        managers=("emily", "owner"),
        skills=("BMS commissioning", "Structured cabling", "Electrical", "HVAC", "Fire systems", "Project management"),
        people=(
            Person("Jack Wu", "EN-01", (("BMS commissioning", 4), ("Structured cabling", 3)), 130, 280),
            Person(
                "Ryan Xu", "EN-02", (("BMS commissioning", 4), ("Structured cabling", 3), ("Fire systems", 3)), 120, 260
            ),
            Person("Grace Lin", "EN-03", (("Structured cabling", 4),), 95, 210),
            Person("Tom Zhang", "EL-01", (("Electrical", 4),), 100, 220),
            Person("Mechanical crew A", "CR-A", (("HVAC", 3), ("Electrical", 2)), 65, 130, kind="crew", headcount=5),
        ),
        jobs=(
            Job(
                "NW-RS-01",
                "Cleanroom BMS upgrade",
                "vip",
                (
                    ("b", "BMS integration testing", 5, (("Jack Wu", 100),), ()),
                    ("c", "Trend logging trial run", 3, (("Jack Wu", 50), ("Grace Lin", 50)), ("b",)),
                    ("d", "Labelling", 2, (("Mechanical crew A", 100),), ()),
                    ("e", "Client acceptance", 0, (), ("c", "d")),
                ),
                "Live cleanroom; the contract date cannot move.",
            ),
            Job(
                "NW-RS-02",
                "Warehouse CCTV extension",
                "c",
                (
                    ("a", "Camera installation", 15, (("Mechanical crew A", 200),), ()),
                    ("b", "Camera commissioning", 5, (("Jack Wu", 50),), ()),
                    ("c", "Acceptance", 0, (), ("a", "b")),
                ),
                "Forty new cameras; commissioning can go any time during installation.",
            ),
        ),
        leave=(("Tom Zhang", 3, 2, "Annual leave"),),
    ),
}


def next_monday(today: date) -> date:
    return today + timedelta(days=7 - today.weekday())


def _member(tenant, username):
    from tandem.accounts.access import MembershipAccess
    from tandem.accounts.models import Membership

    membership = Membership.objects.select_related("tenant", "user").filter(tenant=tenant, user__username=username)
    membership = membership.first()
    return MembershipAccess(membership) if membership else None


def _account(tenant, tier: str):
    from tandem.crm.models import Account

    return Account.objects.filter(tenant=tenant, tier=tier).order_by("name", "id").first()


def _people(tenant, access, company: Company) -> dict:
    from tandem.accounts.models import User
    from tandem.resources.models import Resource, ResourceSkill, Skill

    skills = {name: Skill.objects.create(tenant=tenant, name=name) for name in company.skills}
    people = {}
    for person in company.people:
        user = User.objects.filter(username=person.username).first() if person.username else None
        # Members assigned to the demo's tasks already have a person resource (allocations follow assignees): a
        # member's becomes this one, and a member's resource that took this name gives it up.
        resource = Resource.objects.filter(tenant=tenant, user=user).first() if user else None
        for clash in Resource.objects.filter(tenant=tenant, name=person.name).exclude(
            pk=resource.pk if resource else None
        ):
            clash.name = f"{clash.name} ({clash.user.username if clash.user_id else clash.pk})"[:100]
            clash.save(update_fields=["name"])
        values = {
            "kind": person.kind,
            "name": person.name,
            "code": person.code,
            "headcount": person.headcount,
            "cost_rate": Decimal(person.cost),
            "bill_rate": Decimal(person.bill),
        }
        if resource is None:
            resource = Resource.objects.create(tenant=tenant, user=user, **values)
        else:
            for name, value in values.items():
                setattr(resource, name, value)
            resource.save()
        for skill, level in person.skills:
            ResourceSkill.objects.create(tenant=tenant, resource=resource, skill=skills[skill], level=level)
        people[person.name] = resource
    return people


def _job(tenant, access, job: Job, start: date, people: dict):
    from tandem.projects.services.bulk import LinkSpec, TaskSpec, wbs_bulk_create
    from tandem.projects.services.projects import project_create
    from tandem.resources.services.allocations import allocation_create
    from tandem.resources.services.priority import priority_refresh

    account = _account(tenant, job.tier)
    project = project_create(
        access=access,
        name=job.name,
        code=job.code,
        start_date=start,
        status="active",
        description=job.description,
        **({"account_id": account.pk} if account else {}),
    )
    specs = [
        TaskSpec(key=key, name=name, values={"duration": days * DAY, "is_milestone": days == 0})
        for key, name, days, _crew, _after in job.tasks
    ]
    links = [LinkSpec(before, key) for key, _n, _d, _c, after in job.tasks for before in after]
    tasks = wbs_bulk_create(project=project, actor=access.membership.user, tasks=specs, links=links)
    priority_refresh(project=project)
    for key, _name, _days, crew, _after in job.tasks:
        task = tasks[key]
        task.refresh_from_db()
        for name, units in crew:
            allocation_create(actor=access, task=task, resource=people[name], units=units)
    return project


def load_company(slug: str) -> None:
    from tandem.accounts.models import Tenant, User
    from tandem.resources.models import Allocation, Conflict, Leave, ResourceSettings, Skill
    from tandem.resources.services.allocations import allocation_update
    from tandem.resources.services.conflicts import conflicts_refresh, local_today

    company = COMPANIES[slug]
    tenant = Tenant.objects.filter(slug=slug).first()
    access = _member(tenant, company.pm) if tenant else None
    # Skills come only from here (members' person resources are made as they are assigned to tasks).
    if access is None or Skill.objects.filter(tenant=tenant).exists():
        return
    today = local_today(tenant.pk) if tenant else timezone.localdate()
    people = _people(tenant, access, company)
    settings, _ = ResourceSettings.objects.get_or_create(tenant=tenant)
    settings.managers.set(User.objects.filter(username__in=company.managers))
    # Members booked by the template's roles oversee their tasks rather than work them full time.
    for allocation in Allocation.objects.filter(tenant=tenant, resource__user__isnull=False).select_related("task"):
        allocation_update(actor=access, allocation=allocation, units=SUPERVISION)
    # Both jobs start next Monday: the VIP job with its critical commissioning, the other with work that has float.
    monday = next_monday(today)
    for job in company.jobs:
        _job(tenant, access, job, monday, people)
    for name, offset, days, note in company.leave:
        Leave.objects.create(
            tenant=tenant,
            resource=people[name],
            start=today + timedelta(days=offset),
            end=today + timedelta(days=offset + days - 1),
            note=note,
            created_by=access.membership.user,
        )
    # What the loaders' own writes opened and closed on the way is not the company's history: start it afresh.
    Conflict.objects.filter(tenant=tenant).delete()
    conflicts_refresh(tenant_id=tenant.pk, today=today)


@demo.register(50, "resources")
def load() -> None:
    for slug in COMPANIES:
        load_company(slug)
