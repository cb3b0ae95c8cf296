"""Project templates: define (each edit is a new version), save a project as one, instantiate one."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.calendars.workdays import Workdays
from tandem.core.errors import ApplicationError
from tandem.core.services import actor_of, check_tenant, full_clean, member_users, require
from tandem.projects.choices import ConstraintType, LinkType, TemplateSource
from tandem.projects.models import Dependency, Project, ProjectTemplate, Task, TemplateLink, TemplateTask
from tandem.projects.services.bulk import LinkSpec, TaskSpec, wbs_bulk_create
from tandem.projects.services.dependencies import find_cycle
from tandem.projects.services.projects import project_create
from tandem.projects.services.scheduling import cycle_message, tenant_zone
from tandem.projects.services.tasks import assignees_bulk_added

PM_ROLE = "pm"
MAX_TEMPLATE_TASKS = 2000
TASK_FIELDS = (
    "name",
    "kind",
    "is_milestone",
    "offset_days",
    "duration",
    "duration_unit",
    "role",
    "payment_percent",
    "checklist",
    "notes",
)


def _new_version(tenant_id: int, name: str) -> int:
    """The next version number of a template name; the earlier versions stop being current."""
    latest = ProjectTemplate.objects.filter(tenant_id=tenant_id, name=name).aggregate(v=Max("version"))["v"] or 0
    ProjectTemplate.objects.filter(tenant_id=tenant_id, name=name, is_current=True).update(is_current=False)
    return latest + 1


def _store(
    *, access, name: str, description: str, source: str, tasks: list[dict], links: list[dict], project=None
) -> ProjectTemplate:
    name = name.strip()
    if not name:
        raise ApplicationError(_("Give the template a name."), errors={"name": [_("Required.")]})
    if len(tasks) > MAX_TEMPLATE_TASKS:
        raise ApplicationError(_("A template holds at most %(n)d tasks.") % {"n": MAX_TEMPLATE_TASKS})
    keys = [t["key"] for t in tasks]
    if len(set(keys)) != len(keys):
        raise ApplicationError(_("Two tasks share one key."), errors={"tasks": [_("Keys must be unique.")]})
    known = set(keys)
    for t in tasks:
        if t.get("parent_key") is not None and t["parent_key"] not in known:
            raise ApplicationError(_("A task's parent is not in the template."), errors={"tasks": [str(t["key"])]})
    total = sum(Decimal(str(t.get("payment_percent") or 0)) for t in tasks)
    if total > 100:
        message = _("The milestones' payment percentages add up to more than 100%.")
        raise ApplicationError(message, errors={"tasks": [message]})
    template = ProjectTemplate(
        tenant_id=access.tenant_id,
        name=name,
        version=_new_version(access.tenant_id, name),
        is_current=True,
        source=source,
        source_project=project,
        description=description,
        created_by=actor_of(access),
    )
    full_clean(template, exclude=["created_by", "source_project"])
    template.save()
    rows: dict[object, TemplateTask] = {}
    pending = list(enumerate(tasks))
    # Parents first: a template task's parent must exist when it is saved.
    for _round in range(len(tasks) + 1):
        if not pending:
            break
        rest = []
        for index, t in pending:
            parent_key = t.get("parent_key")
            if parent_key is not None and parent_key not in rows:
                rest.append((index, t))
                continue
            row = TemplateTask(
                tenant_id=access.tenant_id,
                template=template,
                parent=rows.get(parent_key),
                sort_order=index,
                **{k: t[k] for k in TASK_FIELDS if k in t and t[k] is not None},
            )
            full_clean(row, exclude=["template", "parent"])
            row.save()
            rows[t["key"]] = row
        if len(rest) == len(pending):
            raise ApplicationError(_("The task tree is broken (a looping parent)."), errors={"tasks": ["parent"]})
        pending = rest
    edges: dict = {}
    link_rows = []
    for link in links:
        pred, succ = rows.get(link["predecessor_key"]), rows.get(link["successor_key"])
        if pred is None or succ is None or pred is succ:
            raise ApplicationError(_("A link names a task that is not in the template."), errors={"links": [str(link)]})
        edges.setdefault(pred.pk, set()).add(succ.pk)
        link_rows.append(
            TemplateLink(
                tenant_id=access.tenant_id,
                template=template,
                predecessor=pred,
                successor=succ,
                type=link.get("type", LinkType.FS),
                lag=int(link.get("lag", 0)),
            )
        )
    cycle = find_cycle(edges, list(edges))
    if cycle:
        names = {r.pk: r.name for r in rows.values()}
        message = cycle_message([names[pk] for pk in cycle])
        raise ApplicationError(message, errors={"links": [message]}, code="cycle")
    TemplateLink.objects.bulk_create(link_rows)
    audit_record(
        obj=template,
        action=AuditAction.CREATE,
        actor=actor_of(access),
        after={**snapshot(template), "tasks": len(rows), "links": len(link_rows)},
    )
    return template


@transaction.atomic
def template_define(
    *, access, name: str, tasks: list[dict], links: list[dict] | None = None, description: str = ""
) -> ProjectTemplate:
    """Store a template from plain task/link dicts; a name that exists gets a new version.

    A task dict: key, parent_key, name, kind, is_milestone, offset_days, duration (working minutes),
    duration_unit, role, payment_percent, checklist, notes. A link dict: predecessor_key, successor_key, type, lag.
    """
    require(access, "projects.add_projecttemplate")
    return _store(
        access=access, name=name, description=description, source=TemplateSource.MANUAL, tasks=tasks, links=links or []
    )


@transaction.atomic
def template_save_from_project(
    *, access, project: Project, name: str, description: str = "", roles: dict[int, str] | None = None
) -> ProjectTemplate:
    """Save a project's WBS as a template: offsets in working days from its start, assignees as roles.

    `roles` maps user ids to role placeholders; the PM defaults to "pm", other assignees to "engineer".
    """
    require(access, "projects.add_projecttemplate")
    check_tenant(access, project)
    roles = {project.owner_id: PM_ROLE, **(roles or {})}
    days = Workdays(project.calendar)
    zone = tenant_zone(project.tenant_id)
    tasks = []
    for task in Task.objects.filter(project=project).prefetch_related("assignees").order_by("sort_order", "id"):
        assignee = next(iter(task.assignees.all()), None)
        start = task.early_start.astimezone(zone).date() if task.early_start else project.start_date
        tasks.append(
            {
                "key": task.pk,
                "parent_key": task.parent_id,
                "name": task.name,
                "kind": task.kind,
                "is_milestone": task.is_milestone,
                "offset_days": max(0, days.between(project.start_date, start)),
                "duration": task.duration,
                "duration_unit": task.duration_unit,
                "role": roles.get(assignee.pk, "engineer") if assignee else "",
                "payment_percent": task.payment_percent,
                "checklist": task.checklist,
                "notes": task.notes,
            }
        )
    links = [
        {"predecessor_key": p, "successor_key": s, "type": t, "lag": lag}
        for p, s, t, lag in Dependency.objects.filter(project=project).values_list(
            "predecessor_id", "successor_id", "type", "lag"
        )
    ]
    return _store(
        access=access,
        name=name,
        description=description,
        source=TemplateSource.PROJECT,
        tasks=tasks,
        links=links,
        project=project,
    )


@transaction.atomic
def template_instantiate(
    *, access, template: ProjectTemplate, name: str, start_date: date, roles: dict | None = None, **project_fields
) -> Project:
    """A new project from a template: tasks dated from `start_date` in working days, roles resolved to people.

    `roles` maps a role placeholder to a user; "pm" defaults to the project's PM. Unresolved roles leave
    the task unassigned.
    """
    require(access, "projects.add_project")
    require(access, "projects.add_task")
    require(access, "projects.add_dependency")
    check_tenant(access, template)
    # Scheduled once, when its tasks are in (wbs_bulk_create).
    project = project_create(
        access=access, name=name, start_date=start_date, template_id=template.pk, reschedule=False, **project_fields
    )
    people = {PM_ROLE: project.owner, **(roles or {})}
    member_users(access.tenant_id, [u.pk for u in people.values() if u is not None], field="roles")
    days = Workdays(project.calendar)
    zone = tenant_zone(project.tenant_id)
    template_tasks = list(TemplateTask.objects.filter(template=template).order_by("sort_order", "id"))
    template_links = list(TemplateLink.objects.filter(template=template))
    has_predecessor = {link.successor_id for link in template_links}
    parents = {row.parent_id for row in template_tasks}
    specs = []
    for row in template_tasks:
        values = {
            "kind": row.kind,
            "is_milestone": row.is_milestone,
            "duration": row.duration,
            "duration_unit": row.duration_unit,
            "payment_percent": row.payment_percent,
            "checklist": row.checklist,
            "notes": row.notes,
        }
        # A task the links do not place keeps its relative date as a start-no-earlier-than constraint.
        if row.offset_days > 0 and row.pk not in has_predecessor and row.pk not in parents:
            day = days.add(start_date, row.offset_days)
            values["constraint_type"] = ConstraintType.SNET
            values["constraint_date"] = datetime.combine(day, time.min, tzinfo=zone)
        person = people.get(row.role) if row.role else None
        specs.append(
            TaskSpec(
                key=row.pk,
                parent_key=row.parent_id,
                name=row.name,
                assignee_ids=[person.pk] if person else [],
                values=values,
            )
        )
    link_specs = [LinkSpec(link.predecessor_id, link.successor_id, link.type, link.lag) for link in template_links]
    tasks = wbs_bulk_create(project=project, actor=actor_of(access), tasks=specs, links=link_specs)
    # The people the roles name are booked on their tasks (the resources app allocates them).
    assignees_bulk_added(project, actor_of(access), [(tasks[s.key].pk, uid) for s in specs for uid in s.assignee_ids])
    return project


@transaction.atomic
def template_delete(*, access, template: ProjectTemplate) -> None:
    """Delete one template version; when it was current, the previous version becomes current."""
    require(access, "projects.delete_projecttemplate")
    check_tenant(access, template)
    audit_record(obj=template, action=AuditAction.DELETE, actor=actor_of(access), before=snapshot(template))
    was_current = template.is_current
    template.delete()
    if was_current:
        previous = (
            ProjectTemplate.objects.filter(tenant_id=template.tenant_id, name=template.name)
            .order_by("-version")
            .first()
        )
        if previous is not None:
            previous.is_current = True
            previous.save(update_fields=["is_current", "updated_at"])
