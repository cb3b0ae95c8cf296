"""Choosing a person for a record: a named member, round robin, least loaded by open work, or by skill.

Open work of a member = open projects they manage (planning, active, on hold) + open tasks assigned to them
(below 100 % in such projects). Ties go to the member with the lower id, so the choice is repeatable.

A spec with ``"fallback": "rule_owner"`` never leaves the step without a person: when nobody qualifies, "by skill"
widens to the role's least-loaded member, then the rule's owner is picked, then the tenant's first administrator
(a new tenant has no project managers yet, and its won deals still need a project).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.automation.actions import ActionContext, ActionFailed

STRATEGIES = (
    ("user", gettext_lazy("A named person")),
    ("record_owner", gettext_lazy("The record's owner")),
    ("round_robin", gettext_lazy("Round robin")),
    ("least_loaded", gettext_lazy("Least loaded (open work)")),
    ("by_skill", gettext_lazy("By skill, then least loaded")),
)
FALLBACKS = (
    ("", gettext_lazy("Nobody: the step fails")),
    ("rule_owner", gettext_lazy("The rule's owner, else the first administrator")),
)
OPEN_PROJECT = ("planning", "active", "on_hold")
ADMIN_ROLES = ("owner", "admin")


@dataclass(frozen=True)
class Pick:
    """The person picked, and why when it was a fallback ("" when the spec itself found them)."""

    user: object
    fallback: str = ""


def validate_spec(spec) -> list[str]:
    if not isinstance(spec, dict):
        return [_("Choose how to pick the person.")]
    strategy = spec.get("strategy")
    if strategy not in {s for s, _label in STRATEGIES}:
        return [_("Choose how to pick the person.")]
    if strategy == "user" and not isinstance(spec.get("user"), int):
        return [_("Choose the person.")]
    if strategy == "by_skill" and not (isinstance(spec.get("skill"), str) and spec["skill"].strip()):
        return [_("Name the skill.")]
    users = spec.get("users", [])
    if not isinstance(users, list) or not all(isinstance(u, int) for u in users):
        return [_("The candidates must be a list of people.")]
    if not isinstance(spec.get("role", ""), str):
        return [_("The role must be a role key.")]
    if spec.get("fallback", "") not in {key for key, _label in FALLBACKS}:
        return [_("Choose who is picked when nobody qualifies.")]
    return []


def candidates(tenant_id: int, spec: dict) -> list[int]:
    """Active members who may be picked: the listed people, or the members holding `role`, or everyone."""
    from tandem.accounts.models import Membership

    members = Membership.objects.filter(tenant_id=tenant_id, is_active=True, user__is_active=True)
    if spec.get("users"):
        members = members.filter(user_id__in=spec["users"])
    elif spec.get("role"):
        members = members.filter(roles__key=spec["role"])
    rows = list(members.values_list("user_id", "skills").distinct().order_by("user_id"))
    if spec.get("strategy") == "by_skill":
        wanted = spec["skill"].strip().casefold()
        rows = [(uid, skills) for uid, skills in rows if any(str(s).casefold() == wanted for s in skills or [])]
    return [uid for uid, _skills in rows]


def open_work(tenant_id: int, user_ids: list[int]) -> dict[int, int]:
    from tandem.projects.models import Project, Task

    projects = dict(
        Project.objects.filter(tenant_id=tenant_id, owner_id__in=user_ids, status__in=OPEN_PROJECT)
        .values("owner_id")
        .annotate(n=Count("id"))
        .values_list("owner_id", "n")
    )
    tasks = dict(
        Task.objects.filter(
            tenant_id=tenant_id,
            assignees__in=user_ids,
            percent_complete__lt=100,
            is_summary=False,
            project__status__in=OPEN_PROJECT,
            project__deleted_at__isnull=True,
        )
        .values("assignees")
        .annotate(n=Count("id", filter=Q(percent_complete__lt=100)))
        .values_list("assignees", "n")
    )
    return {uid: projects.get(uid, 0) + tasks.get(uid, 0) for uid in user_ids}


def pick_user(ctx: ActionContext, spec: dict, *, cursor_key: str):
    """The user the spec names for this record; ActionFailed when nobody qualifies (and no fallback is set)."""
    return pick(ctx, spec, cursor_key=cursor_key).user


def pick(ctx: ActionContext, spec: dict, *, cursor_key: str) -> Pick:
    """The user the spec names for this record, or its fallback's; ActionFailed when nobody is left."""
    from tandem.accounts.models import User

    strategy = spec.get("strategy")
    if strategy == "user":
        user_ids = candidates(ctx.tenant_id, {"users": [spec["user"]]})
    elif strategy == "record_owner":
        owner_id = getattr(ctx.record, "owner_id", None)
        user_ids = candidates(ctx.tenant_id, {"users": [owner_id]}) if owner_id else []
    else:
        user_ids = candidates(ctx.tenant_id, spec)
    if not user_ids:
        return _fallback(ctx, spec)
    if strategy == "round_robin":
        chosen = _next_in_turn(ctx, user_ids, cursor_key)
    elif strategy in ("least_loaded", "by_skill"):
        chosen = _least_loaded(ctx.tenant_id, user_ids)
    else:
        chosen = user_ids[0]
    return Pick(User.objects.get(pk=chosen))


def _least_loaded(tenant_id: int, user_ids: list[int]) -> int:
    load = open_work(tenant_id, user_ids)
    return min(user_ids, key=lambda uid: (load[uid], uid))


def _fallback(ctx: ActionContext, spec: dict) -> Pick:
    from tandem.accounts.models import Membership, User

    if spec.get("fallback") != "rule_owner":
        raise ActionFailed(_("Nobody qualifies to be picked (check the role, the people or the skill)."))
    if spec.get("strategy") == "by_skill" and spec.get("role"):
        in_role = candidates(ctx.tenant_id, {"role": spec["role"]})
        if in_role:
            reason = _("nobody has the skill “%(skill)s”: the least-loaded of the role instead") % {
                "skill": spec["skill"]
            }
            return Pick(User.objects.get(pk=_least_loaded(ctx.tenant_id, in_role)), reason)
    owner_id = getattr(ctx.rule, "owner_id", None)
    if owner_id and candidates(ctx.tenant_id, {"users": [owner_id]}):
        return Pick(User.objects.get(pk=owner_id), _("nobody qualified: the rule's owner instead"))
    admin = (
        Membership.objects.filter(
            tenant_id=ctx.tenant_id, is_active=True, user__is_active=True, roles__key__in=ADMIN_ROLES
        )
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .first()
    )
    if admin is None:
        raise ActionFailed(_("Nobody qualifies to be picked, and the tenant has no active administrator."))
    return Pick(User.objects.get(pk=admin), _("nobody qualified: the first administrator instead"))


def _next_in_turn(ctx: ActionContext, user_ids: list[int], cursor_key: str) -> int:
    from tandem.automation.models import AssignmentCursor

    cursor, _created = AssignmentCursor.objects.get_or_create(tenant_id=ctx.tenant_id, key=cursor_key)
    cursor = AssignmentCursor.objects.select_for_update().get(pk=cursor.pk)
    later = [uid for uid in user_ids if cursor.last_user_id is None or uid > cursor.last_user_id]
    chosen = later[0] if later else user_ids[0]
    cursor.last_user_id = chosen
    cursor.save(update_fields=["last_user", "updated_at"])
    return chosen
