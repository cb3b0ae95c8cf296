"""The account health score (健康度): gathering each factor's input and saving the score with its factors.

Recomputed when an input changes (the event and audit listeners below, registered in `FeedbackConfig.ready()`)
and nightly for the time-based factors (days since the last follow-up, overdue periods, lateness); never on a
page view. The scales live in `tandem.feedback.health`.
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tandem.accounts.models import Tenant
from tandem.crm.choices import ContractStatus, MilestoneStatus
from tandem.crm.models import Account, Activity, Contract, PaymentMilestone, Receipt
from tandem.crm.selectors.contracts import milestone_annotate
from tandem.feedback import health
from tandem.feedback.choices import OPEN_REQUEST_STATUSES, RequestPriority
from tandem.feedback.models import HealthScore, ServiceRequest, SurveyResponse
from tandem.feedback.models.settings import DEFAULT_WEIGHTS, HEALTH_FACTORS
from tandem.feedback.nps import nps_of
from tandem.feedback.services.settings import feedback_settings
from tandem.projects.delays import OPEN_STATUSES
from tandem.projects.models import Project

# The account's NPS is taken over its latest answers, so an old complaint fades as new answers come in.
RECENT_ANSWERS = 5
ZERO = Decimal("0.00")
BILLED_STATUSES = (ContractStatus.SIGNED, ContractStatus.COMPLETED)


def _nps(account: Account) -> health.Factor:
    scores = list(
        SurveyResponse.objects.filter(account=account)
        .order_by("-submitted_at", "-id")
        .values_list("score", flat=True)[:RECENT_ANSWERS]
    )
    nps = nps_of(scores).nps
    if nps is None:
        detail = _("No answers yet: counted as neutral.")
    else:
        detail = _("NPS %(nps)d over the latest %(count)d answers.") % {"nps": nps, "count": len(scores)}
    return health.Factor("nps", nps, health.nps_points(nps), 0, detail)


def _requests(account: Account) -> health.Factor:
    open_ = ServiceRequest.objects.filter(
        account=account,
        status__in=OPEN_REQUEST_STATUSES,
        priority__in=(RequestPriority.HIGH, RequestPriority.URGENT),
    )
    urgent = open_.filter(priority=RequestPriority.URGENT).count()
    high = open_.filter(priority=RequestPriority.HIGH).count()
    detail = _("%(urgent)d urgent and %(high)d high-priority requests open.") % {"urgent": urgent, "high": high}
    return health.Factor("requests", urgent + high, health.request_points(high=high, urgent=urgent), 0, detail)


def _receivables(account: Account, today: date) -> health.Factor:
    periods = milestone_annotate(
        PaymentMilestone.objects.filter(
            contract__account=account,
            contract__deleted_at__isnull=True,
            contract__status__in=BILLED_STATUSES,
            is_void=False,
            due_on__lt=today,
        ),
        today=today,
    )
    due = ZERO
    overdue = ZERO
    for period in periods:
        due += period.amount
        if period.status == MilestoneStatus.OVERDUE:
            overdue += period.amount - period.received
    detail = _("%(overdue)s overdue of %(due)s fallen due.") % {"overdue": f"{overdue:,.2f}", "due": f"{due:,.2f}"}
    return health.Factor(
        "receivables", str(overdue.quantize(ZERO)), health.receivable_points(overdue=overdue, due=due), 0, detail
    )


def _recency(account: Account, today: date, zone) -> health.Factor:
    if account.last_activity_at is None:
        return health.Factor("recency", None, health.recency_points(None), 0, _("Never followed up."))
    days = max(0, (today - timezone.localdate(account.last_activity_at, zone)).days)
    detail = _("Last follow-up %(days)d days ago.") % {"days": days}
    return health.Factor("recency", days, health.recency_points(days), 0, detail)


def _days_late(project: Project, today: date, zone) -> int | None:
    """Calendar days the project runs past its committed finish (the contract date, else the planned finish):
    by its current schedule, or by today when that date has passed unfinished."""
    committed = project.contract_finish or project.planned_finish
    if committed is None:
        return None
    finish = timezone.localdate(project.scheduled_finish, zone) if project.scheduled_finish else committed
    return max(0, (finish - committed).days, (today - committed).days)


def _delay(account: Account, today: date, zone) -> health.Factor:
    projects = Project.objects.filter(tenant_id=account.tenant_id, account_id=account.pk, status__in=OPEN_STATUSES)
    late = [(days, p) for p in projects if (days := _days_late(p, today, zone)) is not None]
    if not late:
        return health.Factor("delay", None, health.delay_points(None), 0, _("No current project with a due date."))
    days, worst = max(late, key=lambda pair: (pair[0], -pair[1].pk))
    if days:
        detail = _("%(project)s runs %(days)d days late.") % {"project": worst.number, "days": days}
    else:
        detail = _("%(count)d current projects on time.") % {"count": len(late)}
    return health.Factor("delay", days, health.delay_points(days), 0, detail)


def weights_of(tenant_id: int) -> dict[str, int]:
    """The tenant's weight per factor (the defaults for any factor the settings lack)."""
    saved = feedback_settings(tenant_id).health_weights or {}
    return {key: int(saved.get(key, DEFAULT_WEIGHTS[key])) for key in HEALTH_FACTORS}


@transaction.atomic
def health_compute(account: Account, *, now: datetime | None = None) -> HealthScore:
    """Work out the account's health from its current inputs and save it with its factors (system work)."""
    now = now or timezone.now()
    tenant = Tenant.objects.get(pk=account.tenant_id)
    zone = zoneinfo.ZoneInfo(tenant.timezone)
    today = timezone.localdate(now, zone)
    weights = weights_of(account.tenant_id)
    with translation.override(tenant.locale):
        found = [
            _nps(account),
            _requests(account),
            _receivables(account, today),
            _recency(account, today, zone),
            _delay(account, today, zone),
        ]
    factors = [health.Factor(f.key, f.value, f.points, weights[f.key], f.detail) for f in found]
    score, _created = HealthScore.objects.update_or_create(
        account=account,
        defaults={
            "tenant_id": account.tenant_id,
            "score": health.health_score(factors),
            "factors": [f.as_json() for f in factors],
            "computed_at": now,
        },
    )
    return score


def health_recompute(
    *, tenant_id: int, account_id: int | None = None, contract_id: int | None = None, now: datetime | None = None
) -> HealthScore | None:
    """Recompute one account of the tenant by its id or one of its contracts'; a deleted or unknown one is skipped."""
    if account_id is None and contract_id is not None:
        account_id = (
            Contract.all_objects.filter(tenant_id=tenant_id, pk=contract_id)
            .values_list("account_id", flat=True)
            .first()
        )
    account = Account.objects.filter(tenant_id=tenant_id, pk=account_id).first() if account_id else None
    return health_compute(account, now=now) if account is not None else None


def health_recompute_tenant(*, tenant_id: int, now: datetime | None = None) -> int:
    """Recompute every account of a tenant (the nightly run, and `tandem health --tenant`); returns how many."""
    ids = list(Account.objects.filter(tenant_id=tenant_id).values_list("pk", flat=True).order_by("pk"))
    for account_id in ids:
        health_recompute(tenant_id=tenant_id, account_id=account_id, now=now)
    return len(ids)


def health_recompute_all(*, now: datetime | None = None) -> int:
    """Every active tenant's accounts: the time-based factors move on by themselves overnight."""
    return sum(
        health_recompute_tenant(tenant_id=pk, now=now)
        for pk in Tenant.objects.filter(is_active=True).values_list("pk", flat=True)
    )


def _account_of_project(tenant_id: int, project_id) -> int | None:
    if not project_id:
        return None
    return Project.all_objects.filter(tenant_id=tenant_id, pk=project_id).values_list("account_id", flat=True).first()


def on_input_event(event) -> None:
    """Domain-event handler: an answer, a service request, a contract, a receipt or a project of an account
    changed, so its health is recomputed (idempotent: it reads the current state)."""
    payload = event.payload or {}
    account_id = payload.get("account_id")
    if account_id is None:
        account_id = _account_of_project(event.tenant_id, payload.get("project_id"))
    if account_id is not None:
        health_recompute(tenant_id=event.tenant_id, account_id=account_id)


def on_record_changed(obj, action: str, before: dict | None, after: dict | None) -> None:
    """Audit listener: a follow-up logged or a payment period edited has no domain event of its own, so the
    audited write queues the recompute, after the writer's transaction commits (no query of its own here)."""
    tenant_id = getattr(obj, "tenant_id", None)
    if tenant_id is None:
        return
    if isinstance(obj, Activity | Contract | ServiceRequest | Project):
        target = {"account_id": obj.account_id}
    elif isinstance(obj, PaymentMilestone | Receipt):
        target = {"contract_id": obj.contract_id}
    else:
        return
    if not any(target.values()):
        return
    from tandem.feedback.tasks import health_recompute_task

    transaction.on_commit(lambda: health_recompute_task(tenant_id, **target), robust=True)
