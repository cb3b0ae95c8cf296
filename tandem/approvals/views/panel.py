"""The approval panel on an approvable record's page (a contract): its state, submitting (with the approvers of the
nodes the submitter chooses) and withdrawing, and the flow's progress with who decided what and when."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.approvals import engine, registry, selectors
from tandem.approvals import services as approval_services
from tandem.approvals.choices import DRAFT, DRAFT_LABEL, ApprovalStatus, ApproverType, NodeKind, TaskStatus
from tandem.approvals.forms import DecisionForm, SubmitForm, VoidForm, WithdrawForm
from tandem.core.errors import ApplicationError
from tandem.core.views import record_or_404, safe_next, tenant_view

BADGES = {
    DRAFT: "text-bg-light border",
    ApprovalStatus.PENDING: "text-bg-warning",
    ApprovalStatus.APPROVED: "text-bg-success",
    ApprovalStatus.REJECTED: "text-bg-danger",
    ApprovalStatus.WITHDRAWN: "text-bg-secondary",
    ApprovalStatus.VOID: "text-bg-dark",
}
DONE = {TaskStatus.APPROVED, TaskStatus.SKIPPED}


def state_of(approval) -> tuple[str, str, str]:
    """(status, label, badge class) of a record's latest approval; no approval is a draft."""
    if approval is None:
        return DRAFT, str(DRAFT_LABEL), BADGES[DRAFT]
    return approval.status, approval.get_status_display(), BADGES.get(approval.status, "text-bg-light")


def _branch(definition: dict, key: str) -> dict:
    return next((b for b in definition.get("branches") or [] if b.get("key") == key), {"nodes": []})


def progress(approval) -> dict:
    """The nodes of the approval's branch with this round's tasks, each marked done/failed/current/upcoming, and
    the CC list."""
    tasks = [t for t in selectors.node_tasks(approval) if t.round == approval.round]
    # A node sent back to is visited again: its latest visit is what counts now.
    latest = {}
    for task in tasks:
        latest[task.node_key] = max(latest.get(task.node_key, 0), task.visit)
    by_node: dict[str, list] = {}
    for task in tasks:
        if task.visit == latest[task.node_key]:
            by_node.setdefault(task.node_key, []).append(task)
    nodes = []
    for node in _branch(approval.flow_version.definition or {}, approval.branch_key).get("nodes") or []:
        node_tasks = by_node.pop(node.get("key"), [])
        statuses = {t.status for t in node_tasks}
        if approval.status == ApprovalStatus.PENDING and node.get("key") == approval.current_node:
            state = "current"
        elif TaskStatus.REJECTED in statuses:
            state = "failed"
        elif node_tasks and statuses <= DONE | {TaskStatus.TRANSFERRED, TaskStatus.CANCELLED}:
            state = "done"
        else:
            state = "upcoming"
        deciding = [t for t in node_tasks if t.kind == NodeKind.APPROVE]
        nodes.append({"node": node, "state": state, "tasks": deciding})
    cc = [t for t in tasks if t.kind == NodeKind.CC]
    return {"nodes": nodes, "cc": cc}


def choice_nodes(approvable, version, obj) -> list[dict]:
    """The nodes whose approvers the submitter chooses, on the branch this record would take now."""
    if version is None:
        return []
    branch = engine.choose_branch(version.definition, approvable.values(obj), now=timezone.now())
    out = []
    for node in (branch or {}).get("nodes") or []:
        approvers = node.get("approvers") or {}
        if approvers.get("type") == ApproverType.SUBMITTER_CHOICE:
            count = approvers.get("count")
            hint = _("Choose %(n)d.") % {"n": count} if count else _("Choose one or more.")
            out.append({"key": node["key"], "name": node.get("name") or node["key"], "hint": hint})
    return out


def record_panel(request, obj) -> dict | None:
    """The panel's context, or None (no panel) for a type with no active flow and a record never submitted."""
    approvable = registry.type_of(obj)
    if approvable is None:
        return None
    access = request.access
    approval = selectors.approval_for(tenant_id=access.tenant_id, object_type=approvable.object_type, object_id=obj.pk)
    flow = selectors.active_flow(tenant_id=access.tenant_id, object_type=approvable.object_type)
    if approval is None and flow is None:
        return None
    status, label, badge = state_of(approval)
    pending = status == ApprovalStatus.PENDING
    can_submit = (
        flow is not None
        and flow.current_version is not None
        and status != ApprovalStatus.APPROVED
        and not pending
        and access.has_perm("approvals.add_approval")
    )
    nodes = choice_nodes(approvable, flow.current_version, obj) if can_submit else []
    steps = list(selectors.approval_history(approval)) if approval else []
    my_task = selectors.open_task_for(approval, access.user_id) if pending else None
    return {
        "approvable": approvable,
        "approval": approval,
        "approval_status": status,
        "approval_label": label,
        "approval_badge": badge,
        "flow": flow,
        "can_submit": can_submit,
        "can_withdraw": pending and approval.submitter_id == access.user_id,
        "can_void": approval is not None
        and approval.status in (ApprovalStatus.PENDING, ApprovalStatus.APPROVED)
        and access.has_perm("approvals.change_approval"),
        "submit_form": SubmitForm(tenant_id=access.tenant_id, choice_nodes=nodes),
        "progress": progress(approval) if approval else None,
        "steps": steps,
        "my_task": my_task,
        "decision_form": DecisionForm(),
        "object_type": approvable.object_type,
        "object_id": obj.pk,
    }


def _record(request, object_type: str, object_id: int):
    """The record within the member's reach (the type's model, restricted like its own pages), else 404."""
    approvable = registry.get(object_type)
    if approvable is None:
        raise Http404
    return approvable, record_or_404(request, approvable.model_class, object_id)


@require_POST
@tenant_view("approvals.add_approval")
def approval_submit(request, object_type: str, object_id: int):
    """Submit a record for approval with a comment and the approvers of the nodes the submitter chooses."""
    access = request.access
    approvable, obj = _record(request, object_type, object_id)
    back = safe_next(request, approvable.url(obj))
    flow = selectors.active_flow(tenant_id=access.tenant_id, object_type=object_type)
    version = flow.current_version if flow else None
    form = SubmitForm(request.POST, tenant_id=access.tenant_id, choice_nodes=choice_nodes(approvable, version, obj))
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return redirect(back)
    try:
        approval_services.approval_submit(
            access=access, obj=obj, chosen=form.chosen(), comment=form.cleaned_data["comment"]
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Submitted for approval."))
    return redirect(back)


@require_POST
@tenant_view("approvals.add_approval")
def approval_withdraw(request, pk: int):
    """The submitter takes a pending approval back; the record is editable again."""
    approval = record_or_404(request, selectors.my_tasks(access=request.access, box="submitted", filters={}), pk)
    approvable = registry.get(approval.object_type)
    obj = approvable.load(request.access.tenant_id, approval.object_id) if approvable else None
    fallback = approvable.url(obj) if obj is not None else reverse("approvals:inbox")
    form = WithdrawForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        approval_services.approval_withdraw(access=request.access, approval=approval, comment=comment)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Approval withdrawn; the record can be changed again."))
    return redirect(safe_next(request, fallback))


@require_POST
@tenant_view("approvals.change_approval")
def approval_void(request, pk: int):
    """An administrator voids an approval (作废), saying why: a pending one stops, an approved one no longer counts."""
    approval = record_or_404(request, selectors.approvals_visible(request.access), pk)
    approvable = registry.get(approval.object_type)
    obj = approvable.load(request.access.tenant_id, approval.object_id) if approvable else None
    fallback = approvable.url(obj) if obj is not None else reverse("approvals:inbox")
    form = VoidForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why you void it."))
        return redirect(safe_next(request, fallback))
    try:
        approval_services.approval_void(access=request.access, approval=approval, comment=form.cleaned_data["comment"])
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Approval voided."))
    return redirect(safe_next(request, fallback))
