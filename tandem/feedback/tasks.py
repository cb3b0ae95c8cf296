"""Background work of the feedback app: the service SLA sweep."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*/15"))
def overdue_requests_task() -> None:
    """Tell assignees, once per request and deadline, that a service request missed its SLA."""
    from tandem.feedback.services.overdue import overdue_requests_notify

    overdue_requests_notify()
