"""Background work of the feedback app: the one reminder of unanswered surveys, and closing expired links."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="0", hour="10"))
def survey_reminders_task() -> None:
    """Mid-morning (when people read mail): remind once, then mark the surveys whose link ran out as expired."""
    from tandem.feedback.services.surveys import surveys_expire, surveys_remind

    surveys_expire()
    surveys_remind()
