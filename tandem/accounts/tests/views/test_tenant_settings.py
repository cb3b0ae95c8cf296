"""Organisation settings: page and API, validated, audited, password policy switch takes effect."""

from tandem.accounts.models import Tenant
from tandem.audit.models import AuditEntry
from tandem.testing.kit import api_client, make_member, page_client


def test_admin_switches_the_password_policy_on_the_page(tenant, admin_member):
    response = page_client(admin_member).post(
        "/accounts/organisation/",
        {
            "name": "华筑机电",
            "locale": "zh-hans",
            "timezone": "Asia/Shanghai",
            "currency": "CNY",
            "password_profile": "asvs",
        },
    )
    assert response.status_code == 302
    tenant.refresh_from_db()
    assert tenant.password_profile == "asvs" and tenant.name == "华筑机电"
    entry = AuditEntry.objects.get(object_type="accounts.tenant", action="update")
    assert entry.after["password_profile"] == "asvs"


def test_bad_values_are_refused_and_change_nothing(tenant, admin_member):
    client = api_client(admin_member)
    for payload in ({"timezone": "Mars/Olympus"}, {"currency": "rmb"}, {"password_profile": "weak"}, {"name": ""}):
        response = client.patch("/api/v1/tenant/", payload, format="json")
        assert response.status_code == 400, payload
        assert response.json()["errors"]
    fresh = Tenant.objects.get(pk=tenant.pk)
    assert (fresh.timezone, fresh.currency, fresh.password_profile) == ("Asia/Shanghai", "CNY", "cn-mlps3")


def test_api_reads_and_changes_only_the_callers_tenant(tenant, other_tenant, admin_member):
    client = api_client(admin_member)
    assert client.get("/api/v1/tenant/").json()["slug"] == tenant.slug
    assert client.patch("/api/v1/tenant/", {"currency": "HKD"}, format="json").status_code == 200
    assert Tenant.objects.get(pk=tenant.pk).currency == "HKD"
    assert Tenant.objects.get(pk=other_tenant.pk).currency == "CNY"


def test_sales_may_not_change_organisation_settings(tenant):
    sales = make_member(tenant, "sales")
    assert api_client(sales).patch("/api/v1/tenant/", {"name": "x"}, format="json").status_code == 403
    assert page_client(sales).get("/accounts/organisation/").status_code == 403
