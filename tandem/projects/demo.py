"""Demo projects for the demo tenant: six projects of an M&E contractor, 30–120 tasks each, with links,
a baseline each, progress up to yesterday and some work running late (idempotent: keyed by code)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

from tandem.core import demo

DAY = 480

# A group is a chain of tasks; (name, working days, kind). Milestones have 0 days.
PREP = (
    "施工准备",
    [
        ("图纸会审", 2, "review"),
        ("施工组织设计编制", 3, "design"),
        ("材料设备报审", 3, "review"),
        ("临水临电布置", 2, "normal"),
        ("开工令", 0, "normal"),
    ],
)


def _zone(zone: str) -> tuple:
    return (
        f"{zone}机电安装",
        [
            ("桥架安装", 6, "installation"),
            ("电缆敷设", 5, "installation"),
            ("配电箱安装", 3, "installation"),
            ("照明灯具安装", 4, "installation"),
            ("给排水管道安装", 6, "installation"),
            ("消防喷淋管道安装", 6, "installation"),
            ("通风管道安装", 5, "installation"),
            ("压缩空气管道安装", 4, "installation"),
            ("设备基础验收", 1, "inspection"),
            ("管道试压", 2, "inspection"),
            (f"{zone}安装完成", 0, "normal"),
        ],
    )


def _building(name: str) -> tuple:
    return (
        f"{name}综合布线",
        [
            ("弱电桥架安装", 4, "installation"),
            ("网线敷设", 5, "installation"),
            ("光纤敷设与熔接", 3, "installation"),
            ("配线架端接", 2, "installation"),
            ("信息点测试", 2, "inspection"),
        ],
    )


def _floor(floor: str) -> tuple:
    return (
        f"{floor}装修",
        [
            ("墙体拆改", 3, "normal"),
            ("水电改造", 4, "installation"),
            ("吊顶龙骨", 3, "installation"),
            ("石膏板封板", 2, "installation"),
            ("墙面腻子", 3, "normal"),
            ("乳胶漆", 2, "normal"),
            ("地面找平", 2, "normal"),
            ("地毯铺设", 2, "installation"),
            ("灯具安装", 1, "installation"),
            (f"{floor}保洁验收", 1, "inspection"),
        ],
    )


def _module(name: str) -> tuple:
    return (
        f"{name}模块",
        [
            ("静电地板安装", 3, "installation"),
            ("机柜安装", 2, "installation"),
            ("列头柜配电", 3, "installation"),
            ("冷通道封闭", 2, "installation"),
            ("模块测试", 1, "inspection"),
        ],
    )


def _room(name: str) -> tuple:
    return (
        name,
        [
            ("彩钢板围护", 4, "installation"),
            ("净化风管安装", 5, "installation"),
            ("高效过滤器安装", 2, "installation"),
            ("医用气体管道", 3, "installation"),
            ("自流平地面", 2, "normal"),
            ("洁净度检测", 1, "inspection"),
        ],
    )


CLOSE = ("竣工验收", [("竣工资料整理", 5, "review"), ("竣工验收", 0, "acceptance"), ("交付使用", 0, "acceptance")])

# code, name, start offset from today (days), status, contract length (days), groups, group links
PROJECTS = [
    (
        "DEMO-XM-01",
        "华东汽车零部件厂房机电安装",
        -75,
        "active",
        95,
        [
            PREP,
            *(_zone(z) for z in ("A区", "B区", "C区", "D区", "E区")),
            (
                "变配电室",
                [
                    ("高压柜安装", 4, "installation"),
                    ("变压器安装", 3, "installation"),
                    ("低压柜安装", 4, "installation"),
                    ("母线槽安装", 5, "installation"),
                    ("接地系统施工", 3, "installation"),
                    ("送电验收", 0, "inspection"),
                ],
            ),
            (
                "动力站房",
                [
                    ("冷水机组安装", 5, "installation"),
                    ("冷却塔安装", 4, "installation"),
                    ("水泵安装", 3, "installation"),
                    ("空压机安装", 3, "installation"),
                    ("保温施工", 6, "normal"),
                ],
            ),
            (
                "系统调试",
                [
                    ("单机调试", 5, "inspection"),
                    ("联动调试", 5, "inspection"),
                    ("消防系统检测", 3, "inspection"),
                    ("电气系统检测", 2, "inspection"),
                    ("空调系统平衡调试", 4, "inspection"),
                ],
            ),
            CLOSE,
        ],
        [
            ("A区机电安装", "施工准备", "FS", 0),
            ("B区机电安装", "A区机电安装", "SS", 8),
            ("C区机电安装", "B区机电安装", "SS", 8),
            ("D区机电安装", "C区机电安装", "SS", 8),
            ("E区机电安装", "D区机电安装", "SS", 8),
            ("变配电室", "施工准备", "FS", 10),
            ("动力站房", "施工准备", "FS", 15),
            ("系统调试", "E区机电安装", "FS", 0),
            ("系统调试", "变配电室", "FS", 0),
            ("系统调试", "动力站房", "FS", 0),
            ("竣工验收", "系统调试", "FS", 0),
        ],
    ),
    (
        "DEMO-XM-02",
        "滨江产业园智能化系统集成",
        -40,
        "active",
        80,
        [
            (
                "需求与设计",
                [
                    ("需求调研", 3, "review"),
                    ("深化设计", 8, "design"),
                    ("设计评审", 1, "review"),
                    ("设计确认", 0, "review"),
                ],
            ),
            (
                "设备采购",
                [
                    ("交换机采购", 10, "procurement"),
                    ("摄像机采购", 12, "procurement"),
                    ("门禁控制器采购", 8, "procurement"),
                    ("服务器与存储采购", 15, "procurement"),
                    ("到货验收", 2, "inspection"),
                ],
            ),
            *(_building(b) for b in ("1#楼", "2#楼", "3#楼", "4#楼")),
            (
                "子系统安装",
                [
                    ("视频监控系统安装", 8, "installation"),
                    ("门禁系统安装", 5, "installation"),
                    ("停车场管理系统", 4, "installation"),
                    ("楼宇自控系统", 8, "installation"),
                    ("背景音乐系统", 3, "installation"),
                    ("信息发布系统", 3, "installation"),
                ],
            ),
            (
                "弱电机房",
                [
                    ("机柜安装", 2, "installation"),
                    ("UPS安装", 2, "installation"),
                    ("精密空调安装", 3, "installation"),
                    ("核心网络配置", 3, "installation"),
                ],
            ),
            (
                "联调与验收",
                [
                    ("系统联调", 6, "inspection"),
                    ("试运行", 10, "inspection"),
                    ("用户培训", 2, "normal"),
                    ("竣工验收", 0, "acceptance"),
                ],
            ),
        ],
        [
            ("设备采购", "需求与设计", "FS", 0),
            ("1#楼综合布线", "需求与设计", "FS", 0),
            ("2#楼综合布线", "1#楼综合布线", "SS", 5),
            ("3#楼综合布线", "2#楼综合布线", "SS", 5),
            ("4#楼综合布线", "3#楼综合布线", "SS", 5),
            ("子系统安装", "设备采购", "FS", 0),
            ("子系统安装", "4#楼综合布线", "FS", 0),
            ("弱电机房", "设备采购", "FS", 0),
            ("联调与验收", "子系统安装", "FS", 0),
            ("联调与验收", "弱电机房", "FS", 0),
        ],
    ),
    (
        "DEMO-XM-03",
        "金融中心办公楼装修",
        -15,
        "active",
        70,
        [
            ("设计与报审", [("方案设计确认", 3, "design"), ("消防报审", 5, "review"), ("材料封样", 2, "review")]),
            *(_floor(f) for f in ("12F", "13F", "14F", "15F")),
            ("收尾", [("消防验收", 2, "acceptance"), ("竣工验收", 0, "acceptance")]),
        ],
        [
            ("12F装修", "设计与报审", "FS", 0),
            ("13F装修", "12F装修", "SS", 4),
            ("14F装修", "13F装修", "SS", 4),
            ("15F装修", "14F装修", "SS", 4),
            ("收尾", "15F装修", "FS", 0),
        ],
    ),
    (
        "DEMO-XM-04",
        "城西数据中心机房改造",
        14,
        "planning",
        75,
        [
            ("勘查与方案", [("现场勘查", 2, "review"), ("改造方案设计", 6, "design"), ("割接方案评审", 1, "review")]),
            ("拆除与基础", [("旧设备拆除", 4, "normal"), ("承重加固", 5, "installation"), ("防水处理", 2, "normal")]),
            *(_module(m) for m in ("A", "B", "C", "D")),
            (
                "供配电",
                [
                    ("UPS安装", 3, "installation"),
                    ("蓄电池安装", 2, "installation"),
                    ("配电柜安装", 3, "installation"),
                    ("柴发接入", 3, "installation"),
                ],
            ),
            (
                "制冷与安防",
                [
                    ("精密空调安装", 5, "installation"),
                    ("动环监控系统", 4, "installation"),
                    ("气体灭火系统", 4, "installation"),
                    ("门禁视频", 2, "installation"),
                ],
            ),
            ("测试割接", [("综合测试", 4, "inspection"), ("业务割接", 2, "normal"), ("竣工验收", 0, "acceptance")]),
        ],
        [
            ("拆除与基础", "勘查与方案", "FS", 0),
            ("A模块", "拆除与基础", "FS", 0),
            ("B模块", "A模块", "SS", 2),
            ("C模块", "B模块", "SS", 2),
            ("D模块", "C模块", "SS", 2),
            ("供配电", "拆除与基础", "FS", 0),
            ("制冷与安防", "供配电", "SS", 3),
            ("测试割接", "D模块", "FS", 0),
            ("测试割接", "制冷与安防", "FS", 0),
        ],
    ),
    (
        "DEMO-XM-05",
        "市人民医院洁净手术部空调安装",
        -45,
        "on_hold",
        55,
        [
            ("准备", [("图纸会审", 2, "review"), ("净化机组采购", 15, "procurement")]),
            *(_room(r) for r in ("1号手术室", "2号手术室", "3号手术室", "4号手术室", "ICU")),
            ("验收", [("系统调试", 4, "inspection"), ("第三方检测", 3, "inspection"), ("竣工验收", 0, "acceptance")]),
        ],
        [
            ("1号手术室", "准备", "FS", 0),
            ("2号手术室", "1号手术室", "SS", 3),
            ("3号手术室", "2号手术室", "SS", 3),
            ("4号手术室", "3号手术室", "SS", 3),
            ("ICU", "4号手术室", "SS", 3),
            ("验收", "ICU", "FS", 0),
        ],
    ),
    (
        "DEMO-XM-06",
        "万象商业综合体消防改造",
        -25,
        "active",
        60,
        [
            (
                "报警系统",
                [
                    ("探测器更换", 6, "installation"),
                    ("报警主机升级", 2, "installation"),
                    ("联动模块安装", 4, "installation"),
                ],
            ),
            (
                "喷淋系统",
                [("喷头更换", 8, "installation"), ("湿式报警阀检修", 2, "installation"), ("管网冲洗", 2, "normal")],
            ),
            ("排烟系统", [("排烟风机更换", 4, "installation"), ("排烟阀安装", 3, "installation")]),
            ("应急照明", [("疏散指示安装", 4, "installation"), ("应急电源安装", 2, "installation")]),
            ("消防泵房", [("消防水泵更换", 3, "installation"), ("稳压装置安装", 2, "installation")]),
            (
                "防火分隔",
                [
                    ("防火门更换", 5, "installation"),
                    ("防火卷帘检修", 3, "installation"),
                    ("防火封堵", 4, "installation"),
                    ("分隔验收", 1, "inspection"),
                ],
            ),
            (
                "消防控制室",
                [
                    ("控制室装修", 4, "normal"),
                    ("图形显示装置安装", 2, "installation"),
                    ("消防电话系统", 2, "installation"),
                    ("控制室联调", 1, "inspection"),
                ],
            ),
            (
                "检测验收",
                [
                    ("联动测试", 3, "inspection"),
                    ("消防检测", 3, "inspection"),
                    ("消防验收", 0, "acceptance"),
                    ("竣工资料移交", 3, "review"),
                ],
            ),
        ],
        [
            ("喷淋系统", "报警系统", "SS", 3),
            ("排烟系统", "报警系统", "SS", 6),
            ("应急照明", "排烟系统", "FS", 0),
            ("消防泵房", "喷淋系统", "FS", 0),
            ("防火分隔", "报警系统", "FS", 0),
            ("消防控制室", "报警系统", "SS", 2),
            ("检测验收", "应急照明", "FS", 0),
            ("检测验收", "消防泵房", "FS", 0),
            ("检测验收", "防火分隔", "FS", 0),
            ("检测验收", "消防控制室", "FS", 0),
        ],
    ),
]


def _specs(groups, group_links, people):
    from tandem.projects.services.bulk import LinkSpec, TaskSpec

    tasks, links, firsts, lasts = [], [], {}, {}
    for g_index, (group, rows) in enumerate(groups):
        group_key = f"g{g_index}"
        tasks.append(TaskSpec(key=group_key, name=group))
        previous = None
        for t_index, (name, days, kind) in enumerate(rows):
            key = f"g{g_index}t{t_index}"
            values = {"duration": days * DAY, "kind": kind, "is_milestone": days == 0}
            person = people[(g_index + t_index) % len(people)]
            tasks.append(TaskSpec(key=key, name=name, parent_key=group_key, assignee_ids=[person], values=values))
            if previous:
                links.append(LinkSpec(previous, key))
            previous = key
            firsts.setdefault(group, key)
            lasts[group] = key
    for successor, predecessor, kind, lag in group_links:
        source = lasts[predecessor] if kind == "FS" else firsts[predecessor]
        links.append(LinkSpec(source, firsts[successor], kind, lag * DAY))
    return tasks, links


def _progress(project, today: date, rng: random.Random) -> None:
    """Record actuals up to yesterday; about one task in five started a few working days late. Work is recorded
    in the project calendar's working time and takes the planned duration, so the dates and durations of the
    demo tell one story (nothing happens on a holiday)."""
    from tandem.projects.models import Dependency, Task
    from tandem.projects.services.scheduling import (
        from_local,
        project_reschedule,
        task_working_time,
        tenant_zone,
        to_local,
    )

    zone = tenant_zone(project.tenant_id)
    status = today - timedelta(days=1)
    changed, done = [], set()
    waits_for: dict[int, set[int]] = {}
    for pred, succ in Dependency.objects.filter(project=project, type="FS").values_list("predecessor", "successor"):
        waits_for.setdefault(succ, set()).add(pred)
    for task in Task.objects.filter(project=project, is_summary=False).order_by("early_start", "sort_order"):
        if task.early_start is None or timezone.localtime(task.early_start).date() > status:
            continue
        if not waits_for.get(task.pk, set()) <= done:
            continue  # work is recorded in sequence: nothing starts before its predecessors finish
        working = task_working_time(task)
        late = rng.choice((0, 0, 0, 0, 1, 2, 3)) * project.calendar.minutes_per_day
        start = working.add(to_local(task.early_start, zone), late)
        if task.duration:  # work begins when the working day does (a milestone keeps the instant it falls on)
            start = working.next_working(start)
        task.actual_start = from_local(start, zone)
        finish = from_local(working.add(start, task.duration), zone)
        if timezone.localtime(finish).date() < status - timedelta(days=2):
            task.actual_finish = finish
            task.percent_complete = 100
            done.add(task.pk)
        else:
            task.percent_complete = rng.choice((20, 40, 50, 60))
        changed.append(task)
    Task.objects.bulk_update(changed, ["actual_start", "actual_finish", "percent_complete"], batch_size=500)
    project.status_date = status
    project.save(update_fields=["status_date"])
    project_reschedule(project=project)


def _customer_fields(contract) -> dict:
    """The CRM side of a demo project: the contract's customer, deal, amount as budget, and contacts."""
    from tandem.crm.models import AccountContact

    deal = contract.deal
    contacts = [deal.contact_id] if deal.contact_id else []
    contacts += AccountContact.objects.filter(account_id=contract.account_id).values_list("contact_id", flat=True)
    return {
        "account_id": contract.account_id,
        "deal_id": deal.pk,
        "contract_id": contract.pk,
        "budget": contract.amount,
        "contact_ids": list(dict.fromkeys(contacts))[:6],
    }


@demo.register(30, "projects")
def load() -> None:
    from tandem.accounts.access import MembershipAccess
    from tandem.accounts.models import Membership, Tenant, User
    from tandem.crm.models import Contract
    from tandem.projects.models import Project, ProjectStatusUpdate, ProjectTemplate
    from tandem.projects.services.baselines import baseline_save
    from tandem.projects.services.bulk import wbs_bulk_create
    from tandem.projects.services.projects import project_create, project_update
    from tandem.projects.services.templates import template_save_from_project

    tenant = Tenant.objects.filter(slug="demo").first()
    membership = (
        Membership.objects.select_related("tenant", "user").filter(tenant=tenant, user__username="pm").first()
        if tenant
        else None
    )
    if membership is None:
        return
    access = MembershipAccess(membership)
    pm = membership.user
    foreman = User.objects.filter(username="foreman").first()
    people = [u.pk for u in (pm, foreman) if u is not None]
    today = timezone.localdate()
    # Each demo project delivers one of the demo's signed contracts (won deals), as the handoff would link it.
    signed = list(
        Contract.objects.filter(tenant=tenant, status="signed", deal__isnull=False)
        .exclude(pk__in=Project.all_objects.filter(tenant=tenant).exclude(contract_id=None).values("contract_id"))
        .select_related("deal", "owner")
        .order_by("id")
    )
    for index, (code, name, offset, status, length, groups, group_links) in enumerate(PROJECTS):
        if Project.all_objects.filter(tenant=tenant, code=code).exists():
            continue
        rng = random.Random(code)
        start = today + timedelta(days=offset)
        # The demo's late projects overrun their contract date a little; the rest have room.
        contract = start + timedelta(days=length - (12 if index in (0, 4) else -10))
        project = project_create(
            access=access,
            name=name,
            code=code,
            start_date=start,
            contract_finish=contract,
            team=[u for u in (foreman, signed[index].owner if index < len(signed) else None) if u],
            status="active" if status == "on_hold" else status,
            **(_customer_fields(signed[index]) if index < len(signed) else {}),
        )
        tasks, links = _specs(groups, group_links, people)
        wbs_bulk_create(project=project, actor=pm, tasks=tasks, links=links)
        project.refresh_from_db()
        baseline_save(access=access, project=project, name="合同基线")
        if start < today:
            _progress(project, today, rng)
        if status == "on_hold":
            project_update(access=access, project=project, status="on_hold", health="off_track")
        if index in (0, 4):
            ProjectStatusUpdate.objects.create(
                tenant=tenant,
                project=project,
                date=today - timedelta(days=3),
                health="at_risk",
                text="部分区域材料到货延迟，已协调供应商加急；关键线路上的调试工作可能顺延。",
                author=pm,
            )
            Project.objects.filter(pk=project.pk).update(health="at_risk" if index == 0 else "off_track")
    first = Project.objects.filter(tenant=tenant, code="DEMO-XM-01").first()
    if first and not ProjectTemplate.objects.filter(tenant=tenant, name="厂房机电安装标准模板").exists():
        template_save_from_project(access=access, project=first, name="厂房机电安装标准模板")


# The English-speaking tenant's standard template; its name names the deal types it serves (see the won-deal
# rule's template map): new installation and retrofit.
NORTHWIND_TEMPLATE = "MEP fit-out standard template (New installation / Retrofit)"
NORTHWIND_TASKS = [
    {"key": 1, "name": "Mobilisation"},
    {"key": 2, "parent_key": 1, "name": "Site survey and drawing review", "duration": 3 * DAY, "role": "pm"},
    {"key": 3, "parent_key": 1, "name": "Method statement approval", "duration": 2 * DAY, "role": "pm"},
    {"key": 4, "parent_key": 1, "name": "Material submittals and orders", "duration": 4 * DAY, "role": "pm"},
    {"key": 5, "name": "Installation"},
    {"key": 6, "parent_key": 5, "name": "Ductwork first fix", "duration": 8 * DAY, "role": "foreman"},
    {"key": 7, "parent_key": 5, "name": "Chilled-water pipework", "duration": 8 * DAY, "role": "foreman"},
    {"key": 8, "parent_key": 5, "name": "Cable trays and cabling", "duration": 6 * DAY, "role": "foreman"},
    {"key": 9, "parent_key": 5, "name": "Mechanical completion", "duration": 0, "is_milestone": True},
    {"key": 10, "name": "Testing and commissioning"},
    {"key": 11, "parent_key": 10, "name": "Pressure and leak testing", "duration": 2 * DAY, "role": "foreman"},
    {"key": 12, "parent_key": 10, "name": "System commissioning", "duration": 4 * DAY, "role": "pm"},
    {"key": 13, "parent_key": 10, "name": "Client acceptance", "duration": 0, "is_milestone": True},
    {"key": 14, "name": "Handover documents and training", "duration": 3 * DAY, "role": "pm"},
]
NORTHWIND_LINKS = [
    {"predecessor_key": a, "successor_key": b, "type": "FS", "lag": 0}
    for a, b in ((2, 3), (3, 4), (4, 6), (4, 7), (4, 8), (6, 9), (7, 9), (8, 9), (9, 11), (11, 12), (12, 13), (12, 14))
]


@demo.register(31, "projects (English tenant)")
def load_northwind() -> None:
    """The template, and a project for each won deal as the won-deal rule would make it: the older one
    under way (contract signed, progress recorded, a baseline), the newer one in planning, its contract a draft."""
    from tandem.accounts.access import MembershipAccess
    from tandem.accounts.models import Membership
    from tandem.crm.models import Contract, Deal
    from tandem.projects.models import ProjectTemplate
    from tandem.projects.services.baselines import baseline_save
    from tandem.projects.services.contracts import payment_milestones_link
    from tandem.projects.services.templates import template_define, template_instantiate

    members = {
        m.user.username: m
        for m in Membership.objects.select_related("tenant", "user").filter(
            tenant__slug="northwind", user__username__in=["emily", "david", "sales"]
        )
    }
    if len(members) < 3:
        return
    tenant = members["emily"].tenant
    access = MembershipAccess(members["emily"])
    if ProjectTemplate.objects.filter(tenant=tenant, name=NORTHWIND_TEMPLATE).exists():
        return
    template = template_define(
        access=access,
        name=NORTHWIND_TEMPLATE,
        tasks=NORTHWIND_TASKS,
        links=NORTHWIND_LINKS,
        description="Office, lab and plant fit-outs: mobilisation, installation, T&C, handover.",
    )
    today = timezone.localdate()
    won = Deal.objects.filter(tenant=tenant, status="won").select_related("contact").order_by("won_at", "id")
    for index, deal in enumerate(won[:2]):
        contract = Contract.objects.filter(tenant=tenant, deal=deal, status="signed").first()
        contacts = [c for c in [deal.contact_id, *deal.account.contact_links.values_list("contact_id", flat=True)] if c]
        project = template_instantiate(
            access=access,
            template=template,
            name=deal.name,
            start_date=today - timedelta(days=24) if index == 0 else today + timedelta(days=9),
            roles={"foreman": members["david"].user},
            owner=members["emily"].user,
            team=[members["sales"].user, members["david"].user],
            account_id=deal.account_id,
            deal_id=deal.pk,
            contract_id=contract.pk if contract else None,
            contract_finish=contract.end_on if contract else None,
            budget=contract.amount if contract else deal.amount,
            contact_ids=list(dict.fromkeys(contacts)),
            status="active" if index == 0 else "planning",
            description=f"Created from won deal {deal.number} {deal.name}.",
        )
        payment_milestones_link(project=project, contract=contract)
        project.refresh_from_db()
        baseline_save(access=access, project=project, name="Contract baseline")
        if index == 0:
            _progress(project, today, random.Random(deal.number))
