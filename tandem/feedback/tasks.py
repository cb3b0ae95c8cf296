"""Background work of the feedback app: the service SLA sweep, and the surveys' reminder and expiry."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*/15"))
def overdue_requests_task() -> None:
    """Tell assignees, once per request and deadline, that a service request missed its SLA."""
    from tandem.feedback.services.overdue import overdue_requests_notify

    overdue_requests_notify()


@db_periodic_task(crontab(minute="0", hour="10"))
def survey_reminders_task() -> None:
    """Mid-morning (when people read mail): remind once, then mark the surveys whose link ran out as expired."""
    from tandem.feedback.services.surveys import surveys_expire, surveys_remind

    surveys_expire()
    surveys_remind()
