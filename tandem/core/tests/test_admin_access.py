"""Django admin is for superusers only."""

from django.test import Client

from tandem.accounts.models import User
from tandem.testing.kit import make_member, page_client


def test_tenant_admin_member_cannot_open_django_admin(tenant):
    admin_member = make_member(tenant, "admin")
    admin_member.user.is_staff = True  # even a staff flag set by mistake does not open it
    admin_member.user.save()
    response = page_client(admin_member).get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_superuser_opens_django_admin_and_audit_is_read_only(db):
    root = User.objects.create_superuser("root", "root@example.com", "Root-pass-2026!")
    client = Client()
    client.force_login(root)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/tenant/").status_code == 200
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
