"""Loads and capacities of a tenant's resources per day, read from the database for the load engine.

`resource_loads(tenant_id, first, last, resource_ids=None)` answers, for the resources asked (default: every
active one), each one's `Capacity`, the minutes booked per day and the tasks behind each day. A task is booked
from its scheduled start to its scheduled finish (its actual start once started) on the calendar it is
scheduled on; finished tasks book nothing. A resource's capacity is on its own calendar, else its member's
resource calendar, else the tenant's default calendar. The queries are a constant number whatever the size.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q

from tandem.calendars.models import ResourceCalendar, WorkCalendar
from tandem.calendars.selectors import engine_calendars
from tandem.projects.services.scheduling import tenant_zone, to_local
from tandem.resources.models import Allocation, Leave, Resource
from tandem.scheduling.engine.calendar import WorkingTime, working_time
from tandem.scheduling.engine.loads import Booking, Capacity, daily_loads


@dataclass
class Loads:
    first: date
    last: date
    resources: dict[int, Resource]
    capacity: dict[int, Capacity]
    load: dict[int, dict[date, int]]  # resource id → day → minutes booked
    behind: dict[int, dict[date, list[tuple[int, int]]]]  # resource id → day → [(task id, minutes)]
    bookings: list[Booking]

    def capacity_on(self, resource_id: int, day: date) -> int:
        return self.capacity[resource_id].on(day)


def _minutes(hours: Decimal | None) -> int | None:
    return None if hours is None else round(float(hours) * 60)


def resource_calendar_ids(tenant_id: int, resources: list[Resource]) -> tuple[dict[int, int | None], dict[int, int]]:
    """(Resource id → the calendar its capacity is counted on (None when the tenant has no calendar), resource id →
    its own calendar where it has one: the resource's, else its member's resource calendar)."""
    by_user = dict(
        ResourceCalendar.objects.filter(
            tenant_id=tenant_id, user_id__in=[r.user_id for r in resources if r.user_id]
        ).values_list("user_id", "calendar_id")
    )
    default = WorkCalendar.objects.filter(tenant_id=tenant_id, is_default=True).values_list("pk", flat=True).first()
    own = {r.pk: r.calendar_id or by_user.get(r.user_id) for r in resources}
    return {pk: calendar or default for pk, calendar in own.items()}, {pk: c for pk, c in own.items() if c}


def resource_loads(tenant_id: int, first: date, last: date, resource_ids: list[int] | set[int] | None = None) -> Loads:
    resources_qs = Resource.objects.filter(tenant_id=tenant_id)
    resources_qs = (
        resources_qs.filter(pk__in=resource_ids) if resource_ids is not None else resources_qs.filter(is_active=True)
    )
    resources = {r.pk: r for r in resources_qs}
    zone = tenant_zone(tenant_id)
    since = date(first.year - 1, 1, 1)

    allocations = list(
        Allocation.objects.filter(tenant_id=tenant_id, resource_id__in=resources)
        .filter(
            Q(task__early_start__date__lte=last + timedelta(days=1))
            & Q(task__early_finish__date__gte=first - timedelta(days=1))
        )
        .filter(task__actual_finish__isnull=True, task__is_summary=False, project__deleted_at__isnull=True)
        .values_list(
            "pk",
            "resource_id",
            "task_id",
            "units",
            "hours_per_day",
            "task__early_start",
            "task__early_finish",
            "task__actual_start",
            "task__calendar_id",
            "project__calendar_id",
        )
    )
    calendar_of, own_calendar = resource_calendar_ids(tenant_id, list(resources.values()))
    # The calendar a task is scheduled on: its own, else its resource's own (as the scheduler does), else the
    # project's.
    task_calendar = {row[0]: row[8] or own_calendar.get(row[1]) or row[9] for row in allocations}
    calendar_ids = {c for c in calendar_of.values() if c} | set(task_calendar.values())
    compiled: dict[int, WorkingTime] = {
        int(key): working_time(cal) for key, cal in engine_calendars(calendar_ids, since=since).items()
    }

    bookings = []
    for pk, resource_id, task_id, units, hours, start, finish, actual_start, _own, _project_cal in allocations:
        begin = to_local(actual_start or start, zone)
        end = to_local(finish, zone)
        calendar = compiled.get(task_calendar[pk])
        if begin is None or end is None or calendar is None:
            continue
        bookings.append(Booking(pk, resource_id, task_id, begin, end, calendar, float(units) / 100, _minutes(hours)))
    load, behind = daily_loads(bookings, first, last)

    off: dict[int, dict[date, int | None]] = defaultdict(dict)
    for resource_id, start, end, hours_off in Leave.objects.filter(
        tenant_id=tenant_id, resource_id__in=resources, end__gte=first, start__lte=last
    ).values_list("resource_id", "start", "end", "hours_off"):
        day = max(start, first)
        while day <= min(end, last):
            off[resource_id][day] = _minutes(hours_off)
            day += timedelta(days=1)

    capacity = {}
    for pk, resource in resources.items():
        calendar = compiled.get(calendar_of[pk])
        if calendar is None:
            continue
        capacity[pk] = Capacity(pk, calendar, resource.headcount, _minutes(resource.hours_per_day), off.get(pk, {}))
    return Loads(first, last, resources, capacity, load, behind, bookings)
