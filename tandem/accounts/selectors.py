"""Reads for accounts, already scoped to the caller's tenant and permission."""

from tandem.accounts.models import ApiToken, Department, Membership, Role


def member_list(*, access, filters: dict | None = None):
    qs = (
        Membership.objects.for_tenant(access.tenant_id)
        .select_related("user", "department", "manager")
        .prefetch_related("roles")
        .order_by("user__username")
    )
    if not access.has_perm("accounts.view_user"):
        return qs.filter(user_id=access.user_id)
    filters = filters or {}
    if filters.get("q"):
        from django.db.models import Q

        q = filters["q"]
        qs = qs.filter(
            Q(user__username__icontains=q) | Q(user__display_name__icontains=q) | Q(user__email__icontains=q)
        )
    if filters.get("department"):
        qs = qs.filter(department_id=filters["department"])
    if filters.get("role"):
        qs = qs.filter(roles__key=filters["role"])
    if filters.get("active") in ("0", "1"):
        qs = qs.filter(is_active=filters["active"] == "1")
    return qs


def role_list(*, access, with_member_count: bool = False):
    qs = Role.objects.for_tenant(access.tenant_id)
    if with_member_count:
        from django.db.models import Count

        qs = qs.annotate(member_count=Count("memberships"))
    return qs


def department_list(*, access):
    return Department.objects.for_tenant(access.tenant_id).select_related("parent", "head")


def token_list(*, access):
    qs = ApiToken.objects.for_tenant(access.tenant_id).select_related("user")
    if not access.has_perm("accounts.view_apitoken"):
        qs = qs.filter(user_id=access.user_id)
    return qs


def department_tree(*, access) -> list[tuple[Department, int]]:
    """Departments in tree order with their depth, for indented lists and pickers."""
    departments = list(department_list(access=access))
    children: dict[int | None, list[Department]] = {}
    for d in departments:
        children.setdefault(d.parent_id, []).append(d)
    out: list[tuple[Department, int]] = []

    def walk(parent_id, depth):
        for d in children.get(parent_id, []):
            out.append((d, depth))
            walk(d.pk, depth + 1)

    walk(None, 0)
    return out


def tenants_of(*, user_id: int):
    """The active tenants a user is an active member of."""
    from tandem.accounts.models import Tenant

    member_of = Membership.objects.filter(user_id=user_id, is_active=True).values("tenant_id")
    return Tenant.objects.filter(pk__in=member_of, is_active=True).order_by("id")
