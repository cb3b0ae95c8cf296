"""Writing resources (资源): people and crews (班组) with their skill levels, the skills list, and leave (请假).

Every write checks the permission, validates before it touches a row (bad input changes nothing), is audited and
emits the resources events; leave changes carry their dates so the conflicts can be refreshed for those days.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.errors import ApplicationError
from tandem.core.events import emit
from tandem.core.services import actor_of, check_member, check_tenant, full_clean, require, set_fields, tenant_users
from tandem.resources import events
from tandem.resources.choices import ResourceKind
from tandem.resources.models import Leave, Resource, ResourceSkill, Skill

RESOURCE_FIELDS = (
    "kind",
    "name",
    "code",
    "user",
    "department",
    "headcount",
    "hours_per_day",
    "calendar",
    "cost_rate",
    "bill_rate",
    "notes",
    "is_active",
)
SKILL_FIELDS = ("name", "description")
LEAVE_FIELDS = ("kind", "start", "end", "hours_off", "note")
LONGEST_LEAVE = timedelta(days=366)


@dataclass(frozen=True)
class SkillLevel:
    """One line of a resource's skills as a form or the API gives it: the skill and its level (1–5)."""

    skill: Skill
    level: int


def _refuse(field: str, message: str):
    raise ApplicationError(message, errors={field: [message]})


# --- resources -----------------------------------------------------------------------------------------------


def _skill_levels(resource: Resource) -> dict[str, int]:
    return {row.skill.name: row.level for row in resource.skill_levels.select_related("skill")}


def _resource_state(resource: Resource) -> dict:
    """The audited state: the resource's fields and its skills by name with their levels."""
    state = snapshot(resource)
    state.pop("skills", None)
    state["skill_levels"] = _skill_levels(resource) if resource.pk else {}
    return state


def _check_skills(access, skills: Iterable) -> list[SkillLevel]:
    """The skill lines, refused as a whole when one is not a skill of the tenant, repeats one or has no level 1–5.

    Errors are keyed `skills[i]` so a form shows them on the i-th line."""
    lines = [item if isinstance(item, SkillLevel) else SkillLevel(*item) for item in skills]
    errors: dict = {}
    seen: set[int] = set()
    for index, line in enumerate(lines):
        key = f"skills[{index}]"
        if line.skill is None or line.skill.tenant_id != access.tenant_id:
            errors[key] = {"skill": [_("Not found.")]}
        elif line.skill.pk in seen:
            errors[key] = {"skill": [_("“%(name)s” is listed twice.") % {"name": line.skill.name}]}
        elif not isinstance(line.level, int) or isinstance(line.level, bool) or not 1 <= line.level <= 5:
            errors[key] = {"level": [_("A level is from 1 (basic) to 5 (expert).")]}
        if line.skill is not None:
            seen.add(line.skill.pk)
    if errors:
        raise ApplicationError(_("Please correct the skills."), errors=errors)
    return lines


def _check_resource(access, resource: Resource, *, user_changed: bool = True) -> None:
    """What the model cannot say alone: the member is free and in the tenant, a crew has no member, a person is one
    person, the name is free."""
    errors: dict[str, list[str]] = {}
    if resource.kind == ResourceKind.CREW and resource.user_id:
        errors["user"] = [_("A crew is not linked to a member; link each person instead.")]
    if resource.kind == ResourceKind.PERSON and resource.headcount != 1:
        errors["headcount"] = [_("A person has a headcount of 1; make it a crew for more.")]
    if resource.user_id and user_changed:
        # A member who has left keeps the resource linked; only a new link must be an active member.
        check_member(access, resource.user, field="user")
        other = (
            Resource.objects.filter(tenant_id=access.tenant_id, user_id=resource.user_id)
            .exclude(pk=resource.pk)
            .first()
        )
        if other is not None:
            message = _("%(member)s is already linked to the resource “%(name)s”.") % {
                "member": resource.user,
                "name": other.name,
            }
            errors["user"] = [message]
    name_taken = (
        Resource.objects.filter(tenant_id=access.tenant_id, name=resource.name.strip()).exclude(pk=resource.pk).exists()
    )
    if resource.name.strip() and name_taken:
        errors["name"] = [_("Another resource is already called “%(name)s”.") % {"name": resource.name.strip()}]
    if errors:
        raise ApplicationError(_("Please correct the errors below."), errors=errors)


def _write_skills(access, resource: Resource, lines: list[SkillLevel]) -> None:
    """Make the resource's skills exactly these lines (levels changed in place, others added or removed)."""
    current = {row.skill_id: row for row in resource.skill_levels.all()}
    wanted = {line.skill.pk: line.level for line in lines}
    ResourceSkill.objects.filter(resource=resource).exclude(skill_id__in=wanted).delete()
    for skill_id, level in wanted.items():
        row = current.get(skill_id)
        if row is None:
            ResourceSkill.objects.create(tenant_id=access.tenant_id, resource=resource, skill_id=skill_id, level=level)
        elif row.level != level:
            row.level = level
            row.save(update_fields=["level", "updated_at"])


def _clean(resource: Resource) -> None:
    resource.name = (resource.name or "").strip()
    resource.code = (resource.code or "").strip()
    full_clean(resource, exclude=["tenant", "skills"], validate_unique=False, validate_constraints=False)


@transaction.atomic
def resource_create(*, access, skills: Iterable | None = None, **fields) -> Resource:
    """Add a person (linked to a member or not) or a crew, with its skills at their levels."""
    require(access, "resources.add_resource")
    check_tenant(access, fields.get("department"), fields.get("calendar"))
    resource = Resource(tenant_id=access.tenant_id)
    set_fields(resource, fields, RESOURCE_FIELDS)
    _clean(resource)
    _check_resource(access, resource)
    lines = _check_skills(access, skills or [])
    resource.save()
    _write_skills(access, resource, lines)
    actor = actor_of(access)
    audit_record(obj=resource, action=AuditAction.CREATE, actor=actor, after=_resource_state(resource))
    emit(
        events.RESOURCE_CREATED,
        tenant=access.tenant_id,
        actor=actor,
        payload={"resource_id": resource.pk, "name": resource.name, "kind": resource.kind},
    )
    return resource


def _locked(access, resource: Resource) -> Resource:
    check_tenant(access, resource)
    return Resource.objects.select_for_update().get(pk=resource.pk)


def _save_update(access, resource: Resource, before: dict) -> Resource:
    after = _resource_state(resource)
    changed = sorted(key for key in after if before.get(key) != after.get(key) and key != "updated_at")
    if changed:
        audit_record(obj=resource, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=after)
        emit(
            events.RESOURCE_UPDATED,
            tenant=access.tenant_id,
            actor=actor_of(access),
            payload={"resource_id": resource.pk, "changed": changed},
        )
    return resource


@transaction.atomic
def resource_update(*, access, resource: Resource, skills: Iterable | None = None, **fields) -> Resource:
    """Change a resource; `skills`, when given, become its skills (omitted: they stay as they are)."""
    require(access, "resources.change_resource")
    check_tenant(access, fields.get("department"), fields.get("calendar"))
    resource = _locked(access, resource)
    before = _resource_state(resource)
    user_id = resource.user_id
    set_fields(resource, fields, RESOURCE_FIELDS)
    _clean(resource)
    _check_resource(access, resource, user_changed=resource.user_id != user_id)
    lines = _check_skills(access, skills) if skills is not None else None
    resource.save()
    if lines is not None:
        _write_skills(access, resource, lines)
    return _save_update(access, resource, before)


@transaction.atomic
def resource_deactivate(*, access, resource: Resource) -> Resource:
    """Take a resource off new work: it keeps its history, allocations and leave, and no longer counts capacity."""
    require(access, "resources.change_resource")
    resource = _locked(access, resource)
    if not resource.is_active:
        return resource
    before = _resource_state(resource)
    resource.is_active = False
    resource.save(update_fields=["is_active", "updated_at"])
    return _save_update(access, resource, before)


def _free_name(tenant_id: int, name: str, username: str) -> str:
    taken = set(Resource.objects.filter(tenant_id=tenant_id, name__startswith=name).values_list("name", flat=True))
    if name not in taken:
        return name
    candidate = f"{name} ({username})"[:100]
    number = 2
    while candidate in taken:
        candidate = f"{name} ({username} {number})"[:100]
        number += 1
    return candidate


@transaction.atomic
def resource_for_member(*, tenant_id: int, user, actor=None) -> Resource:
    """The person resource of a member, created when the member has none (named after the member; the username is
    added when another resource has the name). Callers have checked their own permission (e.g. to assign a task)."""
    existing = Resource.objects.filter(tenant_id=tenant_id, user=user).first()
    if existing is not None:
        return existing
    if not tenant_users(tenant_id).filter(pk=user.pk).exists():
        _refuse("user", _("Not a member."))
    name = (getattr(user, "display_name", "") or user.get_username()).strip()[:100]
    resource = Resource.objects.create(
        tenant_id=tenant_id, user=user, kind=ResourceKind.PERSON, name=_free_name(tenant_id, name, user.get_username())
    )
    audit_record(obj=resource, action=AuditAction.CREATE, actor=actor, after=_resource_state(resource))
    emit(
        events.RESOURCE_CREATED,
        tenant=tenant_id,
        actor=actor,
        payload={"resource_id": resource.pk, "name": resource.name, "kind": resource.kind},
    )
    return resource


# --- skills --------------------------------------------------------------------------------------------------


def _check_skill_name(access, skill: Skill) -> None:
    skill.name = (skill.name or "").strip()
    skill.description = (skill.description or "").strip()
    full_clean(skill, exclude=["tenant"], validate_unique=False, validate_constraints=False)
    if Skill.objects.filter(tenant_id=access.tenant_id, name=skill.name).exclude(pk=skill.pk).exists():
        _refuse("name", _("There is already a skill called “%(name)s”.") % {"name": skill.name})


@transaction.atomic
def skill_create(*, access, **fields) -> Skill:
    """Add a skill to the tenant's list (电工, 弱电调试 …)."""
    require(access, "resources.add_skill")
    skill = Skill(tenant_id=access.tenant_id)
    set_fields(skill, fields, SKILL_FIELDS)
    _check_skill_name(access, skill)
    skill.save()
    audit_record(obj=skill, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(skill))
    return skill


@transaction.atomic
def skill_update(*, access, skill: Skill, **fields) -> Skill:
    """Rename or describe a skill; the resources that have it keep it."""
    require(access, "resources.change_skill")
    check_tenant(access, skill)
    skill = Skill.objects.select_for_update().get(pk=skill.pk)
    before = snapshot(skill)
    set_fields(skill, fields, SKILL_FIELDS)
    _check_skill_name(access, skill)
    skill.save()
    audit_record(obj=skill, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=snapshot(skill))
    return skill


@transaction.atomic
def skill_delete(*, access, skill: Skill) -> None:
    """Remove a skill no resource has; one in use is refused, naming how many resources have it."""
    require(access, "resources.delete_skill")
    check_tenant(access, skill)
    holders = ResourceSkill.objects.filter(skill=skill).count()
    if holders:
        message = _("“%(name)s” is a skill of %(count)d resource(s); remove it from them before deleting it.") % {
            "name": skill.name,
            "count": holders,
        }
        raise ApplicationError(message, errors={"skill": [message]}, code="in_use")
    audit_record(obj=skill, action=AuditAction.DELETE, actor=actor_of(access), before=snapshot(skill))
    skill.delete()


# --- leave ---------------------------------------------------------------------------------------------------


def _check_leave(access, leave: Leave) -> None:
    """Dates in order, at most a year, and not overlapping another leave of the same resource."""
    leave.note = (leave.note or "").strip()
    full_clean(leave, exclude=["tenant", "created_by"], validate_unique=False, validate_constraints=False)
    if leave.end < leave.start:
        _refuse("end", _("The leave cannot end before it starts."))
    if leave.end - leave.start >= LONGEST_LEAVE:
        _refuse("end", _("Enter leave of at most a year at a time."))
    clash = (
        Leave.objects.filter(resource_id=leave.resource_id, start__lte=leave.end, end__gte=leave.start)
        .exclude(pk=leave.pk)
        .order_by("start")
        .first()
    )
    if clash is not None:
        message = _("%(name)s is already away from %(start)s to %(end)s.") % {
            "name": leave.resource.name,
            "start": clash.start.isoformat(),
            "end": clash.end.isoformat(),
        }
        raise ApplicationError(message, errors={"start": [message]}, code="overlap")


def _leave_changed(access, resource_id: int, start: date, end: date) -> None:
    emit(
        events.LEAVE_CHANGED,
        tenant=access.tenant_id,
        actor=actor_of(access),
        payload={"resource_id": resource_id, "start": start.isoformat(), "end": end.isoformat()},
    )


@transaction.atomic
def leave_create(*, access, resource: Resource, **fields) -> Leave:
    """Record days a resource is away (or works `hours_off` fewer hours a day)."""
    require(access, "resources.add_leave")
    check_tenant(access, resource)
    resource = Resource.objects.select_for_update().get(pk=resource.pk)  # two clerks cannot book overlapping leave
    leave = Leave(tenant_id=access.tenant_id, resource=resource, created_by=actor_of(access))
    set_fields(leave, fields, LEAVE_FIELDS)
    for field in ("start", "end"):
        if getattr(leave, field, None) is None:
            _refuse(field, _("Enter the date."))
    _check_leave(access, leave)
    if leave.created_by is None:
        _refuse("created_by", _("Leave is recorded by a person."))
    leave.save()
    audit_record(obj=leave, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(leave))
    _leave_changed(access, resource.pk, leave.start, leave.end)
    return leave


@transaction.atomic
def leave_update(*, access, leave: Leave, **fields) -> Leave:
    """Change a leave's dates, kind, hours or note; the conflicts hear of the old and the new days."""
    require(access, "resources.change_leave")
    check_tenant(access, leave)
    Resource.objects.select_for_update().filter(pk=leave.resource_id).first()
    leave = Leave.objects.select_related("resource").get(pk=leave.pk)
    before = snapshot(leave)
    old_start, old_end = leave.start, leave.end
    set_fields(leave, fields, LEAVE_FIELDS)
    for field in ("start", "end"):
        if getattr(leave, field, None) is None:
            _refuse(field, _("Enter the date."))
    _check_leave(access, leave)
    leave.save()
    audit_record(obj=leave, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=snapshot(leave))
    _leave_changed(access, leave.resource_id, min(old_start, leave.start), max(old_end, leave.end))
    return leave


@transaction.atomic
def leave_delete(*, access, leave: Leave) -> None:
    """Remove a leave; the resource is available on those days again."""
    require(access, "resources.delete_leave")
    check_tenant(access, leave)
    leave = Leave.objects.select_related("resource").get(pk=leave.pk)  # the dates as stored, not as last read
    audit_record(obj=leave, action=AuditAction.DELETE, actor=actor_of(access), before=snapshot(leave))
    resource_id, start, end = leave.resource_id, leave.start, leave.end
    leave.delete()
    _leave_changed(access, resource_id, start, end)
