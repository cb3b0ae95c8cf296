"""Outbound webhooks end to end against a real receiver on 127.0.0.1 that verifies every signature itself."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from tandem.audit.models import AuditEntry
from tandem.automation.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from tandem.automation.tests.webhook_receiver import immediate_tasks_fixture, receiver_fixture  # noqa: F401
from tandem.automation.webhooks import services
from tandem.automation.webhooks.dispatch import create_webhook_deliveries
from tandem.automation.webhooks.events import is_valid_subscription, subscribes_to
from tandem.automation.webhooks.retry import MAX_ATTEMPTS
from tandem.automation.webhooks.tasks import send_due_webhooks_task
from tandem.core.errors import ApplicationError, PermissionDenied
from tandem.core.events import dispatch, emit
from tandem.core.models import OutboxEvent
from tandem.testing.kit import access_for, make_member, make_tenant

DEAL_WON = "crm.deal.won"


@pytest.fixture(autouse=True)
def _private_receivers(settings, immediate_tasks):
    settings.TANDEM_WEBHOOK_ALLOW_PRIVATE = True


@pytest.fixture
def access(admin_member):
    return access_for(admin_member)


def endpoint_for(access, receiver, event_types=("crm.*",), **fields):
    endpoint = services.endpoint_create(access=access, url=receiver.url(), event_types=list(event_types), **fields)
    receiver.secrets = [endpoint.secret]
    return endpoint


def make_due(delivery):
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def one_delivery(access, receiver, tenant, *, name=DEAL_WON, payload=None):
    endpoint_for(access, receiver)
    event = emit(name, tenant=tenant, payload=payload or {"deal_id": 7, "amount": "1280000.00", "name": "华东改造"})
    (delivery,) = services.deliveries_for_event(event)
    return delivery


# --- subscriptions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("patterns", "name", "expected"),
    [
        (["*"], "crm.deal.won", True),
        (["crm.*"], "crm.deal.won", True),
        (["crm.deal.*"], "crm.deal.lost", True),
        (["crm.deal.*"], "crm.account.created", False),
        (["projects.*"], "crm.deal.won", False),
        (["crm.deal.won"], "crm.deal.won", True),
        (["crm.deal.won"], "crm.deal.wonder", False),
        (["*"], "testing.sample.happened", False),
        (["*", "testing.*"], "testing.sample.happened", False),
        (["*"], "record.created", False),
        (["testing.sample.happened"], "testing.sample.happened", True),
    ],
)
def test_subscriptions_match_names_and_wildcards_but_hidden_families_only_by_name(patterns, name, expected):
    assert subscribes_to(patterns, name) is expected


@pytest.mark.parametrize("pattern", ["*", "crm.*", "crm.deal.*", "projects.task.completed", "automation.rule.disabled"])
def test_valid_subscriptions(pattern):
    assert is_valid_subscription(pattern)


@pytest.mark.parametrize("pattern", ["", "crm", "crm.deal.wo", "nope.*", "testing.*", "record.created", "crm.*.won"])
def test_invalid_subscriptions(pattern):
    assert not is_valid_subscription(pattern)


def test_deliveries_go_to_enabled_subscribed_endpoints_of_the_events_tenant_only(tenant, access, receiver):
    crm = endpoint_for(access, receiver, ["crm.*"])
    endpoint_for(access, receiver, ["projects.*"])
    services.endpoint_create(access=access, url=receiver.url(), event_types=["*"], enabled=False)
    other = make_tenant()
    services.endpoint_create(access=access_for(make_member(other, "admin")), url=receiver.url(), event_types=["*"])

    event = emit(DEAL_WON, tenant=tenant, payload={"deal_id": 1})
    deliveries = services.deliveries_for_event(event)

    assert [d.endpoint_id for d in deliveries] == [crm.pk]
    assert deliveries[0].message_id.startswith("msg_")
    assert deliveries[0].created_at == event.created_at
    # A second call for the same event (a repeated dispatch) creates nothing new.
    assert services.deliveries_for_event(event) == deliveries
    assert WebhookDelivery.objects.count() == 1


# --- the outbox path: commit, rollback, repeated dispatch --------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_event_of_a_rolled_back_transaction_delivers_nothing(tenant, access, receiver):
    endpoint_for(access, receiver)

    with pytest.raises(RuntimeError), transaction.atomic():
        emit(DEAL_WON, tenant=tenant, payload={"deal_id": 1})
        raise RuntimeError("rolled back")

    assert not WebhookDelivery.objects.exists()
    assert receiver.requests == []


@pytest.mark.django_db(transaction=True)
def test_a_committed_event_is_delivered_once_signed_even_when_dispatched_twice(tenant, access, receiver):
    endpoint = endpoint_for(access, receiver)

    with transaction.atomic():
        event = emit(DEAL_WON, tenant=tenant, payload={"deal_id": 7, "name": "华东改造"})
        assert receiver.requests == []

    (request,) = receiver.requests
    assert request.verified_with == [endpoint.secret]
    assert request.headers["content-type"] == "application/json"
    body = request.json()
    assert body["type"] == DEAL_WON
    assert body["id"] == str(event.pk)
    assert body["data"] == {"deal_id": 7, "name": "华东改造"}
    assert body["timestamp"] == event.created_at.isoformat()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert delivery.attempts == 1
    assert delivery.next_attempt_at is None
    assert request.message_id == delivery.message_id

    # Dispatched again (a worker killed after the handler committed), and the handler called twice.
    OutboxEvent.objects.filter(pk=event.pk).update(dispatched_at=None)
    dispatch(event.pk)
    create_webhook_deliveries(event)
    create_webhook_deliveries(event)
    send_due_webhooks_task.call_local()

    assert len(receiver.requests) == 1
    assert WebhookDelivery.objects.count() == 1


# --- attempts, retries, failures ---------------------------------------------------------------------


def test_500_then_200_is_retried_and_then_delivered_with_both_attempts_logged(tenant, access, receiver):
    receiver.script((500, {}, b"database down"), 200)
    delivery = one_delivery(access, receiver, tenant)

    before = timezone.now()
    services.delivery_send(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.attempts == 1
    # Attempt 2 waits 5 s, jittered ±10 %.
    assert before + timedelta(seconds=4.4) <= delivery.next_attempt_at <= timezone.now() + timedelta(seconds=5.6)
    # Not due yet: neither the task nor the sweep sends it.
    assert services.delivery_send(delivery.pk) is None
    send_due_webhooks_task.call_local()
    assert len(receiver.requests) == 1

    make_due(delivery)
    send_due_webhooks_task.call_local()

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert delivery.attempts == 2
    assert delivery.next_attempt_at is None
    attempts = list(delivery.attempt_log.order_by("number"))
    assert [(a.number, a.status_code) for a in attempts] == [(1, 500), (2, 200)]
    assert attempts[0].response_excerpt == "database down"
    assert attempts[0].error == "HTTP 500"
    assert attempts[1].error == ""
    assert all(a.duration_ms is not None for a in attempts)
    # Retries keep the webhook-id; both verify.
    assert [r.message_id for r in receiver.requests] == [delivery.message_id] * 2
    assert all(r.verified_with for r in receiver.requests)


def test_retry_after_lengthens_the_wait(tenant, access, receiver):
    receiver.script((503, {"Retry-After": "3600"}, b""))
    delivery = one_delivery(access, receiver, tenant)

    services.delivery_send(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.next_attempt_at >= timezone.now() + timedelta(minutes=59)


@pytest.mark.parametrize(("status", "expected"), [(410, "failed"), (400, "failed"), (301, "failed"), (429, "retrying")])
def test_client_errors_fail_at_once_except_the_retryable_ones(tenant, access, receiver, status, expected):
    receiver.script(status)
    delivery = one_delivery(access, receiver, tenant)

    services.delivery_send(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == expected
    assert (delivery.next_attempt_at is None) is (expected == "failed")
    assert delivery.attempt_log.get().status_code == status


def test_the_last_attempt_of_the_schedule_fails_the_delivery(tenant, access, receiver):
    receiver.script(500)
    delivery = one_delivery(access, receiver, tenant)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(attempts=MAX_ATTEMPTS - 1, status=DeliveryStatus.RETRYING)

    services.delivery_send(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == MAX_ATTEMPTS
    assert delivery.next_attempt_at is None


def test_no_answer_is_logged_and_retried(tenant, access, receiver):
    delivery = one_delivery(access, receiver, tenant)
    WebhookEndpoint.objects.filter(pk=delivery.endpoint_id).update(url="http://127.0.0.1:9/hooks")

    services.delivery_send(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETRYING
    attempt = delivery.attempt_log.get()
    assert attempt.status_code is None
    assert attempt.error == "connection refused"


def test_ssrf_a_private_address_is_refused_logged_and_nothing_is_sent(tenant, access, receiver, settings):
    delivery = one_delivery(access, receiver, tenant)
    settings.TANDEM_WEBHOOK_ALLOW_PRIVATE = False

    services.delivery_send(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.next_attempt_at is None
    attempt = delivery.attempt_log.get()
    assert attempt.status_code is None
    assert attempt.error == "127.0.0.1 is a loopback address"
    assert receiver.requests == []


def test_two_workers_cannot_claim_the_same_attempt(tenant, access, receiver):
    delivery = one_delivery(access, receiver, tenant)

    assert services.delivery_claim(delivery.pk) is True
    assert services.delivery_claim(delivery.pk) is False
    assert services.delivery_send(delivery.pk) is None
    assert receiver.requests == []
    assert services.deliveries_due() == []


def test_a_retry_for_an_endpoint_disabled_meanwhile_fails_without_sending(tenant, access, receiver):
    delivery = one_delivery(access, receiver, tenant)
    services.endpoint_update(access=access, endpoint=delivery.endpoint, enabled=False)

    services.delivery_send(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempt_log.get().error == "the endpoint is disabled"
    assert receiver.requests == []


# --- rotation, replay, test event ---------------------------------------------------------------------


def test_during_the_overlap_both_secrets_verify_and_after_it_only_the_new_one(
    tenant, access, receiver, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(access, receiver)
    old = endpoint.secret

    rotated = services.endpoint_rotate_secret(access=access, endpoint=endpoint, overlap=timedelta(hours=24))

    assert rotated.secret != old and rotated.secret.startswith("whsec_")
    assert rotated.previous_secret == old
    assert rotated.previous_secret_expires_at > timezone.now() + timedelta(hours=23)
    receiver.secrets = [old, rotated.secret]
    with django_capture_on_commit_callbacks(execute=True):
        services.endpoint_send_test(access=access, endpoint=rotated)
    assert receiver.requests[-1].verified_with == [old, rotated.secret]
    assert len(receiver.requests[-1].headers["webhook-signature"].split(" ")) == 2

    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(previous_secret_expires_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        services.endpoint_send_test(access=access, endpoint=rotated)
    assert receiver.requests[-1].verified_with == [rotated.secret]
    # The secrets never reach the audit trail.
    texts = [str(e.before) + str(e.after) for e in AuditEntry.objects.filter(object_type="automation.webhookendpoint")]
    assert texts and not any(old in t or rotated.secret in t for t in texts)


def test_rotation_without_overlap_drops_the_old_secret_at_once(tenant, access, receiver):
    endpoint = endpoint_for(access, receiver)

    rotated = services.endpoint_rotate_secret(access=access, endpoint=endpoint, overlap=timedelta(0))

    assert rotated.previous_secret == ""
    assert [s.value for s in services.signing_secrets(rotated)] == [rotated.secret]


def test_replay_sends_a_new_delivery_with_a_new_message_id(
    tenant, access, receiver, django_capture_on_commit_callbacks
):
    original = one_delivery(access, receiver, tenant)
    services.delivery_send(original.pk)
    original.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        replay = services.delivery_replay(access=access, delivery=original)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.delivery_replay(access=access, delivery=replay)

    first, second, third = receiver.requests
    assert len({first.message_id, second.message_id, third.message_id}) == 3
    assert first.json() == second.json() == third.json()
    assert all(r.verified_with for r in receiver.requests)
    replay.refresh_from_db()
    assert replay.status == DeliveryStatus.SUCCEEDED
    assert replay.replay_of == original and again.replay_of == original
    assert replay.event_id == original.event_id
    original.refresh_from_db()
    assert original.attempts == 1


def test_send_test_reaches_a_disabled_endpoint_whatever_it_subscribes_to(
    tenant, access, receiver, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(access, receiver, ["projects.task.completed"], enabled=False)

    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.endpoint_send_test(access=access, endpoint=endpoint)

    (request,) = receiver.requests
    assert request.json()["type"] == "webhook.test"
    assert request.json()["data"]["endpoint_id"] == endpoint.pk
    assert request.verified_with == [endpoint.secret]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED


# --- input and permissions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"url": "ftp://example.com/hooks"}, "url"),
        ({"url": "http://user:pw@example.com/"}, "url"),
        ({"url": "not a url"}, "url"),
        ({"url": ""}, "url"),
        ({"event_types": []}, "event_types"),
        ({"event_types": ["crm.deal.nope"]}, "event_types"),
        ({"event_types": "crm.*"}, "event_types"),
        ({"event_types": ["testing.sample.happened"]}, "event_types"),
        ({"description": "x" * 201}, "description"),
    ],
)
def test_bad_input_is_refused_with_a_field_error_and_nothing_written(access, fields, error_field):
    data = {"url": "https://hooks.example.com/tandem", "event_types": ["crm.deal.won"], **fields}

    with pytest.raises(ApplicationError) as caught:
        services.endpoint_create(access=access, **data)

    assert error_field in caught.value.errors
    assert not WebhookEndpoint.objects.exists()
    assert not AuditEntry.objects.filter(object_type="automation.webhookendpoint").exists()


def test_update_validates_and_changes_only_the_given_fields(access, receiver):
    endpoint = endpoint_for(access, receiver, ["crm.deal.won", "crm.deal.won"], description="ERP")
    assert endpoint.event_types == ["crm.deal.won"]

    with pytest.raises(ApplicationError):
        services.endpoint_update(access=access, endpoint=endpoint, url="javascript:alert(1)")
    endpoint.refresh_from_db()
    services.endpoint_update(access=access, endpoint=endpoint, event_types=["projects.*"])

    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.description, endpoint.event_types) == (receiver.url(), "ERP", ["projects.*"])


def test_members_without_the_permission_and_other_tenants_are_refused(tenant, access, receiver):
    endpoint = endpoint_for(access, receiver)
    sales = access_for(make_member(tenant, "sales"))
    stranger = access_for(make_member(make_tenant(), "admin"))

    with pytest.raises(PermissionDenied):
        services.endpoint_create(access=sales, url=receiver.url(), event_types=["*"])
    with pytest.raises(PermissionDenied):
        services.endpoint_rotate_secret(access=sales, endpoint=endpoint)
    for call in (services.endpoint_rotate_secret, services.endpoint_send_test, services.endpoint_delete):
        with pytest.raises(ApplicationError) as caught:
            call(access=stranger, endpoint=endpoint)
        assert caught.value.status == 404


def test_delete_removes_the_endpoint_and_its_log(tenant, access, receiver):
    delivery = one_delivery(access, receiver, tenant)
    services.delivery_send(delivery.pk)

    services.endpoint_delete(access=access, endpoint=delivery.endpoint)

    assert not WebhookEndpoint.objects.exists()
    assert not WebhookDelivery.objects.exists()
    assert not WebhookAttempt.objects.exists()


def test_a_delivery_whose_endpoint_was_deleted_meanwhile_is_dropped_quietly(tenant, access, receiver):
    delivery = one_delivery(access, receiver, tenant)
    assert services.delivery_claim(delivery.pk)
    services.endpoint_delete(access=access, endpoint=delivery.endpoint)

    assert services.delivery_attempt(delivery.pk) is None
    assert services.delivery_send(delivery.pk) is None
    assert receiver.requests == []
