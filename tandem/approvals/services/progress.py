"""How an approval moves: entering a node, counting its votes, moving on, finishing; every step written down.

The public services (`services.approvals`) lock the approval row, check who acts, then call these with a `Run`.
Each step is an `ApprovalStep` and an audit row on the approved record (so the record's timeline shows it),
and whoever gets a task hears of it through `approvals.task.assigned` (one event per node reached).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone, translation

from tandem.approvals import engine, events
from tandem.approvals.choices import ApprovalStatus, NodeKind, NodeMode, StepAction, TaskKind, TaskStatus
from tandem.approvals.definition import branch_of
from tandem.approvals.models import Approval, ApprovalStep, ApprovalTask
from tandem.approvals.registry import ApprovableType
from tandem.approvals.selectors.org import org_for
from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record
from tandem.core.events import emit

OPEN = (TaskStatus.PENDING, TaskStatus.WAITING)
NOT_COUNTED = (TaskStatus.TRANSFERRED, TaskStatus.CANCELLED, TaskStatus.SKIPPED)
ORDER_STEP = 100  # room between an approver's order and the next for people added before or after (加签)


@dataclass
class Run:
    """One service call's view of an approval: the locked row, its record and the definition it runs on."""

    approval: Approval
    record: object
    approvable: ApprovableType
    actor: object  # the user acting, None for the system
    tenant: object
    org: engine.Org | None = None

    @property
    def definition(self) -> dict:
        return self.approval.flow_version.definition

    @property
    def nodes(self) -> list[dict]:
        return branch_of(self.definition, self.approval.branch_key)["nodes"]

    def node_index(self, key: str) -> int:
        return next(i for i, node in enumerate(self.nodes) if node["key"] == key)

    def people(self) -> engine.Org:
        if self.org is None:
            self.org = org_for(self.approval.tenant_id)
        return self.org


def step(run: Run, action: str, *, node: dict | None = None, comment: str = "", data=None, before=None, actor=...):
    """Write the step and its audit row on the record (`before`: the record's approval status before it)."""
    actor = run.actor if actor is ... else actor
    approval = run.approval
    ApprovalStep.objects.create(
        tenant_id=approval.tenant_id,
        approval=approval,
        action=action,
        actor=actor,
        node_key=node["key"] if node else "",
        round=approval.round,
        comment=comment,
        data=data or {},
    )
    after = {"approval_status": approval.status, "approval_step": action}
    if node:
        after["approval_node"] = node["name"]
    if comment:
        after["approval_comment"] = comment[:500]
    audit_record(
        obj=run.record,
        action=AuditAction.UPDATE,
        actor=actor,
        before={"approval_status": before or approval.status},
        after=after,
    )


def summary(run: Run) -> list[list[str]]:
    """The lines approvers see, in the tenant's language (IM cards and mail show them as they are)."""
    with translation.override(run.tenant.locale):
        return [[str(label), str(value)] for label, value in run.approvable.summary(run.record)]


def base_payload(run: Run) -> dict:
    approval = run.approval
    submitter = approval.submitter
    return {
        "approval_id": approval.pk,
        "object_type": approval.object_type,
        "object_id": approval.object_id,
        "title": approval.title,
        "url": run.approvable.url(run.record),
        "round": approval.round,
        "submitter_id": approval.submitter_id,
        "submitter_name": str(submitter) if submitter else "",
    }


def announce(run: Run, node: dict, tasks: list[ApprovalTask], kind: str) -> None:
    """One `task.assigned` event for the tasks a node (or a transfer, an added approver) just handed out."""
    tasks = [t for t in tasks if t.status == TaskStatus.PENDING or kind == TaskKind.CC]
    if not tasks:
        return
    payload = {
        **base_payload(run),
        "node_key": node["key"],
        "node_name": node["name"],
        "kind": kind,
        "task_ids": [t.pk for t in tasks],
        "assignee_ids": [t.assignee_id for t in tasks],
        "summary": summary(run),
    }
    emit(events.TASK_ASSIGNED, tenant=run.tenant, actor=run.actor, payload=payload)


def approval_event(run: Run, name: str, comment: str = "") -> None:
    approval = run.approval
    payload = {
        **base_payload(run),
        "status": approval.status,
        "flow_id": approval.flow_version.flow_id,
        "flow_version": approval.flow_version.number,
        "branch_key": approval.branch_key,
        "comment": comment,
    }
    emit(name, tenant=run.tenant, actor=run.actor, payload=payload)


def _visit(approval: Approval, node_key: str) -> int:
    last = (
        ApprovalTask.objects.filter(approval=approval, round=approval.round, node_key=node_key)
        .order_by("-visit")
        .values_list("visit", flat=True)
        .first()
    )
    return (last or 0) + 1


def _cc(run: Run, node: dict, user_ids: list[int], visit: int) -> None:
    user_ids = [u for u in dict.fromkeys(user_ids) if u in run.people().active]
    if not user_ids:
        return
    tasks = ApprovalTask.objects.bulk_create(
        [
            ApprovalTask(
                tenant_id=run.approval.tenant_id,
                approval=run.approval,
                node_key=node["key"],
                node_name=node["name"],
                round=run.approval.round,
                visit=visit,
                order=i * ORDER_STEP,
                assignee_id=user_id,
                kind=TaskKind.CC,
                status=TaskStatus.APPROVED,
                acted_at=timezone.now(),
            )
            for i, user_id in enumerate(user_ids, start=1)
        ]
    )
    step(run, StepAction.CC, node=node, data={"users": user_ids}, actor=None)
    announce(run, node, tasks, TaskKind.CC)


def enter(run: Run, index: int) -> None:
    """Reach the node at `index` (and, while nodes pass on their own, the ones after it), or finish."""
    approval = run.approval
    org = run.people()
    chosen = approval.chosen or {}
    while index < len(run.nodes):
        node = run.nodes[index]
        visit = _visit(approval, node["key"])
        approval.current_node = node["key"]
        approval.save(update_fields=["current_node", "updated_at"])
        cc_ids = [
            u
            for spec in node["cc"]
            for u in engine.resolve(spec, submitter_id=approval.submitter_id, org=org, chosen=None)
        ]
        plan = engine.plan_node(
            node,
            submitter_id=approval.submitter_id,
            org=org,
            chosen=chosen.get(node["key"]),
            on_deactivated=run.definition["on_deactivated"],
        )
        if node["kind"] == NodeKind.CC:
            _cc(run, node, [*plan.approvers, *cc_ids], visit)
            index += 1
            continue
        _cc(run, node, cc_ids, visit)
        if plan.outcome == engine.APPROVED:
            step(run, StepAction.AUTO_APPROVE, node=node, data={"reason": plan.reason}, actor=None)
            index += 1
            continue
        if plan.outcome == engine.REJECTED:
            step(run, StepAction.AUTO_REJECT, node=node, data={"reason": plan.reason}, actor=None)
            finish(run, ApprovalStatus.REJECTED)
            return
        tasks = _create_tasks(run, node, plan, visit)
        if plan.auto_approved:
            step(run, StepAction.AUTO_APPROVE, node=node, data={"reason": "self"}, actor=None)
        if not advance(run, node, announce_tasks=tasks):
            return
        index = run.node_index(node["key"]) + 1
    finish(run, ApprovalStatus.APPROVED)


def _create_tasks(run: Run, node: dict, plan: engine.NodePlan, visit: int) -> list[ApprovalTask]:
    now = timezone.now()
    sequence = plan.mode == NodeMode.SEQUENCE
    tasks = []
    for i, user_id in enumerate(plan.approvers, start=1):
        auto = user_id in plan.auto_approved
        status = TaskStatus.APPROVED if auto else TaskStatus.WAITING if sequence else TaskStatus.PENDING
        tasks.append(
            ApprovalTask(
                tenant_id=run.approval.tenant_id,
                approval=run.approval,
                node_key=node["key"],
                node_name=node["name"],
                round=run.approval.round,
                visit=visit,
                order=i * ORDER_STEP,
                assignee_id=user_id,
                kind=TaskKind.APPROVE,
                status=status,
                acted_at=now if auto else None,
            )
        )
    return ApprovalTask.objects.bulk_create(tasks)


def node_tasks(run: Run, node_key: str) -> list[ApprovalTask]:
    """The counted approval tasks of the node's latest visit in this round."""
    approval = run.approval
    visit = _visit(approval, node_key) - 1
    return list(
        ApprovalTask.objects.filter(
            approval=approval, round=approval.round, node_key=node_key, visit=visit, kind=TaskKind.APPROVE
        )
        .exclude(status__in=NOT_COUNTED)
        .order_by("order", "pk")
    )


def _chains(tasks: list[ApprovalTask]) -> list[list[ApprovalTask]]:
    """Each approver's part of the node: their task and the tasks added to it (加签), in order."""
    chains: dict[int, list[ApprovalTask]] = {}
    for task in tasks:
        if task.added_to_id is None:
            chains.setdefault(task.pk, []).insert(0, task)
    for task in tasks:
        if task.added_to_id is not None and task.added_to_id in chains:
            chains[task.added_to_id].append(task)
    return [sorted(chain, key=lambda t: (t.order, t.pk)) for chain in chains.values()]


def _chain_status(chain: list[ApprovalTask]) -> str:
    statuses = {t.status for t in chain}
    if TaskStatus.REJECTED in statuses:
        return TaskStatus.REJECTED
    return TaskStatus.APPROVED if statuses == {TaskStatus.APPROVED} else TaskStatus.PENDING


def advance(run: Run, node: dict, *, announce_tasks: list[ApprovalTask] | None = None) -> bool:
    """Count the node's votes: True when it passed (the caller moves on), else wake whoever's turn it is."""
    chains = _chains(node_tasks(run, node["key"]))
    mode = NodeMode.SEQUENCE if node["approvers"]["type"] == "manager_chain" else node["mode"]
    result = engine.tally(mode, node["pass_percent"], [_chain_status(c) for c in chains])
    if result is not None:
        ApprovalTask.objects.filter(
            approval=run.approval, round=run.approval.round, node_key=node["key"], status__in=OPEN
        ).update(status=TaskStatus.CANCELLED, acted_at=timezone.now())
        if result == engine.REJECTED:
            finish(run, ApprovalStatus.REJECTED)
        return result == engine.APPROVED
    woken = []
    active = chains
    if mode == NodeMode.SEQUENCE:
        active = [next(c for c in chains if _chain_status(c) != TaskStatus.APPROVED)]
    for chain in active:
        if _chain_status(chain) != TaskStatus.PENDING or any(t.status == TaskStatus.PENDING for t in chain):
            continue
        turn = next(t for t in chain if t.status == TaskStatus.WAITING)
        turn.status = TaskStatus.PENDING
        turn.save(update_fields=["status", "updated_at"])
        woken.append(turn)
    fresh = {t.pk for t in announce_tasks or []}
    pending = [t for c in chains for t in c if t.status == TaskStatus.PENDING and (t.pk in fresh or t in woken)]
    announce(run, node, pending, TaskKind.APPROVE)
    return False


def move_on(run: Run, node: dict) -> None:
    """After a vote: when the node passed, reach the next one (or finish)."""
    if advance(run, node):
        enter(run, run.node_index(node["key"]) + 1)


def finish(run: Run, status: str, *, comment: str = "") -> None:
    """End the approval (approved, rejected, withdrawn, void): open tasks are cancelled, the event emitted."""
    approval = run.approval
    before = approval.status
    approval.status = status
    approval.decided_at = timezone.now()
    approval.save(update_fields=["status", "decided_at", "updated_at"])
    ApprovalTask.objects.filter(approval=approval, status__in=OPEN).update(
        status=TaskStatus.CANCELLED, acted_at=timezone.now()
    )
    if status in (ApprovalStatus.APPROVED, ApprovalStatus.REJECTED):
        # The closing line of the history: "审批通过" or "审批驳回" by the status it leaves the record in.
        step(run, StepAction.COMPLETE, before=before, actor=None, data={"result": status})
        approval_event(
            run, events.APPROVAL_APPROVED if status == ApprovalStatus.APPROVED else events.APPROVAL_REJECTED, comment
        )
