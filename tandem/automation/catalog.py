"""The record types rules can watch and act on, their fields, and the JSON a condition or message sees.

A record is seen as plain JSON: ``{"deal": {...}, "account": {...}}`` — the record under its own name plus
the records it points to. Values are those of the audit snapshot (masked where the field is sensitive), so a
condition or a message never reads anything the audit trail would not show, plus a few readable extras
(``owner_name``, ``stage_name``, ``url``…).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tandem.audit.services.audit import snapshot

_HIDDEN = {"tenant", "updated_at", "deleted_at", "deleted_by", "external_uid", "checklist", "contact_ids"}


@dataclass(frozen=True)
class RecordType:
    key: str  # "crm.deal"
    name: str  # the record's name in conditions and messages: "deal"
    label: object
    model_label: str  # "crm.Deal"
    url: Callable[[models.Model], str]
    related: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (attname, record type key)
    update_service: tuple[str, str, str] | None = None  # (module, function, keyword of the record)
    owner_field: str | None = "owner"
    extras: Callable[[models.Model], dict] | None = None
    event_prefix: str = ""  # the events about it, when not named by its key ("feedback.response" → answers)

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)

    def queryset(self, tenant_id: int, *, with_deleted: bool = False):
        model = self.model
        manager = getattr(model, "all_objects", None) if with_deleted else None
        return (manager or model._default_manager).filter(tenant_id=tenant_id)


def absolute(path: str) -> str:
    return settings.TANDEM_BASE_URL.rstrip("/") + path


def _user_name(user_id) -> str:
    if not user_id:
        return ""
    from tandem.accounts.models import User

    user = User.objects.filter(pk=user_id).first()
    return str(user) if user else ""


def _deal_extras(deal) -> dict:
    return {
        "stage_name": deal.stage.name if deal.stage_id else "",
        "account_name": deal.account.name if deal.account_id else "",
        "products": [line.product for line in deal.lines.all()],
    }


def _project_extras(project) -> dict:
    return {"manager_name": _user_name(project.owner_id), "code": project.code or project.number}


def _task_extras(task) -> dict:
    assignees = list(task.assignees.all())
    finish = task.early_finish
    due = finish.date() if finish else None
    today = date.today()
    return {
        "assignee_ids": [u.pk for u in assignees],
        "assignee_name": "、".join(str(u) for u in assignees),
        "due_date": due.isoformat() if due else None,
        "days_overdue": max((today - due).days, 0) if due and task.percent_complete < 100 else 0,
    }


def _lead_extras(lead) -> dict:
    from django.utils import timezone

    from tandem.crm.services.sla import business_clock

    source = {"source_name": str(lead.get_source_display())}  # in the language the message is written in
    if lead.first_response_at is not None:
        return {"hours_waiting": 0, **source}
    minutes = business_clock(tenant_id=lead.tenant_id).minutes_between(lead.created_at, timezone.now())
    return {"hours_waiting": round(minutes / 60, 1), **source}


RECORD_TYPES: dict[str, RecordType] = {}


def _register(record_type: RecordType) -> None:
    RECORD_TYPES[record_type.key] = record_type


_register(
    RecordType(
        "crm.account",
        "account",
        _("Account"),
        "crm.Account",
        lambda o: reverse("crm:account_detail", args=[o.pk]),
        related={"parent": ("parent_id", "crm.account")},
        update_service=("tandem.crm.services.accounts", "account_update", "account"),
    )
)
_register(
    RecordType(
        "crm.contact",
        "contact",
        _("Contact"),
        "crm.Contact",
        lambda o: reverse("crm:contact_detail", args=[o.pk]),
        related={"account": ("account_id", "crm.account")},
        update_service=("tandem.crm.services.contacts", "contact_update", "contact"),
    )
)
_register(
    RecordType(
        "crm.lead",
        "lead",
        _("Lead"),
        "crm.Lead",
        lambda o: reverse("crm:lead_detail", args=[o.pk]),
        update_service=("tandem.crm.services.leads", "lead_update", "lead"),
        extras=_lead_extras,
    )
)
_register(
    RecordType(
        "crm.deal",
        "deal",
        _("Deal"),
        "crm.Deal",
        lambda o: reverse("crm:deal_detail", args=[o.pk]),
        related={"account": ("account_id", "crm.account"), "contact": ("contact_id", "crm.contact")},
        update_service=("tandem.crm.services.deals", "deal_update", "deal"),
        extras=_deal_extras,
    )
)
_register(
    RecordType(
        "crm.contract",
        "contract",
        _("Contract"),
        "crm.Contract",
        lambda o: reverse("crm:contract_detail", args=[o.pk]),
        related={"account": ("account_id", "crm.account"), "deal": ("deal_id", "crm.deal")},
        update_service=("tandem.crm.services.contracts", "contract_update", "contract"),
    )
)
_register(
    RecordType(
        "feedback.servicerequest",
        "service_request",
        _("Service request"),
        "feedback.ServiceRequest",
        lambda o: reverse("crm:account_detail", args=[o.account_id]),  # the request pages are not built yet
        related={
            "account": ("account_id", "crm.account"),
            "contact": ("contact_id", "crm.contact"),
            "project": ("project_id", "projects.project"),
        },
        update_service=("tandem.feedback.services.requests", "request_update", "request"),
        event_prefix="feedback.request",
    )
)


def _response_extras(response) -> dict:
    account = response.account
    return {
        "owner_id": account.owner_id,  # the account's owner answers for the customer
        "owner_name": _user_name(account.owner_id),
        "account_name": account.name,
        "manager_name": _user_name(response.manager_id),
        "category_name": str(response.get_category_display()),
    }


_register(
    RecordType(
        "feedback.surveyresponse",
        "response",
        _("Survey answer"),
        "feedback.SurveyResponse",
        lambda o: reverse("crm:account_detail", args=[o.account_id]),
        related={
            "account": ("account_id", "crm.account"),
            "contact": ("contact_id", "crm.contact"),
            "project": ("project_id", "projects.project"),
        },
        owner_field=None,
        extras=_response_extras,
        event_prefix="feedback.response",
    )
)


def _approval_extras(approval) -> dict:
    return {"submitter_name": _user_name(approval.submitter_id), "record_type": approval.object_type}


# An approval's events ("approvals.approval.approved" …) carry `approval_id`: a rule on approvals loads it and can
# test what was approved (`approval.object_type`, `approval.title`, `approval.values`).
_register(
    RecordType(
        "approvals.approval",
        "approval",
        _("Approval"),
        "approvals.Approval",
        lambda o: reverse("approvals:open", args=[o.pk]),
        owner_field="submitter",
        extras=_approval_extras,
        event_prefix="approvals.approval",
    )
)
_register(
    RecordType(
        "projects.project",
        "project",
        _("Project"),
        "projects.Project",
        lambda o: reverse("projects:detail", args=[o.pk]),
        related={
            "account": ("account_id", "crm.account"),
            "deal": ("deal_id", "crm.deal"),
            "contract": ("contract_id", "crm.contract"),
        },
        update_service=("tandem.projects.services.projects", "project_update", "project"),
        extras=_project_extras,
    )
)
_register(
    RecordType(
        "projects.task",
        "task",
        _("Task"),
        "projects.Task",
        lambda o: reverse("projects:tasks", args=[o.project_id]) + f"?task={o.pk}",
        related={"project": ("project_id", "projects.project")},
        update_service=("tandem.projects.services.tasks", "task_update", "task"),
        owner_field=None,
        extras=_task_extras,
    )
)


def _conflict_extras(conflict) -> dict:
    factors = conflict.factors or {}
    return {
        "resource_name": conflict.resource.name if conflict.resource_id else "",
        "task_name": conflict.task.name if conflict.task_id else "",
        "project_name": conflict.project.name if conflict.project_id else "",
        "account_tier": factors.get("tier", ""),
        "float_days": factors.get("float_days"),
    }


# A conflict's events ("resources.conflict.detected" …) carry `conflict_id`: a rule on conflicts loads it and can
# test the score, the peak load, the customer tier, and act on the project at risk.
_register(
    RecordType(
        "resources.conflict",
        "conflict",
        _("Resource conflict"),
        "resources.Conflict",
        lambda o: reverse("resources:conflict_detail", args=[o.pk]),
        related={"project": ("project_id", "projects.project"), "task": ("task_id", "projects.task")},
        owner_field=None,
        extras=_conflict_extras,
        event_prefix="resources.conflict",
    )
)


def get(key: str) -> RecordType | None:
    return RECORD_TYPES.get(key)


def for_event(event: str) -> RecordType | None:
    """The record type an event is about ("crm.deal.won" → deals, "feedback.response.submitted" → answers)."""
    prefix = ".".join(event.split(".")[:2])
    return RECORD_TYPES.get(prefix) or next((rt for rt in RECORD_TYPES.values() if rt.event_prefix == prefix), None)


def key_of(obj: models.Model) -> str:
    return obj._meta.label_lower


def _kind(model_field: models.Field) -> str:
    if model_field.is_relation:
        target = model_field.related_model._meta.label_lower if model_field.related_model else ""
        return "user" if target == settings.AUTH_USER_MODEL.lower() else "ref"
    if isinstance(model_field, models.BooleanField):
        return "bool"
    if isinstance(model_field, (models.IntegerField, models.DecimalField, models.FloatField)):
        return "number"
    if isinstance(model_field, models.DateTimeField):
        return "datetime"
    if isinstance(model_field, models.DateField):
        return "date"
    if model_field.choices:
        return "choice"
    return "text"


def fields(record_type: RecordType) -> list[dict]:
    """The fields a rule can test, set or date from: name (as in the record JSON), label, kind, choices."""
    out = []
    for model_field in record_type.model._meta.concrete_fields:
        if model_field.name in _HIDDEN or model_field.primary_key:
            continue
        name = model_field.attname if model_field.is_relation else model_field.name
        entry = {"name": name, "label": str(model_field.verbose_name), "kind": _kind(model_field)}
        if model_field.choices and not model_field.is_relation:
            entry["kind"] = "choice"
            entry["choices"] = [[value, str(label)] for value, label in model_field.choices]
        out.append(entry)
    return out


def condition_fields(record_type: RecordType) -> list[str]:
    """Every dotted path a condition on this record type may use: own fields, extras, related records' fields."""
    own = [f"{record_type.name}.{f['name']}" for f in fields(record_type)]
    own += [f"{record_type.name}.id", f"{record_type.name}.url", f"{record_type.name}.owner_name"]
    own += [f"{record_type.name}.{key}" for key in _EXTRA_KEYS.get(record_type.key, ())]
    for name, (_attname, related_key) in record_type.related.items():
        related = RECORD_TYPES[related_key]
        own += [f"{name}.{f['name']}" for f in fields(related)] + [f"{name}.id", f"{name}.owner_name"]
    return own


_EXTRA_KEYS = {
    "crm.deal": ("stage_name", "account_name", "products"),
    "projects.project": ("manager_name", "code"),
    "projects.task": ("assignee_ids", "assignee_name", "due_date", "days_overdue"),
    "crm.lead": ("hours_waiting", "source_name"),
    "feedback.surveyresponse": ("owner_id", "owner_name", "account_name", "manager_name", "category_name"),
    "approvals.approval": ("submitter_name", "record_type"),
    "resources.conflict": ("resource_name", "task_name", "project_name", "account_tier", "float_days"),
}


def _json_value(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def record_json(record_type: RecordType, obj: models.Model) -> dict:
    data = snapshot(obj)
    data["id"] = obj.pk
    data["repr"] = str(obj)[:200]
    data["url"] = absolute(record_type.url(obj))
    if record_type.owner_field:
        data["owner_name"] = _user_name(getattr(obj, f"{record_type.owner_field}_id", None))
    if record_type.extras:
        data.update({k: _json_value(v) for k, v in record_type.extras(obj).items()})
    return data


def load(record_type: RecordType, tenant_id: int, record_id, *, with_deleted: bool = False):
    try:
        return record_type.queryset(tenant_id, with_deleted=with_deleted).filter(pk=int(record_id)).first()
    except (TypeError, ValueError):
        return None


def record_data(record_type: RecordType, obj: models.Model) -> dict:
    """The JSON a condition or a message sees for a record: itself and the records it points to."""
    data = {record_type.name: record_json(record_type, obj)}
    for name, (attname, related_key) in record_type.related.items():
        related_type = RECORD_TYPES[related_key]
        related_id = getattr(obj, attname, None)
        related = load(related_type, obj.tenant_id, related_id) if related_id else None
        if related is not None:
            data[name] = record_json(related_type, related)
    return data


def previous_data(data: dict, record_type: RecordType, changes: dict) -> dict:
    """The record JSON as it was before an update, from the update's {field: [old, new]} changes."""
    before = {**data, record_type.name: dict(data.get(record_type.name, {}))}
    for name, (old, _new) in (changes or {}).items():
        before[record_type.name][name] = old
    return before


def describe() -> list[dict]:
    """Record types with fields, for the rule builder and the API."""
    return [
        {
            "key": rt.key,
            "name": rt.name,
            "label": str(rt.label),
            "fields": fields(rt),
            "date_fields": [f for f in fields(rt) if f["kind"] in ("date", "datetime")],
            "related": {name: key for name, (_a, key) in rt.related.items()},
            "condition_fields": condition_fields(rt),
        }
        for rt in RECORD_TYPES.values()
    ]
