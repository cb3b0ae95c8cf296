"""User pages: who may open them, denials recorded, edits audited with masked values."""

import pytest
from django.conf import settings
from django.test import Client

from tandem.accounts.models import Role
from tandem.audit.models import AuditEntry, SecurityEvent, SecurityEventKind
from tandem.testing.kit import make_member, page_client

URL = "/accounts/users/"


def _denials():
    return SecurityEvent.objects.filter(kind=SecurityEventKind.ACCESS_DENIED)


def test_anonymous_is_sent_to_sign_in(db):
    assert Client().get(URL)["Location"] == "/accounts/login/?next=/accounts/users/"
    assert not _denials().exists()


def test_an_admin_sees_the_users(admin_member, tenant):
    make_member(tenant, "sales", username="lihua")
    response = page_client(admin_member).get(URL)
    assert response.status_code == 200
    assert {m.user.username for m in response.context["page"]} == {admin_member.user.username, "lihua"}


@pytest.mark.parametrize("role", ["sales", "auditor", "pm"])
def test_a_member_without_the_right_gets_403_and_a_recorded_denial(tenant, role):
    member = make_member(tenant, role)

    response = page_client(member).get(URL)

    assert response.status_code == 403
    event = _denials().get()
    assert event.tenant_id == tenant.pk
    assert event.user_id == member.user_id
    assert event.detail == {"permission": "accounts.view_user", "path": URL, "method": "GET"}


def test_a_denied_post_changes_nothing(tenant):
    sales = make_member(tenant, "sales")
    target = make_member(tenant, "sales", username="target")

    response = page_client(sales).post(f"{URL}{target.pk}/", {"title": "Boss", "roles": []})

    assert response.status_code == 403
    target.refresh_from_db()
    assert target.title == ""
    assert _denials().get().detail["permission"] == "accounts.change_user"


def test_a_member_of_another_tenant_is_404_on_the_edit_page(admin_member, other_tenant):
    outsider = make_member(other_tenant, "sales")
    assert page_client(admin_member).get(f"{URL}{outsider.pk}/").status_code == 404


def test_editing_a_phone_on_the_page_audits_masked_values(admin_member, tenant):
    member = make_member(tenant, "sales", username="xuli", phone="13812345678")
    sales_role = Role.objects.get(tenant=tenant, key="sales")

    response = page_client(admin_member).post(
        f"{URL}{member.pk}/", {"phone": "13655556666", "roles": [sales_role.pk], "is_active": "on"}
    )

    assert response.status_code == 302
    member.user.refresh_from_db()
    assert member.user.phone == "13655556666"
    entry = AuditEntry.objects.get(object_type="accounts.user", object_id=str(member.user_id))
    assert (entry.before, entry.after) == ({"phone": "138****5678"}, {"phone": "136****6666"})
    assert entry.actor_id == admin_member.user_id
    assert entry.ip == "127.0.0.1"
    assert entry.request_id == response["X-Request-ID"]


def test_removing_ones_own_admin_role_on_the_page_is_refused(admin_member, tenant):
    client = page_client(admin_member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    sales_role = Role.objects.get(tenant=tenant, key="sales")

    response = client.post(f"{URL}{admin_member.pk}/", {"roles": [sales_role.pk], "is_active": "on"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"roles": ["You cannot remove your own right to manage users."]}
    assert list(admin_member.roles.values_list("key", flat=True)) == ["admin"]
