"""The outbox with the real Huey consumer: a worker killed mid-dispatch loses no event and duplicates no effect."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.db import connection
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from tandem.core.events import emit
from tandem.core.models import OutboxEvent
from tandem.testing.models import HandlerEffect
from tandem.testing.worker import REDIS_URL, database_url, start_consumer, stop, wait_for

REPO_ROOT = Path(__file__).resolve().parents[3]
EVENTS = 20

# Emits the events the way a service does: one committed transaction each, so `emit()`'s on-commit
# callback pushes a dispatch task onto the Redis queue named by HUEY_NAME.
EMITTER = """
import json
from django.db import transaction
from tandem.accounts.models import Tenant
from tandem.core.events import emit

tenant = Tenant.objects.get(pk={tenant_id})
ids = []
for n in range({count}):
    with transaction.atomic():
        ids.append(str(emit("testing.sample.happened", tenant=tenant, payload={{"n": n}}).pk))
print(json.dumps(ids))
"""


def test_worker_start_up_hook_sweeps_every_pending_event(tenant):
    """The consumer's on-start hook dispatches pending events however young they are."""
    import tandem.core.tasks  # noqa: F401  (the consumer autoloads every app's tasks module)

    event = emit("testing.sample.happened", tenant=tenant, payload={})
    # Run the hook as registered with Huey, i.e. what every consumer worker calls when it starts.
    HUEY._startup["sweep_outbox_on_start"]()

    assert list(HandlerEffect.objects.values_list("event_id", flat=True)) == [event.pk]
    assert OutboxEvent.objects.get(pk=event.pk).dispatched_at is not None


def test_periodic_sweep_task_dispatches_stranded_events(tenant):
    from tandem.core.tasks import sweep_outbox_task

    event = emit("testing.sample.happened", tenant=tenant, payload={})
    OutboxEvent.objects.filter(pk=event.pk).update(created_at=timezone.now() - timedelta(minutes=2))

    sweep_outbox_task.call_local()

    assert list(HandlerEffect.objects.values_list("event_id", flat=True)) == [event.pk]


def _handler_mid_transaction() -> bool:
    """A consumer's handler has written its effect and is sleeping in a transaction that has 2 s or more to go (a
    margin for a busy machine: the kill must land before that transaction commits)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND state = 'idle in transaction' AND clock_timestamp() - xact_start < interval '1 second'"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_killed_worker_loses_no_event_and_duplicates_no_effect(tenant, tmp_path):
    """Kill the real consumer with SIGKILL mid-handler, restart it: every event's effect exactly once.

    The test process runs Huey in immediate mode, so an `emit()` here would dispatch in-process
    instead of going through Redis. The events are therefore emitted by a short-lived
    `tandem shell` subprocess configured like a web process of the scaled-out deployment
    (RedisHuey, not immediate, same HUEY_NAME, the test database): `emit()`'s own on-commit
    callback enqueues the dispatch tasks, so nothing is hand-built.

    The first consumer handles events slowly (TANDEM_TEST_HANDLER_DELAY=3 keeps each handler's
    transaction open three seconds after its effect row is written) and is SIGKILLed once some
    effects are committed. The tasks it had popped from Redis are gone with it and their handler
    transactions roll back; only the restarted consumer's on-start sweep can finish those events.
    The kill waits until PostgreSQL shows a handler transaction open, so it always lands mid-handler.
    """
    name = f"tandem_crash_{uuid.uuid4().hex[:12]}"
    queue = redis.Redis.from_url(REDIS_URL)
    log = tmp_path / "consumer.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tandem.settings_test",
        "HUEY_IMMEDIATE": "0",
        "REDIS_URL": REDIS_URL,
        "HUEY_NAME": name,
        "DATABASE_URL": database_url(),
        "TANDEM_TEST_HANDLER_DELAY": "3",
    }
    consumer = None
    started = time.monotonic()
    try:
        consumer = start_consumer(env, log)
        emitted = subprocess.run(
            [sys.executable, "-m", "tandem", "shell", "-c", EMITTER.format(tenant_id=tenant.pk, count=EVENTS)],
            env=env,
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        event_ids = {uuid.UUID(i) for i in json.loads(emitted.stdout.strip().splitlines()[-1])}
        assert set(OutboxEvent.objects.values_list("pk", flat=True)) == event_ids
        assert len(event_ids) == EVENTS

        wait_for(
            lambda: HandlerEffect.objects.count() >= 3 and _handler_mid_transaction(),
            timeout=30,
            what="some effects committed and a handler mid-transaction",
            log=log,
        )
        stop(consumer)
        done_before_kill = HandlerEffect.objects.count()
        still_queued = queue.llen(f"huey.redis.{name}")
        assert 0 < done_before_kill < EVENTS
        # Some dispatch tasks were taken off the queue by the killed worker and never finished.
        assert done_before_kill + still_queued < EVENTS

        env.pop("TANDEM_TEST_HANDLER_DELAY")
        consumer = start_consumer(env, log)
        wait_for(
            lambda: (
                not OutboxEvent.objects.filter(dispatched_at__isnull=True).exists()
                and queue.llen(f"huey.redis.{name}") == 0
            ),
            timeout=30,
            what="every event to be dispatched and the queue drained",
            log=log,
        )
        stop(consumer)

        effects = list(HandlerEffect.objects.values_list("event_id", flat=True))
        assert len(effects) == EVENTS, "an effect was duplicated or lost"
        assert set(effects) == event_ids
        assert not OutboxEvent.objects.filter(dispatched_at__isnull=True).exists()
        assert time.monotonic() - started < 60
    finally:
        stop(consumer)
        keys = list(queue.scan_iter(match=f"huey.*{name}*"))
        if keys:
            queue.delete(*keys)
        queue.close()
