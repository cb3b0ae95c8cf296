"""Every limit of a condition is enforced by validate, with a reason naming the path, and evaluate obeys it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tandem.core.conditions import MAX_DEPTH, MAX_NODES, evaluate, explain, validate

NOW = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)
WON = {"field": "deal.stage", "op": "eq", "value": "赢单"}
RECORD = {"deal": {"stage": "赢单"}}
NOT_A_SCALAR = "must be a string, a finite number, true, false or null, not"
NOT_A_BOUND = "must be a number or an ISO date (2024-05-01) or datetime (2024-05-01T09:30:00+08:00), not"
NOT_DAYS = "must be a whole number of days from 0 to 3650, not"


def leaf(op, value=..., field="deal.x"):
    node = {"field": field, "op": op}
    if value is not ...:
        node["value"] = value
    return node


def negations(count, inner):
    for _ in range(count):
        inner = {"not": inner}
    return inner


def test_the_won_deal_rule_is_valid():
    condition = {
        "all": [
            {"field": "deal.stage", "op": "changed_to", "value": "赢单"},
            {"field": "deal.type", "op": "in", "value": ["智能化", "弱电"]},
            {"any": [{"field": "deal.amount", "op": "gte", "value": "100000.00"}, {"not": leaf("is_empty")}]},
            {"field": "deal.close_date", "op": "between", "value": ["2026-01-01", "2026-12-31T23:59:59+08:00"]},
            {"field": "deal.updated_at", "op": "within_last_days", "value": 7},
        ]
    }
    assert validate(condition) == []


@pytest.mark.parametrize(
    ("condition", "reasons"),
    [
        ({"all": [WON, WON, leaf("regex", ".*")]}, ["all[2].op: unknown operator 'regex'"]),
        ({"any": [{"not": leaf("eval", "1")}]}, ["any[0].not.op: unknown operator 'eval'"]),
        (leaf(["eq"], 1), ["op: unknown operator a list"]),
        ({"field": "deal.x", "value": 1}, ["condition: missing 'op'"]),
        ({"op": "eq", "value": 1}, ["condition: missing 'field'"]),
        ({**WON, "script": "x"}, ["condition: unknown key 'script'"]),
        ({"all": [{**WON, 3: "x"}]}, ["all[0]: unknown key 3"]),
        ({"all": [WON], "any": [WON]}, ["condition: a group has exactly one key: 'all', 'any' or 'not'"]),
        ({"all": [WON], "field": "deal.x"}, ["condition: a group has exactly one key: 'all', 'any' or 'not'"]),
        ({"all": []}, ["all: must list at least one condition"]),
        ({"any": WON}, ["any: must be a list of conditions"]),
        ({"all": [WON, ["eq"]]}, ["all[1]: must be an object, not a list"]),
        ({"not": None}, ["not: must be an object, not null"]),
        ("deal.stage == 1", ["condition: must be an object, not 'deal.stage == 1'"]),
        ({}, ["condition: missing 'field'", "condition: missing 'op'"]),
        (leaf("is_set", None), ["value: 'is_set' takes no value"]),
        (leaf("changed", "x"), ["value: 'changed' takes no value"]),
        (leaf("eq"), ["condition: 'eq' needs a 'value'"]),
        (leaf("eq", {"$gt": 1}), [f"value: {NOT_A_SCALAR} an object"]),
        (leaf("changed_to", [1]), [f"value: {NOT_A_SCALAR} a list"]),
        (leaf("ne", float("nan")), [f"value: {NOT_A_SCALAR} nan"]),
        (leaf("eq", float("inf")), [f"value: {NOT_A_SCALAR} inf"]),
        (leaf("eq", "长" * 1001), ["value: text longer than 1000 characters"]),
        (leaf("in", "赢单"), ["value: must be a list"]),
        (leaf("not_in", ["a"] * 1001), ["value: more than 1000 items"]),
        (leaf("in", ["a", 1, {"b": 2}, []]), [f"value[2]: {NOT_A_SCALAR} an object"]),
        (leaf("between", 5), ["value: must be a list of two bounds [low, high]"]),
        (leaf("between", [1]), ["value: must be a list of two bounds [low, high]"]),
        (leaf("between", [1, 2, 3]), ["value: must be a list of two bounds [low, high]"]),
        (leaf("between", [10, 1]), ["value: the low bound is above the high bound"]),
        (leaf("between", ["2026-05-02", "2026-05-01T23:00:00"]), ["value: the low bound is above the high bound"]),
        (leaf("between", [1, "2026-05-01"]), ["value: the bounds must both be numbers or both be dates"]),
        (
            leaf("between", [None, "x"]),
            [
                f"value[0]: {NOT_A_BOUND} null",
                f"value[1]: {NOT_A_BOUND} 'x'",
            ],
        ),
        (leaf("gt", "abc"), [f"value: {NOT_A_BOUND} 'abc'"]),
        (leaf("lt", "2026-02-30"), [f"value: {NOT_A_BOUND} '2026-02-30'"]),
        (leaf("gte", True), [f"value: {NOT_A_BOUND} true"]),
        (leaf("contains", None), ["value: must not be null"]),
        (leaf("contains", ""), ["value: must not be empty"]),
        (leaf("starts_with", ""), ["value: must be a non-empty string of at most 1000 characters"]),
        (leaf("starts_with", 1), ["value: must be a non-empty string of at most 1000 characters"]),
        (leaf("within_last_days", -1), [f"value: {NOT_DAYS} -1"]),
        (leaf("within_last_days", 3651), [f"value: {NOT_DAYS} 3651"]),
        (leaf("within_last_days", 1.5), [f"value: {NOT_DAYS} 1.5"]),
        (leaf("within_last_days", True), [f"value: {NOT_DAYS} true"]),
        (leaf("within_last_days", "7"), [f"value: {NOT_DAYS} '7'"]),
        (leaf("within_last_days", 10**5000), [f"value: {NOT_DAYS} a very large number"]),
    ],
)
def test_each_problem_is_reported_with_its_path(condition, reasons):
    assert validate(condition) == reasons
    assert evaluate(condition, RECORD, now=NOW) is False


@pytest.mark.parametrize(
    "field",
    [
        "Deal.stage",
        "deal.Stage",
        "1deal",
        "deal.1st",
        "deal..stage",
        ".deal",
        "deal.",
        "deal.stage ",
        "deal.stage\n",
        "deal-stage",
        "deal.阶段",
        "a.b.c.d.e.f",
        "",
        None,
        5,
        ["deal", "stage"],
    ],
)
def test_field_paths_are_one_to_five_lower_case_names(field):
    reasons = validate(leaf("eq", 1, field=field))
    assert len(reasons) == 1 and reasons[0].startswith("field: ")
    assert reasons[0].endswith("is not a field path (1 to 5 lower-case names joined by dots)")


@pytest.mark.parametrize("field", ["deal", "_x", "deal.stage", "a.b.c.d.e", "deal.custom_field_2", "deal.__class__"])
def test_good_field_paths(field):
    assert validate(leaf("eq", 1, field=field)) == []


def test_a_dunder_path_is_only_a_dict_key():
    condition = leaf("eq", "dict", field="deal.__class__.__name__")
    assert validate(condition) == []
    assert evaluate(condition, {"deal": {"stage": "赢单"}}, now=NOW) is False
    assert evaluate(condition, {"deal": {"__class__": {"__name__": "dict"}}}, now=NOW) is True


def test_the_caller_can_narrow_fields_to_an_allow_list():
    allowed = {"deal.stage", "deal.amount"}
    condition = {"all": [WON, leaf("gt", 1, field="deal.amount"), {"not": leaf("gt", 1, field="deal.cost")}]}
    assert validate(condition, fields=allowed) == ["all[2].not.field: unknown field 'deal.cost'"]
    assert validate(condition) == []
    assert validate(condition, fields=set()) == [
        "all[0].field: unknown field 'deal.stage'",
        "all[1].field: unknown field 'deal.amount'",
        "all[2].not.field: unknown field 'deal.cost'",
    ]


def test_every_reason_is_given_at_once():
    condition = {"all": [leaf("regex", 1), leaf("in", 1, field="Deal"), {"any": []}, WON]}
    assert validate(condition) == [
        "all[0].op: unknown operator 'regex'",
        "all[1].field: 'Deal' is not a field path (1 to 5 lower-case names joined by dots)",
        "all[1].value: must be a list",
        "all[2].any: must list at least one condition",
    ]


def test_depth_limit():
    assert MAX_DEPTH == 10
    # Nine negations around a leaf are ten levels: allowed, and evaluated (nine flips of a true leaf).
    assert validate(negations(9, WON)) == []
    assert evaluate(negations(9, WON), RECORD, now=NOW) is False
    assert evaluate(negations(8, WON), RECORD, now=NOW) is True
    too_deep = negations(10, WON)
    assert validate(too_deep) == [".".join(["not"] * 10) + ": nested deeper than 10 levels"]
    # Ten flips of a true leaf would be true: the invalid condition is false instead.
    assert evaluate(too_deep, RECORD, now=NOW) is False
    assert explain(too_deep, RECORD, now=NOW)["tree"] is None


def test_depth_counts_lists_too():
    inner = WON
    for _ in range(9):
        inner = {"all": [inner]}
    assert validate(inner) == []
    assert validate({"any": [inner]}) == ["any[0]" + ".all[0]" * 9 + ": nested deeper than 10 levels"]


def test_node_limit():
    assert MAX_NODES == 200
    fits = {"all": [WON] * (MAX_NODES - 1)}
    assert validate(fits) == []
    assert evaluate(fits, RECORD, now=NOW) is True
    too_many = {"all": [WON] * MAX_NODES}
    assert validate(too_many) == ["condition: more than 200 nodes"]
    assert evaluate(too_many, RECORD, now=NOW) is False


def test_node_limit_counts_groups_and_stops_early_on_huge_input():
    nested = {"all": [{"any": [WON] * 99}, {"not": {"all": [WON] * 97}}]}
    assert validate(nested) == []  # 1 + (1 + 99) + (1 + 1 + 97) = 200
    nested["all"][1]["not"]["all"].append(WON)
    assert validate(nested) == ["condition: more than 200 nodes"]
    huge = {"any": [5] * 100_000}
    reasons = validate(huge)
    assert reasons[-1] == "condition: more than 200 nodes"
    assert reasons[0] == "any[0]: must be an object, not 5"
    assert len(reasons) == MAX_NODES  # one per child inspected, then the walk stops


def test_list_limit_is_inclusive():
    assert validate(leaf("in", list(range(1000)))) == []
    assert validate(leaf("within_last_days", 3650)) == []
    assert validate(leaf("within_last_days", 0)) == []
    assert validate(leaf("eq", "长" * 1000)) == []


def test_values_that_are_not_json_are_refused():
    from decimal import Decimal

    assert validate(leaf("eq", Decimal("1"))) == [f"value: {NOT_A_SCALAR} a non-JSON value"]
    assert validate(leaf("in", ({1},))) == ["value: must be a list"]
