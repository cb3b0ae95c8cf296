"""Approval flows: create, change (a new immutable version when the definition changes), delete."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from tandem.accounts.models import Role
from tandem.approvals import definition as flow_definition
from tandem.approvals import registry
from tandem.approvals.models import Flow, FlowVersion
from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.errors import ApplicationError
from tandem.core.services import active_members, actor_of, check_tenant, full_clean, require


def _checked(access, object_type: str, data) -> dict:
    """The validated definition, with every named member an active member and every role one of the tenant's."""
    approvable = registry.get(object_type)
    if approvable is None:
        raise ApplicationError(
            _("Records of this type are not approved here."), errors={"object_type": [_("Unknown.")]}
        )
    clean = flow_definition.validate(data, approvable)
    refs = list(flow_definition.references(clean))
    member_ids = set(active_members(access.tenant_id).values_list("pk", flat=True))
    role_keys = set(Role.objects.filter(tenant_id=access.tenant_id).values_list("key", flat=True))
    errors = {}
    for path, spec in refs:
        if spec["type"] == "members" and not set(spec["users"]) <= member_ids:
            errors[f"{path}.users"] = [_("Choose active members.")]
        if spec["type"] == "role" and spec["role"] not in role_keys:
            errors[f"{path}.role"] = [_("No such role.")]
    if errors:
        raise ApplicationError(_("The flow definition has errors."), errors=errors)
    return clean


def _version(access, flow: Flow, definition: dict) -> FlowVersion:
    last = flow.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = FlowVersion.objects.create(
        tenant_id=flow.tenant_id, flow=flow, number=last + 1, definition=definition, created_by=actor_of(access)
    )
    flow.current_version = version
    flow.save(update_fields=["current_version", "updated_at"])
    return version


def _flow_snapshot(flow: Flow) -> dict:
    data = snapshot(flow)
    data["version"] = flow.current_version.number if flow.current_version else None
    return data


@transaction.atomic
def flow_create(
    *, access, object_type: str, name: str, definition: dict, description: str = "", is_active: bool = True
) -> Flow:
    """A flow for an object type with its first version; at most one active flow per type."""
    require(access, "approvals.change_flow")
    clean = _checked(access, object_type, definition)
    flow = Flow(
        tenant_id=access.tenant_id, object_type=object_type, name=name, description=description, is_active=is_active
    )
    full_clean(flow, exclude=["current_version"])
    flow.save()
    _version(access, flow, clean)
    audit_record(obj=flow, action=AuditAction.CREATE, actor=actor_of(access), after=_flow_snapshot(flow))
    return flow


@transaction.atomic
def flow_update(*, access, flow: Flow, definition=None, name=None, description=None, is_active=None) -> Flow:
    """Change a flow; a changed definition is a new version (running approvals keep theirs)."""
    require(access, "approvals.change_flow")
    check_tenant(access, flow)
    flow = Flow.objects.select_for_update(of=("self",)).select_related("current_version").get(pk=flow.pk)
    before = _flow_snapshot(flow)
    for field, value in (("name", name), ("description", description), ("is_active", is_active)):
        if value is not None:
            setattr(flow, field, value)
    full_clean(flow, exclude=["current_version"])
    flow.save()
    if definition is not None:
        clean = _checked(access, flow.object_type, definition)
        if flow.current_version is None or clean != flow.current_version.definition:
            _version(access, flow, clean)
    audit_record(obj=flow, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=_flow_snapshot(flow))
    return flow


@transaction.atomic
def flow_delete(*, access, flow: Flow) -> None:
    """Delete a flow no record was ever submitted on; one with approvals is deactivated instead."""
    require(access, "approvals.change_flow")
    check_tenant(access, flow)
    if flow.versions.filter(approvals__isnull=False).exists():
        raise ApplicationError(_("Records were approved on this flow; deactivate it instead of deleting it."))
    audit_record(obj=flow, action=AuditAction.DELETE, actor=actor_of(access), before=_flow_snapshot(flow))
    Flow.objects.filter(pk=flow.pk).update(current_version=None)
    flow.delete()
