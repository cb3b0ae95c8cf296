"""Background work of the finance app: the monthly cost snapshots."""

from datetime import timedelta

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="20", hour="1", day="1"))
def cost_snapshots_monthly_task() -> None:
    """On the 1st of each month: every budgeted project's figures at the end of the month just over."""
    from django.utils import timezone

    from tandem.finance.services.snapshots import cost_snapshots_take_all

    last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
    cost_snapshots_take_all(month=last_month)
