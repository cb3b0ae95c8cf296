"""Commitments: amounts in fen, lines editable only in draft / out for bid, moves only along the kind's flow,
approval by permission or through the approval engine, and the status → committed / pending cost mapping."""

from decimal import Decimal

import pytest

from tandem.approvals.models import ApprovalTask
from tandem.approvals.services import approval_approve, flow_create
from tandem.core.errors import ApplicationError, PermissionDenied
from tandem.finance.choices import (
    COMMITTED_STATUSES,
    FLOWS,
    PENDING_COST_STATUSES,
    CommitmentKind,
    CommitmentStatus,
)
from tandem.finance.models import CommitmentLine
from tandem.finance.services.alerts import project_cost_figures
from tandem.finance.services.budgets import budget_line_delete
from tandem.finance.services.commitments import commitment_create, commitment_transition, commitment_update
from tandem.finance.tests.factories import make_line
from tandem.testing.kit import access_for, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def sub(org):
    line = make_line(org.budget, org.pm, unit_price="50000")
    commitment = commitment_create(
        access=org.pm_access,
        project=org.project,
        kind=CommitmentKind.SUBCONTRACT,
        title="弱电分包",
        vendor="华信机电",
        retention_percent="5",
        lines=[{"budget_line": line, "quantity": "3.333", "unit_price": "100.05"}],  # 333.46665
    )
    return commitment, line


def _cost(org):
    total = project_cost_figures(tenant_id=org.tenant.pk, project_id=org.project.pk).total
    return total.committed, total.pending_cost


def _walk(org, commitment, *statuses, access=None):
    for status in statuses:
        commitment = commitment_transition(access=access or org.finance_access, commitment=commitment, status=status)
    return commitment


def test_a_commitment_is_numbered_per_kind_and_its_amount_is_in_fen(org, sub):
    commitment, _line = sub
    assert commitment.number.startswith("FB-")
    assert [r.amount for r in CommitmentLine.objects.filter(commitment=commitment)] == [Decimal("333.47")]


def test_every_status_of_each_flow_maps_to_its_column(org):
    """Walk each kind along its flow; at each status the committed / pending cost columns are what the status
    lists say (COMMITTED_STATUSES, PENDING_COST_STATUSES)."""
    line = make_line(org.budget, org.pm, unit_price="1000")
    paths = {
        CommitmentKind.SUBCONTRACT: [
            CommitmentStatus.OUT_FOR_BID,
            CommitmentStatus.OUT_FOR_SIGNATURE,
            CommitmentStatus.APPROVED,
            CommitmentStatus.COMPLETE,
        ],
        CommitmentKind.PURCHASE_ORDER: [
            CommitmentStatus.SUBMITTED,
            CommitmentStatus.APPROVED,
            CommitmentStatus.PARTIALLY_RECEIVED,
            CommitmentStatus.RECEIVED,
            CommitmentStatus.CLOSED,
        ],
    }
    seen = set()
    for kind, path in paths.items():
        commitment = commitment_create(
            access=org.pm_access,
            project=org.project,
            kind=kind,
            title=str(kind),
            vendor="供应商",
            lines=[{"budget_line": line, "quantity": "2", "unit_price": "150"}],
        )
        assert _cost(org) == (Decimal("0"), Decimal("0"))
        for status in path:
            commitment = _walk(org, commitment, status)
            seen.add(status)
            expected = (
                Decimal("300.00") if status in COMMITTED_STATUSES else Decimal("0"),
                Decimal("300.00") if status in PENDING_COST_STATUSES else Decimal("0"),
            )
            assert _cost(org) == expected, status
        # The final status is committed; take it out of the sums for the next kind.
        CommitmentLine.objects.filter(commitment=commitment).delete()
    # A terminated subcontract still counts as committed, a voided one not at all.
    for end, counts in ((CommitmentStatus.TERMINATED, True), (CommitmentStatus.VOID, False)):
        commitment = commitment_create(
            access=org.pm_access,
            project=org.project,
            kind=CommitmentKind.SUBCONTRACT,
            title="终止",
            vendor="x",
            lines=[{"budget_line": line, "quantity": "1", "unit_price": "10"}],
        )
        if end == CommitmentStatus.TERMINATED:
            commitment = _walk(org, commitment, CommitmentStatus.OUT_FOR_SIGNATURE, CommitmentStatus.APPROVED, end)
        else:
            commitment = _walk(org, commitment, end)
        assert _cost(org)[0] == (Decimal("10.00") if counts else Decimal("0")), end
        CommitmentLine.objects.filter(commitment=commitment).delete()
        seen.add(end)
    assert set(COMMITTED_STATUSES) <= seen and set(PENDING_COST_STATUSES) <= seen


def test_moves_outside_the_flow_are_refused_naming_both_statuses(org, sub):
    commitment, _line = sub
    for status in (CommitmentStatus.APPROVED, CommitmentStatus.SUBMITTED, CommitmentStatus.COMPLETE):
        assert status not in FLOWS[CommitmentKind.SUBCONTRACT][CommitmentStatus.DRAFT]
        with pytest.raises(ApplicationError) as exc:
            commitment_transition(access=org.finance_access, commitment=commitment, status=status)
        assert exc.value.code == "bad_transition" and "status" in exc.value.errors
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.DRAFT


def test_approving_needs_the_approve_permission(org, sub):
    commitment, _line = sub
    commitment = _walk(org, commitment, CommitmentStatus.OUT_FOR_SIGNATURE, access=org.pm_access)
    with pytest.raises(PermissionDenied):
        commitment_transition(access=org.pm_access, commitment=commitment, status=CommitmentStatus.APPROVED)
    commitment = _walk(org, commitment, CommitmentStatus.APPROVED)
    assert commitment.status == CommitmentStatus.APPROVED


def test_lines_vendor_and_retention_change_only_in_draft_or_out_for_bid(org, sub):
    commitment, line = sub
    commitment = commitment_update(
        access=org.pm_access, commitment=commitment, lines=[{"budget_line": line, "quantity": "1", "unit_price": "9"}]
    )
    assert _cost(org) == (Decimal("0"), Decimal("0"))
    commitment = _walk(org, commitment, CommitmentStatus.OUT_FOR_SIGNATURE)
    assert _cost(org) == (Decimal("0"), Decimal("9.00"))
    for change in ({"lines": [{"budget_line": line, "quantity": "2", "unit_price": "9"}]}, {"vendor": "别家"}):
        with pytest.raises(ApplicationError) as exc:
            commitment_update(access=org.pm_access, commitment=commitment, **change)
        assert exc.value.code == "not_editable"
    commitment = commitment_update(access=org.pm_access, commitment=commitment, title="弱电分包（签署中）")
    assert commitment.title == "弱电分包（签署中）"
    # A line a commitment is on cannot be deleted.
    with pytest.raises(ApplicationError) as exc:
        budget_line_delete(access=org.pm_access, line=line)
    assert exc.value.code == "line_in_use"


def test_with_an_approval_flow_the_move_to_approved_goes_through_it(org, sub, django_capture_on_commit_callbacks):
    commitment, _line = sub
    admin = access_for(make_member(org.tenant, "admin"))
    flow_create(
        access=admin,
        object_type="finance.commitment",
        name="分包审批",
        definition={
            "branches": [
                {
                    "key": "all",
                    "name": "全部",
                    "condition": None,
                    "nodes": [
                        {
                            "key": "n1",
                            "name": "财务",
                            "kind": "approve",
                            "approvers": {"type": "members", "users": [org.finance.user.pk]},
                        }
                    ],
                }
            ]
        },
    )
    commitment = _walk(org, commitment, CommitmentStatus.OUT_FOR_SIGNATURE, access=org.pm_access)
    with django_capture_on_commit_callbacks(execute=True):
        commitment = commitment_transition(
            access=org.pm_access, commitment=commitment, status=CommitmentStatus.APPROVED
        )
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.OUT_FOR_SIGNATURE
    task = ApprovalTask.objects.get(approval__object_type="finance.commitment", status="pending")
    with django_capture_on_commit_callbacks(execute=True):
        approval_approve(access=org.finance_access, task=task)
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.APPROVED
    assert _cost(org) == (Decimal("333.47"), Decimal("0"))
