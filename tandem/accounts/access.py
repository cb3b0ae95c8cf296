"""What one member of one tenant may do: permissions, data scope, field rules."""

from __future__ import annotations

from collections import defaultdict
from fnmatch import fnmatchcase
from functools import cached_property

from tandem.core.permissions import member_grants
from tandem.core.scopes import SCOPE_RANK, DataScope


class MembershipAccess:
    """Implements `tandem.core.scopes.Access` for a membership; computed once per request."""

    def __init__(self, membership, *, token_scopes: list[str] | None = None):
        self.membership = membership
        self.tenant_id = membership.tenant_id
        self.user_id = membership.user_id
        self.token_scopes = token_scopes
        self._member_of: dict = {}

    @cached_property
    def roles(self):
        return list(self.membership.roles.all())

    @cached_property
    def role_keys(self) -> list[str]:
        return [r.key for r in self.roles]

    def _granting_roles(self, code: str):
        if self.token_scopes is not None and not any(fnmatchcase(code, s) for s in self.token_scopes):
            return []
        return [r for r in self.roles if any(fnmatchcase(code, p) for p in r.permissions)]

    def has_perm(self, code: str) -> bool:
        return bool(self._granting_roles(code)) or self._member_granted(code)

    def scope_for(self, code: str) -> str | None:
        roles = self._granting_roles(code)
        if not roles:
            # Taking part (a project's team) grants reading one's own records and those one takes part in.
            return DataScope.OWN if self._member_granted(code) else None
        return max((r.data_scope for r in roles), key=SCOPE_RANK.__getitem__)

    def _member_granted(self, code: str) -> bool:
        if self.token_scopes is not None and not any(fnmatchcase(code, s) for s in self.token_scopes):
            return False
        for is_member in member_grants(code):
            if is_member not in self._member_of:
                self._member_of[is_member] = bool(is_member(self.tenant_id, self.user_id))
            if self._member_of[is_member]:
                return True
        return False

    def permission_codes(self, known: set[str]) -> list[str]:
        return sorted(code for code in known if self.has_perm(code))

    def field_rule(self, label: str) -> str | None:
        # The least restrictive role wins: a field is masked or hidden only if every role says so.
        rules = [r.field_rules.get(label) for r in self.roles]
        if not rules or any(rule is None for rule in rules):
            return None
        return "masked" if "masked" in rules else "hidden"

    @cached_property
    def _org(self):
        from tandem.accounts.models import Department, Membership

        members = list(
            # Deactivated members stay in the tree: their records must remain visible to their
            # managers and department, who are the ones to hand them over.
            Membership.objects.filter(tenant_id=self.tenant_id).values_list("user_id", "manager_id", "department_id")
        )
        departments = list(
            Department.objects.filter(tenant_id=self.tenant_id).values_list("id", "parent_id", "head_id")
        )
        return members, departments

    def visible_owner_ids(self, scope: str) -> set[int] | None:
        if scope == DataScope.ALL:
            return None
        if scope == DataScope.OWN:
            return {self.user_id}
        members, departments = self._org
        if scope == DataScope.SUBORDINATES:
            reports = defaultdict(set)
            for user_id, manager_id, _dept in members:
                if manager_id:
                    reports[manager_id].add(user_id)
            return _closure({self.user_id}, reports)
        mine = {d for _u, _m, d in members if _u == self.user_id and d}
        mine |= {dept_id for dept_id, _p, head_id in departments if head_id == self.user_id}
        if scope == DataScope.DEPARTMENT_TREE:
            children = defaultdict(set)
            for dept_id, parent_id, _head in departments:
                if parent_id:
                    children[parent_id].add(dept_id)
            mine = _closure(mine, children)
        return {user_id for user_id, _m, dept in members if dept in mine} | {self.user_id}


def _closure(start: set[int], edges: dict[int, set[int]]) -> set[int]:
    seen, stack = set(start), list(start)
    while stack:
        for nxt in edges.get(stack.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen
