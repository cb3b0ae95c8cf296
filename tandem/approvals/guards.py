"""What the services of an approved record's app call: no change while it awaits approval, and the gated
actions (a contract's signing) only once it is approved, when its type has an active flow."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tandem.approvals import registry
from tandem.approvals.choices import ApprovalStatus
from tandem.approvals.selectors.approvals import approval_for
from tandem.approvals.selectors.flows import active_flow
from tandem.core.errors import ApplicationError
from tandem.core.permissions import type_key


def ensure_editable(obj) -> None:
    """Refuse to change a record while its approval is pending."""
    if obj is None or obj.pk is None:
        return
    approval = approval_for(tenant_id=obj.tenant_id, object_type=type_key(type(obj)), object_id=obj.pk)
    if approval is not None and approval.status == ApprovalStatus.PENDING:
        raise ApplicationError(_("This record is awaiting approval and cannot be changed."), code="approval_pending")


def ensure_approved(obj, action: str) -> None:
    """Refuse a gated action (e.g. "sign") unless the record's latest approval is approved; types with no active
    flow are not gated."""
    approvable = registry.type_of(obj)
    if approvable is None or action not in approvable.gated_actions:
        return
    if active_flow(obj.tenant_id, approvable.object_type) is None:
        return
    approval = approval_for(tenant_id=obj.tenant_id, object_type=approvable.object_type, object_id=obj.pk)
    if approval is None or approval.status != ApprovalStatus.APPROVED:
        raise ApplicationError(
            _("Approve this %(type)s before you %(action)s it.")
            % {"type": str(approvable.label).lower(), "action": approvable.gated_actions[action]},
            code="approval_required",
        )
