"""Writing service requests (客服工单): opening them with SLA deadlines, assigning, moving them on."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.errors import ApplicationError
from tandem.core.events import emit
from tandem.core.services import actor_of, check_member, check_tenant, full_clean, require, set_fields
from tandem.crm.services.sla import business_clock
from tandem.feedback import events
from tandem.feedback.choices import RequestStatus
from tandem.feedback.models import REQUEST_FIELDS, ServiceRequest
from tandem.feedback.services.settings import feedback_settings
from tandem.records.services.numbering import number_next
from tandem.records.services.recycle_bin import record_soft_delete

S = RequestStatus
# The moves a person may make; reopening a resolved or closed request puts it back in progress.
TRANSITIONS = {
    S.NEW: {S.ASSIGNED, S.IN_PROGRESS, S.WAITING, S.RESOLVED, S.CLOSED},
    S.ASSIGNED: {S.IN_PROGRESS, S.WAITING, S.RESOLVED, S.CLOSED},
    S.IN_PROGRESS: {S.WAITING, S.RESOLVED, S.CLOSED},
    S.WAITING: {S.IN_PROGRESS, S.RESOLVED, S.CLOSED},
    S.RESOLVED: {S.CLOSED, S.IN_PROGRESS},
    S.CLOSED: {S.IN_PROGRESS},
}


def sla_hours(tenant_id: int, priority: str) -> tuple[float, float]:
    """Working hours to the first response and to resolution for a priority, from the tenant's settings."""
    response, resolve = feedback_settings(tenant_id).sla[priority]
    return float(response), float(resolve)


def _set_deadlines(request: ServiceRequest) -> None:
    clock = business_clock(tenant_id=request.tenant_id)
    response, resolve = sla_hours(request.tenant_id, request.priority)
    request.response_due_at = clock.add_hours(request.opened_at, response)
    request.resolve_due_at = clock.add_hours(request.opened_at, resolve)


def _check_links(request: ServiceRequest) -> None:
    """The contact and the project must belong to the request's account."""
    errors = {}
    if request.contact_id and not request.contact.accounts.filter(pk=request.account_id).exists():
        errors["contact"] = [_("This contact is not a contact of the account.")]
    if request.project_id and request.project.account_id != request.account_id:
        errors["project"] = [_("This project is not a project of the account.")]
    if errors:
        raise ApplicationError(_("Please correct the errors below."), errors=errors)


def _payload(request: ServiceRequest, **extra) -> dict:
    return {
        "request_id": request.pk,
        "number": request.number,
        "account_id": request.account_id,
        "contact_id": request.contact_id,
        "project_id": request.project_id,
        "owner_id": request.owner_id,
        "priority": request.priority,
        "category": request.category,
        "status": request.status,
        **extra,
    }


@transaction.atomic
def request_create(*, access, owner=None, survey_response=None, opened_at=None, **fields) -> ServiceRequest:
    """Open a request (numbered GD-…) with first-response and resolution deadlines in the tenant's working hours."""
    require(access, "feedback.add_servicerequest")
    check_tenant(access, fields.get("account"), fields.get("contact"), fields.get("project"), survey_response)
    if fields.get("account") is None:
        raise ApplicationError(_("Choose the customer."), errors={"account": [_("Required.")]})
    check_member(access, owner)
    # The owner column is required: until someone is assigned, the person who opened it holds a `new` request.
    status = S.ASSIGNED if owner is not None else S.NEW
    owner = owner or actor_of(access)
    if owner is None:
        raise ApplicationError(_("Choose the assignee."), errors={"owner": [_("Required.")]})
    request = ServiceRequest(
        tenant_id=access.tenant_id,
        owner=owner,
        survey_response=survey_response,
        status=status,
        opened_at=opened_at or timezone.now(),
    )
    set_fields(request, fields, REQUEST_FIELDS)
    request.stamp_automation()
    full_clean(request, exclude=["number", "owner"])
    _check_links(request)
    _set_deadlines(request)
    request.number = number_next(tenant_id=access.tenant_id, object_type="feedback.servicerequest", default_prefix="GD")
    request.save()
    audit_record(obj=request, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(request))
    emit(events.REQUEST_CREATED, tenant=access.membership.tenant, actor=actor_of(access), payload=_payload(request))
    return request


def _locked(access, request: ServiceRequest) -> ServiceRequest:
    check_tenant(access, request)
    return ServiceRequest.objects.select_for_update().get(pk=request.pk)


@transaction.atomic
def request_update(*, access, request: ServiceRequest, owner=None, **fields) -> ServiceRequest:
    """Change what the request is about; a new priority recomputes the deadlines from when it was opened.

    An `owner` hands it over as `request_assign` does (automation's update and assign actions come this way).
    """
    require(access, "feedback.change_servicerequest")
    if owner is not None:
        request = request_assign(access=access, request=request, owner=owner)
        if not fields:
            return request
    check_tenant(access, fields.get("account"), fields.get("contact"), fields.get("project"))
    request = _locked(access, request)
    before = snapshot(request)
    priority = request.priority
    set_fields(request, fields, REQUEST_FIELDS)
    full_clean(request, exclude=["owner"])
    _check_links(request)
    if request.priority != priority:
        _set_deadlines(request)
    request.save()
    audit_record(obj=request, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=snapshot(request))
    return request


def _change_status(access, request: ServiceRequest, status: str, before: dict) -> ServiceRequest:
    old = request.status
    now = timezone.now()
    request.status = status
    if old == S.NEW and request.first_response_at is None:
        request.first_response_at = now
    if status == S.RESOLVED:
        request.resolved_at = now
    elif status == S.CLOSED:
        request.closed_at = now
        request.resolved_at = request.resolved_at or now
    elif old in (S.RESOLVED, S.CLOSED):
        request.reopened += 1
        request.resolved_at = None
        request.closed_at = None
    request.save()
    audit_record(obj=request, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=snapshot(request))
    emit(
        events.REQUEST_STATUS_CHANGED,
        tenant=access.membership.tenant,
        actor=actor_of(access),
        payload=_payload(request, old_status=old),
    )
    return request


@transaction.atomic
def request_assign(*, access, request: ServiceRequest, owner) -> ServiceRequest:
    """Give the request to a person; a new request becomes assigned."""
    require(access, "feedback.change_servicerequest")
    if owner is None:
        raise ApplicationError(_("Choose the assignee."), errors={"owner": [_("Required.")]})
    check_member(access, owner)
    request = _locked(access, request)
    before = snapshot(request)
    request.owner = owner
    if request.status == S.NEW:
        return _change_status(access, request, S.ASSIGNED, before)
    request.save()
    audit_record(obj=request, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=snapshot(request))
    return request


@transaction.atomic
def request_transition(*, access, request: ServiceRequest, status: str, resolution: str = "") -> ServiceRequest:
    """Move the request on; resolving needs the resolution, reopening a resolved or closed one counts."""
    require(access, "feedback.change_servicerequest")
    request = _locked(access, request)
    if status not in S.values:
        raise ApplicationError(_("Unknown status."), errors={"status": [_("Invalid.")]})
    if status == request.status:
        return request
    if status not in TRANSITIONS[request.status]:
        message = _("A request cannot move from “%(old)s” to “%(new)s”.") % {
            "old": S(request.status).label,
            "new": S(status).label,
        }
        raise ApplicationError(message, errors={"status": [message]}, code="transition")
    if status == S.ASSIGNED and request.owner_id is None:
        message = _("Assign the request to someone first.")
        raise ApplicationError(message, errors={"owner": [message]})
    before = snapshot(request)
    resolution = (resolution or "").strip()
    if status == S.RESOLVED:
        if not resolution and not request.resolution:
            message = _("Describe how the request was resolved.")
            raise ApplicationError(message, errors={"resolution": [message]})
        request.resolution = resolution or request.resolution
    return _change_status(access, request, status, before)


@transaction.atomic
def request_delete(*, access, request: ServiceRequest) -> None:
    """Move a request to the recycle bin."""
    check_tenant(access, request)
    record_soft_delete(access=access, obj=request)
