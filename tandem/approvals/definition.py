"""The JSON definition of an approval flow: its shape, defaults and validation (see APPROVALS.md).

`validate(data, approvable)` returns the definition with every default filled in, or raises an ApplicationError
whose errors are keyed by JSON path (`branches.0.nodes.1.approvers`), so a flow editor can point at the spot.
Whether named members and roles exist in the tenant is the services' check (`references`).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from tandem.approvals.choices import ApproverType, NodeKind, NodeMode, OnDeactivated, OnEmpty, OnSelf, Restart
from tandem.core import conditions
from tandem.core.errors import NON_FIELD, ApplicationError

MAX_BRANCHES = 20
MAX_NODES = 20
MAX_MEMBERS = 50
MAX_LEVEL = 10
KEY = re.compile(r"[A-Za-z0-9_-]{1,50}")


class _Errors:
    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        self.errors.setdefault(path or NON_FIELD, []).append(str(message))


def _int(value, low: int, high: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return None
    return value


def _text(value, high: int = 100) -> str | None:
    if not isinstance(value, str) or not value.strip() or len(value) > high:
        return None
    return value.strip()


def _spec(data, path: str, errors: _Errors, *, allow_choice: bool = True) -> dict | None:
    """One approver spec ({"type": "manager", "level": 1}), normalized."""
    if not isinstance(data, dict) or data.get("type") not in ApproverType.values:
        errors.add(path, _("Choose who approves."))
        return None
    kind = data["type"]
    if kind == ApproverType.MEMBERS:
        users = data.get("users")
        if (
            not isinstance(users, list)
            or not users
            or len(users) > MAX_MEMBERS
            or any(_int(u, 1, 2**62) is None for u in users)
        ):
            errors.add(f"{path}.users", _("Choose between 1 and %(n)d members.") % {"n": MAX_MEMBERS})
            return None
        return {"type": kind, "users": list(dict.fromkeys(users))}
    if kind in (ApproverType.MANAGER, ApproverType.MANAGER_CHAIN):
        level = _int(data.get("level", 1), 1, MAX_LEVEL)
        if level is None:
            errors.add(f"{path}.level", _("A level from 1 to %(n)d.") % {"n": MAX_LEVEL})
            return None
        return {"type": kind, "level": level}
    if kind == ApproverType.ROLE:
        role = _text(data.get("role"), 50)
        if role is None:
            errors.add(f"{path}.role", _("Choose a role."))
            return None
        return {"type": kind, "role": role}
    if not allow_choice:
        errors.add(path, _("The submitter cannot choose whom to CC here; name them."))
        return None
    count = data.get("count")
    if count is not None and _int(count, 1, MAX_MEMBERS) is None:
        errors.add(f"{path}.count", _("A number from 1 to %(n)d.") % {"n": MAX_MEMBERS})
        return None
    return {"type": kind, "count": count}


def _choice(data: dict, key: str, choices, default, path: str, errors: _Errors):
    value = data.get(key, default)
    if value not in choices.values:
        errors.add(f"{path}.{key}" if path else key, _("Not a valid choice."))
        return default
    return value


def _node(data, path: str, errors: _Errors) -> dict | None:
    if not isinstance(data, dict):
        errors.add(path, _("A node must be an object."))
        return None
    node = {}
    key = data.get("key")
    if not isinstance(key, str) or not KEY.fullmatch(key):
        errors.add(f"{path}.key", _("A key of letters, digits, - and _ (at most 50)."))
    node["key"] = key
    node["name"] = _text(data.get("name"))
    if node["name"] is None:
        errors.add(f"{path}.name", _("Name the node (at most 100 characters)."))
    node["kind"] = _choice(data, "kind", NodeKind, NodeKind.APPROVE, path, errors)
    node["approvers"] = _spec(data.get("approvers"), f"{path}.approvers", errors)
    node["mode"] = _choice(data, "mode", NodeMode, NodeMode.ANY, path, errors)
    percent = _int(data.get("pass_percent", 100), 1, 100)
    if percent is None:
        errors.add(f"{path}.pass_percent", _("A percentage from 1 to 100."))
    node["pass_percent"] = percent or 100
    cc = data.get("cc") or []
    if not isinstance(cc, list) or len(cc) > MAX_NODES:
        errors.add(f"{path}.cc", _("At most %(n)d CC entries.") % {"n": MAX_NODES})
        cc = []
    node["cc"] = [s for i, item in enumerate(cc) if (s := _spec(item, f"{path}.cc.{i}", errors, allow_choice=False))]
    node["on_empty"] = _choice(data, "on_empty", OnEmpty, OnEmpty.ADMIN, path, errors)
    node["on_self"] = _choice(data, "on_self", OnSelf, OnSelf.APPROVE, path, errors)
    return node


def _branch(data, path: str, errors: _Errors, fields) -> dict | None:
    if not isinstance(data, dict):
        errors.add(path, _("A branch must be an object."))
        return None
    branch = {"key": data.get("key"), "name": _text(data.get("name")), "condition": data.get("condition")}
    if not isinstance(branch["key"], str) or not KEY.fullmatch(branch["key"]):
        errors.add(f"{path}.key", _("A key of letters, digits, - and _ (at most 50)."))
    if branch["name"] is None:
        errors.add(f"{path}.name", _("Name the branch (at most 100 characters)."))
    branch["priority"] = _int(data.get("priority", 1), 0, 10_000)
    if branch["priority"] is None:
        errors.add(f"{path}.priority", _("A priority from 0 to 10000."))
        branch["priority"] = 0
    if branch["condition"] is not None:
        for problem in conditions.validate(branch["condition"], fields=fields):
            errors.add(f"{path}.condition", problem)
    nodes = data.get("nodes")
    if not isinstance(nodes, list) or not 1 <= len(nodes) <= MAX_NODES:
        errors.add(f"{path}.nodes", _("Between 1 and %(n)d nodes.") % {"n": MAX_NODES})
        nodes = []
    branch["nodes"] = [n for i, item in enumerate(nodes) if (n := _node(item, f"{path}.nodes.{i}", errors))]
    keys = [n["key"] for n in branch["nodes"]]
    for i, key in enumerate(keys):
        if key in keys[:i]:
            errors.add(f"{path}.nodes.{i}.key", _("Each node of a branch needs its own key."))
    if branch["nodes"] and all(n["kind"] == NodeKind.CC for n in branch["nodes"]):
        errors.add(f"{path}.nodes", _("A branch needs at least one approving node."))
    return branch


def validate(data, approvable) -> dict:
    """The definition with its defaults, or an ApplicationError with the errors keyed by JSON path."""
    errors = _Errors()
    if not isinstance(data, dict):
        raise ApplicationError(_("The flow definition must be an object."), errors={"definition": [_("Invalid.")]})
    branches = data.get("branches")
    if not isinstance(branches, list) or not 1 <= len(branches) <= MAX_BRANCHES:
        errors.add("branches", _("Between 1 and %(n)d branches.") % {"n": MAX_BRANCHES})
        branches = []
    fields = list(approvable.fields)
    clean = [b for i, item in enumerate(branches) if (b := _branch(item, f"branches.{i}", errors, fields))]
    keys = [b["key"] for b in clean]
    for i, key in enumerate(keys):
        if key in keys[:i]:
            errors.add(f"branches.{i}.key", _("Each branch needs its own key."))
    if sum(1 for b in clean if b["condition"] is None) > 1:
        errors.add("branches", _("At most one branch without a condition (the default)."))
    definition = {
        "branches": clean,
        "restart": _choice(data, "restart", Restart, Restart.FIRST, "", errors),
        "on_deactivated": _choice(data, "on_deactivated", OnDeactivated, OnDeactivated.SKIP, "", errors),
    }
    if errors.errors:
        raise ApplicationError(_("The flow definition has errors."), errors=errors.errors)
    return definition


def references(definition: dict):
    """Every (path, spec) naming members or a role, for the services to check against the tenant."""
    for b, branch in enumerate(definition["branches"]):
        for n, node in enumerate(branch["nodes"]):
            specs = [(f"branches.{b}.nodes.{n}.approvers", node["approvers"])]
            specs += [(f"branches.{b}.nodes.{n}.cc.{i}", spec) for i, spec in enumerate(node["cc"])]
            for path, spec in specs:
                if spec and spec["type"] in (ApproverType.MEMBERS, ApproverType.ROLE):
                    yield path, spec


def node_of(definition: dict, branch_key: str, node_key: str) -> dict | None:
    for node in branch_of(definition, branch_key)["nodes"]:
        if node["key"] == node_key:
            return node
    return None


def branch_of(definition: dict, branch_key: str) -> dict:
    return next(b for b in definition["branches"] if b["key"] == branch_key)
