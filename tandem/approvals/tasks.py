"""Background work of the approvals app: the mail to the people a node was handed to."""

from huey.contrib.djhuey import db_task


@db_task(retries=3, retry_delay=60)
def assignment_mail_task(event_id: str) -> None:
    from tandem.approvals.services.notices import send_assignment_mail

    send_assignment_mail(event_id)
