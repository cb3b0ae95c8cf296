"""Background work owned by core: event dispatch and the outbox sweep."""

from datetime import timedelta

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, on_startup

from tandem.core import events


@db_task(retries=3, retry_delay=10)
def dispatch_event_task(event_id: str) -> None:
    events.dispatch(event_id)


@db_periodic_task(crontab(minute="*"))
def sweep_outbox_task() -> None:
    events.sweep()


@on_startup()
def sweep_outbox_on_start() -> None:
    """A restarted worker first finishes what a killed one left pending."""
    events.sweep(older_than=timedelta(0))
