"""The registry of object types and the actions a role can be granted on each.

Every list gets view/add/change/delete plus the separate import, export, print and transfer
actions Chinese business users expect. Apps register their types in `AppConfig.ready()`.
"""

from __future__ import annotations

from collections.abc import Callable
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


def type_key(model) -> str:
    """A model's object-type key (`crm.account`): what its permission codes, audit rows and record URLs name.

    Its `app_label.model_name`, unless the model declares `type_key`: a model that moved to another app keeps
    the key it had, so the codes roles hold and the rows the audit trail wrote still match it.
    """
    return getattr(model, "type_key", "") or model._meta.label_lower


def permission_code(model, action: str) -> str:
    """The code of an action on a model's records, e.g. `crm.view_account`."""
    app_label, model_name = type_key(model).split(".")
    return f"{app_label}.{action}_{model_name}"


def model_of(key: str):
    """The model an object-type key names (see `type_key`); LookupError when none does."""
    from django.apps import apps

    for model in apps.get_models():
        if type_key(model) == key:
            return model
    raise LookupError(key)


# Read access that comes from taking part rather than from a role: a project's team sees the project and its
# tasks whatever their roles say. An app registers the codes and how to tell a member (tenant id, user id).
_MEMBER_GRANTS: list[tuple[frozenset[str], Callable[[int, int], bool]]] = []


def register_member_grant(codes, is_member: Callable[[int, int], bool]) -> None:
    """Grant `codes` (view codes only, at the own-records scope) to whoever `is_member(tenant_id, user_id)` says
    takes part. Which rows they read is the app's record shares (a project's team holds read shares of it, and
    `restrict` lets a share reach the rows under it), so the grant opens the pages and nothing more."""
    codes = frozenset(codes)
    if any(not code.split(".", 1)[-1].startswith("view_") for code in codes):
        raise ValueError("A member grant gives read access only.")
    _MEMBER_GRANTS.append((codes, is_member))


def member_grants(code: str) -> list[Callable[[int, int], bool]]:
    """The membership tests that grant `code`."""
    return [is_member for codes, is_member in _MEMBER_GRANTS if code in codes]
