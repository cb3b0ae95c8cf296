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
    if isinstance(values.get("_summary"), list):
        return [(str(line[0]), str(line[1])) for line in values["_summary"] if len(line) == 2]
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
