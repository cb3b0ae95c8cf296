"""Deleting a webhook endpoint while one of its deliveries is being recorded or sent (PostgreSQL, two
threads): the delete wins cleanly, the delivery's attempt goes with it, and nobody sees a server error."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from tandem.automation.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from tandem.automation.webhooks import net, services
from tandem.testing.kit import access_for, api_client

BASE = "/api/v1/automation/webhooks/"


@pytest.fixture
def endpoint(settings, admin_member):
    settings.TANDEM_WEBHOOK_ALLOW_PRIVATE = True
    return services.endpoint_create(
        access=access_for(admin_member), url="http://127.0.0.1:9/hooks", event_types=["crm.*"]
    )


def in_threads(holder, other) -> list[BaseException]:
    """Run `holder(ready, go)` (it signals `ready` while holding its transaction open, and waits for `go`) and,
    once it is ready, `other()`; `go` is given after `other` had a second to run into the holder's locks."""
    ready, go = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def run(target, *args):
        try:
            target(*args)
        except BaseException as exc:  # surfaced by the test: an exception in a thread would otherwise vanish
            errors.append(exc)
        finally:
            connection.close()

    first = threading.Thread(target=run, args=(holder, ready, go))
    first.start()
    assert ready.wait(timeout=30)
    second = threading.Thread(target=run, args=(other,))
    second.start()
    time.sleep(1)
    go.set()
    first.join(timeout=60)
    second.join(timeout=60)
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_deleting_an_endpoint_while_its_test_delivery_is_recorded(admin_member, endpoint):
    delivery = services.endpoint_send_test(access=access_for(admin_member), endpoint=endpoint)
    client = api_client(admin_member)
    client.raise_request_exception = False
    assert client.get(BASE).status_code == 200  # warmed up: the racing request reaches the database at once
    answers = []

    def record(ready, go):
        with transaction.atomic():
            now = timezone.now()
            services._record(delivery, 1, net.Refused("no answer"), None, started=now, finished=now)
            ready.set()
            go.wait(timeout=30)

    errors = in_threads(record, lambda: answers.append(client.delete(f"{BASE}{endpoint.pk}/")))

    assert errors == []
    assert [a.status_code for a in answers] == [204], [a.content for a in answers]
    assert not WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
    assert not WebhookDelivery.objects.exists() and not WebhookAttempt.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_sending_a_test_event_to_an_endpoint_being_deleted_is_not_found(admin_member, endpoint):
    access = access_for(admin_member)
    client = api_client(admin_member)
    client.raise_request_exception = False
    assert client.get(BASE).status_code == 200  # warmed up: the racing request reaches the database at once
    answers = []

    def delete(ready, go):
        with transaction.atomic():
            services.endpoint_delete(access=access, endpoint=endpoint)
            ready.set()
            go.wait(timeout=30)

    errors = in_threads(delete, lambda: answers.append(client.post(f"{BASE}{endpoint.pk}/test/")))

    assert errors == []
    assert [a.status_code for a in answers] == [404], [a.content for a in answers]
    assert not WebhookEndpoint.objects.exists() and not WebhookDelivery.objects.exists()
