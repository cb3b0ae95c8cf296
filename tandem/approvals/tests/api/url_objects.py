"""Objects for the generic permission test: the approvals API endpoints with parameters, filled with a colleague's
flow, approval or task (the seeds of the pages' `tests/url_objects.py`)."""

from tandem.approvals.tests.url_objects import seed_flow, seed_task
from tandem.testing.permissions import colleague, url_objects


@url_objects(
    "api:approvaltask-detail",
    "api:approvaltask-approve",
    "api:approvaltask-reject",
    "api:approvaltask-transfer",
    "api:approvaltask-send-back",
    "api:approvaltask-add-approver",
    "api:approvaltask-read",
)
def api_task(tenant):
    return {"pk": seed_task(tenant).pk}


@url_objects("api:approval-detail", "api:approval-withdraw", "api:approval-void")
def api_approval(tenant):
    return {"pk": seed_task(tenant).approval_id}


@url_objects("api:approvalflow-detail")
def api_flow(tenant):
    return {"pk": seed_flow(tenant, approver_ids=[colleague(tenant).user.pk]).pk}
