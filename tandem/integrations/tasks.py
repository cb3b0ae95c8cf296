"""Background work of imports: checking rows and committing them. Tasks take ids and call services."""

from huey.contrib.djhuey import db_task

from tandem.integrations.services import commit, validation


@db_task()
def import_validate_task(job_id: int) -> None:
    validation.import_validate(job_id=job_id)


@db_task()
def import_commit_task(job_id: int) -> None:
    commit.import_commit(job_id=job_id)
