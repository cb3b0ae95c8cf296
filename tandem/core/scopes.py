"""The data-scope ladder and the access interface querysets are restricted by.

`Access` is implemented by `tandem.accounts.access.MembershipAccess`; core only knows the
interface, so it depends on nothing else in tandem (the `core` import contract in pyproject.toml
holds it to that).
"""

from __future__ import annotations

from typing import Protocol

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataScope(models.TextChoices):
    OWN = "own", _("Own (本人)")
    SUBORDINATES = "subordinates", _("Own and subordinates (本人及下属)")
    DEPARTMENT = "department", _("Department (本部门)")
    DEPARTMENT_TREE = "department_tree", _("Department and sub-departments (本部门及下属部门)")
    ALL = "all", _("All (全部)")


SCOPE_RANK = {scope: rank for rank, scope in enumerate(DataScope.values)}


class Access(Protocol):
    tenant_id: int
    user_id: int

    def has_perm(self, code: str) -> bool: ...

    def scope_for(self, code: str) -> str | None:
        """The widest data scope granted for a permission code, or None without it."""

    def visible_owner_ids(self, scope: str) -> set[int] | None:
        """User ids whose records the scope reaches; None means everyone in the tenant."""

    def field_rule(self, label: str) -> str | None:
        """'hidden', 'masked' or None for a field label such as 'accounts.user.phone'."""
