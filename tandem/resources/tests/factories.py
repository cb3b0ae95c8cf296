"""Resources, skills, leave and allocations for tests, written straight to the tables (no events)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tandem.resources.models import Allocation, Leave, Resource, ResourceSkill, Skill


def make_skill(tenant, name="弱电调试", **fields) -> Skill:
    return Skill.objects.get_or_create(tenant=tenant, name=name, defaults=fields)[0]


def make_resource(tenant, name="李工", *, skills=(), **fields) -> Resource:
    """A person (or a crew with `kind="crew", headcount=N`); `skills` are names, or (name, level) pairs."""
    resource = Resource.objects.create(tenant=tenant, name=name, **fields)
    for item in skills:
        skill_name, level = item if isinstance(item, tuple) else (item, 3)
        ResourceSkill.objects.create(
            tenant=tenant, resource=resource, skill=make_skill(tenant, skill_name), level=level
        )
    return resource


def make_allocation(resource, task, member, units=100, **fields) -> Allocation:
    """`resource` on `task` at `units` % of its day; `work` is units × the task's duration (working minutes)."""
    work = int(Decimal(units) / 100 * (task.duration or 0))
    return Allocation.objects.create(
        tenant=task.tenant,
        resource=resource,
        task=task,
        project=task.project,
        units=units,
        work=fields.pop("work", work),
        created_by=member.user,
        **fields,
    )


def make_leave(resource, member, start: date, end: date | None = None, **fields) -> Leave:
    return Leave.objects.create(
        tenant=resource.tenant, resource=resource, start=start, end=end or start, created_by=member.user, **fields
    )
