"""Loads and capacities of a tenant's resources per day, read from the database for the load engine.

`resource_loads(tenant_id, first, last, resource_ids=None)` answers, for the resources asked (default: every
active one), each one's `Capacity`, the minutes booked per day and the tasks behind each day. A task is booked
from its scheduled start to its scheduled finish (its actual start once started) on the calendar it is
scheduled on; finished tasks book nothing. A resource's capacity is on its own calendar, else its member's
resource calendar, else the tenant's default calendar. The queries are a constant number whatever the size.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import BigIntegerField, Func

from tandem.calendars.models import ResourceCalendar, WorkCalendar
from tandem.calendars.selectors import engine_calendars
from tandem.core.memory import gc_paused
from tandem.projects.services.scheduling import tenant_zone
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
    # task id -> (project id, project priority, account id, total float in minutes, local start date): what a
    # conflict's score needs, read with the allocations
    tasks: dict[int, tuple[int, int, int | None, int | None, date | None]] = field(default_factory=dict)

    def capacity_on(self, resource_id: int, day: date) -> int:
        return self.capacity[resource_id].on(day)


class Epoch(Func):
    """A datetime column as whole seconds since 1970 (UTC): an integer is read many times faster than a
    timestamp, and 20k allocations carry two each."""

    output_field = BigIntegerField()

    @property
    def convert_value(self):
        """None: both databases answer an integer already, and without a converter Django reads the 20k rows
        without its per-row conversion pass."""
        return self._convert_value_noop

    def as_sql(self, compiler, connection, **extra):
        return self.as_sqlite(compiler, connection, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="EXTRACT(EPOCH FROM %(expressions)s)::bigint", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template="CAST(strftime('%%%%s', %(expressions)s) AS INTEGER)", **extra
        )


def _local(epoch: int | None, zone, offsets: dict) -> datetime | None:
    """Seconds since 1970 as the naive local time the engine works in; the zone's offset looked up once an hour."""
    if epoch is None:
        return None
    hour = epoch // 3600
    offset = offsets.get(hour)
    if offset is None:
        offset = offsets[hour] = datetime.fromtimestamp(hour * 3600, zone).utcoffset().total_seconds()
    return _EPOCH + timedelta(seconds=epoch + offset)


_EPOCH = datetime(1970, 1, 1)


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
    with gc_paused():
        return _resource_loads(tenant_id, first, last, resource_ids)


def _resource_loads(tenant_id: int, first: date, last: date, resource_ids: list[int] | set[int] | None) -> Loads:
    resources_qs = Resource.objects.filter(tenant_id=tenant_id)
    resources_qs = (
        resources_qs.filter(pk__in=resource_ids) if resource_ids is not None else resources_qs.filter(is_active=True)
    )
    resources = {r.pk: r for r in resources_qs}
    zone = tenant_zone(tenant_id)
    since = date(first.year - 1, 1, 1)

    # Plain comparisons on the stored instants (a day of margin each side for the time zone), so the database
    # uses its indexes; the days outside [first, last] are dropped by the load engine.
    window_start = datetime.combine(first - timedelta(days=1), time.min, tzinfo=zone)
    window_end = datetime.combine(last + timedelta(days=2), time.min, tzinfo=zone)
    rows = Allocation.objects.filter(tenant_id=tenant_id)
    if resource_ids is not None:
        rows = rows.filter(resource_id__in=list(resources))
    else:
        rows = rows.filter(resource__is_active=True)
    allocations = list(
        rows.filter(task__early_start__lt=window_end, task__early_finish__gte=window_start)
        .filter(task__actual_finish__isnull=True, task__is_summary=False, project__deleted_at__isnull=True)
        .annotate(
            early_start_s=Epoch("task__early_start"),
            early_finish_s=Epoch("task__early_finish"),
            actual_start_s=Epoch("task__actual_start"),
        )
        .values_list(
            "pk",
            "resource_id",
            "task_id",
            "units",
            "hours_per_day",
            "early_start_s",
            "early_finish_s",
            "actual_start_s",
            "task__calendar_id",
            "project__calendar_id",
            "project_id",
            "project__priority",
            "project__account_id",
            "task__total_float",
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
    tasks = {}
    offsets: dict[int, float] = {}
    unit_share: dict = {}  # Decimal units -> float share, computed once per distinct value
    local: dict[int | None, datetime | None] = {None: None}  # epoch -> local time: tasks share a few hundred
    for row in allocations:
        pk, resource_id, task_id, units, hours, start, finish, actual_start = row[:8]
        begin_s = start if actual_start is None else actual_start
        begin = local.get(begin_s)
        if begin is None:
            begin = local[begin_s] = _local(begin_s, zone, offsets)
        end = local.get(finish)
        if end is None:
            end = local[finish] = _local(finish, zone, offsets)
        calendar = compiled.get(task_calendar[pk])
        if begin is None or end is None or calendar is None:
            continue
        share = unit_share.get(units)
        if share is None:
            share = unit_share[units] = float(units) / 100
        bookings.append(Booking(pk, resource_id, task_id, begin, end, calendar, share, _minutes(hours)))
        if task_id not in tasks:
            early = local.get(start)
            if early is None:
                early = local[start] = _local(start, zone, offsets)
            tasks[task_id] = (row[10], row[11], row[12], row[13], early.date() if early else None)
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
    shared: dict[tuple, dict] = {}  # the resources without leave on one calendar and cap share their days' capacity
    for pk, resource in resources.items():
        calendar = compiled.get(calendar_of[pk])
        if calendar is None:
            continue
        cap = _minutes(resource.hours_per_day)
        memo = {} if pk in off else shared.setdefault((calendar_of[pk], resource.headcount, cap), {})
        capacity[pk] = Capacity(pk, calendar, resource.headcount, cap, off.get(pk, {}), _memo=memo)
    return Loads(first, last, resources, capacity, load, behind, bookings, tasks)
