"""The tenant's people as the approval engine reads them: managers, roles, administrators, who is active."""

from __future__ import annotations

from collections import defaultdict

from tandem.accounts.models import Membership
from tandem.approvals.engine import Org

ADMIN_ROLES = ("owner", "admin")


def org_for(tenant_id: int) -> Org:
    """Two queries: the memberships (with departments) and their roles.

    A member's direct manager is `Membership.manager`, else the head of their department (when that is not them).
    """
    members = list(
        Membership.objects.filter(tenant_id=tenant_id)
        .select_related("department", "user")
        .prefetch_related("roles")
        .order_by("pk")
    )
    org = Org()
    roles = defaultdict(list)
    for m in members:
        manager = m.manager_id or (m.department.head_id if m.department else None)
        if manager and manager != m.user_id:
            org.managers[m.user_id] = manager
        if not (m.is_active and m.user.is_active):
            continue
        org.active.add(m.user_id)
        for role in m.roles.all():
            roles[role.key].append(m.user_id)
            if role.key in ADMIN_ROLES and m.user_id not in org.admins:
                org.admins.append(m.user_id)
    org.roles = dict(roles)
    return org
