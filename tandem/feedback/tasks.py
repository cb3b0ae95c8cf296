"""Background work of the feedback app: the service SLA sweep, the surveys' reminder and expiry, mailing a
survey, sending a bulk batch, and the account health score (one account when an input changed, a tenant when its
weights changed, everyone nightly)."""

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task


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


@db_task(retries=2, retry_delay=30)
def health_recompute_task(tenant_id: int, account_id: int | None = None, contract_id: int | None = None) -> None:
    from tandem.feedback.services.health import health_recompute

    health_recompute(tenant_id=tenant_id, account_id=account_id, contract_id=contract_id)


@db_task()
def health_recompute_tenant_task(tenant_id: int) -> None:
    from tandem.feedback.services.health import health_recompute_tenant

    health_recompute_tenant(tenant_id=tenant_id)


@db_periodic_task(crontab(minute="40", hour="2"))
def health_nightly_task() -> None:
    """At night: days since the last follow-up, overdue periods and lateness grow without any write."""
    from tandem.feedback.services.health import health_recompute_all

    health_recompute_all()


# A mail server that is down or says "try later" gets MAIL_RETRIES more attempts. Immediate mode (tests,
# HUEY_IMMEDIATE=1) has no scheduler to come back later, so there the attempts follow one another at once.
MAIL_RETRIES = 3
MAIL_RETRY_DELAY = 0 if HUEY.immediate else 120
MAIL_PRIORITY = 10


def mail_priority() -> int | None:
    """A customer's email goes before the events' dispatch queued behind it: during a bulk send the worker would
    otherwise work through thousands of "survey sent" dispatches before the mail. The plain Redis queue keeps no
    priorities (huey.PriorityRedisHuey does), so there the mail takes its turn. Asked of the queue in use when the
    mail is queued, not when this module was imported."""
    return MAIL_PRIORITY if HUEY.storage.priority else None


@db_task(retries=MAIL_RETRIES, retry_delay=MAIL_RETRY_DELAY, retry_backoff=2, context=True)
def survey_deliver_task(survey_id: int, task=None) -> None:
    """Mail one sent survey's link; the last attempt marks the survey failed with the server's answer."""
    from tandem.feedback.services.surveys import survey_deliver

    survey_deliver(survey_id=survey_id, final=task is None or not task.retries)


@db_task()
def surveys_deliver_task(survey_ids: list[int]) -> None:
    """Mail a chunk of a batch's surveys over one connection; those put off are retried one by one."""
    from tandem.feedback.services.surveys import surveys_deliver

    surveys_deliver(survey_ids=survey_ids)


@db_task()
def survey_batch_run_task(batch_id: int) -> None:
    """Send a bulk batch's surveys, counting as it goes."""
    from tandem.feedback.services.batches import survey_batch_run

    survey_batch_run(batch_id=batch_id)
