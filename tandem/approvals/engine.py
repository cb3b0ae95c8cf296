"""The approval engine's pure part: which branch a record takes, who approves a node, when a node is decided.

No ORM here: the services hand in the tenant's organisation as an `Org` (managers, roles, administrators,
active members) and the tasks' statuses, so every rule can be read and tested alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from tandem.approvals.choices import ApproverType, NodeKind, NodeMode, OnDeactivated, OnEmpty, OnSelf
from tandem.core import conditions

APPROVED = "approved"
REJECTED = "rejected"


@dataclass
class Org:
    """The tenant's people as the engine needs them."""

    managers: dict[int, int] = field(default_factory=dict)  # user id -> direct manager's user id
    roles: dict[str, list[int]] = field(default_factory=dict)  # role key -> active members holding it
    admins: list[int] = field(default_factory=list)  # active owners and administrators
    active: set[int] = field(default_factory=set)  # active members


@dataclass
class NodePlan:
    """Who acts on a node once reached: `outcome` is set when nobody does (auto-approved or auto-rejected)."""

    approvers: list[int]
    mode: str
    auto_approved: set[int] = field(default_factory=set)  # approvers whose vote counts as approved (on_self)
    outcome: str | None = None
    reason: str = ""  # why the node resolved as it did: "empty", "deactivated", "admin"


def choose_branch(definition: dict, values: dict, *, now) -> dict | None:
    """The first branch (by priority) whose condition the record's values meet; the default one last."""
    ordered = sorted(definition["branches"], key=lambda b: (b["condition"] is None, b["priority"]))
    for branch in ordered:
        if branch["condition"] is None or conditions.evaluate(branch["condition"], values, now=now):
            return branch
    return None


def managers_up(org: Org, user_id: int, level: int) -> list[int]:
    """The user's managers from the direct one (1) up to `level`, stopping where the chain ends or loops."""
    chain: list[int] = []
    current = user_id
    for _ in range(level):
        current = org.managers.get(current)
        if current is None or current == user_id or current in chain:
            break
        chain.append(current)
    return chain


def resolve(spec: dict | None, *, submitter_id: int, org: Org, chosen: list[int] | None = None) -> list[int]:
    """The user ids an approver spec names, in order, before the rules for deactivated people apply."""
    if not spec:
        return []
    kind = spec["type"]
    if kind == ApproverType.MEMBERS:
        return list(spec["users"])
    if kind == ApproverType.MANAGER:
        chain = managers_up(org, submitter_id, spec["level"])
        return chain[-1:] if len(chain) == spec["level"] else []
    if kind == ApproverType.MANAGER_CHAIN:
        return managers_up(org, submitter_id, spec["level"])
    if kind == ApproverType.ROLE:
        return list(org.roles.get(spec["role"], []))
    return list(dict.fromkeys(chosen or []))


def plan_node(node: dict, *, submitter_id: int, org: Org, chosen=None, on_deactivated: str) -> NodePlan:
    """Who approves the node, after the rules for deactivated approvers, nobody and the submitter."""
    named = list(dict.fromkeys(resolve(node["approvers"], submitter_id=submitter_id, org=org, chosen=chosen)))
    mode = NodeMode.SEQUENCE if node["approvers"]["type"] == ApproverType.MANAGER_CHAIN else node["mode"]
    approvers = [u for u in named if u in org.active]
    reason = ""
    if len(approvers) < len(named):
        reason = "deactivated"
        if on_deactivated == OnDeactivated.ADMIN:
            approvers = list(dict.fromkeys([*approvers, *org.admins]))
            reason = "admin"
    if not approvers:
        reason = reason or "empty"
        if node["on_empty"] == OnEmpty.AUTO_APPROVE:
            return NodePlan([], mode, outcome=APPROVED, reason=reason)
        if node["on_empty"] == OnEmpty.AUTO_REJECT or not org.admins:
            return NodePlan([], mode, outcome=REJECTED, reason=reason)
        approvers, reason = list(org.admins), "admin"
    auto = {submitter_id} if node["on_self"] == OnSelf.AUTO_APPROVE and submitter_id in approvers else set()
    if node["kind"] == NodeKind.CC:
        auto = set()
    return NodePlan(approvers, mode, auto_approved=auto, reason=reason)


def needed(mode: str, pass_percent: int, total: int) -> int:
    """How many approvals decide a node of `total` approvers."""
    if mode == NodeMode.ANY:
        return 1
    if mode == NodeMode.SEQUENCE:
        return total
    return max(1, math.ceil(total * pass_percent / 100))


def tally(mode: str, pass_percent: int, statuses: list[str]) -> str | None:
    """APPROVED, REJECTED or None (still open) for a node whose counted tasks have these statuses.

    或签 (any): the first decision wins. 依次 (sequence): everyone in turn, one rejection ends it. 会签 (all):
    passes at `pass_percent` % of the approvers and fails as soon as that can no longer be reached.
    """
    total = len(statuses)
    approved = statuses.count("approved")
    rejected = statuses.count("rejected")
    if mode == NodeMode.ANY:
        if approved:
            return APPROVED
        return REJECTED if rejected else None
    if mode == NodeMode.SEQUENCE and rejected:
        return REJECTED
    need = needed(mode, pass_percent, total)
    if approved >= need:
        return APPROVED
    if total - rejected < need:
        return REJECTED
    return None
