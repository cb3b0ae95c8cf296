"""Background work of automation: rule runs, time triggers, webhook deliveries, channel messages."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from tandem.automation.engine import runner, schedules
from tandem.automation.webhooks import tasks as webhook_tasks  # noqa: F401  (the consumer imports app tasks only)


@db_task()
def execute_run_task(run_id: int) -> None:
    runner.execute(run_id)


@db_periodic_task(crontab(minute="*"))
def time_triggers_task() -> None:
    schedules.scan_time_triggers()


@db_periodic_task(crontab(minute="*"))
def resume_runs_task() -> None:
    runner.resume_due()
