# Pages speak the tenant's language (简体中文 here).
import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from tandem.feedback.choices import RecoveryStatus
from tandem.feedback.models import FeedbackSettings, HealthScore, Recovery
from tandem.feedback.models.settings import DEFAULT_SLA, DEFAULT_WEIGHTS
from tandem.feedback.services.health import health_compute
from tandem.feedback.tests.selectors.test_insights import answer, at, survey
from tandem.testing.kit import page_client


def kpi(page: str, name: str) -> str:
    match = re.search(rf'id="kpi-{name}">(.*?)</div>', page, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


@pytest.mark.django_db
def test_the_nps_page_shows_the_figures_the_trend_and_the_detractors(crew):
    today = timezone.localdate()
    recent = timezone.make_aware(timezone.datetime.combine(today - timedelta(days=1), timezone.datetime.min.time()))
    promoter = answer(crew, 10, recent, manager=crew.pm.user, tier="vip", project_type="retrofit")
    detractor = answer(
        crew, 2, recent + timedelta(hours=1), manager=crew.pm.user, tier="vip", comment="<script>alert(1)</script>太慢"
    )
    Recovery.objects.create(tenant=crew.tenant, response=detractor, account=crew.account, status=RecoveryStatus.OPEN)
    survey(crew, recent)  # sent, unanswered: 2 of 3 answered
    assert promoter.pk
    page = page_client(crew.service).get("/feedback/nps/").content.decode()
    # 1 promoter, 1 detractor: 0; 2 answers of 3 sent → 67 %
    assert kpi(page, "nps") == "0" and kpi(page, "responses") == "2" and kpi(page, "rate") == "67%"
    assert "50% / 0% / 50%" in re.sub(r"<[^>]+>|\s+", lambda m: "" if m.group(0).startswith("<") else " ", page)
    assert 'id="nps-data"' in page and "vendor/echarts.min.js" in page and "feedback/nps.js" in page
    assert 'id="by-manager"' in page and "周工" in page and 'id="by-tier"' in page
    # The detractor with an open recovery, linking its account and project; the comment escaped.
    assert f'href="/crm/accounts/{crew.account.pk}/"' in page and f'href="/projects/{crew.project.pk}/"' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;太慢" in page and "<script>alert(1)</script>" not in page
    assert "挽回中" in page


@pytest.mark.django_db
def test_an_empty_period_says_no_data_and_bad_filters_fall_back(crew):
    client = page_client(crew.service)
    page = client.get("/feedback/nps/", {"start": "2020Q1", "end": "2020Q2"}).content.decode()
    assert kpi(page, "nps").startswith("—") and "暂无数据" in page
    assert kpi(page, "responses") == "0" and kpi(page, "rate").startswith("—")
    bad = client.get("/feedback/nps/", {"start": "soon", "end": "2020Q2"})
    assert bad.status_code == 200 and 'id="nps-filter-errors"' in bad.content.decode()


@pytest.mark.django_db
def test_filters_narrow_the_page(crew):
    day = at(2026, 2, 10, 9)
    answer(crew, 10, day, tier="vip")
    answer(crew, 0, day, tier="b")
    client = page_client(crew.service)
    page = client.get("/feedback/nps/", {"start": "2026Q1", "end": "2026-03-31", "tier": "b"}).content.decode()
    assert kpi(page, "nps") == "-100" and kpi(page, "responses") == "1"


@pytest.mark.django_db
def test_the_nps_page_needs_the_permission(crew):
    assert page_client(crew.rep).get("/feedback/nps/").status_code == 403


@pytest.mark.django_db
def test_the_account_page_shows_the_health_panel_without_recomputing_it(crew):
    answer(crew, 3, at(2026, 2, 1, 9))
    client = page_client(crew.service)
    page = client.get(f"/crm/accounts/{crew.account.pk}/").content.decode()
    assert 'id="health-panel"' in page and "尚未计算" in page
    assert not HealthScore.objects.exists()  # a page view computes nothing
    health = health_compute(crew.account)
    page = client.get(f"/crm/accounts/{crew.account.pk}/").content.decode()
    assert f'id="health-score">{health.score}<' in page
    assert 'id="health-factors"' in page and "逾期回款" in page
    HealthScore.objects.filter(pk=health.pk).update(score=1)
    again = client.get(f"/crm/accounts/{crew.account.pk}/").content.decode()
    assert 'id="health-score">1<' in again and HealthScore.objects.get().computed_at == health.computed_at
    # A salesperson holds no health-score permission: the panel stays away.
    assert 'id="health-panel"' not in page_client(crew.rep).get(f"/crm/accounts/{crew.account.pk}/").content.decode()


def _settings_post(**changes):
    data = {"quiet_days": 60, "expiry_days": 14, "reminder_days": 2}
    for priority, (response, resolve) in DEFAULT_SLA.items():
        data[f"sla_{priority}_response"] = response
        data[f"sla_{priority}_resolve"] = resolve
    for key, weight in DEFAULT_WEIGHTS.items():
        data[f"weight_{key}"] = weight
    data.update(changes)
    return data


@pytest.mark.django_db
def test_the_settings_page_saves_everything(crew):
    client = page_client(crew.service)
    assert client.get("/feedback/settings/").status_code == 200
    response = client.post("/feedback/settings/", _settings_post(sla_urgent_response=1, weight_nps=50), follow=True)
    assert "已保存。" in response.content.decode()
    saved = FeedbackSettings.objects.get(tenant=crew.tenant)
    assert (saved.quiet_days, saved.expiry_days, saved.reminder_days) == (60, 14, 2)
    assert saved.sla["urgent"] == [1.0, 8.0] and saved.health_weights["nps"] == 50


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes",
    [
        {"weight_nps": 0, "weight_requests": 0, "weight_receivables": 0, "weight_recency": 0, "weight_delay": 0},
        {"weight_delay": 150},
        {"weight_delay": "x"},
        {"sla_high_response": 30},  # first response after the resolution (24 h)
        {"quiet_days": -1},
    ],
)
def test_bad_settings_show_a_message_and_save_nothing(crew, changes):
    client = page_client(crew.service)
    client.get("/feedback/settings/")
    before = FeedbackSettings.objects.get(tenant=crew.tenant)
    response = client.post("/feedback/settings/", _settings_post(**changes))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="form-errors"' in page
    after = FeedbackSettings.objects.get(tenant=crew.tenant)
    assert (after.quiet_days, after.sla, after.health_weights) == (before.quiet_days, before.sla, before.health_weights)


@pytest.mark.django_db
def test_the_settings_page_needs_the_permission_and_is_in_the_settings_menu(crew):
    assert page_client(crew.pm).get("/feedback/settings/").status_code == 403
    home = page_client(crew.service).get("/feedback/nps/").content.decode()
    assert 'href="/feedback/settings/"' in home and 'href="/feedback/nps/"' in home


def test_quarters_are_named_for_the_filter():
    from tandem.feedback.forms.insights import recent_quarters

    assert recent_quarters(date(2026, 2, 1), 3) == ["2026Q1", "2025Q4", "2025Q3"]
