"""What every projects API view shares: permission codes per action and input helpers."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tandem.core.api.permissions import ACTION_MAP
from tandem.core.errors import ApplicationError

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ActionPermissionMixin:
    """One permission action per view action: checked by TenantPermission and used to restrict the queryset."""

    permission_object = ""  # "projects.project"
    action_permissions: dict[str, str] = {}

    def permission_action(self) -> str:
        action = getattr(self, "action", None) or ""
        method_map = self.action_permissions.get(f"{action}:{self.request.method}")
        if method_map:
            return method_map
        if action in self.action_permissions:
            return self.action_permissions[action]
        if action in ACTION_MAP:
            return ACTION_MAP[action]
        return "view" if self.request.method in SAFE_METHODS else "change"

    def get_permission_code(self) -> str:
        app_label, model_name = self.permission_object.split(".")
        return f"{app_label}.{self.permission_action()}_{model_name}"

    def restrict_action(self) -> str:
        """The data-scope action rows are restricted by: writes need the write scope, the rest the view scope."""
        action = self.permission_action()
        return action if action in ("change", "delete") else "view"


def validated(serializer_class, data, *, partial: bool = False) -> dict:
    serializer = serializer_class(data=data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def lookup(queryset, pk, field: str):
    """The row with this id in an already scoped queryset, or a 400 naming the field (None passes through)."""
    if pk in (None, ""):
        return None
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise ApplicationError(_("Unknown %(field)s.") % {"field": field}, errors={field: [_("Not found.")]})
    return obj


def users(access, ids, field: str):
    from tandem.projects.services.common import member_users

    return member_users(access.tenant_id, ids or [], field=field)


def user(access, pk, field: str):
    if pk in (None, ""):
        return None
    return users(access, [pk], field)[0]
