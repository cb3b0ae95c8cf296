"""Reads of the approvals app, already tenant- and permission-scoped."""

from tandem.approvals.selectors.approvals import (
    approval_for,
    approval_history,
    approval_state,
    approvals_visible,
    my_counts,
    my_tasks,
    node_tasks,
    open_task_for,
)
from tandem.approvals.selectors.flows import active_flow, flow_list
from tandem.approvals.selectors.org import org_for
from tandem.approvals.selectors.timelines import step_note

__all__ = [
    "active_flow",
    "approval_for",
    "approval_history",
    "approval_state",
    "approvals_visible",
    "flow_list",
    "my_counts",
    "my_tasks",
    "node_tasks",
    "open_task_for",
    "org_for",
    "step_note",
]
