"""Setting sales targets (业绩目标): for the company, a department or a person, for a month or a whole year.

Targets are set from above: a member may set targets only for people and departments below them in their
data scope (`crm.add_salestarget` / `crm.change_salestarget` / `crm.delete_salestarget`), never their
own; the company's targets and any target at all take the permission with the "all" scope.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.errors import ApplicationError, PermissionDenied
from tandem.core.scopes import DataScope
from tandem.core.services import actor_of, check_member, check_tenant, full_clean, require
from tandem.crm.choices import TargetLevel
from tandem.crm.models import SalesTarget


def departments_below(access) -> set[int]:
    """Departments strictly below the ones the member heads or belongs to."""
    from tandem.accounts.models import Department

    rows = list(Department.objects.filter(tenant_id=access.tenant_id).values_list("id", "parent_id", "head_id"))
    children: dict[int, set[int]] = {}
    for dept_id, parent_id, _head in rows:
        if parent_id:
            children.setdefault(parent_id, set()).add(dept_id)
    own = {dept_id for dept_id, _parent, head_id in rows if head_id == access.user_id}
    if getattr(access.membership, "department_id", None):
        own.add(access.membership.department_id)
    below, stack = set(), [c for d in own for c in children.get(d, ())]
    while stack:
        dept_id = stack.pop()
        if dept_id not in below:
            below.add(dept_id)
            stack.extend(children.get(dept_id, ()))
    return below


def target_subjects(access) -> tuple[set[int] | None, set[int] | None]:
    """(user ids, department ids) the member may set targets for; None means any, empty sets mean none."""
    code = "crm.add_salestarget"
    scope = access.scope_for(code)
    if scope is None:
        return set(), set()
    if scope == DataScope.ALL:
        return None, None
    reach = access.visible_owner_ids(scope)
    users = (reach or set()) - {access.user_id}
    departments = departments_below(access) if scope == DataScope.DEPARTMENT_TREE else set()
    return users, departments


def _check_may_set(access, code: str, *, level: str, department, user) -> None:
    require(access, code)
    scope = access.scope_for(code)
    if scope == DataScope.ALL:
        return
    refused = PermissionDenied(_("Targets are set from above: choose someone or a department below you."))
    if level == TargetLevel.COMPANY:
        raise refused
    if level == TargetLevel.PERSON:
        reach = access.visible_owner_ids(scope)
        if user.pk == access.user_id or (reach is not None and user.pk not in reach):
            raise refused
    if level == TargetLevel.DEPARTMENT and (
        scope != DataScope.DEPARTMENT_TREE or department.pk not in departments_below(access)
    ):
        raise refused


@transaction.atomic
def target_set(
    *,
    access,
    level: str,
    metric: str,
    year: int,
    month: int,
    amount: Decimal,
    department=None,
    user=None,
) -> SalesTarget:
    """Set (create or replace) the target of one subject, measure and period."""
    department = department if level == TargetLevel.DEPARTMENT else None
    user = user if level == TargetLevel.PERSON else None
    if level == TargetLevel.PERSON and user is None:
        raise ApplicationError(_("Choose the person."), errors={"user": [_("Required.")]})
    if level == TargetLevel.DEPARTMENT and department is None:
        raise ApplicationError(_("Choose the department."), errors={"department": [_("Required.")]})
    check_tenant(access, department)
    check_member(access, user, "user")
    key = {"level": level, "metric": metric, "year": year, "month": month, "department": department, "user": user}
    existing = SalesTarget.objects.select_for_update().filter(tenant_id=access.tenant_id, **key).first()
    code = "crm.change_salestarget" if existing else "crm.add_salestarget"
    _check_may_set(access, code, level=level, department=department, user=user)
    target = existing or SalesTarget(tenant_id=access.tenant_id, **key)
    before = snapshot(target) if existing else None
    target.amount, target.set_by = amount, actor_of(access)
    full_clean(target, exclude=["tenant"])
    target.save()
    audit_record(
        obj=target,
        action=AuditAction.UPDATE if existing else AuditAction.CREATE,
        actor=actor_of(access),
        before=before,
        after=snapshot(target),
    )
    return target


@transaction.atomic
def target_update(*, access, target: SalesTarget, amount: Decimal) -> SalesTarget:
    """Change a target's amount."""
    check_tenant(access, target)
    return target_set(
        access=access,
        level=target.level,
        metric=target.metric,
        year=target.year,
        month=target.month,
        amount=amount,
        department=target.department,
        user=target.user,
    )


@transaction.atomic
def target_delete(*, access, target: SalesTarget) -> None:
    """Remove a target (audited)."""
    check_tenant(access, target)
    _check_may_set(access, "crm.delete_salestarget", level=target.level, department=target.department, user=target.user)
    audit_record(obj=target, action=AuditAction.DELETE, actor=actor_of(access), before=snapshot(target))
    target.delete()
