"""Models of the approvals app: flows and their versions, approvals, their tasks and steps."""

from tandem.approvals.models.approvals import Approval, ApprovalStep, ApprovalTask
from tandem.approvals.models.flows import Flow, FlowVersion

__all__ = ["Approval", "ApprovalStep", "ApprovalTask", "Flow", "FlowVersion"]
