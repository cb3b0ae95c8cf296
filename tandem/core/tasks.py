"""Background work owned by core: event dispatch, the outbox sweep, recycle-bin purge."""

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


@db_periodic_task(crontab(minute="17", hour="3"))
def purge_recycle_bin_task() -> None:
    from tandem.core.services.records import recycle_bin_purge_expired

    recycle_bin_purge_expired()


@on_startup()
def sweep_outbox_on_start() -> None:
    """A restarted worker first finishes what a killed one left pending."""
    events.sweep(older_than=timedelta(0))
