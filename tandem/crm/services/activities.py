"""Writing activities (跟进记录); a follow-up updates the account's last follow-up and the lead's first response."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.errors import ApplicationError
from tandem.core.events import emit
from tandem.core.services import actor_of, check_member, check_tenant, ensure_visible, full_clean, require, set_fields
from tandem.crm import events
from tandem.crm.choices import ActivityKind, LeadStatus
from tandem.crm.models import Account, Activity, Lead
from tandem.crm.models.common import project_model

ACTIVITY_FIELDS = (
    "kind",
    "subject",
    "content",
    "occurred_at",
    "due_at",
    "done",
    "next_contact_on",
    "account",
    "contact",
    "lead",
    "deal",
    "project_id",
)
SUMMARY_LENGTH = 200


def _fill_account(activity: Activity) -> None:
    """A follow-up on a deal, a contact or a converted lead also belongs to that customer's history."""
    if activity.account_id is not None:
        return
    if activity.deal_id is not None:
        activity.account_id = activity.deal.account_id
    elif activity.contact_id is not None:
        link = activity.contact.account_links.order_by("-is_primary", "id").first()
        activity.account_id = link.account_id if link else None
    elif activity.lead_id is not None:
        activity.account_id = activity.lead.converted_account_id


def _check_project(activity: Activity) -> None:
    """A follow-up may name a project of the same tenant only."""
    if activity.project_id is None:
        return
    project = project_model()
    if project is None or not project.objects.filter(tenant_id=activity.tenant_id, pk=activity.project_id).exists():
        raise ApplicationError(_("No such project."), errors={"project_id": [_("No such project.")]})


def _is_follow_up(activity: Activity) -> bool:
    """Calls, visits, messages and notes are follow-ups; a task is one once it is done. A note an automation rule
    wrote is not: nobody talked to the customer, so it neither answers a lead nor resets the account's clock."""
    if activity.automation_rule_id is not None:
        return False
    return activity.kind != ActivityKind.TASK or activity.done


def summary_of(activity: Activity) -> str:
    text = f"{activity.get_kind_display()}: {activity.subject}"
    return text[:SUMMARY_LENGTH]


def _touch(activity: Activity, actor=None, *, was_follow_up: bool = False) -> None:
    """Record the follow-up on the account (if it is the latest) and as the lead's first response; a new
    follow-up with a customer is announced (a detractor's recovery waits for one)."""
    if not _is_follow_up(activity):
        return
    when = activity.done_at if activity.kind == ActivityKind.TASK and activity.done_at else activity.occurred_at
    if activity.account_id is not None and not was_follow_up:
        payload = {"activity_id": activity.pk, "account_id": activity.account_id, "project_id": activity.project_id}
        emit(events.FOLLOW_UP_LOGGED, tenant=activity.tenant_id, payload=payload, actor=actor)
    if activity.account_id is not None:
        Account.all_objects.filter(pk=activity.account_id).filter(
            Q(last_activity_at__isnull=True) | Q(last_activity_at__lte=when)
        ).update(last_activity_at=when, last_activity_summary=summary_of(activity))
    if activity.lead_id is not None:
        Lead.all_objects.filter(pk=activity.lead_id, first_response_at__isnull=True).update(first_response_at=when)
        Lead.all_objects.filter(pk=activity.lead_id, status=LeadStatus.NEW).update(status=LeadStatus.CONTACTED)


@transaction.atomic
def activity_create(*, access, subject: str, owner=None, **fields) -> Activity:
    """Log a follow-up or plan a task on the records it concerns."""
    require(access, "crm.add_activity")
    check_tenant(access, *(fields.get(f) for f in ("account", "contact", "lead", "deal")))
    owner = owner or actor_of(access)
    check_member(access, owner)
    activity = Activity(tenant_id=access.tenant_id, owner=owner)
    set_fields(activity, {"subject": subject.strip(), **fields}, ACTIVITY_FIELDS)
    if activity.done:
        activity.done_at = timezone.now()
    activity.stamp_automation()
    _fill_account(activity)
    _check_project(activity)
    full_clean(activity)
    activity.save()
    ensure_visible(access, activity)
    _touch(activity, actor_of(access))
    audit_record(obj=activity, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(activity))
    return activity


@transaction.atomic
def activity_update(*, access, activity: Activity, **fields) -> Activity:
    """Change an activity; ticking a task done counts as a follow-up from then."""
    require(access, "crm.change_activity")
    check_tenant(access, activity, *(fields.get(f) for f in ("account", "contact", "lead", "deal")))
    before = snapshot(activity)
    was_done = activity.done
    was_follow_up = _is_follow_up(activity)
    if "subject" in fields:
        fields["subject"] = fields["subject"].strip()
    set_fields(activity, fields, ACTIVITY_FIELDS)
    if activity.done and not was_done:
        activity.done_at = timezone.now()
    elif not activity.done:
        activity.done_at = None
    _fill_account(activity)
    _check_project(activity)
    full_clean(activity)
    activity.save()
    _touch(activity, actor_of(access), was_follow_up=was_follow_up)
    audit_record(
        obj=activity, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=snapshot(activity)
    )
    return activity


@transaction.atomic
def activity_delete(*, access, activity: Activity) -> None:
    """Delete an activity for good (activities have no recycle bin); the deletion is audited."""
    require(access, "crm.delete_activity")
    check_tenant(access, activity)
    audit_record(obj=activity, action=AuditAction.DELETE, actor=actor_of(access), before=snapshot(activity))
    activity.delete()
