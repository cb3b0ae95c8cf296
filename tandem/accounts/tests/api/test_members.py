"""/api/v1/users/: members created and changed over the API; bad input is 400 and writes nothing."""

import json

import pytest

from tandem.accounts.models import Department, Membership, User
from tandem.audit.models import AuditEntry, SecurityEvent, SecurityEventKind
from tandem.testing.kit import api_client, make_member

URL = "/api/v1/users/"


@pytest.fixture
def client(admin_member):
    return api_client(admin_member)


def _counts():
    return User.objects.count(), Membership.objects.count(), AuditEntry.objects.count()


def _problem(response, status: int = 400) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return response.json()


def test_create_a_member_with_roles_department_and_manager(tenant, client, admin_member):
    department = Department.objects.create(tenant=tenant, name="华南区")
    response = client.post(
        URL,
        {
            "username": "huangwei",
            "password": "Init-pass-2026",
            "display_name": "黄伟",
            "phone": "13812345678",
            "department": department.pk,
            "manager": admin_member.user_id,
            "roles": ["sales"],
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["username"], body["roles"], body["department"]) == ("huangwei", ["sales"], department.pk)
    assert body["manager"] == admin_member.user_id
    assert "password" not in body
    user = User.objects.get(username="huangwei")
    assert user.check_password("Init-pass-2026")
    assert SecurityEvent.objects.get(kind=SecurityEventKind.MEMBER_ROLES_CHANGED).detail["member"] == "huangwei"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"username": "x y", "password": "Init-pass-2026"}, "username"),
        ({"username": "ok", "password": "Init-pass-2026", "email": "not-an-email"}, "email"),
        ({"username": "ok", "password": "Init-pass-2026", "roles": ["astronaut"]}, "roles"),
        ({"username": "ok", "password": "Init-pass-2026", "department": 999999}, "department"),
        ({"username": "ok", "password": "Init-pass-2026", "manager": 999999}, "manager"),
        ({"username": "ok", "password": "Init-pass-2026", "department": "abc"}, "department"),
        ({"username": "ok", "password": "Init-pass-2026", "phone": "1" * 31}, "phone"),
        ({"username": "ok"}, "password"),
        ({"username": "ok", "password": "short"}, "password"),
    ],
)
def test_create_with_bad_input_is_a_400_problem_and_writes_nothing(client, payload, field):
    before = _counts()
    body = _problem(client.post(URL, payload))
    assert field in body["errors"]
    assert _counts() == before


def test_create_refuses_a_department_or_manager_of_another_tenant(client, other_tenant):
    outsider = make_member(other_tenant, "admin")
    foreign_department = Department.objects.create(tenant=other_tenant, name="外部")
    before = _counts()

    body = _problem(client.post(URL, {"username": "ok", "password": "Init-pass-2026", "manager": outsider.user_id}))
    assert "manager" in body["errors"]
    body = _problem(
        client.post(URL, {"username": "ok", "password": "Init-pass-2026", "department": foreign_department.pk})
    )
    assert "department" in body["errors"]
    assert _counts() == before


def test_adding_an_existing_member_again_is_refused(tenant, client):
    make_member(tenant, "sales", username="already")
    before = _counts()
    body = _problem(client.post(URL, {"username": "already"}))
    assert "username" in body["errors"]
    assert _counts() == before


def test_patch_with_a_manager_loop_is_refused(tenant, client):
    boss = make_member(tenant, "sales_manager")
    rep = make_member(tenant, "sales", manager=boss.user)

    body = _problem(client.patch(f"{URL}{boss.pk}/", {"manager": rep.user_id}))

    assert "manager" in body["errors"]
    boss.refresh_from_db()
    assert boss.manager_id is None


def test_a_user_cannot_remove_their_own_admin_rights_over_the_api(client, admin_member):
    body = _problem(client.patch(f"{URL}{admin_member.pk}/", {"roles": ["sales"]}))
    assert body["errors"]["roles"] == [body["detail"]]
    assert list(admin_member.roles.values_list("key", flat=True)) == ["admin"]
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.MEMBER_ROLES_CHANGED).exists()


def test_patch_roles_records_a_security_event(tenant, client):
    member = make_member(tenant, "sales", username="zhoumin")

    response = client.patch(f"{URL}{member.pk}/", {"roles": ["pm", "sales"]})

    assert response.status_code == 200
    assert sorted(response.json()["roles"]) == ["pm", "sales"]
    event = SecurityEvent.objects.get(kind=SecurityEventKind.MEMBER_ROLES_CHANGED)
    assert event.detail["member"] == "zhoumin"
    assert sorted(event.detail["roles"]) == ["pm", "sales"]


def test_patch_phone_is_audited_masked(tenant, client):
    member = make_member(tenant, "sales", phone="13812345678")

    response = client.patch(f"{URL}{member.pk}/", {"phone": "13700001111"})

    assert response.status_code == 200
    entry = AuditEntry.objects.get(object_type="accounts.user", object_id=str(member.user_id))
    assert (entry.before, entry.after) == ({"phone": "138****5678"}, {"phone": "137****1111"})
    text = json.dumps(list(AuditEntry.objects.values("before", "after")))
    assert "13812345678" not in text and "13700001111" not in text


def test_patch_with_bad_input_changes_nothing(tenant, client):
    member = make_member(tenant, "sales", email="a@example.com")
    body = _problem(client.patch(f"{URL}{member.pk}/", {"email": "broken", "title": "Boss"}))
    assert "email" in body["errors"]
    member.refresh_from_db()
    assert member.title == ""
    assert member.user.email == "a@example.com"


def test_a_member_of_another_tenant_is_404(client, other_tenant):
    outsider = make_member(other_tenant, "sales")
    _problem(client.get(f"{URL}{outsider.pk}/"), 404)
    _problem(client.patch(f"{URL}{outsider.pk}/", {"title": "Mole"}), 404)
    outsider.refresh_from_db()
    assert outsider.title == ""


def test_members_cannot_be_deleted_over_the_api(tenant, client):
    member = make_member(tenant, "sales")
    assert client.delete(f"{URL}{member.pk}/").status_code == 405
    assert Membership.objects.filter(pk=member.pk).exists()


def test_a_sales_member_is_denied_and_the_denial_recorded(tenant):
    sales = make_member(tenant, "sales")

    body = _problem(api_client(sales).get(URL), 403)

    assert body["status"] == 403
    event = SecurityEvent.objects.get(kind=SecurityEventKind.ACCESS_DENIED)
    assert event.user_id == sales.user_id
    assert event.tenant_id == tenant.pk
    assert event.detail == {"permission": "accounts.view_user", "path": URL, "method": "GET"}


def test_phone_is_masked_for_a_role_with_the_field_rule(tenant):
    from tandem.accounts.models import Role

    viewer = Role.objects.create(
        tenant=tenant,
        key="hr_viewer",
        name="HR viewer",
        permissions=["accounts.view_user"],
        data_scope="all",
        field_rules={"accounts.user.phone": "masked"},
    )
    member = make_member(tenant)
    member.roles.add(viewer)
    make_member(tenant, "sales", username="withphone", phone="13812345678")

    rows = api_client(member).get(URL, {"search": "withphone"}).json()["results"]

    assert [r["phone"] for r in rows] == ["138****5678"]


def test_a_role_with_only_user_rights_can_list_and_change_members(tenant):
    from tandem.accounts.models import Role

    hr = Role.objects.create(
        tenant=tenant, key="hr", name="HR", permissions=["accounts.view_user", "accounts.change_user"], data_scope="all"
    )
    member = make_member(tenant, username="hr1")
    member.roles.add(hr)
    target = make_member(tenant, "sales", username="target")
    client = api_client(member)

    usernames = [r["username"] for r in client.get(URL).json()["results"]]
    assert usernames == ["hr1", "target"]
    assert client.get(f"{URL}{target.pk}/").status_code == 200
    assert client.patch(f"{URL}{target.pk}/", {"title": "组长"}).status_code == 200
    target.refresh_from_db()
    assert target.title == "组长"
