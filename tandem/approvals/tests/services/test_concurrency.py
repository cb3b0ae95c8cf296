"""Two approvers of an 或签 node approving at once: one decides, the other hears it was already decided."""

import threading

import pytest
from django.db import connection
from django.utils import translation

from tandem.approvals.models import ApprovalStep
from tandem.approvals.services import approval_approve
from tandem.approvals.tests.factories import contract_of, flow_of, node, submit, task_of
from tandem.core.errors import Conflict
from tandem.testing.kit import access_for


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_approvers_of_an_any_node_at_once(org):
    flow_of(org, node("n1", "或签", {"type": "members", "users": [m.user_id for m in org.crew[:2]]}, mode="any"))
    approval = submit(org, contract_of(org))
    tasks = [task_of(approval, member) for member in org.crew[:2]]
    accesses = [access_for(member) for member in org.crew[:2]]
    start = threading.Barrier(2)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def act(i):
        translation.activate("en")  # the language is per thread
        try:
            start.wait()
            approval_approve(access=accesses[i], task=tasks[i], comment="同意")
            outcomes.append("approved")
        except Conflict as exc:
            outcomes.append(str(exc.message))
        except BaseException as exc:  # surfaced below: an exception in a thread would otherwise vanish
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(outcomes) == ["This approval step was already decided.", "approved"]
    approval.refresh_from_db()
    assert approval.status == "approved"
    assert ApprovalStep.objects.filter(approval=approval, action="approve").count() == 1
    assert ApprovalStep.objects.filter(approval=approval, action="complete").count() == 1
