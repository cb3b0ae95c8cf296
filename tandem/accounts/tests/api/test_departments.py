"""/api/v1/departments/: the organisation tree; bad input is 400 and writes nothing."""

import pytest

from tandem.accounts.models import Department
from tandem.audit.models import AuditEntry
from tandem.testing.kit import api_client, make_member

URL = "/api/v1/departments/"


@pytest.fixture
def client(admin_member):
    return api_client(admin_member)


def _problem(response, status: int = 400) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return response.json()


def _counts():
    return Department.objects.count(), AuditEntry.objects.filter(object_type="accounts.department").count()


def test_create_a_department_with_parent_and_head(client, tenant, admin_member):
    parent = client.post(URL, {"name": "销售中心"}).json()
    response = client.post(URL, {"name": "华东区", "parent": parent["id"], "head": admin_member.user_id})

    assert response.status_code == 201
    department = Department.objects.get(pk=response.json()["id"])
    assert (department.tenant_id, department.parent_id, department.head_id) == (
        tenant.pk,
        parent["id"],
        admin_member.user_id,
    )
    assert _counts() == (2, 2)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": "A", "parent": 999999}, "parent"),
        ({"name": "A", "parent": "top"}, "parent"),
        ({"name": "A", "head": 999999}, "head"),
    ],
)
def test_create_with_bad_input_is_a_400_problem_and_writes_nothing(client, payload, field):
    before = _counts()
    body = _problem(client.post(URL, payload))
    assert field in body["errors"]
    assert _counts() == before


def test_a_parent_or_head_from_another_tenant_is_refused(client, other_tenant):
    foreign = Department.objects.create(tenant=other_tenant, name="外部")
    outsider = make_member(other_tenant, "admin")
    before = _counts()

    assert "parent" in _problem(client.post(URL, {"name": "A", "parent": foreign.pk}))["errors"]
    assert "head" in _problem(client.post(URL, {"name": "A", "head": outsider.user_id}))["errors"]
    assert _counts() == before


def test_a_duplicate_name_under_the_same_parent_is_refused(client, tenant):
    parent = Department.objects.create(tenant=tenant, name="销售中心")
    Department.objects.create(tenant=tenant, name="华东区", parent=parent)
    before = _counts()

    body = _problem(client.post(URL, {"name": "华东区", "parent": parent.pk}))

    assert body["errors"]
    assert _counts() == before


def test_renaming_to_a_sibling_name_is_a_400_not_a_crash(client, tenant):
    parent = Department.objects.create(tenant=tenant, name="销售中心")
    Department.objects.create(tenant=tenant, name="华东区", parent=parent)
    south = Department.objects.create(tenant=tenant, name="华南区", parent=parent)

    body = _problem(client.patch(f"{URL}{south.pk}/", {"name": "华东区"}))

    assert body["errors"]
    south.refresh_from_db()
    assert south.name == "华南区"


def test_moving_a_department_under_its_child_is_refused(client, tenant):
    top = Department.objects.create(tenant=tenant, name="总部")
    child = Department.objects.create(tenant=tenant, name="研发", parent=top)

    body = _problem(client.patch(f"{URL}{top.pk}/", {"parent": child.pk}))

    assert "parent" in body["errors"]
    top.refresh_from_db()
    assert top.parent_id is None
    assert not AuditEntry.objects.filter(object_type="accounts.department").exists()


def test_a_department_with_members_cannot_be_deleted(client, tenant):
    department = Department.objects.create(tenant=tenant, name="财务部")
    make_member(tenant, "finance", department=department)
    _problem(client.delete(f"{URL}{department.pk}/"))
    assert Department.objects.filter(pk=department.pk).exists()


def test_an_empty_department_is_deleted_and_audited(client, tenant):
    department = Department.objects.create(tenant=tenant, name="临时组")
    assert client.delete(f"{URL}{department.pk}/").status_code == 204
    assert not Department.objects.filter(pk=department.pk).exists()
    assert AuditEntry.objects.get(object_type="accounts.department").before["name"] == "临时组"


def test_a_department_of_another_tenant_is_404(client, other_tenant):
    foreign = Department.objects.create(tenant=other_tenant, name="外部")
    _problem(client.patch(f"{URL}{foreign.pk}/", {"name": "Mine"}), 404)
    _problem(client.delete(f"{URL}{foreign.pk}/"), 404)
    foreign.refresh_from_db()
    assert foreign.name == "外部"
