"""NPS insights: the figures of a period by quarter, PM, project type and tier, and the detractors with their
recovery, all within what the member may see (answers and surveys through their account's owner).

Answers count in the period they came in; the response rate counts the surveys sent in the period and how many
of those were answered. The PM, project type and tier of an answer are those copied when it came in; for the
surveys sent (the rate) they are the project's PM, its deal's type and the account's tier now.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from tandem.crm.choices import AccountTier, DealType
from tandem.crm.models import Deal
from tandem.feedback.choices import NpsCategory, RecoveryStatus, SurveyStatus
from tandem.feedback.models import Survey, SurveyResponse
from tandem.feedback.nps import NpsFigures, figures_by, quarter_of, quarters_between

SENT_STATUSES = (SurveyStatus.SENT, SurveyStatus.ANSWERED, SurveyStatus.EXPIRED)
NO_RECOVERY = "none"


@dataclass(frozen=True)
class InsightFilters:
    """The period (both days included; open ends allowed) and the groups to keep."""

    start: date | None = None
    end: date | None = None
    manager_id: int | None = None
    project_type: str = ""
    tier: str = ""


@dataclass(frozen=True)
class NpsGroup:
    key: str
    label: str
    figures: NpsFigures


@dataclass
class NpsInsights:
    total: NpsFigures
    by_quarter: list[NpsGroup] = field(default_factory=list)
    by_manager: list[NpsGroup] = field(default_factory=list)
    by_project_type: list[NpsGroup] = field(default_factory=list)
    by_tier: list[NpsGroup] = field(default_factory=list)


@dataclass(frozen=True)
class DetractorRow:
    response: SurveyResponse
    recovery_status: str  # open / closed / none
    age_days: int  # since the answer: until the recovery closed, else until today


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _in_period(qs: QuerySet, stamp: str, filters: InsightFilters) -> QuerySet:
    if filters.start:
        qs = qs.filter(**{f"{stamp}__gte": _moment(filters.start)})
    if filters.end:
        qs = qs.filter(**{f"{stamp}__lt": _moment(filters.end + timedelta(days=1))})
    return qs


def responses_in(*, access, filters: InsightFilters) -> QuerySet:
    """The answers of the period and groups the member may see."""
    qs = _in_period(SurveyResponse.objects.restrict(access), "submitted_at", filters)
    if filters.manager_id:
        qs = qs.filter(manager_id=filters.manager_id)
    if filters.project_type:
        qs = qs.filter(project_type=filters.project_type)
    if filters.tier:
        qs = qs.filter(tier=filters.tier)
    return qs


def surveys_sent_in(*, access, filters: InsightFilters) -> QuerySet:
    """The surveys that went out in the period (not those skipped or failed), in the groups asked for."""
    qs = _in_period(Survey.objects.restrict(access).filter(status__in=SENT_STATUSES), "sent_at", filters)
    if filters.manager_id:
        qs = qs.filter(project__owner_id=filters.manager_id)
    if filters.project_type:
        deals = Deal.all_objects.filter(tenant_id=access.tenant_id, deal_type=filters.project_type)
        qs = qs.filter(project__deal_id__in=deals.values("pk"))
    if filters.tier:
        qs = qs.filter(account__tier=filters.tier)
    return qs


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _groups(rows, labels: dict[str, str], *, none_label: str) -> list[NpsGroup]:
    out = [NpsGroup(key, labels.get(key, key) if key else none_label, fig) for key, fig in figures_by(rows).items()]
    return sorted(out, key=lambda g: (not g.key, -g.figures.responses, str(g.label)))


def _manager_labels(ids) -> dict[str, str]:
    people = get_user_model().objects.filter(pk__in=[i for i in ids if i])
    return {str(p.pk): str(p.display_name or p.username) for p in people}


def nps_insights(*, access, filters: InsightFilters, no_group: str = "—") -> NpsInsights:
    """NPS with its counts for the period, then by quarter (with each quarter's response rate), PM, type, tier."""
    answers = list(
        responses_in(access=access, filters=filters).values_list(
            "category", "submitted_at", "manager_id", "project_type", "tier"
        )
    )
    sent = list(surveys_sent_in(access=access, filters=filters).values_list("sent_at", "status"))
    whole = figures_by(("all", category) for category, *_rest in answers).get("all", NpsFigures())
    answered = sum(1 for _sent_at, status in sent if status == SurveyStatus.ANSWERED)
    total = NpsFigures(whole.promoters, whole.passives, whole.detractors, delivered=len(sent), answered=answered)

    by_quarter = figures_by((quarter_of(_local_day(at)), category) for category, at, *_rest in answers)
    sent_by_quarter: dict[str, list[int]] = {}
    for sent_at, status in sent:
        counts = sent_by_quarter.setdefault(quarter_of(_local_day(sent_at)), [0, 0])
        counts[0] += 1
        counts[1] += status == SurveyStatus.ANSWERED
    days = [_local_day(at) for _c, at, *_rest in answers] + [_local_day(at) for at, _s in sent]
    if filters.start:
        days.append(filters.start)
    if filters.end:
        days.append(filters.end)
    quarters = quarters_between(min(days), max(days)) if days else []
    quarter_rows = []
    for key in quarters:
        fig = by_quarter.get(key, NpsFigures())
        delivered, answered_in = sent_by_quarter.get(key, [0, 0])
        quarter_rows.append(
            NpsGroup(
                key,
                key,
                NpsFigures(fig.promoters, fig.passives, fig.detractors, delivered=delivered, answered=answered_in),
            )
        )
    return NpsInsights(
        total=total,
        by_quarter=quarter_rows,
        by_manager=_groups(
            ((str(m) if m else "", c) for c, _at, m, _t, _tier in answers),
            _manager_labels({m for _c, _at, m, _t, _tier in answers}),
            none_label=no_group,
        ),
        by_project_type=_groups(
            ((t, c) for c, _at, _m, t, _tier in answers), {k: str(v) for k, v in DealType.choices}, none_label=no_group
        ),
        by_tier=_groups(
            ((tier, c) for c, _at, _m, _t, tier in answers),
            {k: str(v) for k, v in AccountTier.choices},
            none_label=no_group,
        ),
    )


def detractor_list(*, access, filters: InsightFilters, today: date | None = None) -> list[DetractorRow]:
    """The detractors' answers of the period, newest first, with their recovery's status and age."""
    today = today or timezone.localdate()
    qs = (
        responses_in(access=access, filters=filters)
        .filter(category=NpsCategory.DETRACTOR)
        .select_related("account", "project", "manager", "recovery")
        .order_by("-submitted_at", "-id")
    )
    rows = []
    for response in qs:
        recovery = getattr(response, "recovery", None)
        status = recovery.status if recovery is not None else NO_RECOVERY
        until = today
        if recovery is not None and recovery.status == RecoveryStatus.CLOSED and recovery.closed_at:
            until = _local_day(recovery.closed_at)
        rows.append(DetractorRow(response, status, max(0, (until - _local_day(response.submitted_at)).days)))
    return rows


def tier_choices() -> list[tuple[str, str]]:
    return [(k, str(v)) for k, v in AccountTier.choices]


def project_type_choices() -> list[tuple[str, str]]:
    return [(k, str(v)) for k, v in DealType.choices]
