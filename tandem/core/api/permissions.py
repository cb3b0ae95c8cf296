"""API permission, one mechanism for every view: a member of the request's tenant holding the code
for the view's action.

A view names its object (`permission_object = "app.model"`, else its queryset's model) and maps
actions that are not plain CRUD in `action_permissions` (`"export": "export"`, or per method
`"status_updates:POST": "change"`); views that are no viewset define `get_permission_code()`.
"""

from rest_framework.permissions import BasePermission

from tandem.core.permissions import type_key
from tandem.core.signals import send_access_denied

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
ACTION_MAP = {
    "list": "view",
    "retrieve": "view",
    "create": "add",
    "update": "change",
    "partial_update": "change",
    "destroy": "delete",
    "metadata": "view",
}


def permission_action(view) -> str:
    """The action part of the code: `action_permissions` first (per method, then per action), then CRUD."""
    action = getattr(view, "action", None) or ""
    mapped = getattr(view, "action_permissions", {})
    for key in (f"{action}:{view.request.method}", action):
        if key in mapped:
            return mapped[key]
    if action in ACTION_MAP:
        return ACTION_MAP[action]
    return "view" if view.request.method in SAFE_METHODS else "change"


def permission_code(view) -> str | None:
    """The code a view needs for this request; None when it guards nothing by code (e.g. the caller's own profile)."""
    if hasattr(view, "get_permission_code"):
        return view.get_permission_code()
    return object_permission_code(view)


def object_permission_code(view) -> str | None:
    """`<app>.<action>_<model>` from the view's permission object (or queryset model) and action."""
    permission_object = getattr(view, "permission_object", "")
    if permission_object:
        app_label, model_name = permission_object.split(".")
    else:
        model = getattr(getattr(view, "queryset", None), "model", None)
        if model is None:
            return None
        app_label, model_name = type_key(model).split(".")
    return f"{app_label}.{permission_action(view)}_{model_name}"


class ActionPermissionMixin:
    """Permission codes per view action, checked by TenantPermission and used to restrict querysets."""

    permission_object = ""
    action_permissions: dict[str, str] = {}

    def permission_action(self) -> str:
        return permission_action(self)

    def get_permission_code(self) -> str | None:
        return object_permission_code(self)

    def restrict_action(self) -> str:
        """The data-scope action rows are restricted by: writes need the write scope, the rest the view scope."""
        action = self.permission_action()
        return action if action in ("change", "delete") else "view"


class TenantPermission(BasePermission):
    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        access = getattr(request, "access", None)
        if access is None:
            return False
        code = permission_code(view)
        if code is None:
            return True
        allowed = access.has_perm(code)
        if not allowed:
            send_access_denied(request, code)
        return allowed
