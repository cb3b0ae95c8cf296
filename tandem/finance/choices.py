"""Choices of the finance app (the project cost center)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CostType(models.TextChoices):
    LABOR = "labor", _("Labor")
    MATERIAL = "material", _("Material")
    MACHINERY = "machinery", _("Machinery")
    SUBCONTRACT = "subcontract", _("Subcontract")
    MEASURES = "measures", _("Measures")
    OVERHEAD = "overhead", _("Overhead")
    FEES = "fees", _("Statutory fees")
    TAX = "tax", _("Tax")
    OTHER = "other", _("Other")


class BudgetStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("budget", "Draft")
    LOCKED = "locked", pgettext_lazy("budget", "Locked")


class ForecastMethod(models.TextChoices):
    """How a line's forecast to complete is found (Procore's three methods)."""

    AUTOMATIC = "automatic", _("Automatic")
    MANUAL = "manual", _("Manual (quantity × unit price)")
    LUMP_SUM = "lump_sum", _("Lump sum")


class ChangeOrderKind(models.TextChoices):
    PRIME = "prime", _("Prime contract change")  # the customer pays: raises the contract value and the budget
    BUDGET = "budget", _("Budget change")  # internal: more budget, same contract value


class ChangeOrderStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("change order", "Draft")
    PENDING = "pending", pgettext_lazy("change order", "Pending")
    APPROVED = "approved", pgettext_lazy("change order", "Approved")
    REJECTED = "rejected", pgettext_lazy("change order", "Rejected")
    VOID = "void", pgettext_lazy("change order", "Void")


class CommitmentKind(models.TextChoices):
    SUBCONTRACT = "subcontract", _("Subcontract")
    PURCHASE_ORDER = "purchase_order", _("Purchase order")


class CommitmentStatus(models.TextChoices):
    """The statuses of both kinds; `SUBCONTRACT_FLOW` and `PURCHASE_ORDER_FLOW` say which apply to which."""

    DRAFT = "draft", pgettext_lazy("commitment", "Draft")
    OUT_FOR_BID = "out_for_bid", _("Out for bid")
    OUT_FOR_SIGNATURE = "out_for_signature", _("Out for signature")
    SUBMITTED = "submitted", pgettext_lazy("commitment", "Submitted")
    APPROVED = "approved", pgettext_lazy("commitment", "Approved")
    PARTIALLY_RECEIVED = "partially_received", _("Partially received")
    RECEIVED = "received", _("Received")
    COMPLETE = "complete", pgettext_lazy("commitment", "Complete")
    CLOSED = "closed", pgettext_lazy("commitment", "Closed")
    TERMINATED = "terminated", _("Terminated")
    VOID = "void", pgettext_lazy("commitment", "Void")


# The moves each kind allows: status → the statuses it may go to.
SUBCONTRACT_FLOW = {
    CommitmentStatus.DRAFT: (CommitmentStatus.OUT_FOR_BID, CommitmentStatus.OUT_FOR_SIGNATURE, CommitmentStatus.VOID),
    CommitmentStatus.OUT_FOR_BID: (CommitmentStatus.DRAFT, CommitmentStatus.OUT_FOR_SIGNATURE, CommitmentStatus.VOID),
    CommitmentStatus.OUT_FOR_SIGNATURE: (CommitmentStatus.DRAFT, CommitmentStatus.APPROVED, CommitmentStatus.VOID),
    CommitmentStatus.APPROVED: (CommitmentStatus.COMPLETE, CommitmentStatus.TERMINATED),
    CommitmentStatus.COMPLETE: (),
    CommitmentStatus.TERMINATED: (),
    CommitmentStatus.VOID: (),
}
PURCHASE_ORDER_FLOW = {
    CommitmentStatus.DRAFT: (CommitmentStatus.SUBMITTED, CommitmentStatus.VOID),
    CommitmentStatus.SUBMITTED: (CommitmentStatus.DRAFT, CommitmentStatus.APPROVED, CommitmentStatus.VOID),
    CommitmentStatus.APPROVED: (
        CommitmentStatus.PARTIALLY_RECEIVED,
        CommitmentStatus.RECEIVED,
        CommitmentStatus.CLOSED,
    ),
    CommitmentStatus.PARTIALLY_RECEIVED: (CommitmentStatus.RECEIVED, CommitmentStatus.CLOSED),
    CommitmentStatus.RECEIVED: (CommitmentStatus.CLOSED,),
    CommitmentStatus.CLOSED: (),
    CommitmentStatus.VOID: (),
}
FLOWS = {CommitmentKind.SUBCONTRACT: SUBCONTRACT_FLOW, CommitmentKind.PURCHASE_ORDER: PURCHASE_ORDER_FLOW}
# Which statuses count in the budget view's "committed" and "pending cost" columns.
COMMITTED_STATUSES = (
    CommitmentStatus.APPROVED,
    CommitmentStatus.COMPLETE,
    CommitmentStatus.TERMINATED,
    CommitmentStatus.PARTIALLY_RECEIVED,
    CommitmentStatus.RECEIVED,
    CommitmentStatus.CLOSED,
)
PENDING_COST_STATUSES = (CommitmentStatus.OUT_FOR_SIGNATURE, CommitmentStatus.SUBMITTED)
# Statuses in which a commitment's lines may still be edited.
EDITABLE_COMMITMENT_STATUSES = (CommitmentStatus.DRAFT, CommitmentStatus.OUT_FOR_BID)


class CostKind(models.TextChoices):
    """Where an actual cost comes from: a direct cost, an invoice against a commitment, or day-work labor."""

    EXPENSE = "expense", _("Expense")
    SUPPLIER_INVOICE = "supplier_invoice", _("Supplier invoice")
    COMMITMENT_INVOICE = "commitment_invoice", _("Commitment invoice")
    LABOR = "labor", _("Day-work labor")


# Direct costs (the budget view's "direct" column) are the ones outside any commitment.
DIRECT_COST_KINDS = (CostKind.EXPENSE, CostKind.SUPPLIER_INVOICE, CostKind.LABOR)


class CostAlertKind(models.TextChoices):
    LINE_OVER_BUDGET = "line_over_budget", _("Budget line over budget")
    MARGIN_LOW = "margin_low", _("Margin below threshold")
    CPI_LOW = "cpi_low", _("Cost performance index low")


class BudgetGroup(models.TextChoices):
    CODE = "code", _("Cost code")
    TYPE = "type", _("Cost type")
