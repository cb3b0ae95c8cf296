"""Accounts API: me, members, roles, departments, API tokens."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.accounts import selectors
from tandem.accounts.api import serializers as s
from tandem.accounts.models import ApiToken, Department, Membership, Role
from tandem.accounts.services import members as member_services
from tandem.accounts.services import tokens as token_services
from tandem.accounts.services.tenants import tenant_update
from tandem.core import permissions
from tandem.core.api.inputs import in_tenant, member, validated
from tandem.core.api.views import IdempotentPostMixin, TenantViewSet
from tandem.core.errors import ApplicationError


def _roles(access, keys):
    roles = list(selectors.role_list(access=access).filter(key__in=keys))
    missing = set(keys) - {r.key for r in roles}
    if missing:
        raise ApplicationError(_("Unknown roles."), errors={"roles": sorted(missing)})
    return roles


class MeView(IdempotentPostMixin, APIView):
    """The signed-in user, the current tenant, roles and effective permissions."""

    @extend_schema(responses=s.MeOutput)
    def get(self, request):
        access = request.access
        user = request.user
        known = permissions.all_codes()
        codes = access.permission_codes(known)
        tenants = selectors.tenants_of(user_id=user.pk)
        data = {
            "user": {
                "id": user.pk,
                "username": user.username,
                "display_name": str(user),
                "email": user.email,
                "language": user.preferred_language or request.tenant.locale,
            },
            "tenant": s.TenantOutput(request.tenant).data,
            "tenants": s.TenantOutput(tenants, many=True).data,
            "roles": access.role_keys,
            "permissions": codes,
            "data_scopes": {code: access.scope_for(code) for code in codes},
        }
        return Response(data)


class MemberViewSet(TenantViewSet):
    """People in the tenant (用户): create, change roles/department/manager, deactivate."""

    queryset = Membership.objects.all()
    permission_object = "accounts.user"
    serializer_class = s.MemberOutput
    filterset_fields = ["department", "is_active"]
    ordering_fields = ["id", "user__username", "created_at"]
    search_fields = ["user__username", "user__display_name", "user__email"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        # Members are permissioned as `accounts.user` (TenantPermission checked that code); the generic
        # restrict() would look for `accounts.*_membership`, which only a "*" role holds, and hide everyone.
        qs = Membership.objects.for_tenant(self.request.access.tenant_id)
        return qs.select_related("user").prefetch_related("roles").order_by("id")

    @extend_schema(request=s.MemberInput, responses={201: s.MemberOutput})
    def create(self, request):
        data = validated(s.MemberInput, request.data)
        access = request.access
        membership = member_services.member_create(
            access=request.access,
            username=data["username"],
            password=data.get("password") or None,
            email=data.get("email", ""),
            display_name=data["display_name"],
            phone=data["phone"],
            title=data["title"],
            skills=list(dict.fromkeys(k.strip() for k in data.get("skills", []) if k.strip())),
            department=in_tenant(access, Department, data.get("department"), "department"),
            manager=member(access, data.get("manager"), "manager"),
            roles=_roles(access, data["roles"]),
        )
        return Response(self.get_serializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.MemberUpdateInput, responses=s.MemberOutput)
    def partial_update(self, request, pk=None):
        membership = self.get_object()
        data = validated(s.MemberUpdateInput, request.data, partial=True)
        access = request.access
        if "department" in data:
            data["department"] = in_tenant(access, Department, data["department"], "department")
        if "manager" in data:
            data["manager"] = member(access, data["manager"], "manager")
        if "roles" in data:
            data["roles"] = _roles(access, data["roles"])
        if "skills" in data:
            data["skills"] = list(dict.fromkeys(k.strip() for k in data["skills"] if k.strip()))
        membership = member_services.member_update(access=request.access, membership=membership, **data)
        return Response(self.get_serializer(membership).data)


class RoleViewSet(TenantViewSet):
    """Roles: permission codes, data scope and field rules."""

    queryset = Role.objects.all()
    serializer_class = s.RoleOutput
    ordering_fields = ["id", "key", "name"]
    search_fields = ["key", "name"]
    filterset_fields = ["data_scope", "is_system"]

    def get_queryset(self):
        return super().get_queryset().order_by("id")

    @extend_schema(request=s.RoleInput, responses={201: s.RoleOutput})
    def create(self, request):
        data = validated(s.RoleInput, request.data)
        if not data.get("key"):
            raise ApplicationError(_("Please correct the errors below."), errors={"key": [_("Required.")]})
        role = member_services.role_create(
            access=request.access,
            key=data["key"],
            name=data["name"],
            description=data["description"],
            permissions_list=data["permissions"],
            data_scope=data["data_scope"],
            field_rules=data["field_rules"],
        )
        return Response(s.RoleOutput(role).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RoleInput, responses=s.RoleOutput)
    def update(self, request, pk=None, partial=False):
        role = self.get_object()
        data = validated(s.RoleInput, request.data, partial=partial)
        data.pop("key", None)
        if "permissions" in data:
            data["permissions_list"] = data.pop("permissions")
        role = member_services.role_update(access=request.access, role=role, **data)
        return Response(s.RoleOutput(role).data)

    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    def destroy(self, request, pk=None):
        member_services.role_delete(access=request.access, role=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class DepartmentViewSet(TenantViewSet):
    """The organisation tree (部门)."""

    queryset = Department.objects.all()
    serializer_class = s.DepartmentOutput
    filterset_fields = ["parent"]
    ordering_fields = ["id", "name", "sort_order"]
    search_fields = ["name"]

    def get_queryset(self):
        return super().get_queryset().order_by("sort_order", "id")

    @extend_schema(request=s.DepartmentInput, responses={201: s.DepartmentOutput})
    def create(self, request):
        data = validated(s.DepartmentInput, request.data)
        access = request.access
        department = member_services.department_create(
            access=access,
            name=data["name"],
            parent=in_tenant(access, Department, data.get("parent"), "parent"),
            head=member(access, data.get("head"), "head"),
        )
        return Response(s.DepartmentOutput(department).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.DepartmentInput, responses=s.DepartmentOutput)
    def update(self, request, pk=None, partial=False):
        department = self.get_object()
        data = validated(s.DepartmentInput, request.data, partial=partial)
        access = request.access
        if "parent" in data:
            data["parent"] = in_tenant(access, Department, data["parent"], "parent")
        if "head" in data:
            data["head"] = member(access, data["head"], "head")
        department = member_services.department_update(access=request.access, department=department, **data)
        return Response(s.DepartmentOutput(department).data)

    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    def destroy(self, request, pk=None):
        member_services.department_delete(access=request.access, department=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenViewSet(TenantViewSet):
    """API tokens: your own, or everyone's with `accounts.view_apitoken`."""

    queryset = ApiToken.objects.all()
    serializer_class = s.TokenOutput
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ["user"]
    ordering_fields = ["id", "created_at", "last_used_at"]

    def get_queryset(self):
        return selectors.token_list(access=self.request.access).order_by("-id")

    def get_permission_code(self) -> str | None:
        # Every member may list and revoke their own tokens; creating one needs add_apitoken.
        return None if self.action in ("list", "retrieve", "revoke") else "accounts.add_apitoken"

    @extend_schema(request=s.TokenInput, responses={201: s.TokenCreatedOutput})
    def create(self, request):
        data = validated(s.TokenInput, request.data)
        token, secret = token_services.token_create_for(
            access=request.access, name=data["name"], scopes=data.get("scopes"), expires_at=data.get("expires_at")
        )
        token.token = secret
        return Response(s.TokenCreatedOutput(token).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.TokenOutput)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        token = token_services.token_revoke(access=request.access, token=self.get_object())
        return Response(s.TokenOutput(token).data)


class TenantSettingsView(IdempotentPostMixin, APIView):
    """The current organisation's settings."""

    def get_permission_code(self):
        return "accounts.view_tenant" if self.request.method in ("GET", "HEAD", "OPTIONS") else "accounts.change_tenant"

    @extend_schema(responses=s.TenantOutput)
    def get(self, request):
        return Response(s.TenantOutput(request.tenant).data)

    @extend_schema(request=s.TenantSettingsInput, responses=s.TenantOutput)
    def patch(self, request):
        data = validated(s.TenantSettingsInput, request.data, partial=True)
        return Response(s.TenantOutput(tenant_update(access=request.access, **data)).data)
