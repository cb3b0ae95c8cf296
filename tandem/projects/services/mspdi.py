"""MS Project XML (MSPDI): import a file as a new project (all or nothing), export a project.

Parsing is the engine's (`tandem.scheduling.engine.mspdi`): defusedxml with DTDs refused, a size cap,
and every failure a ScheduleError, which becomes a 400 here before anything is written.

Apps above projects add their part of the file with `register_mspdi_extension(key, importer=, exporter=)`
(the resources app: <Resources> and <Assignments>); projects itself knows nothing of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.calendars.choices import ExceptionSource
from tandem.calendars.models import CalendarException, WorkCalendar, format_intervals
from tandem.core.errors import ApplicationError
from tandem.core.events import emit
from tandem.core.services import actor_of, check_tenant, require
from tandem.projects import events
from tandem.projects.choices import DurationUnit
from tandem.projects.models import Dependency, Project, Task
from tandem.projects.services.bulk import LinkSpec, TaskSpec, wbs_bulk_create
from tandem.projects.services.projects import project_create
from tandem.projects.services.scheduling import engine_project, tenant_zone
from tandem.scheduling.engine.model import Calendar, ScheduleError
from tandem.scheduling.engine.mspdi import DEFAULT_MAX_BYTES, MspdiDocument, read, write
from tandem.scheduling.engine.mspdi.document import MspdiAssignment, MspdiResource

MAX_TASKS = 20_000
MESSAGES = {
    "too_large": gettext_lazy("The file is too large to import."),
    "unsafe_xml": gettext_lazy(
        "The file uses XML features that are refused for safety (DTDs, entities, external references)."
    ),
    "malformed": gettext_lazy("This is not a Microsoft Project XML file that can be read."),
}


@dataclass
class MspdiImport:
    """What an import extension gets, after the tasks are in: the file, the new project, its tasks by MS
    Project UID, and `calendar(uid)` — the work calendar made from a calendar of the file (made on first
    use, named after the project). Warnings appended to `document.warnings` reach the caller."""

    access: object
    document: MspdiDocument
    project: Project
    tasks: dict[int, Task]
    calendar: Callable[[int], WorkCalendar | None]


@dataclass
class MspdiExport:
    """What an export extension adds to the file: resources and assignments (task ids are the tasks'
    database ids), the calendars its resources work (engine calendars by id), and the tasks whose own
    calendar already says when they are worked (`IgnoreResourceCalendar`)."""

    resources: list[MspdiResource] = field(default_factory=list)
    assignments: list[MspdiAssignment] = field(default_factory=list)
    calendars: dict[str, Calendar] = field(default_factory=dict)
    calendar_names: dict[str, str] = field(default_factory=dict)
    ignore_resource_calendars: set[str] = field(default_factory=set)


Importer = Callable[[MspdiImport], None]
Exporter = Callable[..., MspdiExport | None]  # (access=, project=, tasks=)
_EXTENSIONS: dict[str, tuple[Importer | None, Exporter | None]] = {}


def register_mspdi_extension(key: str, *, importer: Importer | None = None, exporter: Exporter | None = None) -> None:
    """Add to every MSPDI import (`importer(MspdiImport)`, inside the import's transaction: raising undoes
    the whole import) and export (`exporter(access=, project=, tasks=)` returning an MspdiExport).
    Registering a key again replaces it (apps' ready() may run more than once)."""
    _EXTENSIONS[key] = (importer, exporter)


def _refuse(exc: ScheduleError) -> ApplicationError:
    headline = str(MESSAGES.get(exc.code, _("The file cannot be imported.")))
    message = f"{headline} ({exc})"
    return ApplicationError(message, errors={"file": [message]}, code=f"mspdi_{exc.code}")


def mspdi_read(upload) -> MspdiDocument:
    """Parse an uploaded file; anything wrong is a 400 naming the problem."""
    if getattr(upload, "size", 0) and upload.size > DEFAULT_MAX_BYTES:
        raise _refuse(ScheduleError(f"{upload.size:,} bytes", code="too_large"))
    data = upload.read(DEFAULT_MAX_BYTES + 1)
    if not data:
        message = _("The file is empty.")
        raise ApplicationError(message, errors={"file": [message]}, code="mspdi_empty")
    try:
        document = read(data)
    except ScheduleError as exc:
        raise _refuse(exc) from exc
    if len(document.tasks) > MAX_TASKS:
        raise _refuse(ScheduleError(f"{len(document.tasks):,} tasks", code="too_large"))
    return document


def _unique_name(tenant_id: int, name: str) -> str:
    base = (name or "MS Project").strip()[:90]
    taken = set(WorkCalendar.objects.filter(tenant_id=tenant_id, name__startswith=base).values_list("name", flat=True))
    if base not in taken:
        return base
    n = 2
    while f"{base} ({n})" in taken:
        n += 1
    return f"{base} ({n})"


def _make_calendar(access, calendar: Calendar, label: str, title: str) -> WorkCalendar:
    """A work calendar with the exceptions of a calendar of the file."""
    row = WorkCalendar.objects.create(
        tenant_id=access.tenant_id,
        name=_unique_name(access.tenant_id, f"{title} · {label}"),
        week=[format_intervals(day) for day in calendar.week],
        description=_("Imported from MS Project"),
    )
    standard = format_intervals(next((day for day in calendar.week if day), ()))
    CalendarException.objects.bulk_create(
        [
            CalendarException(
                tenant_id=access.tenant_id,
                calendar=row,
                date=day,
                is_working=bool(spans),
                hours=[] if format_intervals(spans) == standard else format_intervals(spans),
                source=ExceptionSource.MSPDI,
            )
            for day, spans in calendar.exceptions.items()
        ],
        batch_size=500,
    )
    audit_record(obj=row, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(row))
    return row


class _Calendars:
    """Work calendars made from the file's calendars (and the combined ones its resources make), on demand."""

    def __init__(self, access, calendars: dict[str, Calendar], labels: dict[str, str], title: str) -> None:
        self.access, self.calendars, self.labels, self.title = access, calendars, labels, title
        self.made: dict[str, WorkCalendar] = {}

    def get(self, key: str | None) -> WorkCalendar | None:
        if key is None or key not in self.calendars:
            return None
        if key not in self.made:
            self.made[key] = _make_calendar(self.access, self.calendars[key], self.labels.get(key) or key, self.title)
        return self.made[key]


@transaction.atomic
def project_import_mspdi(*, access, upload, name: str = "", code: str = "") -> Project:
    """A new project from an MSPDI file: WBS, links with types and lags, calendars and exceptions,
    constraints, durations, % complete and actuals. Nothing is written unless all of it imports."""
    require(access, "projects.import_project")
    require(access, "projects.add_project")
    document = mspdi_read(upload)
    zone = tenant_zone(access.tenant_id)
    title = (name or document.title or document.name or getattr(upload, "name", "") or "MS Project").strip()[:200]
    kept = [t for t in document.tasks if not t.is_null and not t.is_project_summary]
    default_key = str(document.calendar_uid) if document.calendar_uid in document.calendars else None
    # The calendar Project scheduled each task on: its own, else its resources' (one, or their union).
    scheduled_on, engine_calendars, labels = document.scheduling_calendars()
    calendars = _Calendars(access, engine_calendars, labels, title)
    same = document.canonical_calendars()
    for key in sorted({scheduled_on.get(t.uid) for t in kept} - {None}):
        calendars.get(key)  # in a stable order, so names and ids do not depend on the file's task order

    def aware(value: datetime | None):
        return value.replace(tzinfo=zone) if value is not None else None

    project = project_create(
        access=access,
        name=title,
        code=code,
        start_date=document.start.date(),
        start_time=document.start.time().replace(second=0, microsecond=0),
        calendar=calendars.get(default_key),
        status_date=document.status_date.date() if document.status_date else None,
        reschedule=False,  # scheduled once, when its tasks are in (wbs_bulk_create)
    )
    minutes_per_day = project.calendar.minutes_per_day
    uids = {t.uid for t in kept}
    specs, links = [], []
    for task in kept:
        values = {
            "duration": max(0, task.duration),
            "duration_unit": DurationUnit.DAYS if task.duration % minutes_per_day == 0 else DurationUnit.HOURS,
            "is_milestone": task.is_milestone,
            "constraint_type": task.constraint.value,
            "constraint_date": aware(task.constraint_date),
            "percent_complete": max(0, min(100, round(task.percent_complete))),
            "actual_start": aware(task.actual_start),
            "actual_finish": aware(task.actual_finish),
            "external_uid": task.uid,
        }
        key = scheduled_on.get(task.uid)
        if key is not None and key != default_key and calendars.get(key) is not None:
            values["calendar"] = calendars.get(key)
        parent = task.parent_uid if task.parent_uid in uids else None
        specs.append(TaskSpec(key=task.uid, parent_key=parent, name=task.name or f"#{task.uid}", values=values))
        links.extend(
            LinkSpec(link.predecessor_uid, task.uid, link.type.value, link.lag)
            for link in task.predecessors
            if link.predecessor_uid in uids
        )
    rows = wbs_bulk_create(project=project, actor=actor_of(access), tasks=specs, links=links)
    project.refresh_from_db()
    context = MspdiImport(
        access=access,
        document=document,
        project=project,
        tasks={uid: task for uid, task in rows.items() if isinstance(uid, int)},
        # A resource calendar with the same working time as another (its base) is that calendar.
        calendar=lambda uid: calendars.get(str(same.get(uid, uid))),
    )
    for importer, _exporter in _EXTENSIONS.values():
        if importer is not None:
            importer(context)
    emit(
        events.PROJECT_IMPORTED,
        tenant=access.membership.tenant,
        payload={"project_id": project.pk, "format": "mspdi", "tasks": len(specs), "links": len(links)},
        actor=actor_of(access),
    )
    audit_record(
        obj=project,
        action=AuditAction.UPDATE,
        actor=actor_of(access),
        before={"imported_from": None},
        after={"imported_from": "mspdi", "tasks": len(specs), "links": len(links), "warnings": document.warnings},
    )
    project.import_warnings = list(document.warnings)  # what was adjusted on the way in, for the caller to show
    return project


def project_export_mspdi(*, access, project: Project) -> bytes:
    """The project as MSPDI that Microsoft Project opens: tasks, WBS, links, calendars, constraints, progress,
    and what the extensions add (resources and assignments)."""
    require(access, "projects.export_project")
    check_tenant(access, project)
    zone = tenant_zone(project.tenant_id)
    tasks = list(Task.objects.filter(project=project).order_by("sort_order", "id"))
    links = list(
        Dependency.objects.filter(project=project).values_list("predecessor_id", "successor_id", "type", "lag")
    )
    data = engine_project(project, tasks, links, zone)
    names = {str(t.pk): t.name for t in tasks}
    extra = MspdiExport()
    for _importer, exporter in _EXTENSIONS.values():
        part = exporter(access=access, project=project, tasks=tasks) if exporter is not None else None
        if part is not None:
            extra.resources += part.resources
            extra.assignments += part.assignments
            extra.calendars |= part.calendars
            extra.calendar_names |= part.calendar_names
            extra.ignore_resource_calendars |= part.ignore_resource_calendars
    ids = [int(i) for i in (*data.calendars, *extra.calendars) if str(i).isdigit()]
    names_of_calendars = {
        str(pk): name
        for pk, name in WorkCalendar.objects.filter(tenant_id=project.tenant_id, pk__in=ids).values_list("pk", "name")
    }
    try:
        body = write(
            data,
            names=names,
            title=str(project.name),
            resources=extra.resources,
            assignments=extra.assignments,
            calendars=extra.calendars,
            calendar_names=names_of_calendars | extra.calendar_names,
            ignore_resource_calendars=extra.ignore_resource_calendars,
        )
    except ScheduleError as exc:
        raise ApplicationError(_("The schedule cannot be exported: %(reason)s") % {"reason": exc}) from exc
    audit_record(obj=project, action=AuditAction.EXPORT, actor=actor_of(access), after={"format": "mspdi"})
    return body
