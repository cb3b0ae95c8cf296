"""MS Project resources and assignments: the resources app's part of an MSPDI import and export.

Registered with `tandem.projects.services.mspdi.register_mspdi_extension` from the app's ready().

Import (inside the project import's transaction): each work resource of the file is matched by name with
the tenant's resources, or created — a crew (班组) when its MaxUnits is over 100 %, with that many people,
else a person — with its standard rate as cost rate, its code (or initials), its group as department when
the tenant has one of that name, and its resource calendar. Every assignment becomes an allocation with
the file's units and work. Resources already in Tandem are used as they are, not changed. Material and
cost resources have no place in Tandem: they and their assignments are left out with a warning.

Export: the project's allocations and their resources, each resource with its own calendar.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from tandem.accounts.models import Department
from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.calendars.selectors import engine_calendars
from tandem.core.errors import ApplicationError
from tandem.core.events import emit
from tandem.core.services import actor_of, full_clean
from tandem.projects.services.mspdi import MspdiExport, MspdiImport
from tandem.resources import events
from tandem.resources.choices import ResourceKind
from tandem.resources.models import Allocation, Resource
from tandem.scheduling.engine.mspdi.document import WORK, MspdiAssignment, MspdiResource

MAX_RESOURCES = 5_000  # each is validated, audited and announced one by one
MAX_HEADCOUNT = 500
MAX_UNITS = Decimal(100000)  # percent, as the model allows
MAX_WORK = 2**31 - 1  # minutes
HUNDRED = Decimal(100)


def _units(fraction: float) -> Decimal:
    """MSPDI units (1.0 = full time) as allocation percent."""
    return (Decimal(str(fraction)) * HUNDRED).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _new_resource(context: MspdiImport, row: MspdiResource, departments: dict[str, int]) -> Resource:
    access = context.access
    crew = row.max_units > 1
    resource = Resource(
        tenant_id=access.tenant_id,
        kind=ResourceKind.CREW if crew else ResourceKind.PERSON,
        name=row.name.strip()[:100],
        code=(row.code or row.initials)[:40],
        headcount=min(max(round(row.max_units), 1), MAX_HEADCOUNT) if crew else 1,
        department_id=departments.get(row.group),
        calendar=context.calendar(row.calendar_uid) if row.calendar_uid is not None else None,
        cost_rate=Decimal(str(round(row.standard_rate, 2))),
        is_active=not row.is_inactive,
        notes=row.notes,
    )
    full_clean(resource)
    resource.save()
    audit_record(obj=resource, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(resource))
    emit(
        events.RESOURCE_CREATED,
        tenant=access.tenant_id,
        payload={"resource_id": resource.pk, "name": resource.name, "kind": resource.kind},
        actor=actor_of(access),
    )
    return resource


def mspdi_import_resources(context: MspdiImport) -> None:
    """Resources and allocations from the file's <Resources> and <Assignments> (see the module docstring)."""
    access, document, project = context.access, context.document, context.project
    if not document.resources:
        return
    tenant_id = access.tenant_id
    work_rows = [row for row in document.resources if row.type == WORK and not row.is_budget]
    for row in document.resources:
        if row.is_budget:
            document.warnings.append(
                _("Resource %(name)s is a budget resource of the whole project; it was left out.") % {"name": row.name}
            )
        elif row.type != WORK:
            document.warnings.append(
                _("Resource %(name)s is a material or cost resource; it and its assignments were left out.")
                % {"name": row.name}
            )
    if len(work_rows) > MAX_RESOURCES:
        message = _("The file has %(count)s resources; at most %(max)s can be imported.") % {
            "count": f"{len(work_rows):,}",
            "max": f"{MAX_RESOURCES:,}",
        }
        raise ApplicationError(message, errors={"file": [message]}, code="mspdi_too_large")
    names = {row.name.strip()[:100] for row in work_rows}
    existing = {r.name: r for r in Resource.objects.filter(tenant_id=tenant_id, name__in=names)}
    departments = dict(
        Department.objects.filter(tenant_id=tenant_id, name__in={r.group for r in work_rows if r.group}).values_list(
            "name", "pk"
        )
    )
    by_uid: dict[int, Resource] = {}
    created = 0
    for row in work_rows:
        name = row.name.strip()[:100]
        if name not in existing:
            existing[name] = _new_resource(context, row, departments)
            created += 1
        by_uid[row.uid] = existing[name]
    allocations: list[Allocation] = []
    seen: set[tuple[int, int]] = set()
    user = actor_of(access)
    for assignment in document.assignments:
        resource = by_uid.get(assignment.resource_uid)
        task = context.tasks.get(assignment.task_uid)
        if resource is None or task is None or (task.pk, resource.pk) in seen:
            continue
        seen.add((task.pk, resource.pk))
        units = min(_units(assignment.units), MAX_UNITS)
        allocations.append(
            Allocation(
                tenant_id=tenant_id,
                resource=resource,
                task=task,
                project=project,
                units=units,
                work=min(assignment.work, MAX_WORK),
                external_uid=assignment.uid,
                created_by=user,
            )
        )
    Allocation.objects.bulk_create(allocations, batch_size=500)
    for task_id in sorted({a.task_id for a in allocations}):
        emit(
            events.ALLOCATION_CHANGED,
            tenant=tenant_id,
            payload={
                "project_id": project.pk,
                "task_id": task_id,
                "resource_ids": sorted({a.resource_id for a in allocations if a.task_id == task_id}),
            },
            actor=user,
        )
    audit_record(
        obj=project,
        action=AuditAction.UPDATE,
        actor=user,
        before={"resources_imported": None},
        after={
            "resources_created": created,
            "resources_matched": len(by_uid) - created,
            "allocations": len(allocations),
        },
    )


def mspdi_export_resources(*, access, project, tasks) -> MspdiExport | None:
    """The project's allocations as assignments, their resources with their calendars."""
    rows = list(
        Allocation.objects.filter(tenant_id=project.tenant_id, project=project)
        .select_related("resource", "resource__department")
        .order_by("task_id", "id")
    )
    if not rows:
        return None
    resources: dict[int, Resource] = {}
    for row in rows:
        resources.setdefault(row.resource_id, row.resource)
    calendar_ids = {r.calendar_id for r in resources.values() if r.calendar_id}
    start = project.start_date or date.today()
    calendars = engine_calendars(calendar_ids, since=date(start.year - 1, 1, 1)) if calendar_ids else {}
    task_ids = {t.pk for t in tasks}
    return MspdiExport(
        resources=[
            MspdiResource(
                uid=r.pk,
                name=r.name,
                type=WORK,
                code=r.code,
                group=r.department.name if r.department else "",
                max_units=float(r.headcount),
                calendar_uid=r.calendar_id,
                standard_rate=float(r.cost_rate),
                is_inactive=not r.is_active,
                notes=r.notes,
            )
            for r in sorted(resources.values(), key=lambda r: r.pk)
        ],
        assignments=[
            MspdiAssignment(
                uid=row.external_uid or row.pk,
                task_uid=row.task_id,
                resource_uid=row.resource_id,
                units=float(row.units / HUNDRED),
                work=row.work,
                regular_work=row.work,
                remaining_work=row.work,
            )
            for row in rows
            if row.task_id in task_ids
        ],
        calendars=calendars,
        # Tandem schedules a task on its own calendar (or the project's), whoever works it: so does Project.
        ignore_resource_calendars={str(row.task_id) for row in rows},
    )
