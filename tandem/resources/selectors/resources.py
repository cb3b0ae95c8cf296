"""Reads of resources, skills and leave, scoped to the member's tenant, with what their lists show."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet

from tandem.calendars.models import WorkCalendar, interval_minutes
from tandem.resources.models import Allocation, Leave, Resource, ResourceSkill, Skill
from tandem.resources.selectors.loads import resource_calendar_ids

HOUR = Decimal(60)


def resource_related(qs: QuerySet) -> QuerySet:
    """What a row of a resource shows, loaded with it: member, department, calendar, skills with levels."""
    return qs.select_related("user", "department", "calendar").prefetch_related(
        Prefetch("skill_levels", queryset=ResourceSkill.objects.select_related("skill").order_by("skill__name"))
    )


def resource_list(*, access, action: str = "view") -> QuerySet:
    """The resources the member may `action`, active ones first, by name."""
    return resource_related(Resource.objects.restrict(access, action)).order_by("-is_active", "name", "id")


def skill_list(*, access, action: str = "view") -> QuerySet:
    """The tenant's skills with how many resources have each."""
    return Skill.objects.restrict(access, action).annotate(resource_count=Count("levels")).order_by("name", "id")


def leave_list(*, access, action: str = "view") -> QuerySet:
    """The tenant's leave with its resource, latest first."""
    return Leave.objects.restrict(access, action).select_related("resource", "created_by").order_by("-start", "-id")


def leave_of(resource: Resource) -> QuerySet:
    """One resource's leave, soonest first."""
    return Leave.objects.filter(tenant_id=resource.tenant_id, resource=resource).order_by("start", "id")


def allocations_of(*, access, resource: Resource, limit: int = 50) -> list[Allocation]:
    """A resource's allocations on projects the member may see (read only here), the latest tasks first."""
    qs = Allocation.objects.restrict(access).filter(resource=resource, project__deleted_at__isnull=True)
    return list(qs.select_related("task", "project").order_by("-task__early_start", "-id")[:limit])


def _day_minutes(week) -> int:
    """The minutes of a calendar's longest working day: what a resource works on a full day."""
    return max((interval_minutes(intervals) for intervals in week or ()), default=0)


def capacity_hours(tenant_id: int, resources) -> dict[int, Decimal | None]:
    """Hours a day each resource can work on a full working day: its calendar's day (its own, its member's, the
    tenant's default), capped by its hours per day, times its headcount; None when the tenant has no calendar.
    Three queries whatever the number of resources."""
    resources = list(resources)
    calendar_of, _own = resource_calendar_ids(tenant_id, resources)
    weeks = dict(
        WorkCalendar.objects.filter(tenant_id=tenant_id, pk__in={c for c in calendar_of.values() if c}).values_list(
            "pk", "week"
        )
    )
    hours: dict[int, Decimal | None] = {}
    for resource in resources:
        calendar_id = calendar_of.get(resource.pk)
        if calendar_id is None or calendar_id not in weeks:
            hours[resource.pk] = None
            continue
        day = Decimal(_day_minutes(weeks[calendar_id])) / HOUR
        if resource.hours_per_day is not None:
            day = min(day, resource.hours_per_day)
        hours[resource.pk] = (day * resource.headcount).quantize(Decimal("0.1"))
    return hours
