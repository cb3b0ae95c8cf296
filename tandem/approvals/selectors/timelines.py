"""How an approval step reads in a record's timeline ("提交审批 · 部门经理 · 同意")."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tandem.approvals.choices import ApprovalStatus, StepAction


def step_note(after: dict) -> str:
    """The line of an audit row an approval step wrote on the record; "" for other rows."""
    action = (after or {}).get("approval_step")
    if not action:
        return ""
    if action == StepAction.COMPLETE:
        label = (
            _("Approval passed") if after.get("approval_status") == ApprovalStatus.APPROVED else _("Approval rejected")
        )
    else:
        label = str(dict(StepAction.choices).get(action, action))
    parts = [label, after.get("approval_node", ""), after.get("approval_comment", "")]
    return " · ".join(p for p in parts if p)
