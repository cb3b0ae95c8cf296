"""Editing a role on its page: the permission matrix, scope, field rules and kept patterns."""

from tandem.accounts.models import Role
from tandem.core import permissions
from tandem.testing.kit import make_member, page_client


def _post(client, role, codes, **extra):
    data = {"name": role.name, "description": role.description, "data_scope": role.data_scope, **extra}
    data["permissions"] = codes
    return client.post(f"/accounts/roles/{role.pk}/", data)


def test_saving_owner_role_unchanged_keeps_the_wildcard(tenant, admin_member):
    owner_role = Role.objects.get(tenant=tenant, key="owner")
    client = page_client(admin_member)
    response = _post(client, owner_role, sorted(permissions.all_codes()))
    assert response.status_code == 302
    owner_role.refresh_from_db()
    assert owner_role.permissions == ["*"]


def test_unticking_one_code_expands_the_pattern_and_keeps_future_patterns(tenant, admin_member):
    role = Role.objects.get(tenant=tenant, key="sales")
    role.permissions = ["core.*_attachment", "insights.view_*"]  # insights has no registered types yet
    role.save()
    client = page_client(admin_member)
    response = _post(client, role, ["core.view_attachment"], data_scope="department")
    assert response.status_code == 302
    role.refresh_from_db()
    assert "insights.view_*" in role.permissions  # invisible in the matrix, so kept
    assert "core.view_attachment" in role.permissions
    assert "core.*_attachment" not in role.permissions
    assert "core.add_attachment" not in role.permissions
    assert role.data_scope == "department"


def test_field_rules_saved_from_the_page(tenant, admin_member):
    role = Role.objects.get(tenant=tenant, key="pm")
    client = page_client(admin_member)
    response = _post(client, role, [], **{"field_rule:accounts.user.phone": "hidden", "field_rule:bogus.x": "hidden"})
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.field_rules == {"accounts.user.phone": "hidden"}


def test_role_page_refused_without_permission(tenant):
    sales = make_member(tenant, "sales")
    role = Role.objects.get(tenant=tenant, key="sales")
    assert page_client(sales).get(f"/accounts/roles/{role.pk}/").status_code == 403
    assert page_client(sales).post(f"/accounts/roles/{role.pk}/", {"name": "x"}).status_code == 403


def test_new_role_with_a_duplicate_key_shows_an_error_and_writes_nothing(tenant, admin_member):
    client = page_client(admin_member)
    before = Role.objects.filter(tenant=tenant).count()
    response = client.post(
        "/accounts/roles/new/",
        {"key": "sales", "name": "重复", "data_scope": "own", "permissions": ["core.view_attachment"]},
    )
    assert response.status_code == 200
    assert "key" in response.context["form"].errors
    assert Role.objects.filter(tenant=tenant).count() == before
