"""Actions on records: update a field, assign, add a follow-up, create a task, wait."""

from __future__ import annotations

import importlib
from datetime import datetime, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.automation.actions import (
    ActionContext,
    ActionFailed,
    ActionType,
    Outcome,
    Param,
    WaitUntil,
    register,
)
from tandem.automation.actions.people import STRATEGIES, pick_user, validate_spec
from tandem.automation.catalog import RECORD_TYPES, fields, record_json
from tandem.automation.messages import MessageTemplateError, render_message

# Fields an automation may set, per record type; the rest belong to their own workflows (stages, statuses
# with side effects, numbers, computed dates).
SETTABLE = {
    "crm.account": ("tier", "industry", "region", "notes", "risk_flag", "risk_reason", "risk_expires_on"),
    "crm.contact": ("title", "notes"),
    "crm.lead": ("status", "industry", "region", "description"),
    "crm.deal": ("deal_type", "expected_close_date", "description", "source"),
    "crm.contract": ("notes",),
    "projects.project": ("health", "description", "planned_finish", "status_date"),
    "projects.task": ("notes", "percent_complete", "kind"),
}


def _record_type(ctx: ActionContext):
    if ctx.record_type is None or ctx.record is None:
        raise ActionFailed(_("This action needs a record; the trigger has none."))
    return ctx.record_type


def _update(ctx: ActionContext, **changes):
    record_type = _record_type(ctx)
    if record_type.update_service is None:
        raise ActionFailed(_("Records of this type cannot be changed by a rule."))
    module, function, keyword = record_type.update_service
    service = getattr(importlib.import_module(module), function)
    record = record_type.queryset(ctx.tenant_id).get(pk=ctx.record.pk)
    return service(access=ctx.access, **{keyword: record}, **changes)


def _settable(model: str) -> dict[str, dict]:
    record_type = RECORD_TYPES.get(model)
    if record_type is None:
        return {}
    return {f["name"]: f for f in fields(record_type) if f["name"] in SETTABLE.get(model, ())}


def _validate_update(params: dict, definition: dict) -> dict[str, list[str]]:
    allowed = _settable(definition.get("model") or "")
    if params.get("field") not in allowed:
        return {"field": [_("Choose one of the fields a rule may set.")]}
    spec = allowed[params["field"]]
    value = params.get("value")
    if spec["kind"] == "choice" and value not in [c[0] for c in spec["choices"]]:
        return {"value": [_("Not one of the choices.")]}
    if spec["kind"] == "bool" and not isinstance(value, bool):
        return {"value": [_("Choose yes or no.")]}
    return {}


def update_field(ctx: ActionContext, params: dict) -> Outcome:
    name, value = params["field"], params.get("value")
    if name not in SETTABLE.get(_record_type(ctx).key, ()):
        raise ActionFailed(_("A rule may not set this field."))
    if isinstance(value, str):
        value = _render(ctx, value)
    record = _update(ctx, **{name: value})
    record_type = _record_type(ctx)
    return Outcome(
        _("%(field)s set to “%(value)s”.") % {"field": name, "value": value},
        {record_type.name: record_json(record_type, record)},
    )


def assign(ctx: ActionContext, params: dict) -> Outcome:
    record_type = _record_type(ctx)
    user = pick_user(ctx, params.get("to") or {}, cursor_key=f"rule:{ctx.rule.pk}:{ctx.index}")
    if record_type.key == "projects.task":
        record = _update(ctx, assignees=[user])
    elif record_type.key in ("projects.project", "feedback.servicerequest"):
        record = _update(ctx, owner=user)
    elif record_type.owner_field:
        from tandem.records.services.transfer import record_transfer_owner

        record = record_type.queryset(ctx.tenant_id).get(pk=ctx.record.pk)
        reason = _("Assigned by automation rule “%(rule)s”.") % {"rule": ctx.rule.name}
        record_transfer_owner(access=ctx.access, obj=record, new_owner=user, reason=reason)
    else:
        raise ActionFailed(_("Records of this type have no owner."))
    return Outcome(_("Assigned to %(user)s.") % {"user": user}, {record_type.name: record_json(record_type, record)})


def _validate_assign(params: dict, definition: dict) -> dict[str, list[str]]:
    problems = validate_spec(params.get("to"))
    return {"to": problems} if problems else {}


def _render(ctx: ActionContext, text: str) -> str:
    try:
        return render_message(text, ctx.data, language=ctx.language)
    except MessageTemplateError as exc:
        raise ActionFailed(_("The text could not be written: %(e)s") % {"e": exc}) from exc


def add_activity(ctx: ActionContext, params: dict) -> Outcome:
    from tandem.crm.services.activities import activity_create

    record_type = _record_type(ctx)
    links = {
        "crm.account": {"account": ctx.record},
        "crm.contact": {"contact": ctx.record},
        "crm.lead": {"lead": ctx.record},
        "crm.deal": {"deal": ctx.record},
        "projects.project": {"project_id": ctx.record.pk, "account_id": getattr(ctx.record, "account_id", None)},
    }.get(record_type.key)
    if links is None:
        raise ActionFailed(_("Follow-ups can be added to accounts, contacts, leads, deals and projects."))
    kind = params.get("kind") or "note"
    due_days = params.get("due_in_days")
    planned = {}
    if kind == "task":  # only a task-kind follow-up has a due time and a done flag
        planned = {"due_at": ctx.now + timedelta(days=due_days if isinstance(due_days, int) else 1), "done": False}
    activity = activity_create(
        access=ctx.access,
        subject=_render(ctx, params["subject"])[:200],
        content=_render(ctx, params.get("content") or ""),
        kind=kind,
        **planned,
        **{k: v for k, v in links.items() if v is not None},
    )
    return Outcome(_("Follow-up “%(s)s” added.") % {"s": activity.subject}, {"activity": {"id": activity.pk}})


def _project_for(ctx: ActionContext):
    """The project a new task goes into: one an earlier step created, or the record's own project."""
    from tandem.projects.models import Project

    project_id = (ctx.data.get("project") or {}).get("id")
    if project_id is None and ctx.record_type is not None:
        if ctx.record_type.key == "projects.project":
            project_id = ctx.record.pk
        elif ctx.record_type.key == "projects.task":
            project_id = ctx.record.project_id
        elif ctx.record_type.key == "crm.deal":
            project_id = (
                Project.objects.filter(tenant_id=ctx.tenant_id, deal_id=ctx.record.pk)
                .values_list("pk", flat=True)
                .first()
            )
    project = Project.objects.filter(tenant_id=ctx.tenant_id, pk=project_id).first() if project_id else None
    if project is None:
        raise ActionFailed(_("There is no project to add the task to."))
    return project


def create_task(ctx: ActionContext, params: dict) -> Outcome:
    from tandem.calendars.workdays import Workdays
    from tandem.projects.services.tasks import planned_work, task_create

    project = _project_for(ctx)
    assignees = []
    if params.get("assignee"):
        assignees = [pick_user(ctx, params["assignee"], cursor_key=f"rule:{ctx.rule.pk}:{ctx.index}")]
    days = int(params.get("duration_days") or 1)
    start = Workdays(project.calendar).add(ctx.now.date(), int(params.get("start_in_working_days") or 0))
    task = task_create(
        access=ctx.access,
        project=project,
        name=_render(ctx, params["name"])[:300],
        assignees=assignees,
        notes=_render(ctx, params.get("notes") or ""),
        **planned_work(start=start, working_days=days, tzinfo=ctx.now.tzinfo),
    )
    task_type = RECORD_TYPES["projects.task"]
    return Outcome(
        _("Task “%(name)s” added to %(project)s.") % {"name": task.name, "project": project.number},
        {"task": record_json(task_type, task)},
    )


def _validate_task(params: dict, definition: dict) -> dict[str, list[str]]:
    if params.get("assignee") is not None:
        problems = validate_spec(params["assignee"])
        if problems:
            return {"assignee": problems}
    return {}


UNITS = (
    ("minutes", gettext_lazy("minutes")),
    ("hours", gettext_lazy("hours")),
    ("days", gettext_lazy("days")),
    ("working_days", gettext_lazy("working days")),
)


def delay_until(ctx: ActionContext, amount: int, unit: str) -> datetime:
    if unit == "working_days":
        from tandem.calendars.services.calendars import calendar_default
        from tandem.calendars.workdays import Workdays
        from tandem.projects.services.scheduling import tenant_zone

        local = ctx.now.astimezone(tenant_zone(ctx.tenant_id))
        day = Workdays(calendar_default(tenant_id=ctx.tenant_id)).add(local.date(), amount)
        return datetime.combine(day, local.timetz())
    return ctx.now + timedelta(**{unit: amount})


def delay(ctx: ActionContext, params: dict) -> Outcome:
    step = ctx.step
    if step is not None and step.next_attempt_at is not None and step.next_attempt_at <= ctx.now:
        return Outcome(_("Waited until %(t)s.") % {"t": step.next_attempt_at.isoformat(timespec="minutes")})
    moment = delay_until(ctx, int(params["amount"]), params.get("unit") or "days")
    if ctx.dry_run:
        return Outcome(_("Would wait until %(t)s.") % {"t": moment.isoformat(timespec="minutes")})
    raise WaitUntil(moment, _("Waiting until %(t)s.") % {"t": moment.isoformat(timespec="minutes")})


def _validate_delay(params: dict, definition: dict) -> dict[str, list[str]]:
    amount = params.get("amount")
    if not isinstance(amount, int) or isinstance(amount, bool) or not 1 <= amount <= 10000:
        return {"amount": [_("Enter 1 to 10000.")]}
    return {}


register(
    ActionType(
        "update_field",
        gettext_lazy("Update a field"),
        update_field,
        params=(
            Param("field", gettext_lazy("Field"), "field", required=True),
            Param("value", gettext_lazy("New value"), "value"),
        ),
        validate=_validate_update,
    )
)
register(
    ActionType(
        "assign",
        gettext_lazy("Assign"),
        assign,
        params=(Param("to", gettext_lazy("Assign to"), "user_pick", required=True, choices=STRATEGIES),),
        validate=_validate_assign,
        help=gettext_lazy("Sets the owner (the assignee for tasks)."),
    )
)
register(
    ActionType(
        "add_activity",
        gettext_lazy("Add a follow-up"),
        add_activity,
        params=(
            Param("subject", gettext_lazy("Subject"), "template", required=True),
            Param("content", gettext_lazy("Content"), "template"),
            Param(
                "kind",
                gettext_lazy("Kind"),
                "choice",
                choices=(
                    ("note", gettext_lazy("Note")),
                    ("task", gettext_lazy("Task")),
                    ("call", gettext_lazy("Call")),
                ),
                default="note",
            ),
            Param(
                "due_in_days",
                gettext_lazy("Due in (days)"),
                "int",
                help=gettext_lazy("For a task-kind follow-up; 1 when empty."),
            ),
        ),
        models=("crm.account", "crm.contact", "crm.lead", "crm.deal", "projects.project"),
    )
)
register(
    ActionType(
        "create_task",
        gettext_lazy("Create a task"),
        create_task,
        params=(
            Param("name", gettext_lazy("Task name"), "template", required=True),
            Param("notes", gettext_lazy("Notes"), "template"),
            Param("duration_days", gettext_lazy("Duration (working days)"), "int", default=1),
            Param("start_in_working_days", gettext_lazy("Start after (working days)"), "int", default=0),
            Param("assignee", gettext_lazy("Assignee"), "user_pick", choices=STRATEGIES),
        ),
        validate=_validate_task,
        help=gettext_lazy("Into the project an earlier step created, or the record's project."),
    )
)
register(
    ActionType(
        "delay",
        gettext_lazy("Wait"),
        delay,
        params=(
            Param("amount", gettext_lazy("How long"), "int", required=True, default=1),
            Param("unit", gettext_lazy("Unit"), "choice", choices=UNITS, default="working_days"),
        ),
        validate=_validate_delay,
        help=gettext_lazy("The next actions run after the wait; working days follow the default work calendar."),
    )
)
