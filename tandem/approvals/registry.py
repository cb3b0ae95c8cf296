"""The object types that can be approved: upper apps register theirs from `AppConfig.ready()`.

The approvals app is a platform app and never imports the apps whose records it approves; what it needs of a
record (the values branch conditions test, its title, page, the lines approvers see, the actions that need an
approved record) it reads through the registered `ApprovableType`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps

from tandem.core.permissions import type_key

FIELD_KINDS = ("number", "text", "choice", "department", "user", "date", "bool")


@dataclass(frozen=True)
class FieldSpec:
    """A field a branch condition may test: its label, kind (one of FIELD_KINDS) and choices for "choice"."""

    label: object
    kind: str = "text"
    choices: list[tuple[str, object]] = field(default_factory=list)


@dataclass(frozen=True)
class ApprovableType:
    object_type: str  # "crm.contract"
    label: object  # "Contract", lazily translated
    model: str  # "crm.Contract"
    fields: dict[str, FieldSpec]
    values: Callable[[object], dict]  # JSON-safe values of a record: conditions and the approval card read them
    title: Callable[[object], str]
    url: Callable[[object], str]
    summary: Callable[[object], list[tuple[str, str]]]
    gated_actions: dict[str, object] = field(default_factory=dict)  # {"sign": _("sign")}

    @property
    def model_class(self):
        return apps.get_model(self.model)

    def load(self, tenant_id: int, object_id, *, for_update: bool = False):
        """The record of the tenant with that id, or None."""
        qs = self.model_class._default_manager.filter(tenant_id=tenant_id)
        if for_update:
            qs = qs.select_for_update()
        try:
            return qs.filter(pk=int(object_id)).first()
        except (TypeError, ValueError):
            return None


_TYPES: dict[str, ApprovableType] = {}


def register(approvable: ApprovableType) -> ApprovableType:
    _TYPES[approvable.object_type] = approvable
    return approvable


def get(object_type: str) -> ApprovableType | None:
    return _TYPES.get(object_type)


def types() -> list[ApprovableType]:
    return list(_TYPES.values())


def type_of(obj) -> ApprovableType | None:
    """The registered type of a record (by its permission key, `crm.contract`)."""
    return _TYPES.get(type_key(type(obj)))
