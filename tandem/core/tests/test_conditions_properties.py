"""Properties of the condition evaluator (hypothesis): it never raises, limits hold, negations are exact."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tandem.core.conditions import MAX_DEPTH, MAX_NODES, OPERATORS, evaluate, explain, validate

FIELDS = ["deal.stage", "deal.amount", "deal.close_date", "deal.tags", "account.tier", "account.owner.name"]
NOW = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(["赢单", "2026-04-30", "2026-04-30T08:00:00+08:00", "1200.00", "", "all", "eq"])
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
# Python values a record built by the application may hold beside plain JSON.
rich_scalars = (
    json_scalars
    | st.decimals(allow_nan=True, allow_infinity=True)
    | st.dates()
    | st.datetimes()
    | st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=8)), timezone(-timedelta(hours=5))]))
    | st.sampled_from(
        [
            datetime.min.replace(tzinfo=timezone(timedelta(hours=8))),
            datetime.max.replace(tzinfo=timezone(-timedelta(hours=8))),
            date.min,
            date.max,
        ]
    )
)
rich_values = st.recursive(
    rich_scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.sampled_from(["x", "y", 1]), children),
    max_leaves=10,
)


def records(values=rich_values):
    """Dicts shaped like records: the known fields, some of them missing, with any value."""
    fields = st.dictionaries(st.sampled_from(["stage", "amount", "close_date", "tags", "tier", "owner"]), values)
    return st.fixed_dictionaries({}, optional={"deal": fields, "account": fields | values})


nows = st.datetimes() | st.datetimes(timezones=st.just(UTC)) | st.dates() | st.none() | json_scalars

# Condition-shaped JSON: the right keys and operators often enough to get past the first checks, wrong often too.
condition_ish = st.recursive(
    st.fixed_dictionaries(
        {
            "field": st.sampled_from(FIELDS) | st.text(max_size=6),
            "op": st.sampled_from(sorted(OPERATORS)) | json_scalars,
        },
        optional={"value": json_values, "extra": json_scalars},
    )
    | json_values,
    lambda children: (
        st.dictionaries(st.sampled_from(["all", "any", "not"]), st.lists(children, max_size=4) | children)
        | st.lists(children, max_size=3)
    ),
    max_leaves=25,
)

# Valid leaves, one value shape per operator.
iso_dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
bounds = st.integers(-(10**12), 10**12) | st.floats(-1e9, 1e9) | iso_dates.map(date.isoformat)
valid_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**9), 10**9)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10)
    | st.sampled_from(["赢单", "输单", "2026-04-30", "1200.00"])
)
ranges = st.tuples(st.integers(-1000, 1000), st.integers(-1000, 1000)).map(sorted) | st.tuples(
    iso_dates, iso_dates
).map(lambda pair: [day.isoformat() for day in sorted(pair)])
VALUES_BY_OP = {
    "eq": valid_scalars,
    "ne": valid_scalars,
    "changed_to": valid_scalars,
    "changed_from": valid_scalars,
    "gt": bounds,
    "gte": bounds,
    "lt": bounds,
    "lte": bounds,
    "between": ranges,
    "in": st.lists(valid_scalars, max_size=5),
    "not_in": st.lists(valid_scalars, max_size=5),
    "contains": st.text(min_size=1, max_size=4) | st.integers(-5, 5),
    "starts_with": st.text(min_size=1, max_size=4),
    "within_last_days": st.integers(0, 3650),
}


@st.composite
def valid_leaves(draw, ops=tuple(sorted(OPERATORS))):
    op = draw(st.sampled_from(ops))
    node = {"field": draw(st.sampled_from(FIELDS)), "op": op}
    if op in VALUES_BY_OP:
        node["value"] = draw(VALUES_BY_OP[op])
    return node


def valid_trees(max_leaves=12):
    return st.recursive(
        valid_leaves(),
        lambda children: (
            st.lists(children, min_size=1, max_size=4).map(lambda c: {"all": c})
            | st.lists(children, min_size=1, max_size=4).map(lambda c: {"any": c})
            | children.map(lambda c: {"not": c})
        ),
        max_leaves=max_leaves,
    )


def depth_and_size(node):
    """(levels, nodes) of a well-formed tree, counted independently of the validator."""
    children = [node["not"]] if "not" in node else node.get("all") or node.get("any") or []
    measured = [depth_and_size(child) for child in children]
    return 1 + max((d for d, _ in measured), default=0), 1 + sum(n for _, n in measured)


# Values for fields that are present in full records: everything the application may hand over.
present_values = (
    valid_scalars
    | st.decimals(allow_nan=False, allow_infinity=False, places=2)
    | st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
    | st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(UTC))
    | st.lists(valid_scalars, max_size=3)
)
full_records = st.fixed_dictionaries(
    {
        "deal": st.fixed_dictionaries({name: present_values for name in ("stage", "amount", "close_date", "tags")}),
        "account": st.fixed_dictionaries(
            {"tier": present_values, "owner": st.fixed_dictionaries({"name": present_values})}
        ),
    }
)


@settings(max_examples=400, deadline=None)
@given(
    condition=json_values | condition_ish, record=records() | rich_values, previous=records() | rich_values, now=nows
)
def test_evaluate_and_explain_never_raise_on_any_input(condition, record, previous, now):
    result = evaluate(condition, record, previous=previous, now=now)
    assert result is True or result is False
    report = explain(condition, record, previous=previous, now=now)
    assert report["result"] is result
    json.dumps(report)


@settings(max_examples=300, deadline=None)
@given(condition=json_values | condition_ish, fields=st.none() | st.sets(st.sampled_from(FIELDS)))
def test_validate_never_raises_and_returns_reasons(condition, fields):
    reasons = validate(condition, fields=fields)
    assert isinstance(reasons, list)
    assert all(isinstance(reason, str) and ": " in reason for reason in reasons)
    if reasons:
        assert evaluate(condition, {"deal": {"stage": "赢单"}}, now=NOW) is False


@settings(max_examples=300, deadline=None)
@given(tree=valid_trees(max_leaves=40))
def test_a_well_formed_tree_is_valid_exactly_when_within_the_limits(tree):
    levels, nodes = depth_and_size(tree)
    reasons = validate(tree)
    assert (reasons == []) is (levels <= MAX_DEPTH and nodes <= MAX_NODES), (levels, nodes, reasons)
    if levels > MAX_DEPTH:
        assert any(reason.endswith(f"nested deeper than {MAX_DEPTH} levels") for reason in reasons)
    if nodes > MAX_NODES:
        assert "condition: more than 200 nodes" in reasons


@settings(max_examples=60, deadline=None)
@given(levels=st.integers(1, 30), width=st.integers(1, 300))
def test_depth_and_node_limits(levels, width):
    chain = {"field": "deal.stage", "op": "is_set"}
    for _ in range(levels - 1):
        chain = {"not": chain}
    assert (validate(chain) == []) is (levels <= MAX_DEPTH)
    wide = {"any": [{"field": "deal.stage", "op": "is_set"}] * width}
    assert (validate(wide) == []) is (width + 1 <= MAX_NODES)
    assert evaluate(wide, {"deal": {"stage": "赢单"}}, now=NOW) is (width + 1 <= MAX_NODES)


@settings(max_examples=300, deadline=None)
@given(tree=valid_trees(), record=full_records, previous=full_records, now=nows)
def test_not_is_the_negation_of_a_valid_condition(tree, record, previous, now):
    assume(depth_and_size(tree)[0] < MAX_DEPTH)
    assert validate(tree) == []
    result = evaluate(tree, record, previous=previous, now=now)
    assert evaluate({"not": tree}, record, previous=previous, now=now) is (not result)
    assert explain(tree, record, previous=previous, now=now)["result"] is result


@settings(max_examples=200, deadline=None)
@given(first=valid_trees(6), second=valid_trees(6), record=full_records)
def test_de_morgan(first, second, record):
    assume(max(depth_and_size(first)[0], depth_and_size(second)[0]) <= MAX_DEPTH - 2)
    both = evaluate({"not": {"all": [first, second]}}, record, now=NOW)
    either = evaluate({"any": [{"not": first}, {"not": second}]}, record, now=NOW)
    assert both is either
    assert evaluate({"any": [first, second]}, record, now=NOW) is (
        evaluate(first, record, now=NOW) or evaluate(second, record, now=NOW)
    )


COMPLEMENTS = [("eq", "ne"), ("in", "not_in"), ("is_set", "is_empty")]


@settings(max_examples=300, deadline=None)
@given(data=st.data(), pair=st.sampled_from(COMPLEMENTS), actual=present_values)
def test_complementary_operators_on_a_present_field(data, pair, actual):
    positive, negative = pair
    value = data.draw(VALUES_BY_OP[positive]) if positive in VALUES_BY_OP else ...
    record = {"deal": {"stage": actual}}
    leaves = [{"field": "deal.stage", "op": op} | ({} if value is ... else {"value": value}) for op in pair]
    results = [evaluate(leaf, record, now=NOW) for leaf in leaves]
    if positive == "is_set" or not isinstance(actual, list):
        assert results[0] is not results[1], (leaves, actual)
    else:
        assert results == [False, False]  # a list field is not a scalar: both sides are false


@settings(max_examples=200, deadline=None)
@given(leaf=valid_leaves(), record=full_records, now=nows)
def test_every_leaf_on_a_missing_field_is_false(leaf, record, now):
    section, name = leaf["field"].split(".", 1)
    removed = {**record, section: {key: value for key, value in record[section].items() if key != name.split(".")[0]}}
    previous = record
    assert evaluate(leaf, removed, previous=previous, now=now) is False
    assert evaluate({"not": leaf}, removed, previous=previous, now=now) is True
    assert explain(leaf, removed, previous=previous, now=now)["tree"]["missing"] is True


@settings(max_examples=200, deadline=None)
@given(amount=st.decimals(allow_nan=False, allow_infinity=False, places=2), bound=st.integers(-(10**9), 10**9))
def test_numbers_order_like_decimals_whatever_their_type(amount, bound):
    expected = amount > bound
    for shown in (amount, str(amount), float(amount) if abs(amount) < 10**12 else amount):
        if isinstance(shown, float) and Decimal(repr(shown)) != amount:
            continue
        for written in (bound, str(bound)):
            record = {"deal": {"amount": shown}}
            assert evaluate({"field": "deal.amount", "op": "gt", "value": written}, record, now=NOW) is expected


@settings(max_examples=400, deadline=None)
@given(leaf=valid_leaves(), actual=rich_values, before=rich_values, now=nows)
def test_a_valid_leaf_never_raises_whatever_the_field_holds(leaf, actual, before, now):
    section, rest = leaf["field"].split(".", 1)
    record, previous = {}, {}
    for data, value in ((record, actual), (previous, before)):
        node = data.setdefault(section, {})
        for name in rest.split(".")[:-1]:
            node = node.setdefault(name, {})
        node[rest.split(".")[-1]] = value
    result = evaluate(leaf, record, previous=previous, now=now)
    assert result is True or result is False
    assert explain(leaf, record, previous=previous, now=now)["tree"]["missing"] is False
