"""The outbound webhooks API: CRUD with the secret shown once, rotation, test event, delivery log, replay."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.automation.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from tandem.automation.tests.webhook_receiver import immediate_tasks_fixture, receiver_fixture  # noqa: F401
from tandem.automation.webhooks import services
from tandem.core.events import emit
from tandem.testing.kit import access_for, api_client, make_member, make_tenant

BASE = "/api/v1/automation/webhooks/"


@pytest.fixture(autouse=True)
def _private_receivers(settings, immediate_tasks):
    settings.TANDEM_WEBHOOK_ALLOW_PRIVATE = True


@pytest.fixture
def client(admin_member):
    return api_client(admin_member)


def create(client, receiver, **fields):
    data = {"url": receiver.url(), "event_types": ["crm.*"], "description": "ERP", **fields}
    response = client.post(BASE, data, format="json")
    assert response.status_code == 201, response.content
    receiver.secrets = [response.json()["secret"]]
    return response.json()


def test_create_shows_the_secret_once_and_reads_never_do(client, receiver):
    created = create(client, receiver)

    assert created["secret"].startswith("whsec_")
    assert created["event_types"] == ["crm.*"]
    assert created["enabled"] is True
    listed = client.get(BASE).json()
    assert [row["id"] for row in listed["results"]] == [created["id"]]
    detail = client.get(f"{BASE}{created['id']}/").json()
    assert "secret" not in listed["results"][0] and "secret" not in detail
    assert created["secret"] not in client.get(BASE).content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"url": "ftp://example.com/x", "event_types": ["crm.*"]}, "url"),
        ({"url": "file:///etc/passwd", "event_types": ["crm.*"]}, "url"),
        ({"url": "https://example.com/x", "event_types": ["crm.deal.nope"]}, "event_types"),
        ({"url": "https://example.com/x", "event_types": []}, "event_types"),
        ({"url": "https://example.com/x", "event_types": "crm.*"}, "event_types"),
        ({"url": "https://example.com/x"}, "event_types"),
        ({"event_types": ["crm.*"]}, "url"),
        ({"url": "https://example.com/x", "event_types": ["*"], "enabled": "maybe"}, "enabled"),
    ],
)
def test_bad_input_is_a_400_with_field_errors_and_writes_nothing(client, data, field):
    response = client.post(BASE, data, format="json")

    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert field in response.json()["errors"]
    assert not WebhookEndpoint.objects.exists()


def test_update_and_partial_update_validate_too(client, receiver):
    endpoint = create(client, receiver)
    url = f"{BASE}{endpoint['id']}/"

    bad = client.patch(url, {"event_types": ["nope.*"]}, format="json")
    assert bad.status_code == 400 and "event_types" in bad.json()["errors"]
    patched = client.patch(url, {"enabled": False}, format="json")
    assert patched.status_code == 200
    assert (patched.json()["enabled"], patched.json()["event_types"], patched.json()["description"]) == (
        False,
        ["crm.*"],
        "ERP",
    )
    put = client.put(url, {"url": "https://hooks.example.com/t", "event_types": ["projects.*"]}, format="json")
    assert put.status_code == 200
    assert put.json()["url"] == "https://hooks.example.com/t"


def test_rotation_returns_the_new_secret_and_the_overlap(client, receiver):
    endpoint = create(client, receiver)
    old = receiver.secrets[0]

    response = client.post(f"{BASE}{endpoint['id']}/rotate-secret/", {"overlap_hours": 2}, format="json")

    assert response.status_code == 200
    assert response.json()["secret"] not in ("", old)
    assert response.json()["rotating_until"]
    refused = client.post(f"{BASE}{endpoint['id']}/rotate-secret/", {"overlap_hours": 1000}, format="json")
    assert refused.status_code == 400 and "overlap_hours" in refused.json()["errors"]


def test_send_test_then_the_log_shows_the_delivery_with_its_attempt_and_replay_sends_it_again(
    client, receiver, django_capture_on_commit_callbacks
):
    endpoint = create(client, receiver)
    receiver.script((500, {}, b"oops"))

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(f"{BASE}{endpoint['id']}/test/")
    assert sent.status_code == 201
    log = client.get(f"{BASE}{endpoint['id']}/deliveries/").json()["results"]
    assert [(d["event_name"], d["status"], d["attempts"]) for d in log] == [("webhook.test", "retrying", 1)]
    assert log[0]["attempt_log"][0]["status_code"] == 500
    assert log[0]["attempt_log"][0]["response_excerpt"] == "oops"

    with django_capture_on_commit_callbacks(execute=True):
        replay = client.post(f"{BASE}deliveries/{log[0]['id']}/replay/")
    assert replay.status_code == 201
    assert replay.json()["replay_of"] == log[0]["id"]
    detail = client.get(f"{BASE}deliveries/{replay.json()['id']}/").json()
    assert detail["status"] == "succeeded"
    assert detail["message_id"] != log[0]["message_id"]
    assert [r.message_id for r in receiver.requests] == [log[0]["message_id"], detail["message_id"]]
    assert all(r.verified_with for r in receiver.requests)
    failed_only = client.get(f"{BASE}deliveries/", {"status": "retrying", "endpoint": endpoint["id"]}).json()
    assert [d["id"] for d in failed_only["results"]] == [log[0]["id"]]
    assert client.get(f"{BASE}deliveries/", {"status": "bogus"}).status_code == 400


def test_event_types_list_known_names_and_wildcards(client):
    rows = client.get(f"{BASE}event-types/").json()

    names = {row["name"]: row for row in rows}
    assert names["*"]["wildcard"] is True
    assert names["crm.*"]["wildcard"] is True
    assert names["crm.deal.won"]["wildcard"] is False and names["crm.deal.won"]["label"]
    assert "automation.rule.disabled" in names
    assert not any(name.startswith(("testing.", "record.")) for name in names)


def test_delete(client, receiver):
    endpoint = create(client, receiver)

    assert client.delete(f"{BASE}{endpoint['id']}/").status_code == 204
    assert not WebhookEndpoint.objects.exists()


def test_another_tenants_endpoint_and_deliveries_are_not_found(client, receiver):
    other = make_tenant()
    stranger = access_for(make_member(other, "admin"))
    foreign = services.endpoint_create(access=stranger, url=receiver.url(), event_types=["*"])
    delivery = services.deliveries_for_event(emit("crm.deal.won", tenant=other, payload={}))[0]

    for method, url in [
        ("get", f"{BASE}{foreign.pk}/"),
        ("patch", f"{BASE}{foreign.pk}/"),
        ("delete", f"{BASE}{foreign.pk}/"),
        ("post", f"{BASE}{foreign.pk}/rotate-secret/"),
        ("post", f"{BASE}{foreign.pk}/test/"),
        ("get", f"{BASE}{foreign.pk}/deliveries/"),
        ("get", f"{BASE}deliveries/{delivery.pk}/"),
        ("post", f"{BASE}deliveries/{delivery.pk}/replay/"),
    ]:
        response = getattr(client, method)(url, {}, format="json")
        assert response.status_code == 404, (method, url, response.status_code)
    assert client.get(BASE).json()["results"] == []
    assert client.get(f"{BASE}deliveries/").json()["results"] == []
    assert WebhookDelivery.objects.count() == 1
    assert WebhookEndpoint.objects.get(pk=foreign.pk).secret == foreign.secret  # not rotated


def test_members_without_the_permission_are_refused(tenant, receiver):
    sales = api_client(make_member(tenant, "sales"))

    assert sales.get(BASE).status_code == 403
    assert sales.get(f"{BASE}event-types/").status_code == 403
    assert sales.post(BASE, {"url": receiver.url(), "event_types": ["*"]}, format="json").status_code == 403
    assert not WebhookEndpoint.objects.exists()


def test_the_delivery_log_costs_the_same_queries_for_one_or_many_deliveries(tenant, client, receiver):
    endpoint = create(client, receiver)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{BASE}{endpoint['id']}/deliveries/").status_code == 200
            assert client.get(f"{BASE}deliveries/").status_code == 200
        return len(queries)

    services.deliveries_for_event(emit("crm.deal.won", tenant=tenant, payload={}))
    one = count()
    for n in range(5):
        for delivery in services.deliveries_for_event(emit("crm.deal.lost", tenant=tenant, payload={"n": n})):
            services.delivery_send(delivery.pk)
    assert WebhookDelivery.objects.filter(status=DeliveryStatus.SUCCEEDED).count() == 5
    assert count() == one
