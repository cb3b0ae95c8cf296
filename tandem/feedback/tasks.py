"""Background work of the feedback app: the service SLA sweep, the surveys' reminder and expiry, and the account
health score (one account when an input changed, a tenant when its weights changed, everyone nightly)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


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
