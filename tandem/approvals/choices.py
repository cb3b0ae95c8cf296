"""Choices of the approvals app: the states of an approval and its tasks, and the words of a flow definition."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("approval", "Pending")
    APPROVED = "approved", pgettext_lazy("approval", "Approved")
    REJECTED = "rejected", pgettext_lazy("approval", "Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("approval", "Withdrawn")
    VOID = "void", pgettext_lazy("approval", "Void")


# A record with no approval, or whose last one was withdrawn or rejected, is a draft: editable again.
DRAFT = "draft"
DRAFT_LABEL = pgettext_lazy("approval", "Draft")


class TaskStatus(models.TextChoices):
    WAITING = "waiting", pgettext_lazy("approval task", "Waiting")
    PENDING = "pending", pgettext_lazy("approval task", "Pending")
    APPROVED = "approved", pgettext_lazy("approval task", "Approved")
    REJECTED = "rejected", pgettext_lazy("approval task", "Rejected")
    TRANSFERRED = "transferred", pgettext_lazy("approval task", "Transferred")
    SENT_BACK = "sent_back", pgettext_lazy("approval task", "Sent back")
    CANCELLED = "cancelled", pgettext_lazy("approval task", "Cancelled")
    SKIPPED = "skipped", pgettext_lazy("approval task", "Skipped")


class TaskKind(models.TextChoices):
    APPROVE = "approve", pgettext_lazy("approval node", "Approve")
    CC = "cc", pgettext_lazy("approval node", "CC")


class StepAction(models.TextChoices):
    SUBMIT = "submit", _("Submitted for approval")
    RESUBMIT = "resubmit", _("Resubmitted for approval")
    APPROVE = "approve", _("Approved")
    REJECT = "reject", _("Rejected")
    TRANSFER = "transfer", _("Transferred")
    SEND_BACK = "send_back", _("Sent back")
    ADD_APPROVER = "add_approver", _("Added an approver")
    WITHDRAW = "withdraw", _("Withdrawn")
    AUTO_APPROVE = "auto_approve", _("Approved automatically")
    AUTO_REJECT = "auto_reject", _("Rejected automatically")
    CC = "cc", _("CC'd")
    VOID = "void", _("Voided")
    COMPLETE = "complete", _("Approval completed")


class ApproverType(models.TextChoices):
    MEMBERS = "members", _("Named members")
    MANAGER = "manager", _("Manager (N levels up)")
    MANAGER_CHAIN = "manager_chain", _("Managers up to level N, one after another")
    ROLE = "role", _("Role")
    SUBMITTER_CHOICE = "submitter_choice", _("Chosen by the submitter")


class NodeKind(models.TextChoices):
    APPROVE = "approve", pgettext_lazy("approval node", "Approve")
    CC = "cc", pgettext_lazy("approval node", "CC")


class NodeMode(models.TextChoices):
    SEQUENCE = "sequence", _("One after another (依次)")
    ALL = "all", _("All must approve (会签)")
    ANY = "any", _("Any one decides (或签)")


class OnEmpty(models.TextChoices):
    AUTO_APPROVE = "auto_approve", _("Approve automatically")
    AUTO_REJECT = "auto_reject", _("Reject automatically")
    ADMIN = "admin", _("Hand to the administrators")


class OnSelf(models.TextChoices):
    AUTO_APPROVE = "auto_approve", _("Counts as approved")
    APPROVE = "approve", _("The submitter approves")


class Restart(models.TextChoices):
    FIRST = "first", _("From the first node")
    REJECTED = "rejected", _("From the node that rejected")


class OnDeactivated(models.TextChoices):
    SKIP = "skip", _("Skip them")
    ADMIN = "admin", _("Hand to the administrators")


class AddPosition(models.TextChoices):
    BEFORE = "before", _("Before me")
    AFTER = "after", _("After me")
