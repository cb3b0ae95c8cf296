"""Event handlers of the finance app, run from the outbox after the writer's transaction commits, each in its own
transaction and idempotent in effect:

* an approval of a change order or a commitment ended → the record follows once (`approvals.approval.*`);
* a cost alert opened → the project's PM is told in-app (`finance.cost.alert_opened`);
* a project was created (the won-deal handoff) → its budget with the contract's value and the template's lines;
* a contract's amount changed or it was signed → the contract value of its projects' unlocked budgets.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from tandem.finance.choices import CostAlertKind


def on_approval_event(event) -> None:
    """approvals.approval.approved / rejected / withdrawn / voided of a finance record."""
    from tandem.finance.services.change_orders import change_order_decided
    from tandem.finance.services.commitments import commitment_decided

    payload = event.payload or {}
    object_type, object_id, status = payload.get("object_type"), payload.get("object_id"), payload.get("status")
    if object_type == "finance.changeorder":
        change_order_decided(
            tenant_id=event.tenant_id, change_order_id=object_id, status=status, actor_id=event.actor_id
        )
    elif object_type == "finance.commitment":
        commitment_decided(tenant_id=event.tenant_id, commitment_id=object_id, status=status, actor_id=event.actor_id)


def alert_title(payload: dict) -> str:
    kind = payload.get("kind")
    project = payload.get("project_name") or ""
    if kind == CostAlertKind.LINE_OVER_BUDGET:
        return _("%(project)s: a budget line is over budget by %(value)s") % {
            "project": project,
            "value": payload.get("value", "").lstrip("-"),
        }
    if kind == CostAlertKind.MARGIN_LOW:
        return _("%(project)s: margin %(value)s%% is below %(threshold)s%%") % {
            "project": project,
            "value": payload.get("value", ""),
            "threshold": payload.get("threshold", ""),
        }
    return _("%(project)s: cost performance index %(value)s is below %(threshold)s") % {
        "project": project,
        "value": payload.get("value", ""),
        "threshold": payload.get("threshold", ""),
    }


def on_alert_opened(event) -> None:
    """Tell the project's PM (an active member) of a newly opened cost alert, once per event."""
    from tandem.accounts.models import Tenant
    from tandem.core.services import active_members
    from tandem.finance.models import CostAlert
    from tandem.notifications.services.notifications import notification_send
    from tandem.projects.models import Project

    payload = event.payload or {}
    tenant = Tenant.objects.filter(pk=event.tenant_id).first()
    if tenant is None or not CostAlert.objects.filter(tenant_id=tenant.pk, pk=payload.get("alert_id")).exists():
        return
    owner_id = (
        Project.all_objects.filter(tenant_id=tenant.pk, pk=payload.get("project_id"))
        .values_list("owner_id", flat=True)
        .first()
    )
    if not owner_id or not active_members(tenant.pk).filter(pk=owner_id).exists():
        return
    with translation.override(tenant.locale or "zh-hans"):
        notification_send(
            tenant_id=tenant.pk,
            recipient_id=owner_id,
            title=alert_title(payload),
            body=_("Open the project's budget to see where the money goes."),
            url=payload.get("url", ""),
            event_id=event.pk,
        )


def on_project_created(event) -> None:
    """projects.project.created {project_id, template_id?}: the project's budget from the handoff."""
    from tandem.finance.services.handoff import budget_from_handoff

    payload = event.payload or {}
    if payload.get("project_id"):
        budget_from_handoff(
            tenant_id=event.tenant_id, project_id=payload["project_id"], template_id=payload.get("template_id")
        )


def on_contract_signed(event) -> None:
    """crm.contract.signed {contract_id, amount}: the signed amount is the projects' contract value."""
    from tandem.finance.services.handoff import contract_value_follow

    contract_id = (event.payload or {}).get("contract_id")
    if contract_id:
        contract_value_follow(tenant_id=event.tenant_id, contract_id=contract_id)


def on_record_changed(obj, action: str, before: dict | None, after: dict | None) -> None:
    """Audit listener: a contract's amount changed (no domain event says so), in the writer's transaction."""
    from tandem.audit.models import AuditAction
    from tandem.crm.models import Contract
    from tandem.finance.services.handoff import contract_value_follow

    if not isinstance(obj, Contract) or action != AuditAction.UPDATE:
        return
    before, after = before or {}, after or {}
    if "amount" in after and before.get("amount") != after.get("amount"):
        contract_value_follow(tenant_id=obj.tenant_id, contract_id=obj.pk)
