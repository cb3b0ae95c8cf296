"""Writes of the approvals app: flows (`services.flows`) and approvals (`services.approvals`)."""

from tandem.approvals.services.approvals import (
    approval_add_approver,
    approval_approve,
    approval_bulk_approve,
    approval_reject,
    approval_send_back,
    approval_submit,
    approval_transfer,
    approval_void,
    approval_withdraw,
    task_mark_read,
)
from tandem.approvals.services.flows import flow_create, flow_delete, flow_update

__all__ = [
    "approval_add_approver",
    "approval_approve",
    "approval_bulk_approve",
    "approval_reject",
    "approval_send_back",
    "approval_submit",
    "approval_transfer",
    "approval_void",
    "approval_withdraw",
    "flow_create",
    "flow_delete",
    "flow_update",
    "task_mark_read",
]
