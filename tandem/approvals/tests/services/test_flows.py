"""Flows: members and roles checked against the tenant, one active flow per type, versions, delete."""

import pytest

from tandem.approvals.models import FlowVersion
from tandem.approvals.services import flow_create, flow_delete, flow_update
from tandem.approvals.tests.factories import contract_of, flow_of, node, submit
from tandem.core.errors import ApplicationError, PermissionDenied
from tandem.testing.kit import access_for, make_member

pytestmark = pytest.mark.django_db


def _definition(approvers):
    return {"branches": [{"key": "all", "name": "全部", "condition": None, "nodes": [node("n1", "审批", approvers)]}]}


def test_members_and_roles_must_be_the_tenants(org, other_tenant):
    stranger = make_member(other_tenant, "sales")
    with pytest.raises(ApplicationError) as err:
        flow_create(
            access=org.admin,
            object_type="crm.contract",
            name="x",
            definition=_definition({"type": "members", "users": [stranger.user_id]}),
        )
    assert err.value.errors == {"branches.0.nodes.0.approvers.users": ["Choose active members."]}
    with pytest.raises(ApplicationError) as err:
        flow_create(
            access=org.admin,
            object_type="crm.contract",
            name="x",
            definition=_definition({"type": "role", "role": "ceo"}),
        )
    assert err.value.errors == {"branches.0.nodes.0.approvers.role": ["No such role."]}


def test_only_administrators_and_one_active_flow_per_type(org):
    with pytest.raises(PermissionDenied):
        flow_create(
            access=access_for(org.rep),
            object_type="crm.contract",
            name="x",
            definition=_definition({"type": "manager"}),
        )
    flow_of(org, node("n1", "经理", {"type": "manager"}))
    with pytest.raises(ApplicationError, match="Please correct"):
        flow_create(
            access=org.admin, object_type="crm.contract", name="第二个", definition=_definition({"type": "manager"})
        )
    inactive = flow_create(
        access=org.admin,
        object_type="crm.contract",
        name="备用",
        definition=_definition({"type": "manager"}),
        is_active=False,
    )
    assert not inactive.is_active


def test_versions_and_immutability(org):
    flow = flow_of(org, node("n1", "经理", {"type": "manager"}))
    flow_update(access=org.admin, flow=flow, name="改名")
    assert flow.versions.count() == 1
    flow_update(access=org.admin, flow=flow, definition=_definition({"type": "manager", "level": 2}))
    assert list(flow.versions.values_list("number", flat=True)) == [2, 1]
    version = FlowVersion.objects.get(flow=flow, number=1)
    version.definition = {}
    with pytest.raises(ValueError, match="immutable"):
        version.save()


def test_delete_only_a_flow_never_used(org):
    flow = flow_of(org, node("n1", "经理", {"type": "manager"}))
    submit(org, contract_of(org))
    with pytest.raises(ApplicationError, match="deactivate it"):
        flow_delete(access=org.admin, flow=flow)
    flow_update(access=org.admin, flow=flow, is_active=False)
    unused = flow_of(org, node("n1", "经理", {"type": "manager"}))
    flow_delete(access=org.admin, flow=unused)
    assert not type(unused).objects.filter(pk=unused.pk).exists()
