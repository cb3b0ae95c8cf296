"""Background work of outbound webhooks: send one delivery, and every minute the retries that are due."""

import time

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from tandem.automation.webhooks import services

# A sweep stops taking new deliveries after this long, so it ends before the next one starts.
SWEEP_BUDGET_SECONDS = 50


@db_task()
def deliver_webhook_task(delivery_id: int) -> None:
    """One attempt of a delivery, if it is still due and no other worker took it."""
    services.delivery_send(delivery_id)


@db_periodic_task(crontab(minute="*"))
def send_due_webhooks_task() -> None:
    """Attempt the deliveries whose retry time has come (and any the on-commit task missed)."""
    deadline = time.monotonic() + SWEEP_BUDGET_SECONDS
    for delivery_id in services.deliveries_due():
        if time.monotonic() > deadline:
            break
        services.delivery_send(delivery_id)
