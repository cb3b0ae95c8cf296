"""The registry of object types and the actions a role can be granted on each.

Every list gets view/add/change/delete plus the separate import, export, print and transfer
actions Chinese business users expect. Apps register their types in `AppConfig.ready()`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "view": _("View"),
    "add": _("Create"),
    "change": _("Edit"),
    "delete": _("Delete"),
    "import": _("Import"),
    "export": _("Export"),
    "print": _("Print"),
    "transfer": _("Transfer owner"),
}
DEFAULT_ACTIONS = tuple(ACTION_LABELS)


@dataclass(frozen=True)
class ObjectType:
    app_label: str
    model_name: str
    label: str
    actions: tuple[str, ...] = DEFAULT_ACTIONS
    fields: dict[str, str] = field(default_factory=dict)  # field name -> label, for field rules

    @property
    def key(self) -> str:
        return f"{self.app_label}.{self.model_name}"

    def code(self, action: str) -> str:
        return f"{self.app_label}.{action}_{self.model_name}"

    @property
    def codes(self) -> list[str]:
        return [self.code(a) for a in self.actions]


_REGISTRY: dict[str, ObjectType] = {}


def register_type(app_label, model_name, label, *, actions=DEFAULT_ACTIONS, fields=None) -> ObjectType:
    obj = ObjectType(app_label, model_name, label, tuple(actions), dict(fields or {}))
    _REGISTRY[obj.key] = obj
    return obj


def object_types() -> list[ObjectType]:
    return list(_REGISTRY.values())


def all_codes() -> set[str]:
    return {code for obj in _REGISTRY.values() for code in obj.codes}


def field_labels() -> set[str]:
    return {f"{obj.key}.{name}" for obj in _REGISTRY.values() for name in obj.fields}


def get_type(key: str) -> ObjectType:
    return _REGISTRY[key]
