"""Approvals and tasks as people see them: the state of a record, my to-dos, the history of an approval."""

from __future__ import annotations

from django.db.models import Count, Q

from tandem.approvals.choices import DRAFT, ApprovalStatus, TaskKind, TaskStatus
from tandem.approvals.models import Approval, ApprovalStep, ApprovalTask
from tandem.core.permissions import type_key

BOXES = ("todo", "done", "cc", "submitted")
DONE_STATUSES = (TaskStatus.APPROVED, TaskStatus.REJECTED, TaskStatus.TRANSFERRED, TaskStatus.SENT_BACK)


def approval_for(*, tenant_id: int, object_type: str, object_id) -> Approval | None:
    """The latest approval of a record, or None."""
    return (
        Approval.objects.filter(tenant_id=tenant_id, object_type=object_type, object_id=str(object_id))
        .select_related("submitter", "flow_version__flow")
        .order_by("-submitted_at", "-pk")
        .first()
    )


def approval_state(obj) -> str:
    """The record's approval status, or "draft" when none runs (none yet, or the last was withdrawn/rejected)."""
    approval = approval_for(tenant_id=obj.tenant_id, object_type=type_key(type(obj)), object_id=obj.pk)
    if approval is None or approval.status in (ApprovalStatus.WITHDRAWN, ApprovalStatus.REJECTED):
        return DRAFT
    return approval.status


def approvals_visible(access):
    """The approvals the caller may read: theirs, those they act on or are CC'd on, and those of the people
    `view_approval`'s data scope reaches."""
    qs = Approval.objects.filter(tenant_id=access.tenant_id)
    reach = Q(submitter_id=access.user_id) | Q(
        pk__in=ApprovalTask.objects.filter(tenant_id=access.tenant_id, assignee_id=access.user_id).values("approval_id")
    )
    scope = access.scope_for("approvals.view_approval")
    if scope is not None:
        owners = access.visible_owner_ids(scope)
        if owners is None:
            return qs
        reach |= Q(submitter_id__in=owners)
    return qs.filter(reach)


def _filtered(qs, filters: dict | None, prefix: str):
    filters = filters or {}
    if filters.get("object_type"):
        qs = qs.filter(**{f"{prefix}object_type": filters["object_type"]})
    if filters.get("submitter"):
        qs = qs.filter(**{f"{prefix}submitter_id": filters["submitter"]})
    if filters.get("date_from"):
        qs = qs.filter(**{f"{prefix}submitted_at__date__gte": filters["date_from"]})
    if filters.get("date_to"):
        qs = qs.filter(**{f"{prefix}submitted_at__date__lte": filters["date_to"]})
    return qs


def my_tasks(*, access, box: str = "todo", filters: dict | None = None):
    """The caller's tasks of a box (todo, done, cc: `ApprovalTask` rows) or their submissions (`Approval` rows),
    newest first, with the approval and its submitter joined: one query a page, however long the list."""
    if box == "submitted":
        qs = Approval.objects.filter(tenant_id=access.tenant_id, submitter_id=access.user_id)
        return _filtered(qs, filters, "").select_related("submitter", "flow_version").order_by("-submitted_at", "-pk")
    qs = ApprovalTask.objects.filter(tenant_id=access.tenant_id, assignee_id=access.user_id)
    if box == "todo":
        qs = qs.filter(kind=TaskKind.APPROVE, status=TaskStatus.PENDING).order_by("-created_at", "-pk")
    elif box == "done":
        qs = qs.filter(kind=TaskKind.APPROVE, status__in=DONE_STATUSES).order_by("-acted_at", "-pk")
    elif box == "cc":
        qs = qs.filter(kind=TaskKind.CC).order_by("-created_at", "-pk")
    else:
        return ApprovalTask.objects.none()
    return _filtered(qs, filters, "approval__").select_related(
        "assignee", "approval", "approval__submitter", "approval__flow_version"
    )


def my_counts(*, access) -> dict[str, int]:
    """How many items each box holds (cc_unread: CC'd and not yet opened), in two queries."""
    tasks = ApprovalTask.objects.filter(tenant_id=access.tenant_id, assignee_id=access.user_id).aggregate(
        todo=Count("pk", filter=Q(kind=TaskKind.APPROVE, status=TaskStatus.PENDING)),
        done=Count("pk", filter=Q(kind=TaskKind.APPROVE, status__in=DONE_STATUSES)),
        cc=Count("pk", filter=Q(kind=TaskKind.CC)),
        cc_unread=Count("pk", filter=Q(kind=TaskKind.CC, read_at__isnull=True)),
    )
    submitted = Approval.objects.filter(tenant_id=access.tenant_id, submitter_id=access.user_id).count()
    return {**tasks, "submitted": submitted}


def approval_history(approval: Approval):
    """The steps of an approval, oldest first, with their actors."""
    return ApprovalStep.objects.filter(tenant_id=approval.tenant_id, approval=approval).select_related("actor")


def node_tasks(approval: Approval):
    """Every task of the approval with its assignee, in round and node order (the UI groups them by node)."""
    return (
        ApprovalTask.objects.filter(tenant_id=approval.tenant_id, approval=approval)
        .select_related("assignee", "added_by", "transferred_from")
        .order_by("round", "visit", "created_at", "order", "pk")
    )


def open_task_for(approval: Approval, user_id: int) -> ApprovalTask | None:
    """The caller's pending approval task on this approval, if any (what the record page offers to act on)."""
    return (
        ApprovalTask.objects.filter(
            tenant_id=approval.tenant_id,
            approval=approval,
            assignee_id=user_id,
            kind=TaskKind.APPROVE,
            status=TaskStatus.PENDING,
        )
        .order_by("pk")
        .first()
    )
