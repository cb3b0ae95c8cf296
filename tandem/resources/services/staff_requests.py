"""Requests for extra staff (增援申请): raised from a conflict's suggestion or by hand, filled or declined by the
resource managers (`ResourceSettings.managers`), who are notified of each new one."""

from __future__ import annotations

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.errors import ApplicationError
from tandem.core.events import emit
from tandem.core.services import actor_of, check_tenant, full_clean, require, set_fields
from tandem.resources import events
from tandem.resources.choices import StaffRequestStatus
from tandem.resources.models import ResourceSettings, Skill, StaffRequest

S = StaffRequestStatus
FIELDS = ("conflict", "project", "task", "skill", "start", "end", "hours", "note")


def plain(value) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def managers_of(tenant_id: int) -> list[int]:
    """The user ids of the tenant's resource managers."""
    settings = ResourceSettings.objects.filter(tenant_id=tenant_id).first()
    if settings is None:
        return []
    return list(settings.managers.filter(memberships__tenant_id=tenant_id).values_list("pk", flat=True).distinct())


def _notify(request: StaffRequest) -> int:
    from tandem.notifications.services.notifications import notification_send

    recipients = managers_of(request.tenant_id)
    with translation.override(request.tenant.locale):
        try:
            url = reverse("resources:staff_request_list")
        except NoReverseMatch:
            url = ""
        title = _("Staff request %(number)s: %(project)s") % {"number": request.number, "project": request.project}
        body = _("%(skill)s, %(hours)s hours, %(start)s – %(end)s.") % {
            "skill": request.skill or _("any skill"),
            "hours": plain(request.hours),
            "start": request.start.isoformat(),
            "end": request.end.isoformat(),
        }
        for recipient in recipients:
            notification_send(tenant_id=request.tenant_id, recipient_id=recipient, title=title, body=body, url=url)
    return len(recipients)


def _payload(request: StaffRequest) -> dict:
    return {
        "request_id": request.pk,
        "project_id": request.project_id,
        "task_id": request.task_id,
        "skill_id": request.skill_id,
        "hours": str(request.hours),
        "start": request.start.isoformat(),
        "end": request.end.isoformat(),
    }


@transaction.atomic
def staff_request_create(*, access, skill_id: int | None = None, **fields) -> StaffRequest:
    """Raise a request (numbered ZY-…) and notify the resource managers."""
    from tandem.records.services.numbering import number_next

    require(access, "resources.add_staffrequest")
    if skill_id is not None and "skill" not in fields:
        fields["skill"] = Skill.objects.filter(tenant_id=access.tenant_id, pk=skill_id).first()
    check_tenant(access, fields.get("conflict"), fields.get("project"), fields.get("task"), fields.get("skill"))
    if fields.get("project") is None:
        raise ApplicationError(_("Choose the project."), errors={"project": [_("Required.")]})
    task = fields.get("task")
    if task is not None and task.project_id != fields["project"].pk:
        message = _("This task is not a task of the project.")
        raise ApplicationError(message, errors={"task": [message]})
    request = StaffRequest(tenant_id=access.tenant_id, requested_by=actor_of(access))
    set_fields(request, fields, FIELDS)
    full_clean(request, exclude=["number"])
    if request.end < request.start:
        message = _("The end date must not be before the start date.")
        raise ApplicationError(message, errors={"end": [message]})
    if request.hours <= 0:
        message = _("Enter the hours needed.")
        raise ApplicationError(message, errors={"hours": [message]})
    request.number = number_next(tenant_id=access.tenant_id, object_type="resources.staffrequest", default_prefix="ZY")
    request.save()
    audit_record(obj=request, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(request))
    emit(events.STAFF_REQUESTED, tenant=access.membership.tenant, actor=actor_of(access), payload=_payload(request))
    _notify(request)
    return request


def _locked_open(access, request: StaffRequest) -> StaffRequest:
    check_tenant(access, request)
    request = StaffRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != S.OPEN:
        message = _("This request is already %(status)s.") % {"status": request.get_status_display()}
        raise ApplicationError(message, code="closed")
    return request


@transaction.atomic
def staff_request_update(*, access, request: StaffRequest, **fields) -> StaffRequest:
    """Change an open request's dates, hours, skill or note."""
    require(access, "resources.change_staffrequest")
    check_tenant(access, fields.get("skill"))
    request = _locked_open(access, request)
    before = snapshot(request)
    set_fields(request, fields, ("skill", "start", "end", "hours", "note"))
    full_clean(request)
    if request.end < request.start:
        message = _("The end date must not be before the start date.")
        raise ApplicationError(message, errors={"end": [message]})
    request.save()
    audit_record(obj=request, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=snapshot(request))
    return request


@transaction.atomic
def staff_request_fulfil(*, access, request: StaffRequest, resource=None, note: str = "") -> StaffRequest:
    """Mark the request filled, by the resource found when one is named."""
    require(access, "resources.change_staffrequest")
    check_tenant(access, resource)
    request = _locked_open(access, request)
    before = snapshot(request)
    request.status = S.FULFILLED
    request.filled_by = resource
    if note.strip():
        request.note = f"{request.note}\n{note.strip()}".strip()
    request.save()
    audit_record(obj=request, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=snapshot(request))
    return request


@transaction.atomic
def staff_request_decline(*, access, request: StaffRequest, note: str = "") -> StaffRequest:
    """Decline the request, saying why."""
    require(access, "resources.change_staffrequest")
    request = _locked_open(access, request)
    before = snapshot(request)
    request.status = S.DECLINED
    if note.strip():
        request.note = f"{request.note}\n{note.strip()}".strip()
    request.save()
    audit_record(obj=request, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=snapshot(request))
    return request
