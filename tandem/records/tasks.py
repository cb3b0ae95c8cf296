"""Background work of the shared record features: the nightly recycle-bin purge."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from tandem.records.services.recycle_bin import recycle_bin_purge_expired


@db_periodic_task(crontab(minute="17", hour="3"))
def purge_recycle_bin_task() -> None:
    recycle_bin_purge_expired()
