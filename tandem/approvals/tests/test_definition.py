"""Flow definitions: defaults filled in, every error keyed by its JSON path."""

import pytest

from tandem.approvals import registry
from tandem.approvals.definition import validate
from tandem.core.errors import ApplicationError

CONTRACT = registry.get("crm.contract")


def _node(**extra):
    return {"key": "n1", "name": "部门经理", "approvers": {"type": "manager", "level": 1}, **extra}


def test_defaults():
    clean = validate({"branches": [{"key": "all", "name": "全部", "condition": None, "nodes": [_node()]}]}, CONTRACT)
    assert clean["restart"] == "first" and clean["on_deactivated"] == "skip"
    node = clean["branches"][0]["nodes"][0]
    assert node["kind"] == "approve" and node["mode"] == "any" and node["pass_percent"] == 100
    assert node["on_empty"] == "admin" and node["on_self"] == "approve" and node["cc"] == []


def _errors(data) -> dict:
    with pytest.raises(ApplicationError) as err:
        validate(data, CONTRACT)
    return err.value.errors


def test_errors_by_path():
    errors = _errors(
        {
            "branches": [
                {
                    "key": "a",
                    "name": "甲",
                    "condition": {"all": [{"field": "nope", "op": "gte", "value": 1}]},
                    "nodes": [_node(mode="most", pass_percent=0, approvers={"type": "manager", "level": 11})],
                },
                {"key": "a", "name": "乙", "condition": None, "nodes": []},
                {"key": "c", "name": "丙", "condition": None, "nodes": [_node(cc=[{"type": "submitter_choice"}])]},
            ],
            "restart": "later",
        }
    )
    assert set(errors) == {
        "branches",  # two defaults
        "branches.0.condition",  # not a registered field
        "branches.0.nodes.0.mode",
        "branches.0.nodes.0.pass_percent",
        "branches.0.nodes.0.approvers.level",
        "branches.1.key",
        "branches.1.nodes",
        "branches.2.nodes.0.cc.0",
        "restart",
    }


def test_no_branches_and_only_cc_nodes():
    assert "branches" in _errors({"branches": []})
    cc_only = {"key": "n1", "name": "知会", "kind": "cc", "approvers": {"type": "role", "role": "finance"}}
    assert "branches.0.nodes" in _errors(
        {"branches": [{"key": "a", "name": "甲", "condition": None, "nodes": [cc_only]}]}
    )
