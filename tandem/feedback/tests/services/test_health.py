"""The account health score: each factor on a hand-computed case, the weights, and recomputing on events."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from tandem.core.errors import ApplicationError
from tandem.crm.models import Contract, PaymentMilestone, Receipt
from tandem.crm.services.activities import activity_create
from tandem.feedback.choices import RequestPriority, RequestStatus, SurveyChannel
from tandem.feedback.models import FeedbackSettings, HealthScore, ServiceRequest, SurveyResponse
from tandem.feedback.services import surveys as survey_services
from tandem.feedback.services.health import health_compute, health_recompute_tenant
from tandem.feedback.services.requests import request_create, request_transition
from tandem.feedback.services.settings import feedback_settings_update
from tandem.feedback.tasks import health_nightly_task
from tandem.feedback.tests.selectors.test_insights import answer, at
from tandem.projects.models import Project

NOW = at(2026, 3, 1, 12)


def factors(score: HealthScore) -> dict:
    return {f["key"]: f for f in score.factors}


def _request(crew, priority, status=RequestStatus.NEW):
    return ServiceRequest.objects.create(
        tenant=crew.tenant,
        owner=crew.service.user,
        account=crew.account,
        subject="故障",
        priority=priority,
        status=status,
        opened_at=NOW,
    )


@pytest.fixture
def unwell(crew):
    """An account with a value on every factor (see each test for the sums)."""
    for score, day in ((10, 1), (9, 2), (3, 3)):
        answer(crew, score, at(2026, 2, day, 9))
    _request(crew, RequestPriority.HIGH)
    _request(crew, RequestPriority.URGENT, RequestStatus.IN_PROGRESS)
    _request(crew, RequestPriority.URGENT, RequestStatus.RESOLVED)
    _request(crew, RequestPriority.NORMAL)
    contract = Contract.objects.create(
        tenant=crew.tenant,
        owner=crew.rep.user,
        account=crew.account,
        name="弱电改造合同",
        amount=Decimal("100000"),
        status="signed",
    )
    paid, short, later, void = (
        PaymentMilestone.objects.create(
            tenant=crew.tenant,
            contract=contract,
            name=name,
            amount=Decimal(amount),
            due_on=due,
            is_void=is_void,
            created_by=crew.rep.user,
        )
        for name, amount, due, is_void in (
            ("预付款", "30000", date(2026, 1, 10), False),
            ("进度款", "50000", date(2026, 2, 1), False),
            ("尾款", "20000", date(2026, 12, 31), False),
            ("作废", "9999", date(2026, 1, 5), True),
        )
    )
    for period, amount in ((paid, "30000"), (short, "20000")):
        Receipt.objects.create(
            tenant=crew.tenant,
            contract=contract,
            milestone=period,
            received_on=date(2026, 1, 20),
            amount=Decimal(amount),
            created_by=crew.rep.user,
        )
    crew.account.last_activity_at = NOW - timedelta(days=44)
    crew.account.save(update_fields=["last_activity_at"])
    Project.objects.filter(pk=crew.project.pk).update(
        contract_finish=date(2026, 2, 19), planned_finish=date(2026, 2, 10), scheduled_finish=None
    )
    return crew


@pytest.mark.django_db
def test_every_factor_on_a_hand_computed_case(unwell):
    score = health_compute(unwell.account, now=NOW)
    f = factors(score)
    # NPS of 10, 9, 3: (2 − 1) / 3 = 33 → (33 + 100) / 200 = 0.665 → 0.67
    assert (f["nps"]["value"], f["nps"]["points"]) == (33, 0.67)
    # One high (−0.25) and one urgent (−0.5) open; the resolved urgent and the normal one do not count.
    assert (f["requests"]["value"], f["requests"]["points"]) == (2, 0.25)
    # Fallen due by 1 March: 30 000 + 50 000 (the void period aside); 30 000 of it unpaid → 1 − 0.375 = 0.63
    assert (f["receivables"]["value"], f["receivables"]["points"]) == ("30000.00", 0.63)
    # 44 days since the last follow-up: 1 − (44 − 14) / 76 = 0.605 → 0.61
    assert (f["recency"]["value"], f["recency"]["points"]) == (44, 0.61)
    # Contract finish 19 February passed unfinished: 10 days late → 1 − 10 / 30 = 0.67
    assert (f["delay"]["value"], f["delay"]["points"]) == (10, 0.67)
    # Default weights 30 / 20 / 20 / 15 / 15: (20.1 + 5 + 12.6 + 9.15 + 10.05) / 100 → 57
    assert score.score == 57
    assert [x["weight"] for x in score.factors] == [30, 20, 20, 15, 15]
    assert all(x["detail"] for x in score.factors)


@pytest.mark.django_db
def test_an_account_with_no_history_is_neutral_on_nps_and_worst_on_follow_up(crew):
    Project.objects.filter(pk=crew.project.pk).update(account_id=None)
    f = factors(health_compute(crew.account, now=NOW))
    assert (f["nps"]["value"], f["nps"]["points"]) == (None, 0.5)
    assert f["requests"]["points"] == 1.0 and f["receivables"]["points"] == 1.0
    assert (f["recency"]["value"], f["recency"]["points"]) == (None, 0.0)
    assert (f["delay"]["value"], f["delay"]["points"]) == (None, 1.0)
    # (15 + 20 + 20 + 0 + 15) / 100 = 70
    assert HealthScore.objects.get(account=crew.account).score == 70


@pytest.mark.django_db
def test_a_schedule_past_the_contract_date_counts_as_delay(crew):
    finish = timezone.make_aware(datetime(2026, 4, 30, 17))
    Project.objects.filter(pk=crew.project.pk).update(contract_finish=date(2026, 4, 20), scheduled_finish=finish)
    f = factors(health_compute(crew.account, now=NOW))
    assert (f["delay"]["value"], f["delay"]["points"]) == (10, 0.67)
    Project.objects.filter(pk=crew.project.pk).update(status="completed")
    assert factors(health_compute(crew.account, now=NOW))["delay"]["value"] is None


@pytest.mark.django_db
def test_weights_change_the_score_and_recompute_every_account(unwell, django_capture_on_commit_callbacks):
    health_compute(unwell.account, now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        feedback_settings_update(
            access=unwell.access, health_weights={"nps": 100, "requests": 0, "receivables": 0, "recency": 0, "delay": 0}
        )
    # Only the NPS counts now: 0.67 → 67 (recomputed by the settings change, not by a read).
    assert HealthScore.objects.get(account=unwell.account).score == 67
    assert health_compute(unwell.account, now=NOW).score == 67


@pytest.mark.django_db
def test_bad_weights_are_refused_and_nothing_changes(crew):
    before = FeedbackSettings.objects.get_or_create(tenant=crew.tenant)[0].health_weights
    for bad in (
        {"nps": 0, "requests": 0, "receivables": 0, "recency": 0, "delay": 0},
        {"nps": 101},
        {"nps": -1},
        {"nps": 2.5},
        {"nps": "many"},
        {"loyalty": 10},
        ["nps"],
    ):
        with pytest.raises(ApplicationError):
            feedback_settings_update(access=crew.access, health_weights=bad, quiet_days=10)
    current = FeedbackSettings.objects.get(tenant=crew.tenant)
    assert current.health_weights == before and current.quiet_days == 90


@pytest.mark.django_db
def test_answering_a_survey_recomputes_the_account(crew, django_capture_on_commit_callbacks):
    sent = survey_services.survey_send(
        access=crew.access, account=crew.account, contact=crew.contact, project=crew.project, channel=SurveyChannel.LINK
    )
    assert not HealthScore.objects.filter(account=crew.account).exists()
    with django_capture_on_commit_callbacks(execute=True):
        survey_services.response_submit(token=sent.token, score=2, comment="太慢")
    assert SurveyResponse.objects.filter(account=crew.account).count() == 1
    health = HealthScore.objects.get(account=crew.account)
    assert factors(health)["nps"]["value"] == -100


@pytest.mark.django_db
def test_opening_and_closing_an_urgent_request_moves_the_score(crew, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = request_create(
            access=crew.access, account=crew.account, subject="机房断电", priority=RequestPriority.URGENT
        )
    opened = HealthScore.objects.get(account=crew.account)
    assert factors(opened)["requests"]["value"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        request_transition(access=crew.access, request=request, status=RequestStatus.CLOSED)
    closed = HealthScore.objects.get(account=crew.account)
    assert factors(closed)["requests"]["value"] == 0 and closed.score > opened.score


@pytest.mark.django_db
def test_logging_a_follow_up_recomputes_the_account(crew, django_capture_on_commit_callbacks):
    health_compute(crew.account)
    assert factors(HealthScore.objects.get(account=crew.account))["recency"]["value"] is None
    with django_capture_on_commit_callbacks(execute=True):
        activity_create(access=crew.rep_access, subject="回访电话", kind="call", account=crew.account)
    assert factors(HealthScore.objects.get(account=crew.account))["recency"]["value"] == 0


@pytest.mark.django_db
def test_a_tenant_is_recomputed_by_the_service_and_the_command(crew, capsys):
    assert health_recompute_tenant(tenant_id=crew.tenant.pk) == 1
    HealthScore.objects.all().delete()
    call_command("health", "--tenant", crew.tenant.slug)
    assert HealthScore.objects.filter(account=crew.account).exists()
    assert "1 accounts recomputed." in capsys.readouterr().out
    # The nightly run (no --tenant) covers every active tenant's accounts.
    HealthScore.objects.all().delete()
    health_nightly_task.call_local()
    assert HealthScore.objects.filter(account=crew.account).exists()
