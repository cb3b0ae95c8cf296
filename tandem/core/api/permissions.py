"""API permission: a member of the request's tenant holding the code for the view's action."""

from rest_framework.permissions import BasePermission

ACTION_MAP = {
    "list": "view",
    "retrieve": "view",
    "create": "add",
    "update": "change",
    "partial_update": "change",
    "destroy": "delete",
    "metadata": "view",
}


def required_code(view, request) -> str | None:
    """The permission code a view needs for this request, from the model and the action."""
    if hasattr(view, "get_permission_code"):
        return view.get_permission_code()
    model = getattr(getattr(view, "queryset", None), "model", None)
    if model is None:
        return None
    app_label, model_name = model._meta.app_label, model._meta.model_name
    if getattr(view, "permission_object", None):
        app_label, model_name = view.permission_object.split(".")
    action = getattr(view, "permission_action", None) or ACTION_MAP.get(getattr(view, "action", None) or "")
    if action is None:
        extra = getattr(view, "action_permissions", {})
        action = extra.get(getattr(view, "action", ""), "change")
    return f"{app_label}.{action}_{model_name}"


class TenantPermission(BasePermission):
    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        access = getattr(request, "access", None)
        if access is None:
            return False
        code = required_code(view, request)
        if code is None:
            return True
        allowed = access.has_perm(code)
        if not allowed:
            from tandem.audit.models import SecurityEventKind
            from tandem.audit.services.audit import security_event

            security_event(
                kind=SecurityEventKind.ACCESS_DENIED,
                tenant_id=access.tenant_id,
                user=request.user,
                permission=code,
                path=request.path[:300],
                method=request.method,
            )
        return allowed
