"""Approvals of records, the tasks of their approvers and the history of their steps."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.approvals.choices import ApprovalStatus, StepAction, TaskKind, TaskStatus
from tandem.core.models import TenantModel

USER = settings.AUTH_USER_MODEL


class Approval(TenantModel):
    """The approval of one record (`object_type` + `object_id`) on one flow version.

    A resubmission after a withdrawal or a rejection reuses the row with the next `round`; `values` and `title`
    are snapshots taken at submission, so the approvers see what was submitted.
    """

    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=64)
    flow_version = models.ForeignKey(
        "approvals.FlowVersion", on_delete=models.PROTECT, related_name="approvals", verbose_name=_("flow version")
    )
    branch_key = models.CharField(_("branch"), max_length=50)
    status = models.CharField(
        _("status"), max_length=20, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    submitter = models.ForeignKey(
        USER, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("submitter")
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=300)
    current_node = models.CharField(_("current node"), max_length=50, blank=True)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    chosen = models.JSONField(_("chosen approvers"), default=dict, blank=True)
    values = models.JSONField(_("values"), default=dict, blank=True)

    # The data scope of `view_approval` reaches approvals by their submitter.
    owner_field = "submitter"

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "object_type", "object_id"],
                condition=models.Q(status="pending"),
                name="approvals_approval_one_pending_per_record",
            )
        ]
        indexes = [
            models.Index(fields=["tenant", "object_type", "object_id"], name="approvals_approval_object"),
            models.Index(fields=["tenant", "submitter", "status"], name="approvals_approval_submitter"),
        ]

    def __str__(self) -> str:
        return self.title


class ApprovalTask(TenantModel):
    """One person's part in one node of an approval round: a decision to take, or a CC to read."""

    approval = models.ForeignKey(Approval, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("approval"))
    node_key = models.CharField(_("node"), max_length=50)
    node_name = models.CharField(_("node name"), max_length=100)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    order = models.PositiveIntegerField(_("order"), default=0)
    # The how-many-th time the round reached the node: a send back reaches an earlier node again.
    visit = models.PositiveSmallIntegerField(_("visit"), default=1)
    assignee = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+", verbose_name=_("assignee"))
    kind = models.CharField(_("kind"), max_length=10, choices=TaskKind.choices, default=TaskKind.APPROVE)
    status = models.CharField(_("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.PENDING)
    acted_at = models.DateTimeField(_("acted at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    added_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("added by")
    )
    transferred_from = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("transferred from")
    )
    # 加签: the task this one was added to; both must approve for that approver's part of the node to pass.
    added_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="added", verbose_name=_("added to")
    )

    class Meta:
        verbose_name = _("approval task")
        verbose_name_plural = _("approval tasks")
        ordering = ["approval", "round", "pk"]
        indexes = [
            # "My approvals": one index range in the list's order, however many tasks the person has.
            models.Index(
                fields=["tenant", "assignee", "kind", "status", "-created_at", "-id"], name="approvals_task_inbox"
            ),
            models.Index(fields=["approval", "round", "node_key"], name="approvals_task_node"),
        ]

    def __str__(self) -> str:
        return f"{self.node_name}: {self.assignee_id} ({self.status})"


class ApprovalStep(TenantModel):
    """One thing that happened to an approval (submitted, approved by…, sent back…): its history."""

    approval = models.ForeignKey(Approval, on_delete=models.CASCADE, related_name="steps", verbose_name=_("approval"))
    action = models.CharField(_("action"), max_length=20, choices=StepAction.choices)
    actor = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("actor")
    )
    node_key = models.CharField(_("node"), max_length=50, blank=True)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    comment = models.TextField(_("comment"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        ordering = ["approval", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.approval_id} {self.action}"
