"""Names of the domain events the approvals app emits (payloads are JSON-safe dicts of ids and values).

Approval events carry: approval_id, object_type, object_id, title, url, status, round, submitter_id,
submitter_name, flow_id, flow_version, branch_key, and the deciding comment when there is one.
`task.assigned` (one event each time a node is reached or tasks are added or transferred, IM cards push from
it) carries: approval_id, node_key, node_name, round, kind ("approve" | "cc"), task_ids, assignee_ids,
object_type, object_id, title, url, summary ([[label, value]] in the tenant's language), submitter_id,
submitter_name.
"""

APPROVAL_SUBMITTED = "approvals.approval.submitted"
APPROVAL_APPROVED = "approvals.approval.approved"
APPROVAL_REJECTED = "approvals.approval.rejected"
APPROVAL_WITHDRAWN = "approvals.approval.withdrawn"
APPROVAL_VOIDED = "approvals.approval.voided"
TASK_ASSIGNED = "approvals.task.assigned"

ALL = (APPROVAL_SUBMITTED, APPROVAL_APPROVED, APPROVAL_REJECTED, APPROVAL_WITHDRAWN, APPROVAL_VOIDED, TASK_ASSIGNED)
