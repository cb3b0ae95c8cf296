"""The transactional outbox: emit only on commit, dispatch once per handler, failures retried by the sweep."""

import json
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from tandem.core import events
from tandem.core.events import dispatch, emit, sweep
from tandem.core.models import EventHandling, OutboxEvent
from tandem.testing.handlers import record_effect
from tandem.testing.models import HandlerEffect

SAMPLE = "testing.sample.happened"
SAMPLE_HANDLER = f"{record_effect.__module__}.{record_effect.__qualname__}"


class Boom(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_event_of_a_rolled_back_transaction_is_never_dispatched(tenant):
    with pytest.raises(Boom), transaction.atomic():
        emit(SAMPLE, tenant=tenant, payload={"n": 1})
        raise Boom

    assert not OutboxEvent.objects.exists()
    assert not HandlerEffect.objects.exists()
    assert not EventHandling.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_event_of_a_committed_transaction_is_handled_once_after_commit(tenant):
    with transaction.atomic():
        event = emit(SAMPLE, tenant=tenant, payload={"n": 1})
        # Inside the transaction nothing has run yet: handlers see only committed changes.
        assert not HandlerEffect.objects.exists()

    assert list(HandlerEffect.objects.values_list("event_id", flat=True)) == [event.pk]
    event.refresh_from_db()
    assert event.dispatched_at is not None
    assert event.attempts == 1
    assert event.last_error == ""
    assert list(event.handlings.filter(handler__startswith="tandem.testing").values_list("handler", flat=True)) == [
        SAMPLE_HANDLER
    ]


def test_dispatch_is_requested_only_on_commit(tenant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            event = emit(SAMPLE, tenant=tenant, payload={})
        with pytest.raises(Boom), transaction.atomic():
            emit(SAMPLE, tenant=tenant, payload={})
            raise Boom
        assert not HandlerEffect.objects.exists()
    # One dispatch requested: the rolled-back block's request was discarded with it.
    assert len(callbacks) == 1
    assert list(HandlerEffect.objects.values_list("event_id", flat=True)) == [event.pk]


def test_dispatching_twice_applies_the_effect_once(tenant):
    event = emit(SAMPLE, tenant=tenant, payload={})

    assert dispatch(event.pk) is True
    assert dispatch(event.pk) is True
    assert HandlerEffect.objects.filter(event_id=event.pk).count() == 1

    # A worker killed after the handler committed but before the event was marked done:
    # the next dispatch finds the EventHandling row and skips the handler.
    OutboxEvent.objects.filter(pk=event.pk).update(dispatched_at=None)
    assert dispatch(event.pk) is True
    assert HandlerEffect.objects.filter(event_id=event.pk).count() == 1
    assert EventHandling.objects.filter(event=event, handler=SAMPLE_HANDLER).count() == 1
    event.refresh_from_db()
    assert event.dispatched_at is not None


def test_dispatch_of_an_unknown_event_is_a_no_op(db):
    assert dispatch(uuid.uuid4()) is True


@pytest.fixture
def flaky_handlers(monkeypatch):
    """Two handlers on their own event name: one fails while `state["fail"]` is set, one records its effect."""
    name = "testing.flaky.happened"
    monkeypatch.setitem(events._handlers, name, [])
    state = {"fail": True, "calls": 0}

    @events.on(name)
    def flaky(event):
        state["calls"] += 1
        HandlerEffect.objects.create(event_id=event.pk, note="flaky")
        if state["fail"]:
            raise RuntimeError("printer on fire")

    @events.on(name)
    def steady(event):
        HandlerEffect.objects.create(event_id=event.pk, note="steady")

    return name, state


def test_failing_handler_leaves_event_pending_and_other_handlers_run(tenant, flaky_handlers):
    name, state = flaky_handlers
    event = emit(name, tenant=tenant, payload={})

    assert dispatch(event.pk) is False

    event.refresh_from_db()
    assert event.dispatched_at is None
    assert event.attempts == 1
    assert "flaky" in event.last_error and "printer on fire" in event.last_error
    # The failed handler's own writes were rolled back with it; the other handler's effect stands.
    assert list(HandlerEffect.objects.filter(event_id=event.pk).values_list("note", flat=True)) == ["steady"]
    handled = EventHandling.objects.filter(event=event, handler__startswith="tandem.core.tests")
    assert [h.split(".")[-1] for h in handled.values_list("handler", flat=True)] == ["steady"]

    # Once the cause is fixed, the sweep retries only the handler that failed.
    state["fail"] = False
    OutboxEvent.objects.filter(pk=event.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    assert sweep() == 1
    event.refresh_from_db()
    assert event.dispatched_at is not None
    assert event.attempts == 2
    assert sorted(HandlerEffect.objects.filter(event_id=event.pk).values_list("note", flat=True)) == [
        "flaky",
        "steady",
    ]
    assert state["calls"] == 2


def test_sweep_picks_up_pending_events_old_enough_and_not_given_up(tenant):
    long_ago = timezone.now() - timedelta(minutes=5)
    stranded = emit(SAMPLE, tenant=tenant, payload={"which": "stranded"})
    fresh = emit(SAMPLE, tenant=tenant, payload={"which": "fresh"})
    given_up = emit(SAMPLE, tenant=tenant, payload={"which": "given up"})
    done = emit(SAMPLE, tenant=tenant, payload={"which": "done"})
    OutboxEvent.objects.filter(pk__in=[stranded.pk, given_up.pk, done.pk]).update(created_at=long_ago)
    OutboxEvent.objects.filter(pk=given_up.pk).update(attempts=20)
    OutboxEvent.objects.filter(pk=done.pk).update(dispatched_at=long_ago)

    assert sweep() == 1

    assert list(HandlerEffect.objects.values_list("event_id", flat=True)) == [stranded.pk]
    assert OutboxEvent.objects.get(pk=stranded.pk).dispatched_at is not None
    assert OutboxEvent.objects.get(pk=fresh.pk).dispatched_at is None
    # With no age limit (the worker's start-up sweep) the fresh one goes too.
    assert sweep(older_than=timedelta(0)) == 1
    assert set(HandlerEffect.objects.values_list("event_id", flat=True)) == {stranded.pk, fresh.pk}


def test_event_chain_stops_past_max_depth(tenant):
    event = emit(SAMPLE, tenant=tenant, payload={}, depth=events.MAX_DEPTH + 1)
    dispatch(event.pk)
    assert not HandlerEffect.objects.exists()
    assert OutboxEvent.objects.get(pk=event.pk).dispatched_at is not None


def test_payload_is_json_safe_and_round_trips(tenant):
    payload = {
        "signed_on": date(2026, 11, 27),
        "at": timezone.make_aware(datetime(2026, 11, 27, 9, 30)),
        "amount": Decimal("12800.50"),
        "ref": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "lines": [{"qty": Decimal("2"), "name": "石膏板"}],
    }
    event = emit(SAMPLE, tenant=tenant, payload=payload)

    stored = OutboxEvent.objects.get(pk=event.pk).payload
    assert stored == {
        "signed_on": "2026-11-27",
        "at": "2026-11-27T09:30:00+08:00",
        "amount": "12800.50",
        "ref": "12345678-1234-5678-1234-567812345678",
        "lines": [{"qty": "2", "name": "石膏板"}],
    }
    assert event.payload == stored
    assert json.loads(json.dumps(stored)) == stored
    assert Decimal(stored["amount"]) == payload["amount"]
    assert date.fromisoformat(stored["signed_on"]) == payload["signed_on"]


def test_payload_that_is_not_json_refuses_and_writes_nothing(tenant):
    with pytest.raises(TypeError):
        emit(SAMPLE, tenant=tenant, payload={"tags": {"a", "b"}})
    assert not OutboxEvent.objects.exists()
