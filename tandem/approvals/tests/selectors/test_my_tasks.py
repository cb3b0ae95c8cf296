"""My approvals: each box holds what it should, in a constant number of queries however long it is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.approvals.selectors import approval_state, my_counts, my_tasks
from tandem.approvals.services import approval_approve
from tandem.approvals.tests.factories import contract_of, flow_of, node, submit, task_of
from tandem.testing.kit import access_for

pytestmark = pytest.mark.django_db


def _read(access, box):
    return [
        (t.approval.title, str(t.approval.submitter), t.approval.flow_version.number)
        for t in my_tasks(access=access, box=box)
    ]


def _flow(org):
    flow_of(
        org,
        node(
            "n1", "部门经理", {"type": "manager", "level": 1}, cc=[{"type": "members", "users": [org.finance.user_id]}]
        ),
    )


@pytest.mark.parametrize("box", ["todo", "done", "cc", "submitted"])
def test_query_count_is_constant(org, box):
    _flow(org)
    manager = access_for(org.manager)
    reader = {"todo": manager, "done": manager, "cc": access_for(org.finance), "submitted": access_for(org.rep)}[box]

    def add(n):
        for _ in range(n):
            approval = submit(org, contract_of(org))
            if box == "done":
                approval_approve(access=manager, task=task_of(approval, org.manager))

    add(1)
    with CaptureQueriesContext(connection) as one:
        rows = my_tasks(access=reader, box=box)
        assert len([(r.pk, r.approval.title if box != "submitted" else r.title) for r in rows]) == 1
        if box != "submitted":
            _read(reader, box)
    add(6)
    with CaptureQueriesContext(connection) as seven:
        rows = my_tasks(access=reader, box=box)
        assert len([(r.pk, r.approval.title if box != "submitted" else r.title) for r in rows]) == 7
        if box != "submitted":
            _read(reader, box)
    assert len(seven) == len(one)


def test_boxes_and_counts(org):
    _flow(org)
    first = submit(org, contract_of(org))
    submit(org, contract_of(org))
    approval_approve(access=access_for(org.manager), task=task_of(first, org.manager))
    assert my_counts(access=access_for(org.manager)) == {"todo": 1, "done": 1, "cc": 0, "cc_unread": 0, "submitted": 0}
    assert my_counts(access=access_for(org.finance))["cc_unread"] == 2
    assert my_counts(access=access_for(org.rep))["submitted"] == 2
    assert [t.approval_id for t in my_tasks(access=access_for(org.manager), box="done")] == [first.pk]
    # Another member sees none of it.
    assert list(my_tasks(access=access_for(org.crew[0]), box="todo")) == []


def test_filters(org):
    _flow(org)
    submit(org, contract_of(org))
    manager = access_for(org.manager)
    assert my_tasks(access=manager, box="todo", filters={"object_type": "crm.receipt"}).count() == 0
    assert my_tasks(access=manager, box="todo", filters={"submitter": org.rep.user_id}).count() == 1
    assert my_tasks(access=manager, box="todo", filters={"date_from": "2000-01-01"}).count() == 1
    assert my_tasks(access=manager, box="todo", filters={"date_to": "2000-01-01"}).count() == 0


def test_approval_state(org):
    _flow(org)
    contract = contract_of(org)
    assert approval_state(contract) == "draft"
    approval = submit(org, contract)
    assert approval_state(contract) == "pending"
    approval_approve(access=access_for(org.manager), task=task_of(approval, org.manager))
    assert approval_state(contract) == "approved"
