"""The condition evaluator operator by operator: coercion, missing fields, dates, Decimal, Chinese text, explain."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from types import SimpleNamespace

import pytest

from tandem.core.conditions import OPERATORS, evaluate, explain, validate

NOW = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)
CST = timezone(timedelta(hours=8))
ABSENT = object()


def holds(op, actual=ABSENT, value=ABSENT, *, previous=ABSENT, now=NOW):
    """Evaluate one leaf on deal.x; ABSENT leaves the field (or the value, or previous) out."""
    leaf = {"field": "deal.x", "op": op}
    if value is not ABSENT:
        leaf["value"] = value
    assert validate(leaf) == [], validate(leaf)
    record = {"deal": {} if actual is ABSENT else {"x": actual}}
    before = None if previous is ABSENT else {"deal": {"x": previous}}
    return evaluate(leaf, record, previous=before, now=now)


class Unfriendly:
    """An object whose every hook fails: the evaluator must never call any of them."""

    def __eq__(self, other):
        raise AssertionError("__eq__ called")

    def __hash__(self):
        raise AssertionError("__hash__ called")

    def __str__(self):
        raise AssertionError("__str__ called")

    def __repr__(self):
        raise AssertionError("__repr__ called")

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)  # protocol probes (pytest reads __name__ for test ids)
        raise AssertionError(f"attribute {name} read")


@pytest.mark.parametrize(
    ("actual", "value", "expected"),
    [
        ("赢单", "赢单", True),
        ("赢单", "输单", False),
        ("WON", "won", False),
        (Decimal("1200.00"), 1200, True),
        (Decimal("0.1"), 0.1, True),
        (0.1, 0.1, True),
        (1200, "1200.00", True),
        ("1200.00", 1200, True),
        ("1200.00", "1200", False),
        ("abc", 5, False),
        (True, 1, False),
        (1, True, False),
        (False, False, True),
        (None, None, True),
        (None, "won", False),
        ("", None, False),
        (date(2024, 5, 1), "2024-05-01", True),
        (date(2024, 5, 1), "2024-05-02", False),
        (datetime(2024, 5, 1, 9, 30, tzinfo=CST), "2024-05-01T01:30:00Z", True),
        (datetime(2024, 5, 1, 9, 30), "2024-05-01T09:30:00+08:00", True),
        (datetime(2024, 5, 1, 23, 59), "2024-05-01", True),
        ("2024-05-01", "2024-05-01T00:00:00", True),
        ("2024-13-45", "2024-13-45", True),
        (date(2024, 5, 1), "2024-13-45", False),
        (["赢单"], "赢单", False),
        ({"stage": "won"}, "won", False),
        (float("nan"), 1, False),
        (float("inf"), 1e308, False),
        (Decimal("NaN"), 1, False),
        (SimpleNamespace(x="won"), "won", False),
    ],
)
def test_eq(actual, value, expected):
    assert holds("eq", actual, value) is expected


@pytest.mark.parametrize(
    ("actual", "value", "expected"),
    [
        ("赢单", "赢单", False),
        ("赢单", "输单", True),
        (None, "won", True),
        ("abc", 5, True),
        (Decimal("5"), 5.0, False),
        (True, 1, True),
        (["a"], "b", False),
        ({"a": 1}, "b", False),
        (float("nan"), 1, False),
        (Unfriendly(), "won", False),
    ],
)
def test_ne_negates_eq_on_present_scalars_only(actual, value, expected):
    assert holds("ne", actual, value) is expected


@pytest.mark.parametrize(
    ("op", "actual", "value", "expected"),
    [
        ("gt", Decimal("1200.50"), 1200, True),
        ("gt", Decimal("1200.00"), 1200, False),
        ("gte", Decimal("1200.00"), 1200, True),
        ("lt", 0.1, 0.2, True),
        ("lte", 10**40, 1e40, True),
        ("gt", 10**40 + 1, 1e40, True),
        ("gt", "1200.50", 1200, True),
        ("gt", "1200.50", "1200", True),
        ("lt", 5, "1e1", True),
        ("gt", "abc", 5, False),
        ("lt", "abc", 5, False),
        ("gt", True, 0, False),
        ("gt", None, 0, False),
        ("lt", None, 0, False),
        ("gt", date(2024, 5, 2), "2024-05-01", True),
        ("gt", "2024-05-02", "2024-05-01", True),
        ("lt", "2024-05-02", "2024-05-01", False),
        ("gt", datetime(2024, 5, 1, 23, tzinfo=UTC), "2024-05-01", False),
        ("gte", datetime(2024, 5, 1, 23, tzinfo=UTC), "2024-05-01", True),
        ("gt", datetime(2024, 5, 1, 9, 0, tzinfo=CST), "2024-05-01T00:30:00Z", True),
        ("lt", datetime(2024, 5, 1, 9, 0), "2024-05-01T09:30:00+08:00", True),
        ("gt", date(2024, 5, 2), 20240501, False),
        ("gt", "赢单", 1, False),
        ("gt", [5], 1, False),
    ],
)
def test_orderings(op, actual, value, expected):
    assert holds(op, actual, value) is expected


@pytest.mark.parametrize(
    ("actual", "bounds", "expected"),
    [
        (5, [1, 10], True),
        (1, [1, 10], True),
        (10, [1, 10], True),
        (Decimal("10.01"), [1, 10], False),
        (0, [1, 10], False),
        ("5", [1, 10], True),
        (Decimal("1200.00"), ["1000", "5000.5"], True),
        (date(2024, 5, 15), ["2024-05-01", "2024-05-31"], True),
        ("2024-06-01", ["2024-05-01", "2024-05-31"], False),
        (datetime(2024, 5, 31, 23, 59, tzinfo=CST), ["2024-05-01", "2024-05-31"], True),
        ("abc", [1, 10], False),
        (None, [1, 10], False),
        (date(2024, 5, 15), [1, 10], False),
    ],
)
def test_between_includes_both_ends(actual, bounds, expected):
    assert holds("between", actual, bounds) is expected


@pytest.mark.parametrize(
    ("actual", "values", "expected_in"),
    [
        ("赢单", ["赢单", "输单"], True),
        ("搁置", ["赢单", "输单"], False),
        (5, ["5", 6], True),
        (Decimal("6.0"), ["5", 6], True),
        (None, [None], True),
        (None, ["won"], False),
        (True, [1], False),
        (date(2024, 5, 1), ["2024-05-01"], True),
    ],
)
def test_in_and_not_in_are_complements_on_scalars(actual, values, expected_in):
    assert holds("in", actual, values) is expected_in
    assert holds("not_in", actual, values) is (not expected_in)


@pytest.mark.parametrize("actual", [["赢单"], {"赢单": 1}, float("nan"), Unfriendly()])
def test_in_and_not_in_are_both_false_on_non_scalars(actual):
    assert holds("in", actual, ["赢单"]) is False
    assert holds("not_in", actual, ["赢单"]) is False


@pytest.mark.parametrize(
    ("actual", "needle", "expected"),
    [
        ("广州智能化改造项目", "智能化", True),
        ("广州智能化改造项目", "弱电", False),
        ("ACME Ltd", "acme", True),
        ("Straße", "STRASSE", True),
        ("a.*b", ".*", True),
        ("abc", ".*", False),
        ("abc", "[a-z]", False),
        (["vip", "弱电"], "弱电", True),
        (["vip", "弱电"], "弱", False),
        ([1, 2], "2", True),
        ([Decimal("2.0")], 2, True),
        (123, "2", False),
        ({"弱电": 1}, "弱电", False),
        (None, "x", False),
    ],
)
def test_contains_substring_or_list_item(actual, needle, expected):
    assert holds("contains", actual, needle) is expected


@pytest.mark.parametrize(
    ("actual", "prefix", "expected"),
    [
        ("智能化改造", "智能", True),
        ("智能化改造", "改造", False),
        ("Ärger", "ä", True),
        ("abc", "^a", False),
        ("^abc", "^a", True),
        (123, "1", False),
        (["abc"], "a", False),
    ],
)
def test_starts_with_is_literal_and_ignores_case(actual, prefix, expected):
    assert holds("starts_with", actual, prefix) is expected


@pytest.mark.parametrize(
    ("actual", "empty"),
    [
        (None, True),
        ("", True),
        ("  \t", True),
        ([], True),
        ({}, True),
        (0, False),
        (False, False),
        (Decimal("0"), False),
        ("赢单", False),
        ([None], False),
        ({"a": None}, False),
        (date(2024, 5, 1), False),
    ],
)
def test_is_set_and_is_empty_are_complements_on_present_fields(actual, empty):
    assert holds("is_empty", actual) is empty
    assert holds("is_set", actual) is (not empty)


@pytest.mark.parametrize(
    ("before", "after", "changed"),
    [
        ("new", "won", True),
        ("won", "won", False),
        ("赢单", "输单", True),
        (None, "won", True),
        ("won", None, True),
        (Decimal("1.0"), 1, False),
        (1, "1", False),
        (date(2024, 5, 1), "2024-05-01", False),
        (["a", "b"], ["a"], True),
        ([1, ["x"]], [Decimal(1), ["x"]], False),
        ({"a": 1}, {"a": 1}, False),
        ({"a": 1}, {"a": 2}, True),
        ({"a": 1}, {"b": 1}, True),
        ("a", ["a"], True),
        (Unfriendly(), "won", False),
        (float("nan"), float("nan"), False),
    ],
)
def test_changed(before, after, changed):
    assert holds("changed", after, previous=before) is changed


def test_nothing_changed_without_a_previous_value():
    assert holds("changed", "won") is False
    assert holds("changed_to", "won", "won") is False
    record = {"deal": {"stage": "won"}}
    previous_without_field = {"deal": {}}
    assert evaluate({"field": "deal.stage", "op": "changed"}, record, previous=previous_without_field, now=NOW) is False
    assert evaluate({"field": "deal.stage", "op": "changed"}, record, previous="not a dict", now=NOW) is False


def test_changed_to_and_changed_from():
    assert holds("changed_to", "赢单", "赢单", previous="谈判") is True
    assert holds("changed_to", "赢单", "输单", previous="谈判") is False
    assert holds("changed_to", "赢单", "赢单", previous="赢单") is False
    assert holds("changed_from", "赢单", "谈判", previous="谈判") is True
    assert holds("changed_from", "赢单", "赢单", previous="谈判") is False
    assert holds("changed_to", Decimal("100.00"), 100, previous=Decimal("90")) is True


@pytest.mark.parametrize(
    ("actual", "days", "now", "expected"),
    [
        (date(2026, 5, 1), 0, NOW, True),
        (date(2026, 4, 30), 0, NOW, False),
        (date(2026, 4, 30), 1, NOW, True),
        (date(2026, 4, 24), 7, NOW, True),
        (date(2026, 4, 23), 7, NOW, False),
        (date(2026, 5, 2), 7, NOW, False),
        ("2026-04-28", 3, NOW, True),
        ("2026-04-28T12:00:00+08:00", 3, NOW, True),
        ("2026-04-28T12:00:00+08:00", 2, NOW, False),
        (datetime(2026, 5, 1, 10, 1, tzinfo=UTC), 7, NOW, False),
        (datetime(2026, 5, 1, 9, 59, tzinfo=UTC), 0, NOW, True),
        # 17:00 UTC on 30 April is 01:00 on 1 May in China: the day is read in now's zone.
        (datetime(2026, 4, 30, 17, 0, tzinfo=UTC), 0, NOW, False),
        (datetime(2026, 4, 30, 17, 0, tzinfo=UTC), 0, NOW.astimezone(CST), True),
        (datetime(2026, 5, 1, 9, 0), 0, NOW, True),
        (datetime(2026, 5, 1, 11, 0), 0, NOW, False),
        (datetime(2026, 5, 1, 23, 0), 0, date(2026, 5, 1), True),
        (datetime(2016, 5, 3, tzinfo=UTC), 3650, NOW, True),
        (date(1, 1, 1), 3650, date(1, 1, 2), True),
        # Moments that cannot be moved into now's zone (before year 1, after 9999) are simply not recent.
        (datetime(1, 1, 1, tzinfo=CST), 7, NOW, False),
        (datetime(9999, 12, 31, 23, tzinfo=timezone(-timedelta(hours=8))), 7, NOW, False),
        ("yesterday", 7, NOW, False),
        (20260501, 7, NOW, False),
        (None, 7, NOW, False),
        (date(2026, 5, 1), 7, None, False),
        (date(2026, 5, 1), 7, "2026-05-01", False),
    ],
)
def test_within_last_days_counts_calendar_days_up_to_now(actual, days, now, expected):
    assert holds("within_last_days", actual, days, now=now) is expected


VALID_VALUES = {
    "eq": "赢单",
    "ne": "赢单",
    "gt": 1,
    "gte": 1,
    "lt": 1,
    "lte": 1,
    "in": ["赢单"],
    "not_in": ["赢单"],
    "contains": "赢",
    "starts_with": "赢",
    "is_set": ABSENT,
    "is_empty": ABSENT,
    "changed": ABSENT,
    "changed_to": "赢单",
    "changed_from": "赢单",
    "between": [1, 2],
    "within_last_days": 7,
}


def test_every_operator_has_a_case_here():
    assert set(VALID_VALUES) == OPERATORS


@pytest.mark.parametrize("op", sorted(VALID_VALUES))
@pytest.mark.parametrize("record", [{"deal": {}}, {}, {"deal": "won"}, {"deal": ["x"]}, None, [], "deal", 42])
def test_every_operator_is_false_on_a_missing_field(op, record):
    leaf = {"field": "deal.x", "op": op}
    if VALID_VALUES[op] is not ABSENT:
        leaf["value"] = VALID_VALUES[op]
    previous = {"deal": {"x": "赢单"}}
    assert evaluate(leaf, record, previous=previous, now=NOW) is False
    assert evaluate({"not": leaf}, record, previous=previous, now=NOW) is True


def test_paths_walk_dict_keys_only_never_attributes_or_overridden_hooks():
    class Trap(dict):
        def __getitem__(self, key):
            raise AssertionError("__getitem__ called")

        def get(self, *args):
            raise AssertionError("get called")

    assert evaluate({"field": "deal.stage", "op": "eq", "value": "won"}, Trap(deal={"stage": "won"}), now=NOW)
    assert not evaluate(
        {"field": "deal.stage", "op": "eq", "value": "won"}, {"deal": SimpleNamespace(stage="won")}, now=NOW
    )
    assert not evaluate({"field": "deal.items", "op": "eq", "value": "won"}, {"deal": {"items": ["won"]}}, now=NOW)
    leaf = {"field": "deal.stage", "op": "contains", "value": "x"}
    assert evaluate(leaf, {"deal": {"stage": [Unfriendly()]}}, now=NOW) is False


def test_five_levels_of_related_records():
    record = {"deal": {"account": {"owner": {"team": {"name": "华南"}}}}}
    assert evaluate({"field": "deal.account.owner.team.name", "op": "eq", "value": "华南"}, record, now=NOW)


def test_groups():
    record = {"deal": {"stage": "赢单", "type": "智能化", "amount": Decimal("880000.00")}}
    won = {"field": "deal.stage", "op": "eq", "value": "赢单"}
    smart = {"field": "deal.type", "op": "in", "value": ["智能化", "弱电"]}
    small = {"field": "deal.amount", "op": "lt", "value": 100000}
    assert evaluate({"all": [won, smart]}, record, now=NOW) is True
    assert evaluate({"all": [won, smart, small]}, record, now=NOW) is False
    assert evaluate({"any": [small, won]}, record, now=NOW) is True
    assert evaluate({"any": [small, {"not": won}]}, record, now=NOW) is False
    assert evaluate({"all": [won, {"not": small}, {"any": [small, smart]}]}, record, now=NOW) is True


def test_explain_shows_every_node_and_the_values_it_read():
    record = {"deal": {"stage": "赢单", "amount": Decimal("880000.00"), "closed_on": date(2026, 4, 30)}}
    condition = {
        "any": [
            {"field": "deal.stage", "op": "eq", "value": "赢单"},
            {"not": {"field": "deal.owner", "op": "is_set"}},
            {"field": "deal.stage", "op": "changed_to", "value": "赢单"},
        ]
    }
    report = explain(condition, record, previous={"deal": {"stage": "谈判"}}, now=NOW)
    assert report["result"] is True and report["errors"] == []
    first, second, third = report["tree"]["any"]
    assert first == {
        "field": "deal.stage",
        "op": "eq",
        "value": "赢单",
        "result": True,
        "actual": "赢单",
        "missing": False,
    }
    # Not short-circuited: the children after the first true one were evaluated too.
    assert second["not"] == {"field": "deal.owner", "op": "is_set", "result": False, "actual": None, "missing": True}
    assert second["result"] is True
    assert third["result"] is True and third["previous"] == "谈判" and third["previous_missing"] is False
    json.dumps(report)
    amount = explain({"field": "deal.amount", "op": "gt", "value": 1}, record, now=NOW)["tree"]
    assert amount["actual"] == "880000.00"
    assert explain({"field": "deal.closed_on", "op": "is_set"}, record, now=NOW)["tree"]["actual"] == "2026-04-30"


def test_explain_renders_odd_values_json_safe_and_bounded():
    record = {"deal": {"x": {"deep": {"deeper": {"deepest": 1}}, 1: Unfriendly(), "nan": float("nan")}}}
    tree = explain({"field": "deal.x", "op": "is_set"}, record, now=NOW)["tree"]
    assert tree["actual"] == {"deep": {"deeper": "{…}"}, "1": "<unsupported value>", "nan": "nan"}
    long_list = explain({"field": "deal.x", "op": "is_set"}, {"deal": {"x": list(range(100))}}, now=NOW)
    assert long_list["tree"]["actual"] == list(range(20))
    json.dumps(tree)


def test_explain_of_an_invalid_condition_gives_the_reasons():
    report = explain({"all": [{"field": "deal.stage", "op": "regex", "value": ".*"}]}, {}, now=NOW)
    assert report == {"result": False, "errors": ["all[0].op: unknown operator 'regex'"], "tree": None}


def test_importable_without_django():
    code = (
        "import sys; import tandem.core.conditions as c; "
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'django imported'; "
        "print(c.evaluate({'field': 'a', 'op': 'eq', 'value': 1}, {'a': 1}, now=None))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"
