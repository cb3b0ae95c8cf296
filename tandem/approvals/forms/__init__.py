"""Forms of the approval pages: they parse input; the services check who may act and what is allowed."""

from tandem.approvals.forms.flows import FlowForm
from tandem.approvals.forms.tasks import (
    AddApproverForm,
    BulkApproveForm,
    DecisionForm,
    InboxFilterForm,
    SendBackForm,
    SubmitForm,
    TransferForm,
    VoidForm,
    WithdrawForm,
)

__all__ = [
    "AddApproverForm",
    "BulkApproveForm",
    "DecisionForm",
    "FlowForm",
    "InboxFilterForm",
    "SendBackForm",
    "SubmitForm",
    "TransferForm",
    "VoidForm",
    "WithdrawForm",
]
