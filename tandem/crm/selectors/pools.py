"""Reads of the public pools (公海): the pools a member may open, the accounts waiting in them, recent moves.

Accounts in a pool have no owner, so the data-scope filter of `Account.objects.restrict()` never reaches
them for members with a narrower scope than "all"; the pool pages reach them here instead, through
`crm.view_pool` and the pool's department.
"""

from __future__ import annotations

from django.db.models import Count, Q

from tandem.core.scopes import DataScope
from tandem.crm.models import Account, Pool, PoolMove


def _departments_of(access) -> set[int] | None:
    """Departments whose pools the member sees: their own and those above it, and for a head also those
    below the departments they lead; None when the member sees every pool."""
    from tandem.accounts.models import Department

    if access.scope_for("crm.view_pool") == DataScope.ALL:
        return None
    rows = list(Department.objects.filter(tenant_id=access.tenant_id).values_list("id", "parent_id", "head_id"))
    parents = {dept_id: parent_id for dept_id, parent_id, _head in rows}
    heads = {dept_id for dept_id, _parent, head_id in rows if head_id == access.user_id}
    own = set(heads)
    department_id = getattr(access.membership, "department_id", None)
    if department_id:
        own.add(department_id)
    reach = set()
    for dept_id in own:
        while dept_id is not None and dept_id not in reach:
            reach.add(dept_id)
            dept_id = parents.get(dept_id)
    below = list(heads)
    while below:
        dept_id = below.pop()
        reach.add(dept_id)
        below.extend(child for child, parent in parents.items() if parent == dept_id and child not in reach)
    return reach


def pool_list(*, access):
    """The pools the member may open (none without `crm.view_pool`), with how many accounts wait in each."""
    if not access.has_perm("crm.view_pool"):
        return Pool.objects.none()
    qs = Pool.objects.for_tenant(access.tenant_id)
    departments = _departments_of(access)
    if departments is not None:
        qs = qs.filter(Q(department__isnull=True) | Q(department__in=departments))
    held = Count("accounts", filter=Q(accounts__owner__isnull=True, accounts__deleted_at__isnull=True))
    return qs.select_related("department").prefetch_related("rules").annotate(held_count=held)


def pool_accounts(*, pool: Pool):
    """The accounts waiting in a pool the caller may open (check with `pool_list` first), last returned first."""
    return (
        Account.objects.filter(tenant_id=pool.tenant_id, pool=pool, owner__isnull=True)
        .select_related("parent")
        .order_by("-updated_at", "-id")
    )


def last_moves(account_ids) -> dict[int, PoolMove]:
    """The latest move of each account (who gave it back, when and why), in one query."""
    moves = (
        PoolMove.objects.filter(account_id__in=list(account_ids))
        .select_related("from_user")
        .order_by("account_id", "-created_at", "-id")
    )
    latest: dict[int, PoolMove] = {}
    for move in moves:
        latest.setdefault(move.account_id, move)
    return latest


def waiting_in(pool: Pool, ids) -> list[Account]:
    """The accounts with these ids that wait in the pool (ids from a form or a request body)."""
    return list(Account.objects.filter(tenant_id=pool.tenant_id, pool=pool, owner__isnull=True, pk__in=list(ids)))
