"""NPS insights on hand-computed cases: by quarter, PM, project type and tier; the rate; the detractors."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from tandem.accounts.models import Role
from tandem.crm.tests.factories import make_account, make_contact
from tandem.feedback.choices import RecoveryStatus, SurveyStatus
from tandem.feedback.models import Recovery, Survey, SurveyResponse, category_of
from tandem.feedback.selectors.insights import InsightFilters, detractor_list, nps_insights
from tandem.feedback.services.templates import template_default
from tandem.testing.kit import access_for, make_member

H1 = InsightFilters(start=date(2026, 1, 1), end=date(2026, 6, 30))


def at(*parts) -> datetime:
    return timezone.make_aware(datetime(*parts))


def survey(crew, sent_at, *, account=None, status=SurveyStatus.SENT) -> Survey:
    return Survey.objects.create(
        tenant=crew.tenant,
        template=template_default(tenant_id=crew.tenant.pk, language="zh-hans"),
        account=account or crew.account,
        contact=crew.contact,
        project=crew.project,
        language="zh-hans",
        status=status,
        sent_at=sent_at,
    )


def answer(crew, score, when, *, manager=None, project_type="", tier="", account=None, comment=""):
    sent = survey(crew, when - timedelta(hours=2), account=account, status=SurveyStatus.ANSWERED)
    return SurveyResponse.objects.create(
        tenant=crew.tenant,
        survey=sent,
        account=sent.account,
        project=crew.project,
        manager=manager,
        score=score,
        category=category_of(score),
        comment=comment,
        tier=tier,
        project_type=project_type,
        language="zh-hans",
        submitted_at=when,
    )


@pytest.fixture
def half_year(crew):
    """Seven answers over 2026 Q1–Q2 from two PMs, one more survey unanswered and one skipped."""
    pm2 = make_member(crew.tenant, "pm", display_name="吴工").user
    pm1 = crew.pm.user
    rows = [
        (10, at(2026, 2, 10, 9), pm1, "installation", "vip"),
        (9, at(2026, 2, 11, 9), pm1, "retrofit", "a"),
        (7, at(2026, 3, 1, 9), pm2, "installation", "a"),
        (3, at(2026, 3, 20, 9), pm1, "retrofit", "vip"),
        (10, at(2026, 4, 5, 9), pm2, "", "vip"),
        (2, at(2026, 5, 5, 9), pm2, "installation", "b"),
        (1, at(2026, 6, 30, 23, 30), pm2, "retrofit", "a"),
    ]
    answers = [answer(crew, s, when, manager=m, project_type=t, tier=tier) for s, when, m, t, tier in rows]
    survey(crew, at(2026, 3, 25, 9))  # sent in Q1, never answered
    survey(crew, at(2026, 3, 26, 9), status=SurveyStatus.SKIPPED)  # never sent: not in the rate
    answer(crew, 10, at(2026, 7, 1, 10))  # the next quarter: outside the period
    return crew, pm1, pm2, answers


def _by(groups):
    return {g.key: (g.figures.nps, g.figures.responses) for g in groups}


@pytest.mark.django_db
def test_nps_of_the_period_with_counts_and_rate(half_year):
    crew, *_ = half_year
    total = nps_insights(access=crew.access, filters=H1).total
    # 3 promoters, 1 passive, 3 detractors of 7: 43 % − 43 % = 0, not "no data"
    assert (total.promoters, total.passives, total.detractors, total.nps) == (3, 1, 3, 0)
    # 8 surveys went out (the skipped one did not), 7 of them answered: 87.5 % → 88 %
    assert (total.delivered, total.response_rate) == (8, 88)
    assert total.shares == {"promoter": 43, "passive": 14, "detractor": 43}


@pytest.mark.django_db
def test_nps_by_quarter_with_each_quarters_rate(half_year):
    crew, *_ = half_year
    quarters = nps_insights(access=crew.access, filters=H1).by_quarter
    assert [g.key for g in quarters] == ["2026Q1", "2026Q2"]
    q1, q2 = (g.figures for g in quarters)
    # Q1: 10, 9, 7, 3 → (2 − 1) / 4 = 25; 5 sent, 4 answered
    assert (q1.nps, q1.responses, q1.delivered, q1.response_rate) == (25, 4, 5, 80)
    # Q2: 10, 2, 1 (the last at 23:30 local on 30 June) → (1 − 2) / 3 = −33.3 → −33; 3 sent, 3 answered
    assert (q2.nps, q2.responses, q2.delivered, q2.response_rate) == (-33, 3, 3, 100)


@pytest.mark.django_db
def test_nps_by_pm_project_type_and_tier(half_year):
    crew, pm1, pm2, _answers = half_year
    insights = nps_insights(access=crew.access, filters=H1)
    # pm1: 10, 9, 3 → 33; pm2: 7, 10, 2, 1 → (1 − 2) / 4 = −25
    assert _by(insights.by_manager) == {str(pm1.pk): (33, 3), str(pm2.pk): (-25, 4)}
    labels = {g.key: g.label for g in insights.by_manager}
    assert labels[str(pm2.pk)] == "吴工"
    # installation: 10, 7, 2 → 0; retrofit: 9, 3, 1 → −33; no type: 10 → 100
    assert _by(insights.by_project_type) == {"installation": (0, 3), "retrofit": (-33, 3), "": (100, 1)}
    # vip: 10, 3, 10 → 33; a: 9, 7, 1 → 0; b: 2 → −100
    assert _by(insights.by_tier) == {"vip": (33, 3), "a": (0, 3), "b": (-100, 1)}


@pytest.mark.django_db
def test_filters_narrow_every_figure(half_year):
    crew, pm1, _pm2, _answers = half_year
    mine = nps_insights(access=crew.access, filters=InsightFilters(start=H1.start, end=H1.end, manager_id=pm1.pk))
    assert (mine.total.nps, mine.total.responses) == (33, 3)
    narrow = nps_insights(
        access=crew.access, filters=InsightFilters(start=H1.start, end=H1.end, project_type="retrofit", tier="a")
    )
    assert (narrow.total.promoters, narrow.total.detractors, narrow.total.nps) == (1, 1, 0)


@pytest.mark.django_db
def test_zero_responses_and_zero_sent_are_no_data(half_year):
    crew, *_ = half_year
    empty = nps_insights(access=crew.access, filters=InsightFilters(start=date(2025, 7, 1), end=date(2025, 9, 30)))
    assert empty.total.responses == 0 and empty.total.nps is None
    assert empty.total.delivered == 0 and empty.total.response_rate is None
    assert [(g.key, g.figures.nps, g.figures.response_rate) for g in empty.by_quarter] == [("2025Q3", None, None)]
    assert empty.by_manager == [] and empty.by_tier == []
    # Sent but unanswered: a rate of 0 %, still no NPS.
    survey(crew, at(2025, 8, 1, 9))
    sent_only = nps_insights(access=crew.access, filters=InsightFilters(start=date(2025, 7, 1), end=date(2025, 9, 30)))
    assert (sent_only.total.nps, sent_only.total.delivered, sent_only.total.response_rate) == (None, 1, 0)


@pytest.mark.django_db
def test_detractors_with_open_closed_and_no_recovery(half_year):
    crew, _pm1, _pm2, answers = half_year
    three, two = answers[3], answers[5]
    Recovery.objects.create(tenant=crew.tenant, response=three, account=crew.account, status=RecoveryStatus.OPEN)
    Recovery.objects.create(
        tenant=crew.tenant,
        response=two,
        account=crew.account,
        status=RecoveryStatus.CLOSED,
        closed_at=at(2026, 5, 15, 10),
    )
    rows = detractor_list(access=crew.access, filters=H1, today=date(2026, 7, 10))
    assert [(r.response.score, r.recovery_status, r.age_days) for r in rows] == [
        (1, "none", 10),  # 30 June → 10 July
        (2, "closed", 10),  # answered 5 May, closed 15 May
        (3, "open", 112),  # 20 March → 10 July
    ]


@pytest.mark.django_db
def test_a_member_sees_the_answers_of_their_own_customers_only(half_year):
    crew, *_ = half_year
    Role.objects.create(
        tenant=crew.tenant, key="own_feedback", name="own feedback", permissions=["feedback.view_*"], data_scope="own"
    )
    colleague = make_member(crew.tenant, "own_feedback")
    theirs = make_account(crew.tenant, colleague.user, name="别人的客户")
    make_contact(crew.tenant, colleague.user, theirs, primary=True)
    answer(crew, 0, at(2026, 5, 6, 9), account=theirs)
    # The service desk sees all eight answers; the colleague only the one on their own customer.
    assert nps_insights(access=crew.access, filters=H1).total.responses == 8
    own = nps_insights(access=access_for(colleague), filters=H1)
    assert (own.total.responses, own.total.nps) == (1, -100)
    assert [r.response.account_id for r in detractor_list(access=access_for(colleague), filters=H1)] == [theirs.pk]
    # A salesperson holds no feedback permission: nothing, and no error.
    rep_view = nps_insights(access=crew.rep_access, filters=H1)
    assert rep_view.total.responses == 0 and rep_view.total.nps is None
    assert detractor_list(access=crew.rep_access, filters=H1) == []
