"""The pure engine: branch choice by priority with the default last, managers up the chain, the vote count."""

from datetime import UTC, datetime

import pytest

from tandem.approvals.engine import Org, choose_branch, managers_up, plan_node, tally

NOW = datetime(2026, 12, 7, tzinfo=UTC)


def _definition():
    def branch(key, priority, condition):
        return {"key": key, "priority": priority, "condition": condition, "nodes": []}

    return {
        "branches": [
            branch("default", 0, None),  # evaluated last whatever its priority
            branch("small", 5, {"field": "amount", "op": "lt", "value": 500000}),
            branch("big", 1, {"field": "amount", "op": "gte", "value": "500000"}),
        ]
    }


@pytest.mark.parametrize(
    ("amount", "key"), [(499999.99, "small"), (500000, "big"), (500000.01, "big"), (None, "default")]
)
def test_choose_branch(amount, key):
    assert choose_branch(_definition(), {"amount": amount}, now=NOW)["key"] == key


def test_managers_up_stops_at_the_top_and_at_loops():
    org = Org(managers={1: 2, 2: 3, 3: 1})
    assert managers_up(org, 1, 1) == [2]
    assert managers_up(org, 1, 5) == [2, 3]  # 3's manager is 1 again: the chain loops back to the submitter
    assert managers_up(Org(), 1, 3) == []


def test_plan_of_a_deactivated_and_an_empty_node():
    org = Org(managers={1: 2}, active={1, 3}, admins=[3])
    node = {
        "kind": "approve",
        "approvers": {"type": "manager", "level": 1},
        "mode": "any",
        "on_empty": "auto_reject",
        "on_self": "approve",
    }
    assert plan_node(node, submitter_id=1, org=org, on_deactivated="skip").outcome == "rejected"
    handed = plan_node(node, submitter_id=1, org=org, on_deactivated="admin")
    assert handed.approvers == [3] and handed.outcome is None


@pytest.mark.parametrize(
    ("mode", "percent", "statuses", "result"),
    [
        ("all", 60, ["approved"] * 3 + ["pending"] * 2, "approved"),
        ("all", 60, ["approved"] * 2 + ["pending"] * 3, None),
        ("all", 60, ["rejected"] * 3 + ["pending"] * 2, "rejected"),
        ("all", 60, ["rejected"] * 2 + ["pending"] * 3, None),
        ("all", 100, ["approved"] * 4 + ["rejected"], "rejected"),
        ("any", 100, ["pending", "approved"], "approved"),
        ("any", 100, ["pending", "rejected"], "rejected"),
        ("sequence", 100, ["approved", "pending"], None),
        ("sequence", 100, ["approved", "approved"], "approved"),
        ("sequence", 100, ["approved", "rejected"], "rejected"),
    ],
)
def test_tally(mode, percent, statuses, result):
    assert tally(mode, percent, statuses) == result
