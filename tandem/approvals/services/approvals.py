"""Approvals: submit a record, act on a task (approve, reject, transfer, send back, add an approver), withdraw
or void an approval. Every call locks the approval row first, so two approvers acting at once are serialized
and the second hears that the step was already decided."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.approvals import engine, events, registry
from tandem.approvals.choices import AddPosition, ApprovalStatus, ApproverType, StepAction, TaskKind, TaskStatus
from tandem.approvals.definition import branch_of, node_of
from tandem.approvals.models import Approval, ApprovalTask
from tandem.approvals.selectors.flows import active_flow
from tandem.approvals.selectors.org import org_for
from tandem.approvals.services.progress import (
    OPEN,
    Run,
    advance,
    announce,
    approval_event,
    enter,
    finish,
    move_on,
    summary,
)
from tandem.approvals.services.progress import step as write_step
from tandem.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from tandem.core.services import actor_of, check_tenant, require, tenant_of

MAX_ADDED = 20


def _comment(comment: str, *, required: bool = False) -> str:
    comment = (comment or "").strip()
    if required and not comment:
        message = _("Write a comment.")
        raise ApplicationError(message, errors={"comment": [message]})
    if len(comment) > 2000:
        raise ApplicationError(_("At most 2000 characters."), errors={"comment": [_("At most 2000 characters.")]})
    return comment


def _approvable(object_type: str) -> registry.ApprovableType:
    approvable = registry.get(object_type)
    if approvable is None:
        raise ApplicationError(
            _("Records of this type are not approved here."), errors={"object_type": [_("Unknown.")]}
        )
    return approvable


def _lock(access, approval_id: int) -> Approval:
    approval = (
        Approval.objects.select_for_update(of=("self",))
        .select_related("flow_version", "submitter")
        .filter(tenant_id=access.tenant_id, pk=approval_id)
        .first()
    )
    if approval is None:
        raise NotFound(_("Not found."), code="not_found")
    return approval


def _run(access, approval: Approval) -> Run:
    approvable = _approvable(approval.object_type)
    record = approvable.load(approval.tenant_id, approval.object_id)
    if record is None:
        raise NotFound(_("The record of this approval no longer exists."), code="not_found")
    return Run(approval, record, approvable, actor_of(access), tenant_of(access))


def _task_run(access, task: ApprovalTask) -> tuple[Run, ApprovalTask, dict]:
    """Lock the task's approval, then re-read the task: only its assignee acts, and only while it is pending."""
    check_tenant(access, task)
    approval = _lock(access, task.approval_id)
    task = ApprovalTask.objects.get(pk=task.pk)
    if task.assignee_id != access.user_id:
        raise PermissionDenied(_("This approval task is not yours."))
    if task.kind != TaskKind.APPROVE:
        raise ApplicationError(_("A CC is for your information; there is nothing to decide."))
    if task.status != TaskStatus.PENDING or approval.status != ApprovalStatus.PENDING:
        raise Conflict(_("This approval step was already decided."), code="already_decided")
    run = _run(access, approval)
    return run, task, node_of(run.definition, approval.branch_key, task.node_key)


def _chosen(run_nodes: list[dict], chosen, org: engine.Org) -> dict:
    """The approvers the submitter picked for "chosen by the submitter" nodes: active members, as many as asked."""
    chosen = chosen if isinstance(chosen, dict) else {}
    clean, errors = {}, {}
    for node in run_nodes:
        spec = node["approvers"]
        if spec["type"] != ApproverType.SUBMITTER_CHOICE:
            continue
        raw = chosen.get(node["key"]) or []
        try:
            ids = list(dict.fromkeys(int(pk) for pk in raw))
        except (TypeError, ValueError):
            ids = []
        if not ids:
            errors[f"chosen.{node['key']}"] = [_("Choose who approves “%(node)s”.") % {"node": node["name"]}]
        elif any(pk not in org.active for pk in ids):
            errors[f"chosen.{node['key']}"] = [_("Choose active members.")]
        elif spec.get("count") and len(ids) > spec["count"]:
            errors[f"chosen.{node['key']}"] = [_("Choose at most %(n)d.") % {"n": spec["count"]}]
        clean[node["key"]] = ids
    if errors:
        raise ApplicationError(_("Choose the approvers."), errors=errors)
    return clean


@transaction.atomic
def approval_submit(*, access, obj, chosen: dict | None = None, comment: str = "") -> Approval:
    """Submit a record for approval on its type's active flow (or resubmit it after a withdrawal or rejection)."""
    require(access, "approvals.add_approval")
    check_tenant(access, obj)
    comment = _comment(comment)
    approvable = registry.type_of(obj)
    if approvable is None:
        raise ApplicationError(_("Records of this type are not approved here."))
    record = approvable.load(access.tenant_id, obj.pk, for_update=True)  # one submission of a record at a time
    if record is None:
        raise NotFound(_("Not found."), code="not_found")
    latest = (
        Approval.objects.select_for_update(of=("self",))
        .select_related("flow_version")
        .filter(tenant_id=access.tenant_id, object_type=approvable.object_type, object_id=str(record.pk))
        .order_by("-submitted_at", "-pk")
        .first()
    )
    if latest is not None and latest.status == ApprovalStatus.PENDING:
        raise Conflict(_("This record is already awaiting approval."), code="already_pending")
    if latest is not None and latest.status == ApprovalStatus.APPROVED:
        raise ApplicationError(_("This record is already approved."), code="already_approved")
    flow = active_flow(access.tenant_id, approvable.object_type)
    if flow is None or flow.current_version is None:
        raise ApplicationError(
            _("No approval flow is set up for %(type)s.") % {"type": str(approvable.label).lower()}, code="no_flow"
        )
    reuse = latest if latest is not None and latest.status != ApprovalStatus.VOID else None
    values = approvable.values(record)
    now = timezone.now()
    start = 0
    if reuse and reuse.flow_version.definition.get("restart") == "rejected" and reuse.current_node:
        # Restart from the node that rejected (or where it was withdrawn), on the version it ran on.
        version, branch_key = reuse.flow_version, reuse.branch_key
        start = next(
            (
                i
                for i, n in enumerate(branch_of(version.definition, branch_key)["nodes"])
                if n["key"] == reuse.current_node
            ),
            0,
        )
    else:
        version = flow.current_version
        branch = engine.choose_branch(version.definition, values, now=now)
        if branch is None:
            raise ApplicationError(
                _("No branch of the flow “%(flow)s” applies to this record, and it has no default branch.")
                % {"flow": flow.name},
                code="no_branch",
            )
        branch_key = branch["key"]
    org = org_for(access.tenant_id)
    nodes = branch_of(version.definition, branch_key)["nodes"]
    picked = _chosen(nodes[start:], {**((reuse.chosen if reuse else None) or {}), **(chosen or {})}, org)
    fields = {
        "flow_version": version,
        "branch_key": branch_key,
        "status": ApprovalStatus.PENDING,
        "submitter": actor_of(access),
        "submitted_at": now,
        "decided_at": None,
        "title": approvable.title(record)[:300],
        "current_node": "",
        "chosen": picked,
        "values": values,
    }
    before = reuse.status if reuse else "draft"
    if reuse:
        for name, value in fields.items():
            setattr(reuse, name, value)
        reuse.round += 1
        reuse.save()
        approval = reuse
    else:
        try:
            with transaction.atomic():
                approval = Approval.objects.create(
                    tenant_id=access.tenant_id, object_type=approvable.object_type, object_id=str(record.pk), **fields
                )
        except IntegrityError as exc:
            raise Conflict(_("This record is already awaiting approval."), code="already_pending") from exc
    run = Run(approval, record, approvable, actor_of(access), tenant_of(access), org=org)
    # The lines approvers see, as they were when submitted (the inbox card reads them from the snapshot).
    approval.values = {**values, "_summary": summary(run)}
    approval.save(update_fields=["values", "updated_at"])
    action = StepAction.RESUBMIT if reuse else StepAction.SUBMIT
    write_step(run, action, comment=comment, before=before, data={"version": version.number, "branch": branch_key})
    approval_event(run, events.APPROVAL_SUBMITTED, comment)
    enter(run, start)
    return approval


@transaction.atomic
def approval_approve(*, access, task: ApprovalTask, comment: str = "") -> Approval:
    """Approve your task; the node passes by its mode (或签 first vote, 会签 by percentage, 依次 everyone)."""
    comment = _comment(comment)
    run, task, node = _task_run(access, task)
    task.status, task.acted_at, task.comment = TaskStatus.APPROVED, timezone.now(), comment
    task.save(update_fields=["status", "acted_at", "comment", "updated_at"])
    write_step(run, StepAction.APPROVE, node=node, comment=comment)
    move_on(run, node)
    return run.approval


@transaction.atomic
def approval_reject(*, access, task: ApprovalTask, comment: str) -> Approval:
    """Reject your task (a comment is required); the approval ends when the node can no longer pass."""
    comment = _comment(comment, required=True)
    run, task, node = _task_run(access, task)
    task.status, task.acted_at, task.comment = TaskStatus.REJECTED, timezone.now(), comment
    task.save(update_fields=["status", "acted_at", "comment", "updated_at"])
    write_step(run, StepAction.REJECT, node=node, comment=comment)
    move_on(run, node)
    return run.approval


def _open_on_node(run: Run, node_key: str) -> set[int]:
    return set(
        ApprovalTask.objects.filter(
            approval=run.approval, round=run.approval.round, node_key=node_key, status__in=OPEN
        ).values_list("assignee_id", flat=True)
    )


def _new_people(run: Run, users, node_key: str, field: str) -> list[int]:
    ids = list(dict.fromkeys(getattr(u, "pk", u) for u in users or []))
    active = run.people().active
    if not ids or len(ids) > MAX_ADDED:
        message = _("Choose between 1 and %(n)d members.") % {"n": MAX_ADDED}
        raise ApplicationError(message, errors={field: [message]})
    if any(pk not in active for pk in ids):
        raise ApplicationError(_("Choose active members."), errors={field: [_("Not an active member.")]})
    if set(ids) & _open_on_node(run, node_key):
        message = _("They already have this step to approve.")
        raise ApplicationError(message, errors={field: [message]})
    return ids


@transaction.atomic
def approval_transfer(*, access, task: ApprovalTask, to_user, comment: str = "") -> ApprovalTask:
    """Hand your task to another member (转交); they decide in your place."""
    comment = _comment(comment)
    run, task, node = _task_run(access, task)
    (to_id,) = _new_people(run, [to_user], task.node_key, "to_user")
    now = timezone.now()
    task.status, task.acted_at, task.comment = TaskStatus.TRANSFERRED, now, comment
    task.save(update_fields=["status", "acted_at", "comment", "updated_at"])
    new = ApprovalTask.objects.create(
        tenant_id=task.tenant_id,
        approval=run.approval,
        node_key=task.node_key,
        node_name=task.node_name,
        round=task.round,
        visit=task.visit,
        order=task.order,
        assignee_id=to_id,
        kind=TaskKind.APPROVE,
        status=TaskStatus.PENDING,
        transferred_from_id=task.assignee_id,
        added_to_id=task.added_to_id,
        added_by_id=task.added_by_id,
    )
    ApprovalTask.objects.filter(added_to=task).update(added_to=new)
    write_step(run, StepAction.TRANSFER, node=node, comment=comment, data={"to": to_id})
    announce(run, node, [new], TaskKind.APPROVE)
    return new


@transaction.atomic
def approval_send_back(*, access, task: ApprovalTask, to_node_key: str, comment: str) -> Approval:
    """Send the approval back to an earlier approving node (回退); that node is approved again from scratch."""
    comment = _comment(comment, required=True)
    run, task, node = _task_run(access, task)
    here = run.node_index(task.node_key)
    target = next(
        (i for i, n in enumerate(run.nodes[:here]) if n["key"] == to_node_key and n["kind"] == "approve"), None
    )
    if target is None:
        message = _("Choose an earlier approval step.")
        raise ApplicationError(message, errors={"to_node_key": [message]})
    now = timezone.now()
    task.status, task.acted_at, task.comment = TaskStatus.SENT_BACK, now, comment
    task.save(update_fields=["status", "acted_at", "comment", "updated_at"])
    ApprovalTask.objects.filter(
        approval=run.approval, round=run.approval.round, node_key=task.node_key, status__in=OPEN
    ).update(status=TaskStatus.CANCELLED, acted_at=now)
    write_step(run, StepAction.SEND_BACK, node=node, comment=comment, data={"to": to_node_key})
    enter(run, target)
    return run.approval


@transaction.atomic
def approval_add_approver(
    *, access, task: ApprovalTask, users, position: str = AddPosition.AFTER, comment: str = ""
) -> list[ApprovalTask]:
    """Add approvers to your part of the node (加签): before you (they decide first) or after you."""
    comment = _comment(comment)
    if position not in AddPosition.values:
        raise ApplicationError(_("Add them before or after you."), errors={"position": [_("Not a valid choice.")]})
    run, task, node = _task_run(access, task)
    ids = _new_people(run, users, task.node_key, "users")
    base = task.added_to_id or task.pk
    before = position == AddPosition.BEFORE
    orders = (
        [task.order - len(ids) + i for i in range(len(ids))]
        if before
        else [task.order + 1 + i for i in range(len(ids))]
    )
    added = ApprovalTask.objects.bulk_create(
        [
            ApprovalTask(
                tenant_id=task.tenant_id,
                approval=run.approval,
                node_key=task.node_key,
                node_name=task.node_name,
                round=task.round,
                visit=task.visit,
                order=order,
                assignee_id=user_id,
                kind=TaskKind.APPROVE,
                status=TaskStatus.WAITING,
                added_by_id=access.user_id,
                added_to_id=base,
            )
            for user_id, order in zip(ids, orders, strict=True)
        ]
    )
    if before:
        task.status = TaskStatus.WAITING
        task.save(update_fields=["status", "updated_at"])
    write_step(run, StepAction.ADD_APPROVER, node=node, comment=comment, data={"users": ids, "position": position})
    advance(run, node)
    return added


@transaction.atomic
def approval_withdraw(*, access, approval: Approval, comment: str = "") -> Approval:
    """The submitter takes a pending approval back (撤回); the record is editable again."""
    comment = _comment(comment)
    check_tenant(access, approval)
    approval = _lock(access, approval.pk)
    if approval.submitter_id != access.user_id:
        raise PermissionDenied(_("Only the submitter can withdraw an approval."))
    if approval.status != ApprovalStatus.PENDING:
        raise Conflict(_("Only a pending approval can be withdrawn."), code="not_pending")
    run = _run(access, approval)
    finish(run, ApprovalStatus.WITHDRAWN)
    write_step(run, StepAction.WITHDRAW, comment=comment, before=ApprovalStatus.PENDING)
    approval_event(run, events.APPROVAL_WITHDRAWN, comment)
    return approval


@transaction.atomic
def approval_void(*, access, approval: Approval, comment: str) -> Approval:
    """An administrator voids an approval (作废): a pending one stops, an approved one no longer counts."""
    require(access, "approvals.change_approval")
    comment = _comment(comment, required=True)
    check_tenant(access, approval)
    approval = _lock(access, approval.pk)
    if approval.status == ApprovalStatus.VOID:
        raise Conflict(_("This approval is already void."), code="already_void")
    run = _run(access, approval)
    before = approval.status
    finish(run, ApprovalStatus.VOID)
    write_step(run, StepAction.VOID, comment=comment, before=before)
    approval_event(run, events.APPROVAL_VOIDED, comment)
    return approval


@transaction.atomic
def approval_bulk_approve(*, access, tasks, comment: str = "") -> dict:
    """Approve several tasks, each on its own: {"approved": [task ids], "failed": {task id: message}}."""
    done, failed = [], {}
    for task in tasks:
        try:
            approval_approve(access=access, task=task, comment=comment)
        except ApplicationError as exc:
            failed[task.pk] = str(exc.message)
        else:
            done.append(task.pk)
    return {"approved": done, "failed": failed}


@transaction.atomic
def task_mark_read(*, access, task: ApprovalTask) -> None:
    """The CC'd person opened it: it leaves the unread count."""
    check_tenant(access, task)
    if task.assignee_id != access.user_id:
        raise PermissionDenied(_("This approval task is not yours."))
    ApprovalTask.objects.filter(pk=task.pk, read_at__isnull=True).update(read_at=timezone.now())
