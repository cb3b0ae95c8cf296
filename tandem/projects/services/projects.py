"""Projects: create, change, complete, delete; team shares; dated status updates."""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.calendars.models import WorkCalendar
from tandem.calendars.services.calendars import calendar_default
from tandem.core.errors import ApplicationError
from tandem.core.events import emit
from tandem.core.models import RecordShare
from tandem.core.services import actor_of, check_tenant, full_clean, member_users, require
from tandem.projects import events, selectors
from tandem.projects.choices import Health, ProjectStatus, TaskStatus
from tandem.projects.models import Project, ProjectStatusUpdate
from tandem.projects.services.scheduling import project_reschedule
from tandem.records.services.numbering import number_next
from tandem.records.services.recycle_bin import record_soft_delete

NUMBER_TYPE = "projects.project"
NUMBER_PREFIX = "XM"
EDITABLE = (
    "code",
    "name",
    "description",
    "account_id",
    "deal_id",
    "contract_id",
    "start_date",
    "start_time",
    "planned_finish",
    "contract_finish",
    "health",
    "status_date",
    "budget",
    "contact_ids",
)
# Fields the schedule depends on: changing one reschedules the project.
SCHEDULE_FIELDS = {"start_date", "start_time", "status_date", "calendar"}


def _owner(access, owner):
    if owner is None:
        return actor_of(access)
    return member_users(access.tenant_id, [owner.pk], field="owner")[0]


def _calendar(access, calendar: WorkCalendar | None) -> WorkCalendar:
    if calendar is None:
        return calendar_default(tenant_id=access.tenant_id)
    check_tenant(access, calendar)
    return calendar


def _check_crm_links(project: Project) -> None:
    """The customer, deal and contract must be this tenant's, and the deal and contract the customer's."""
    from tandem.crm.models import Account, Contact, Contract, Deal

    tenant_id, errors = project.tenant_id, {}
    if project.account_id and not Account.objects.filter(tenant_id=tenant_id, pk=project.account_id).exists():
        errors["account_id"] = [_("No such customer.")]
    for field, model, missing in (
        ("deal_id", Deal, _("No such deal.")),
        ("contract_id", Contract, _("No such contract.")),
    ):
        pk = getattr(project, field)
        if not pk:
            continue
        row = model.objects.filter(tenant_id=tenant_id, pk=pk).values("account_id").first()
        if row is None:
            errors[field] = [missing]
        elif project.account_id and row["account_id"] != project.account_id:
            errors[field] = [_("It belongs to another customer.")]
    contacts = project.contact_ids
    if not isinstance(contacts, list) or not all(isinstance(c, int) and not isinstance(c, bool) for c in contacts):
        errors["contact_ids"] = [_("Give the customer contacts as a list of contact ids.")]
    elif contacts:
        known = Contact.objects.filter(tenant_id=tenant_id, pk__in=contacts)
        if project.account_id:
            # The customer's contacts, and the deal's contact even when not filed under the account.
            deal_contact = Deal.objects.filter(tenant_id=tenant_id, pk=project.deal_id).values("contact_id")
            known = known.filter(Q(account_links__account_id=project.account_id) | Q(pk__in=deal_contact))
        if set(known.values_list("pk", flat=True)) != set(contacts):
            errors["contact_ids"] = [_("Pick contacts of the project's customer.")]
    if errors:
        raise ApplicationError(_("Check the customer, deal and contract of the project."), errors=errors)


def _check_dates(project: Project) -> None:
    errors = {}
    if project.planned_finish and project.planned_finish < project.start_date:
        errors["planned_finish"] = [_("The planned finish is before the start.")]
    if project.contract_finish and project.contract_finish < project.start_date:
        errors["contract_finish"] = [_("The contract finish date is before the start.")]
    if project.budget is not None and project.budget < 0:
        errors["budget"] = [_("The budget cannot be negative.")]
    if errors:
        raise ApplicationError(_("Please correct the errors below."), errors=errors)


def team_shares_sync(*, project: Project, before: set[int], after: set[int]) -> None:
    """Team members (相关团队) read the project through record shares; leaving the team removes the read share."""
    content_type = ContentType.objects.get_for_model(Project)
    for user_id in after - before - {project.owner_id}:
        RecordShare.objects.get_or_create(
            tenant_id=project.tenant_id,
            content_type=content_type,
            object_id=project.pk,
            user_id=user_id,
            defaults={"level": RecordShare.Level.READ},
        )
    RecordShare.objects.filter(
        tenant_id=project.tenant_id,
        content_type=content_type,
        object_id=project.pk,
        user_id__in=before - after,
        level=RecordShare.Level.READ,
    ).delete()


@transaction.atomic
def project_create(
    *,
    access,
    name: str,
    start_date: date,
    owner=None,
    team=(),
    calendar: WorkCalendar | None = None,
    status: str = ProjectStatus.PLANNING,
    template_id: int | None = None,
    reschedule: bool = True,
    **fields,
) -> Project:
    """A new project numbered XM-YYYYMMDD-NNNN; the caller is its PM unless `owner` names another member.

    `reschedule=False` leaves the (empty) schedule to the caller, who adds tasks and reschedules in the same
    transaction (templates, imports).
    """
    require(access, "projects.add_project")
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ApplicationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    if status in (ProjectStatus.COMPLETED, ProjectStatus.CANCELLED):
        raise ApplicationError(_("A new project cannot start completed or cancelled."), errors={"status": [status]})
    project = Project(
        tenant_id=access.tenant_id,
        owner=_owner(access, owner),
        name=name.strip(),
        start_date=start_date,
        calendar=_calendar(access, calendar),
        status=status,
        **fields,
    )
    project.number = number_next(tenant_id=access.tenant_id, object_type=NUMBER_TYPE, default_prefix=NUMBER_PREFIX)
    full_clean(project)
    _check_dates(project)
    _check_crm_links(project)
    project.save()
    members = member_users(access.tenant_id, [u.pk for u in team], field="team")
    project.team.set(members)
    team_shares_sync(project=project, before=set(), after={u.pk for u in members})
    audit_record(obj=project, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(project))
    payload = {"project_id": project.pk, "number": project.number, "name": project.name, "owner_id": project.owner_id}
    if template_id:
        payload["template_id"] = template_id
    emit(events.PROJECT_CREATED, tenant=access.membership.tenant, payload=payload, actor=actor_of(access))
    if reschedule:
        project_reschedule(project=project)
    return project


def _completion(
    access, project: Project, *, reason: str, complete_open_tasks: bool, field: str = "completion_reason"
) -> dict:
    """What completing the project with work still open needs: nothing when every task is done; else the open
    tasks completed with it, or a reason (kept as a status update), or a refusal that says how many are open.
    Returns what the audit row records about it; `field` names the reason in a refusal."""
    open_count, total = selectors.task_counts(project=project)
    if not open_count:
        return {}
    if complete_open_tasks:
        from tandem.projects.services.progress import task_status_set

        now = timezone.now()
        for task in selectors.open_tasks(project=project).select_related("project", "calendar"):
            task_status_set(access=access, task=task, status=TaskStatus.DONE, now=now, reschedule=False)
        project_reschedule(project=project)
        return {"open_tasks": open_count, "open_tasks_completed": True}
    reason = (reason or "").strip()
    if not reason:
        message = ngettext(
            "%(open)d of %(total)d tasks is not done yet. Give a reason for completing the project anyway, "
            "or complete the open tasks with it.",
            "%(open)d of %(total)d tasks are not done yet. Give a reason for completing the project anyway, "
            "or complete the open tasks with it.",
            open_count,
        ) % {"open": open_count, "total": total}
        raise ApplicationError(message, errors={field: [message]}, code="open_tasks")
    note = _("Completed with %(open)d of %(total)d tasks not done: %(reason)s") % {
        "open": open_count,
        "total": total,
        "reason": reason,
    }
    project_status_update_add(access=access, project=project, text=note, health=project.health)
    return {"open_tasks": open_count, "completion_reason": reason}


@transaction.atomic
def project_update(
    *, access, project: Project, completion_reason: str = "", complete_open_tasks: bool = False, **fields
) -> Project:
    """Change a project's fields, PM, team, calendar or status; the schedule follows. Completing a project whose
    tasks are not all done needs a `completion_reason` or `complete_open_tasks` (see `project_complete`)."""
    require(access, "projects.change_project")
    check_tenant(access, project)
    unknown = set(fields) - set(EDITABLE) - {"owner", "team", "calendar", "status"}
    if unknown:
        raise ApplicationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    before = snapshot(project)
    old_team = set(before.get("team", []))
    status = fields.pop("status", None)
    completion = {}
    if status == ProjectStatus.COMPLETED and project.status != ProjectStatus.COMPLETED:
        _check_completable(project, status)
        completion = _completion(access, project, reason=completion_reason, complete_open_tasks=complete_open_tasks)
    for name in EDITABLE:
        if name in fields:
            setattr(project, name, fields[name].strip() if name in ("code", "name") else fields[name])
    if "owner" in fields:
        project.owner = _owner(access, fields["owner"])
    if "calendar" in fields:
        project.calendar = _calendar(access, fields["calendar"])
    full_clean(project)
    _check_dates(project)
    if {"account_id", "deal_id", "contract_id", "contact_ids"} & set(fields):
        _check_crm_links(project)
    project.save()
    if "team" in fields:
        members = member_users(access.tenant_id, [u.pk for u in fields["team"]], field="team")
        project.team.set(members)
        team_shares_sync(project=project, before=old_team, after={u.pk for u in members})
    if status is not None and status != project.status:
        _set_status(access, project, status)
    after = {**snapshot(project), **completion}
    entry = audit_record(obj=project, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=after)
    if entry is not None:
        changed = sorted(k for k in after if before.get(k) != after.get(k))
        emit(
            events.PROJECT_UPDATED,
            tenant=access.membership.tenant,
            payload={"project_id": project.pk, "changed": changed},
            actor=actor_of(access),
        )
    if SCHEDULE_FIELDS & set(fields):
        project_reschedule(project=project)
    return project


def _check_completable(project: Project, status: str) -> None:
    if project.status == ProjectStatus.CANCELLED and status == ProjectStatus.COMPLETED:
        raise ApplicationError(
            _("A cancelled project cannot be completed; reopen it first."),
            errors={"status": [status]},
            code="cancelled",
        )


def _set_status(access, project: Project, status: str) -> None:
    if status not in ProjectStatus.values:
        raise ApplicationError(_("Unknown status."), errors={"status": [status]})
    old = project.status
    _check_completable(project, status)
    project.status = status
    first_completion = status == ProjectStatus.COMPLETED and project.completed_at is None
    if first_completion:
        project.completed_at = timezone.now()
    project.save(update_fields=["status", "completed_at", "updated_at"])
    emit(
        events.PROJECT_STATUS_CHANGED,
        tenant=access.membership.tenant,
        payload={"project_id": project.pk, "from": old, "to": status},
        actor=actor_of(access),
    )
    # Completion is announced once in a project's life (an NPS survey must not go out twice).
    if first_completion:
        emit(
            events.PROJECT_COMPLETED,
            tenant=access.membership.tenant,
            payload={
                "project_id": project.pk,
                "number": project.number,
                "name": project.name,
                "owner_id": project.owner_id,
                "account_id": project.account_id,
                "contract_id": project.contract_id,
                "completed_at": project.completed_at,
            },
            actor=actor_of(access),
        )


@transaction.atomic
def project_complete(*, access, project: Project, reason: str = "", complete_open_tasks: bool = False) -> Project:
    """Mark a project completed (emits `projects.project.completed` once); completing again changes nothing.

    While tasks are open it is refused unless `complete_open_tasks` (they are marked done, up to now) or a
    `reason` is given (kept as a status update and in the audit trail)."""
    require(access, "projects.change_project")
    check_tenant(access, project)
    if project.status == ProjectStatus.COMPLETED:
        return project
    if project.status == ProjectStatus.CANCELLED:
        raise ApplicationError(_("A cancelled project cannot be completed; reopen it first."), code="cancelled")
    before = snapshot(project)
    completion = _completion(access, project, reason=reason, complete_open_tasks=complete_open_tasks, field="reason")
    _set_status(access, project, ProjectStatus.COMPLETED)
    after = {**snapshot(project), **completion}
    audit_record(obj=project, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=after)
    return project


@transaction.atomic
def project_delete(*, access, project: Project) -> None:
    """Move a project (with its tasks) to the recycle bin."""
    check_tenant(access, project)
    record_soft_delete(access=access, obj=project)
    emit(
        events.PROJECT_DELETED,
        tenant=access.membership.tenant,
        payload={"project_id": project.pk},
        actor=actor_of(access),
    )


@transaction.atomic
def project_status_update_add(
    *, access, project: Project, text: str, health: str, date: date | None = None
) -> ProjectStatusUpdate:
    """Record a dated status note; the project's health becomes the note's."""
    require(access, "projects.change_project")
    check_tenant(access, project)
    if health not in Health.values:
        raise ApplicationError(_("Unknown health."), errors={"health": [health]})
    update = ProjectStatusUpdate(
        tenant_id=project.tenant_id,
        project=project,
        date=date or timezone.localdate(),
        health=health,
        text=text.strip(),
        author=actor_of(access),
    )
    full_clean(update)
    update.save()
    audit_record(obj=update, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(update))
    if project.health != health:
        project_update(access=access, project=project, health=health)
    return update
