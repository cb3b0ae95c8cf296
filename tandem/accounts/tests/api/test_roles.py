"""/api/v1/roles/: validation, self-protection, security events and Idempotency-Key replays."""

import pytest

from tandem.accounts.models import Role
from tandem.audit.models import SecurityEvent, SecurityEventKind
from tandem.core.models import IdempotencyKey
from tandem.testing.kit import api_client, make_member

URL = "/api/v1/roles/"
VIEWER = {"key": "viewer", "name": "只读", "permissions": ["accounts.view_user", "accounts.view_role"]}


@pytest.fixture
def client(admin_member):
    return api_client(admin_member)


def _problem(response, status: int = 400) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return response.json()


def test_create_a_role(client, tenant):
    response = client.post(
        URL, {**VIEWER, "data_scope": "department", "field_rules": {"accounts.user.phone": "masked"}}
    )

    assert response.status_code == 201
    body = response.json()
    assert body["permissions"] == ["accounts.view_role", "accounts.view_user"]
    assert body["is_system"] is False
    role = Role.objects.get(tenant=tenant, key="viewer")
    assert role.field_rules == {"accounts.user.phone": "masked"}
    event = SecurityEvent.objects.get(kind=SecurityEventKind.ROLE_CHANGED)
    assert event.detail == {"role": "viewer", "change": "created"}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({**VIEWER, "permissions": ["accounts.view_user", "accounts.launch_rocket"]}, "permissions"),
        ({**VIEWER, "permissions": "accounts.view_user"}, "permissions"),
        ({**VIEWER, "data_scope": "universe"}, "data_scope"),
        ({**VIEWER, "field_rules": {"accounts.user.phone": "blurred"}}, "field_rules"),
        ({**VIEWER, "key": "has space"}, "key"),
        ({"name": "No key"}, "key"),
        ({"key": "noname"}, "name"),
    ],
)
def test_create_with_bad_input_is_a_400_problem_and_writes_nothing(client, payload, field):
    before = Role.objects.count()
    body = _problem(client.post(URL, payload))
    assert field in body["errors"]
    assert Role.objects.count() == before
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.ROLE_CHANGED).exists()


def test_an_unknown_permission_code_is_named_in_the_error(client):
    body = _problem(client.post(URL, {**VIEWER, "permissions": ["accounts.launch_rocket"]}))
    assert "accounts.launch_rocket" in body["errors"]["permissions"][0]


def test_a_duplicate_key_is_refused(client):
    before = Role.objects.count()
    body = _problem(client.post(URL, {**VIEWER, "key": "sales"}))
    assert "key" in body["errors"]
    assert Role.objects.count() == before


def test_update_records_a_role_change(client, tenant):
    role = Role.objects.get(tenant=tenant, key="auditor")
    response = client.patch(f"{URL}{role.pk}/", {"permissions": ["audit.view_auditentry"]})

    assert response.status_code == 200
    role.refresh_from_db()
    assert role.permissions == ["audit.view_auditentry"]
    assert SecurityEvent.objects.get(kind=SecurityEventKind.ROLE_CHANGED).detail == {
        "role": "auditor",
        "change": "updated",
    }


def test_update_with_an_unknown_permission_changes_nothing(client, tenant):
    role = Role.objects.get(tenant=tenant, key="auditor")
    _problem(client.patch(f"{URL}{role.pk}/", {"permissions": ["audit.erase_auditentry"]}))
    role.refresh_from_db()
    assert role.permissions == ["audit.view_auditentry", "audit.export_auditentry"]


def test_an_admin_cannot_strip_user_management_from_their_own_role(client, tenant):
    role = Role.objects.get(tenant=tenant, key="admin")
    body = _problem(client.patch(f"{URL}{role.pk}/", {"permissions": ["accounts.view_user"]}))
    assert body["status"] == 400
    role.refresh_from_db()
    assert role.permissions == ["*"]


def test_built_in_roles_cannot_be_deleted(client, tenant):
    role = Role.objects.get(tenant=tenant, key="pm")
    _problem(client.delete(f"{URL}{role.pk}/"))
    assert Role.objects.filter(pk=role.pk).exists()


def test_a_role_of_another_tenant_is_404(client, other_tenant):
    role = Role.objects.get(tenant=other_tenant, key="sales")
    _problem(client.get(f"{URL}{role.pk}/"), 404)
    _problem(client.patch(f"{URL}{role.pk}/", {"name": "Hijacked"}), 404)
    _problem(client.delete(f"{URL}{role.pk}/"), 404)
    role.refresh_from_db()
    assert role.name != "Hijacked"


def test_sales_cannot_create_roles(tenant):
    body = _problem(api_client(make_member(tenant, "sales")).post(URL, VIEWER), 403)
    assert body["status"] == 403
    assert not Role.objects.filter(key="viewer").exists()


# --- Idempotency-Key -------------------------------------------------------------------------------


def test_the_same_key_and_body_create_one_role_and_replay_the_answer(client, tenant):
    first = client.post(URL, VIEWER, HTTP_IDEMPOTENCY_KEY="k-123")
    second = client.post(URL, VIEWER, HTTP_IDEMPOTENCY_KEY="k-123")

    assert first.status_code == second.status_code == 201
    assert "Idempotent-Replayed" not in first
    assert second["Idempotent-Replayed"] == "true"
    assert second.json() == first.json()
    assert Role.objects.filter(tenant=tenant, key="viewer").count() == 1
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.ROLE_CHANGED).count() == 1


def test_the_same_key_with_another_body_is_422(client, tenant):
    client.post(URL, VIEWER, HTTP_IDEMPOTENCY_KEY="k-456")

    body = _problem(client.post(URL, {**VIEWER, "key": "viewer2"}, HTTP_IDEMPOTENCY_KEY="k-456"), 422)

    assert body["type"] == "urn:tandem:problem:idempotency_conflict"
    assert not Role.objects.filter(tenant=tenant, key="viewer2").exists()


def test_a_refused_request_is_replayed_too(client):
    bad = {**VIEWER, "permissions": ["accounts.launch_rocket"]}
    first = client.post(URL, bad, HTTP_IDEMPOTENCY_KEY="k-bad")
    second = client.post(URL, bad, HTTP_IDEMPOTENCY_KEY="k-bad")
    assert first.status_code == second.status_code == 400
    assert second["Idempotent-Replayed"] == "true"
    assert second.json() == first.json()


def test_different_keys_are_separate_requests(client, tenant):
    assert client.post(URL, VIEWER, HTTP_IDEMPOTENCY_KEY="k-1").status_code == 201
    assert _problem(client.post(URL, VIEWER, HTTP_IDEMPOTENCY_KEY="k-2"))["errors"]["key"]
    assert Role.objects.filter(tenant=tenant, key="viewer").count() == 1


def test_keys_belong_to_one_user(client, tenant):
    client.post(URL, VIEWER, HTTP_IDEMPOTENCY_KEY="shared")
    other = api_client(make_member(tenant, "admin"))

    response = other.post(URL, {**VIEWER, "key": "viewer-b"}, HTTP_IDEMPOTENCY_KEY="shared")

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert IdempotencyKey.objects.filter(key="shared").count() == 2
