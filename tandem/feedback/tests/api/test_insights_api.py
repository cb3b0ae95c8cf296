import pytest

from tandem.crm.tests.factories import make_account
from tandem.feedback.models import FeedbackSettings, HealthScore
from tandem.feedback.services.health import health_compute
from tandem.testing.kit import api_client, make_member

API = "/api/v1/feedback/"


@pytest.mark.django_db
def test_the_settings_are_one_object_read_and_patched(crew):
    client = api_client(crew.service)
    body = client.get(f"{API}settings/").json()
    assert body["quiet_days"] == 90 and body["health_weights"]["nps"] == 30 and body["sla"]["urgent"] == [2, 8]
    patched = client.patch(
        f"{API}settings/", {"reminder_days": 5, "health_weights": {"nps": 40}, "sla": {"urgent": [1, 6]}}, format="json"
    )
    assert patched.status_code == 200, patched.content
    body = patched.json()
    assert body["reminder_days"] == 5 and body["health_weights"] == {
        "nps": 40,
        "requests": 20,
        "receivables": 20,
        "recency": 15,
        "delay": 15,
    }
    saved = FeedbackSettings.objects.get(tenant=crew.tenant)
    assert saved.sla["urgent"] == [1.0, 6.0] and saved.sla["low"] == [16.0, 80.0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "payload",
    [
        {"health_weights": {"nps": 0, "requests": 0, "receivables": 0, "recency": 0, "delay": 0}},
        {"health_weights": {"nps": 101}},
        {"health_weights": {"nps": 1.5}},
        {"health_weights": {"loyalty": 5}},
        {"health_weights": "heavy"},
        {"sla": {"urgent": [9, 2]}},
        {"sla": {"urgent": [1]}},
        {"sla": {"someday": [1, 2]}},
        {"quiet_days": 9999},
        {"expiry_days": 0},
    ],
)
def test_bad_settings_are_a_problem_and_change_nothing(crew, payload):
    client = api_client(crew.service)
    before = client.get(f"{API}settings/").json()
    response = client.patch(f"{API}settings/", {"reminder_days": 7, **payload}, format="json")
    assert response.status_code == 400, (payload, response.content)
    assert response["Content-Type"].startswith("application/problem+json")
    assert client.get(f"{API}settings/").json() == before


@pytest.mark.django_db
def test_changing_the_settings_needs_the_permission(crew):
    # A PM holds no feedback permission; a sales manager may read the settings but not change them.
    assert api_client(crew.pm).get(f"{API}settings/").status_code == 403
    manager = make_member(crew.tenant, "sales_manager")
    assert api_client(manager).get(f"{API}settings/").status_code == 200
    assert api_client(manager).patch(f"{API}settings/", {"reminder_days": 1}, format="json").status_code == 403
    assert FeedbackSettings.objects.get(tenant=crew.tenant).reminder_days == 3


@pytest.mark.django_db
def test_health_scores_are_listed_and_retrieved_read_only(crew):
    health = health_compute(crew.account)
    other = health_compute(make_account(crew.tenant, crew.rep.user, name="另一家客户"))
    client = api_client(crew.service)
    listed = client.get(f"{API}health/").json()
    assert {row["account"] for row in listed["results"]} == {crew.account.pk, other.account_id}
    body = client.get(f"{API}health/{health.pk}/").json()
    assert body["account"] == crew.account.pk and body["score"] == health.score
    assert [f["key"] for f in body["factors"]] == ["nps", "requests", "receivables", "recency", "delay"]
    assert set(body["factors"][0]) == {"key", "value", "points", "weight", "detail"}
    assert body["computed_at"]
    only = client.get(f"{API}health/", {"account": crew.account.pk}).json()
    assert [row["id"] for row in only["results"]] == [health.pk]
    assert client.patch(f"{API}health/{health.pk}/", {"score": 100}, format="json").status_code == 405
    assert client.delete(f"{API}health/{health.pk}/").status_code == 405
    assert HealthScore.objects.get(pk=health.pk).score == health.score
    # A salesperson holds no health-score permission.
    assert api_client(crew.rep).get(f"{API}health/").status_code == 403
