"""Template tags of the approval pages, and for the pages of approvable records (a contract's edit and sign
buttons disabled, with the reason, while it awaits approval)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from tandem.approvals import registry, selectors
from tandem.approvals.choices import ApprovalStatus

register = template.Library()


@register.simple_tag
def approval_lines(approval) -> list[tuple[str, str]]:
    """What an approver reads on a card: the lines snapshot at submission, else the registered fields' values."""
    values = approval.values or {}
    snapshot = getattr(approval, "summary", None) or values.get("_summary")
    if isinstance(snapshot, list):
        return [(str(line[0]), str(line[1])) for line in snapshot if len(line) == 2]
    approvable = registry.get(approval.object_type)
    if approvable is None:
        return []
    lines = []
    for name, spec in approvable.fields.items():
        value = values.get(name)
        if value in (None, "") or spec.kind in ("user", "department"):
            continue  # ids mean nothing to a reader; the record page names them
        if spec.kind == "choice":
            value = dict((str(k), v) for k, v in spec.choices).get(str(value), value)
        lines.append((str(spec.label), str(value)))
    return lines


@register.simple_tag(takes_context=True)
def approval_lock(context, obj) -> dict:
    """Whether the record's edits and gated actions wait for an approval: {"pending", "reason", "gated": {action:
    reason}}; the services refuse them anyway, the page says why before the member tries."""
    request = context["request"]
    approvable = registry.type_of(obj)
    lock = {"pending": False, "reason": "", "gated": {}}
    if approvable is None:
        return lock
    tenant_id = request.access.tenant_id
    approval = selectors.approval_for(tenant_id=tenant_id, object_type=approvable.object_type, object_id=obj.pk)
    if approval is not None and approval.status == ApprovalStatus.PENDING:
        lock["pending"] = True
        lock["reason"] = _("This record is awaiting approval and cannot be changed.")
    approved = approval is not None and approval.status == ApprovalStatus.APPROVED
    if not approved and selectors.active_flow(tenant_id=tenant_id, object_type=approvable.object_type):
        for action, label in approvable.gated_actions.items():
            lock["gated"][action] = lock["reason"] or _("It needs an approval before you %(action)s it.") % {
                "action": label
            }
    return lock


@register.simple_tag(takes_context=True)
def approval_flow_active(context, object_type: str) -> bool:
    """Whether a type has an active flow (a table shows its approval column only then)."""
    return selectors.active_flow(tenant_id=context["request"].access.tenant_id, object_type=object_type) is not None


@register.inclusion_tag("approvals/partials/inline.html", takes_context=True)
def approval_inline(context, obj) -> dict:
    """A record's approval in one table cell (receipts on the contract page): its state, submitting it when its
    type has an active flow, withdrawing it when it is the member's and pending."""
    from tandem.approvals.views.panel import choice_nodes, state_of

    request = context["request"]
    access = request.access
    approvable = registry.type_of(obj)
    if approvable is None:
        return {"show": False}
    # One flow look-up per type and page, however many rows the table has.
    flows = context.render_context.setdefault("approval_flows", {})
    if approvable.object_type not in flows:
        flows[approvable.object_type] = selectors.active_flow(
            tenant_id=access.tenant_id, object_type=approvable.object_type
        )
    flow = flows[approvable.object_type]
    approval = selectors.approval_for(tenant_id=access.tenant_id, object_type=approvable.object_type, object_id=obj.pk)
    if flow is None and approval is None:
        return {"show": False}
    status, label, badge = state_of(approval)
    version = flow.current_version if flow else None
    can_submit = (
        version is not None
        and status not in (ApprovalStatus.PENDING, ApprovalStatus.APPROVED)
        and access.has_perm("approvals.add_approval")
        # Nodes whose approvers the submitter picks need the record's own panel; a row has no room for it.
        and not choice_nodes(approvable, version, obj)
    )
    return {
        "show": True,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "approval": approval,
        "label": label,
        "badge": badge,
        "can_submit": can_submit,
        "can_withdraw": status == ApprovalStatus.PENDING and approval.submitter_id == access.user_id,
        "object_type": approvable.object_type,
        "object_id": obj.pk,
    }
