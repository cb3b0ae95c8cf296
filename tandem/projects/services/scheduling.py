"""Running the CPM engine on a project and storing its results on the tasks.

Every service that changes tasks, links or calendars calls `project_reschedule()` at its end, in the
same transaction: a refused network (a cycle) rolls the change back with a message naming the cycle.
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, time, timedelta

from django.db import connections, router, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.calendars.models import ResourceCalendar, WorkCalendar
from tandem.calendars.selectors import engine_calendars
from tandem.core.errors import ApplicationError
from tandem.projects.models import Dependency, Project, Task
from tandem.scheduling.engine import model as engine
from tandem.scheduling.engine.calendar import WorkingTime, working_time

RESULT_FIELDS = [
    "early_start",
    "early_finish",
    "late_start",
    "late_finish",
    "total_float",
    "free_float",
    "is_critical",
    "scheduled_at",
]
STORE_BATCH = 1000  # rows a statement when storing results on PostgreSQL (9 parameters a row)


def tenant_zone(tenant_id: int) -> zoneinfo.ZoneInfo:
    from tandem.accounts.models import Tenant

    name = Tenant.objects.filter(pk=tenant_id).values_list("timezone", flat=True).first() or "Asia/Shanghai"
    return zoneinfo.ZoneInfo(name)


def to_local(value: datetime | None, zone) -> datetime | None:
    """An aware datetime as the naive local time the engine works in."""
    if value is None:
        return None
    return value.astimezone(zone).replace(tzinfo=None)


def from_local(value: datetime | None, zone) -> datetime | None:
    return value.replace(tzinfo=zone) if value is not None else None


def resource_calendars(project: Project) -> dict[int, int]:
    """Task id → the calendar of its first assignee (by user id) who works a resource calendar."""
    rows = (
        Task.assignees.through.objects.filter(task__project=project)
        .annotate(
            calendar_id=Subquery(
                ResourceCalendar.objects.filter(tenant_id=project.tenant_id, user_id=OuterRef("user_id")).values(
                    "calendar_id"
                )[:1]
            )
        )
        .filter(calendar_id__isnull=False)
        .order_by("task_id", "user_id")
        .values_list("task_id", "calendar_id")
    )
    out: dict[int, int] = {}
    for task_id, calendar_id in rows:
        out.setdefault(task_id, calendar_id)
    return out


def task_calendar_id(task: Task, by_resource: dict[int, int]) -> int | None:
    """A task's own calendar, else its assignee's resource calendar, else None (the project's)."""
    return task.calendar_id or by_resource.get(task.pk)


def task_calendar_ids(project: Project, tasks: list[Task]) -> dict[int, int]:
    """Task id → the calendar each task is scheduled on: its own, its assignee's resource calendar, the project's."""
    by_resource = resource_calendars(project)
    return {t.pk: task_calendar_id(t, by_resource) or project.calendar_id for t in tasks}


def task_working_time(task: Task) -> WorkingTime:
    """The compiled working time of the calendar the task is scheduled on (local, naive datetimes)."""
    project = task.project
    calendar_id = task_calendar_ids(project, [task])[task.pk]
    earliest = min(d for d in (project.start_date, task.actual_start and task.actual_start.date()) if d)
    calendars = engine_calendars({calendar_id}, since=date(earliest.year - 1, 1, 1))
    return working_time(calendars[str(calendar_id)])


def engine_project(project: Project, tasks: list[Task], links: list, zone) -> engine.Project:
    """The project as the engine's plain data: task ids are the database ids as strings."""
    by_resource = resource_calendars(project)
    calendar_of = {t.pk: task_calendar_id(t, by_resource) for t in tasks}
    calendar_ids = {project.calendar_id} | {c for c in calendar_of.values() if c}
    earliest = min([project.start_date] + [t.actual_start.date() for t in tasks if t.actual_start])
    engine_tasks = [
        engine.Task(
            id=str(t.pk),
            duration=t.duration,
            is_milestone=t.is_milestone,
            is_summary=t.is_summary,
            parent=str(t.parent_id) if t.parent_id else None,
            calendar=str(calendar_of[t.pk]) if calendar_of[t.pk] else None,
            constraint=engine.ConstraintType(t.constraint_type),
            constraint_date=to_local(t.constraint_date, zone),
            actual_start=to_local(t.actual_start, zone),
            actual_finish=to_local(t.actual_finish, zone),
            percent_complete=float(t.percent_complete),
        )
        for t in tasks
    ]
    engine_links = [
        engine.Link(predecessor=str(p), successor=str(s), type=engine.LinkType(kind), lag=lag)
        for p, s, kind, lag in links
    ]
    status_date = None
    if project.status_date is not None:
        # The status date is "as of the end of that day": remaining work starts after it.
        status_date = datetime.combine(project.status_date + timedelta(days=1), time.min)
    return engine.Project(
        start=datetime.combine(project.start_date, project.start_time or time.min),
        tasks=engine_tasks,
        links=engine_links,
        calendars=engine_calendars(calendar_ids, since=date(earliest.year - 1, 1, 1)),
        default_calendar=str(project.calendar_id),
        status_date=status_date,
    )


def cycle_message(names: list[str]) -> str:
    return _("These tasks depend on each other in a loop: %(cycle)s.") % {"cycle": " → ".join(names)}


def _schedule_error(exc: engine.ScheduleError, tasks: dict[str, Task]) -> ApplicationError:
    detail = exc.detail
    if exc.code == "cycle":
        ids = list(detail) if isinstance(detail, (list, tuple)) else []
        names = [tasks[str(i)].name if str(i) in tasks else str(i) for i in ids]
        if names and names[0] != names[-1]:
            names.append(names[0])
        message = cycle_message(names) if names else _("The dependencies form a loop.")
        return ApplicationError(message, errors={"predecessor": [message]}, code="cycle")
    return ApplicationError(
        _("The schedule cannot be calculated: %(reason)s") % {"reason": str(exc)}, code=f"schedule_{exc.code}"
    )


def _store_results(tasks: list[Task]) -> None:
    """Write the RESULT_FIELDS of these tasks, as Task.objects.bulk_update() would but without its CASE WHEN a row
    a field, which took longer to build in Python (and, on PostgreSQL, to plan) than the schedule took to compute.

    PostgreSQL: one UPDATE … FROM (VALUES …) per STORE_BATCH rows; elsewhere one UPDATE … WHERE id = %s run for all
    rows (executemany). Identifiers come from the model, values are parameters.
    """
    connection = connections[router.db_for_write(Task)]
    quote = connection.ops.quote_name
    fields = [Task._meta.get_field(name) for name in RESULT_FIELDS]
    table, pk, names = quote(Task._meta.db_table), quote(Task._meta.pk.column), [quote(f.column) for f in fields]
    rows = [[f.get_db_prep_save(getattr(t, f.attname), connection) for f in fields] + [t.pk] for t in tasks]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            assignments = ", ".join(f"{name} = %s" for name in names)
            cursor.executemany(f"UPDATE {table} SET {assignments} WHERE {pk} = %s", rows)  # noqa: S608
            return
        # The first row's casts type the VALUES columns.
        types = [f.db_type(connection) for f in fields] + [Task._meta.pk.rel_db_type(connection)]
        first = "(" + ", ".join(f"%s::{kind}" for kind in types) + ")"
        other = "(" + ", ".join(["%s"] * len(types)) + ")"
        assignments = ", ".join(f"{name} = v.{name}" for name in names)
        columns = ", ".join([*names, "_id"])
        for start in range(0, len(rows), STORE_BATCH):
            batch = rows[start : start + STORE_BATCH]
            values = ", ".join([first] + [other] * (len(batch) - 1))
            sql = f"UPDATE {table} SET {assignments} FROM (VALUES {values}) AS v ({columns})"  # noqa: S608
            cursor.execute(f"{sql} WHERE {table}.{pk} = v._id", [value for row in batch for value in row])


@transaction.atomic
def project_reschedule(*, project: Project) -> int:
    """Run the CPM engine on the project and store the results on its tasks; returns tasks changed."""
    from tandem.scheduling.engine.cpm import schedule

    zone = tenant_zone(project.tenant_id)
    tasks = list(Task.objects.filter(project=project).order_by("sort_order", "id"))
    links = list(
        Dependency.objects.filter(project=project).values_list("predecessor_id", "successor_id", "type", "lag")
    )
    now = timezone.now()
    if not tasks:
        Project.all_objects.filter(pk=project.pk).update(scheduled_start=None, scheduled_finish=None, scheduled_at=now)
        return 0
    by_id = {str(t.pk): t for t in tasks}
    try:
        results = schedule(engine_project(project, tasks, links, zone))
    except engine.ScheduleError as exc:
        raise _schedule_error(exc, by_id) from exc
    changed = []
    for task_id, result in results.items():
        task = by_id.get(str(task_id))
        if task is None:
            continue
        values = {
            "early_start": from_local(result.early_start, zone),
            "early_finish": from_local(result.early_finish, zone),
            "late_start": from_local(result.late_start, zone),
            "late_finish": from_local(result.late_finish, zone),
            "total_float": result.total_float,
            "free_float": result.free_float,
            "is_critical": result.critical,
        }
        if any(getattr(task, k) != v for k, v in values.items()) or task.scheduled_at is None:
            for k, v in values.items():
                setattr(task, k, v)
            task.scheduled_at = now
            changed.append(task)
    if changed:
        _store_results(changed)
    starts = [t.early_start for t in tasks if t.early_start]
    finishes = [t.early_finish for t in tasks if t.early_finish]
    project.scheduled_start = min(starts) if starts else None
    project.scheduled_finish = max(finishes) if finishes else None
    project.scheduled_at = now
    Project.all_objects.filter(pk=project.pk).update(
        scheduled_start=project.scheduled_start, scheduled_finish=project.scheduled_finish, scheduled_at=now
    )
    return len(changed)


def projects_of_people(tenant_id: int, user_ids) -> set[int]:
    """The tenant's live projects with a task (without a calendar of its own) assigned to one of these people."""
    return set(
        Task.assignees.through.objects.filter(
            task__tenant_id=tenant_id,
            user_id__in=user_ids,
            task__calendar__isnull=True,
            task__project__deleted_at__isnull=True,
        ).values_list("task__project_id", flat=True)
    )


def projects_reschedule_for_calendar(*, calendar: WorkCalendar) -> int:
    """Reschedule every live project that works on the calendar (as its own or through a task)."""
    project_ids = set(Project.objects.filter(calendar=calendar).values_list("pk", flat=True))
    project_ids |= set(
        Task.objects.filter(calendar=calendar, project__deleted_at__isnull=True).values_list("project_id", flat=True)
    )
    project_ids |= projects_of_people(
        calendar.tenant_id, ResourceCalendar.objects.filter(calendar=calendar).values("user_id")
    )
    for project in Project.objects.filter(pk__in=project_ids):
        project_reschedule(project=project)
    return len(project_ids)


def projects_reschedule_for_people(*, tenant_id: int, user_ids) -> int:
    """Reschedule the live projects where these people work tasks without a calendar of their own (their
    resource calendar changed)."""
    project_ids = projects_of_people(tenant_id, user_ids)
    for project in Project.objects.filter(pk__in=project_ids):
        project_reschedule(project=project)
    return len(project_ids)


def calendar_in_use(*, calendar: WorkCalendar) -> bool:
    """Whether a project (even one in the recycle bin) or a task works on the calendar: then it stays."""
    return Project.all_objects.filter(calendar=calendar).exists() or Task.objects.filter(calendar=calendar).exists()
