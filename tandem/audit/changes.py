"""How an audit row reads on the page: "field label: old → new", in the reader's language and time zone.

The trail stores code names and raw values (`owner_id: 7`, `tier: "a"`, UTC times); this turns them into
the fields' verbose names, choice labels, the names of linked records (one query per linked model for a
whole page) and local times. Keys that name no field are shown by the label an app registered for them
(`register_change_key`), or as they are.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC
from functools import cache

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.core.permissions import type_key

HIDDEN = {"id", "tenant_id", "created_at", "updated_at"}  # bookkeeping: the row's own time says as much
EMPTY = "—"


@dataclass(frozen=True)
class ExtraKey:
    """A key services write beside a record's fields (a transfer's reason): its label and choice labels."""

    label: object
    choices: dict


_extra_keys: dict[str, ExtraKey] = {"reason": ExtraKey(gettext_lazy("Reason"), {})}


def register_change_key(key: str, label, choices=()) -> None:
    """Name a key that is no model field but that services write into audit rows, so the page shows its label.

    Apps register in their `AppConfig.ready()`; who does: crm (`pool_move`, how an account moved between a
    public pool and an owner).
    """
    _extra_keys[key] = ExtraKey(label, {str(value): label for value, label in choices})


@dataclass(frozen=True)
class Change:
    """One field of one audit row: its label and its value before and after (None: the action has no side)."""

    label: str
    old: str | None
    new: str | None


@cache
def _models() -> dict[str, type[models.Model]]:
    return {type_key(model): model for model in apps.get_models()}


def model_for(object_type: str) -> type[models.Model] | None:
    return _models().get(object_type)


def object_type_label(object_type: str) -> str:
    """The record type's name ("Account" / "客户"), or its code when no model has it any more."""
    model = model_for(object_type)
    return capfirst(str(model._meta.verbose_name)) if model is not None else object_type


def _fields(model) -> dict[str, models.Field | ExtraKey]:
    found: dict = dict(_extra_keys)
    if model is None:
        return found
    for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        found[field.name] = field
        found[field.attname] = field
    return found


def _keys(entry) -> list[str]:
    keys = list(dict.fromkeys([*(entry.after or {}), *(entry.before or {})]))
    return [key for key in keys if key not in HIDDEN]


def _shown(entry, key: str) -> bool:
    """A created or deleted record lists its filled-in fields only; an update lists every changed one."""
    if entry.before is not None and entry.after is not None:
        return True
    value = (entry.after if entry.after is not None else entry.before or {}).get(key)
    return value not in (None, "", [], {}, False)


class _Names:
    """The names of the records the rows link to, loaded once per linked model."""

    def __init__(self, tenant_id: int):
        self.tenant_id = tenant_id
        self.wanted: dict[type[models.Model], set] = defaultdict(set)
        self.names: dict[type[models.Model], dict] = {}

    def want(self, field, value) -> None:
        if not isinstance(field, models.Field) or not field.is_relation or value in (None, ""):
            return
        for item in value if isinstance(value, list) else [value]:
            self.wanted[field.related_model].add(item)

    def load(self) -> None:
        for model, ids in self.wanted.items():
            rows = model._base_manager.filter(pk__in=[i for i in ids if isinstance(i, int | str)])
            if any(f.name == "tenant" for f in model._meta.fields):
                rows = rows.filter(tenant_id=self.tenant_id)
            self.names[model] = {str(obj.pk): str(obj) for obj in rows}

    def name(self, field, value) -> str:
        return self.names.get(field.related_model, {}).get(str(value)) or f"#{value}"


def _value(field, value, names: _Names, zone) -> str:
    if value in (None, "", [], {}):
        return EMPTY
    if isinstance(field, ExtraKey):
        return str(field.choices.get(str(value), value))
    if field is None:
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    if field.is_relation:
        items = value if isinstance(value, list) else [value]
        return ", ".join(names.name(field, item) for item in items)
    if field.flatchoices:
        labels = {str(key): label for key, label in field.flatchoices}
        return str(labels.get(str(value), value))
    if isinstance(field, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        moment = parse_datetime(value)
        if moment is not None:
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, UTC)
            return timezone.localtime(moment, zone).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _label(field, key: str) -> str:
    if field is None:
        return key
    return capfirst(str(field.label if isinstance(field, ExtraKey) else field.verbose_name))


def entry_changes(entries, *, tenant_id: int, zone=None) -> dict[int, list[Change]]:
    """{entry id: its changes} for a page of audit rows, in the active language and `zone` (default: current)."""
    zone = zone or timezone.get_current_timezone()
    names = _Names(tenant_id)
    plans = []
    for entry in entries:
        fields = _fields(model_for(entry.object_type))
        keys = [key for key in _keys(entry) if _shown(entry, key)]
        for key in keys:
            for side in (entry.before, entry.after):
                if side is not None:
                    names.want(fields.get(key), side.get(key))
        plans.append((entry, fields, keys))
    names.load()
    result = {}
    for entry, fields, keys in plans:
        changes = []
        for key in keys:
            field = fields.get(key)
            label = _label(field, key)
            old = _value(field, entry.before.get(key), names, zone) if entry.before is not None else None
            new = _value(field, entry.after.get(key), names, zone) if entry.after is not None else None
            changes.append(Change(label, old, new))
        result[entry.pk] = changes
    return result
