"""Background work of the resources app: the nightly conflict refresh of every tenant."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="10", hour="5"))
def conflicts_daily_task() -> None:
    """Early each morning: the window moves on by a day, so conflicts come within the warning lead time (and
    are warned) and past ones are resolved, with no write at all."""
    from tandem.resources.services.conflicts import conflicts_refresh_all

    conflicts_refresh_all()
