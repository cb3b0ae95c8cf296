"""Demo customer feedback: completed projects whose customers answered the satisfaction survey over the last
three quarters (promoters, passives, a detractor whose recovery closed and one whose review is still open), a few
surveys still unanswered, service requests in every status, one of them past its SLA, and every account's health.

Written through the services, as the survey rule and the service desk would have, with the dates moved back;
nothing is written once the tenant has surveys, so running `tandem demo` again is safe.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from tandem.core import demo


@dataclass(frozen=True)
class Answer:
    score: int | None  # None: sent, not answered yet
    days_ago: int
    comment: str = ""


ANSWERS = {
    "demo": [
        Answer(10, 230, "项目经理专业负责，工期比合同提前一周完成。"),
        Answer(9, 200, "调试配合到位，竣工资料齐全。"),
        Answer(7, 165, "整体满意，现场文明施工还可以再加强。"),
        Answer(3, 120, "竣工资料迟迟未交，维保电话经常联系不上。"),
        Answer(8, 95, "验收顺利，个别遗留问题响应稍慢。"),
        Answer(10, 60, "服务很好，已推荐给兄弟单位。"),
        Answer(9, 35, "质量可靠，变更签证流程如能再快一些更好。"),
        Answer(None, 20),
        Answer(4, 2, "调试拖了两周，现场沟通不及时，希望公司领导重视。"),
        Answer(None, 1),
    ],
    "northwind": [
        Answer(9, 150, "Tidy site and a very responsive project manager."),
        Answer(8, 80, "Good work overall; the handover pack came a little late."),
        Answer(10, 40, "Commissioning went smoothly. We will use you again."),
        Answer(5, 3, "Two weeks late on commissioning and nobody told us why."),
        Answer(None, 5),
    ],
}
PROJECT_NAMES = {
    "demo": "竣工项目",
    "northwind": "completed works",
}
# (subject, description, channel, category, priority, status, hours ago opened)
REQUESTS = {
    "demo": [
        ("空调机组异响", "二号楼屋面空调机组运行时异响明显，请安排检修。", "phone", "fault", "high", "new", 2),
        ("门禁系统无法刷卡", "东门门禁读卡器失灵，员工无法进出。", "wechat", "fault", "urgent", "in_progress", 30),
        ("申请延长质保", "设备质保下月到期，希望了解延保方案和报价。", "email", "warranty", "normal", "assigned", 20),
        ("索取竣工图纸电子版", "物业需要弱电竣工图 CAD 版本。", "email", "question", "low", "waiting", 70),
        ("消防联动测试不通过", "年度消防检测中联动测试未通过，需现场排查。", "visit", "fault", "high", "resolved", 120),
        ("发票抬头更正", "上月维保发票抬头有误，需重开。", "phone", "other", "normal", "closed", 200),
        ("对调试延期的投诉", "客户对调试延期两周表示不满，要求书面说明。", "survey", "complaint", "high", "new", 1),
    ],
    "northwind": [
        ("Chiller alarm", "High-pressure alarm on chiller 2 since 8am.", "phone", "fault", "urgent", "in_progress", 5),
        ("O&M manuals", "Please send the O&M manuals as PDF.", "email", "question", "low", "resolved", 90),
        ("Extra socket outlets", "Quote for six extra floor boxes on level 3.", "email", "change", "normal", "new", 3),
    ],
}
PEOPLE = {
    "demo": {"admin": "admin", "pms": ["pm", "pm2"], "service": "service", "other": "pm"},
    "northwind": {"admin": "owner", "pms": ["emily"], "service": "olivia", "other": "emily"},
}


def _access(tenant, username):
    from tandem.accounts.access import MembershipAccess
    from tandem.accounts.models import Membership

    membership = Membership.objects.select_related("tenant", "user").filter(tenant=tenant, user__username=username)
    membership = membership.first()
    return MembershipAccess(membership) if membership else None


def _accounts(tenant, count: int):
    """Accounts with a primary contact, those with won deals first (their projects have a type)."""
    from tandem.crm.models import Account, AccountContact, Deal

    with_contact = AccountContact.objects.filter(account__tenant=tenant, is_primary=True).values("account_id")
    won = Deal.objects.filter(tenant=tenant, status="won").values("account_id")
    accounts = list(Account.objects.filter(tenant=tenant, pk__in=with_contact, id__in=won).order_by("id")[:count])
    if len(accounts) < count:
        more = Account.objects.filter(tenant=tenant, pk__in=with_contact).exclude(pk__in=[a.pk for a in accounts])
        accounts += list(more.order_by("id")[: count - len(accounts)])
    return accounts


def _completed_project(tenant, access, account, name: str, days_ago: int):
    from tandem.crm.models import Deal
    from tandem.projects.models import Project
    from tandem.projects.services.projects import project_complete, project_create

    today = timezone.localdate()
    deal = Deal.objects.filter(tenant=tenant, account=account, status="won").order_by("id").first()
    project = project_create(
        access=access,
        name=f"{account.name} {name}"[:200],
        start_date=today - timedelta(days=days_ago + 120),
        account_id=account.pk,
        deal_id=deal.pk if deal and not Project.all_objects.filter(deal_id=deal.pk).exists() else None,
    )
    project = project_complete(access=access, project=project, complete_open_tasks=True)
    completed = timezone.now() - timedelta(days=days_ago + 3)
    Project.objects.filter(pk=project.pk).update(completed_at=completed)
    return project


def _surveys(tenant, people) -> None:
    from tandem.crm.services.activities import activity_create
    from tandem.feedback.models import Recovery
    from tandem.feedback.services.recovery import recovery_close, recovery_open
    from tandem.feedback.services.surveys import response_submit, survey_send
    from tandem.projects.services.tasks import task_update

    admin = _access(tenant, people["admin"])
    service = _access(tenant, people["service"]) or admin
    pms = [_access(tenant, u) for u in people["pms"]]
    answers = ANSWERS[tenant.slug]
    for index, (answer, account) in enumerate(zip(answers, _accounts(tenant, len(answers)), strict=False)):
        pm = pms[index % len(pms)]
        project = _completed_project(tenant, pm, account, PROJECT_NAMES[tenant.slug], answer.days_ago)
        sent_at = timezone.now() - timedelta(days=answer.days_ago, hours=2)
        sent = survey_send(access=service, account=account, project=project, channel="link", now=sent_at)
        if answer.score is None or sent.token is None:
            continue
        response = response_submit(
            token=sent.token, score=answer.score, comment=answer.comment, now=sent_at + timedelta(hours=5)
        )
        if answer.score > 6:
            continue
        recovery = recovery_open(access=admin, response=response, now=sent_at + timedelta(hours=6))
        Recovery.objects.filter(pk=recovery.pk).update(created_at=sent_at + timedelta(hours=6))
        recovery.refresh_from_db()
        if answer.days_ago > 30:  # an older detractor: reviewed, called back, closed
            task_update(access=pm, task=recovery.review_task, percent_complete=100)
            activity_create(
                access=service,
                subject="回访客户，说明整改措施" if tenant.locale == "zh-hans" else "Called the customer back",
                kind="call",
                account=account,
                occurred_at=sent_at + timedelta(days=4),
            )
            reason = "已整改并获客户认可" if tenant.locale == "zh-hans" else "Fixed and accepted by the customer"
            recovery_close(access=service, recovery=recovery, reason=reason)


def _requests(tenant, people) -> None:
    from tandem.feedback.services.requests import request_create, request_transition
    from tandem.feedback.services.surveys import primary_contact

    service = _access(tenant, people["service"]) or _access(tenant, people["admin"])
    other = _access(tenant, people["other"])
    specs = REQUESTS[tenant.slug]
    path = {  # a request opened with an assignee starts assigned; one without is new
        "new": [],
        "assigned": [],
        "in_progress": ["in_progress"],
        "waiting": ["in_progress", "waiting"],
        "resolved": ["in_progress", "resolved"],
        "closed": ["in_progress", "resolved", "closed"],
    }
    accounts = _accounts(tenant, len(specs) + 3)[3:] or _accounts(tenant, len(specs))
    for index, (subject, text, channel, category, priority, status, hours) in enumerate(specs):
        account = accounts[index % len(accounts)]
        opened = timezone.now() - timedelta(hours=hours)
        owner = None if status == "new" else (other if index == 2 and other else service).membership.user
        request = request_create(
            access=service,
            owner=owner,
            account=account,
            contact=primary_contact(account),
            channel=channel,
            category=category,
            priority=priority,
            subject=subject,
            description=text,
            opened_at=opened,
        )
        for step in path[status]:
            resolution = "已现场处理并经客户确认。" if tenant.locale == "zh-hans" else "Fixed on site, confirmed."
            request = request_transition(access=service, request=request, status=step, resolution=resolution)


@demo.register(40, "customer feedback")
def load() -> None:
    from tandem.accounts.models import Tenant
    from tandem.feedback.models import HealthScore, ServiceRequest, Survey
    from tandem.feedback.services.health import health_recompute_tenant

    for tenant in Tenant.objects.filter(slug__in=list(ANSWERS)):
        people = PEOPLE[tenant.slug]
        if _access(tenant, people["admin"]) is None:
            continue
        if not Survey.objects.filter(tenant=tenant).exists():
            _surveys(tenant, people)
        if not ServiceRequest.all_objects.filter(tenant=tenant).exists():
            _requests(tenant, people)
        if not HealthScore.objects.filter(tenant=tenant).exists():
            health_recompute_tenant(tenant_id=tenant.pk)
