"""Background work of the crm app: the daily pool recall sweep (with its reminders), overdue-lead notices and
the morning follow-up, task, payment and contract reminders."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="30", hour="1"))
def recall_sweep_task() -> None:
    """Recall accounts whose pool rules ran out and remind owners K days before (idempotent, daily)."""
    from tandem.crm.services.pool_recall import recall_sweep

    recall_sweep()


@db_periodic_task(crontab(minute="*/15"))
def overdue_leads_task() -> None:
    """Tell owners, once per lead, that a new lead passed its first-response deadline."""
    from tandem.crm.services.sla import overdue_leads_notify

    overdue_leads_notify()


@db_periodic_task(crontab(minute="0", hour="8"))
def crm_reminders_task() -> None:
    """Morning: lift expired risk flags, then remind of next-contact dates, tasks due, payment periods coming due
    or overdue and contracts ending."""
    from tandem.crm.services.accounts import account_risk_flags_expire
    from tandem.crm.services.reminders import crm_reminders_send

    account_risk_flags_expire()
    crm_reminders_send()
