"""The read-only audit API: the caller's tenant only, for roles holding audit.view_auditentry."""

import pytest

from tandem.audit.models import AuditEntry, SecurityEvent, SecurityEventKind
from tandem.testing.kit import api_client, make_member


@pytest.fixture
def rows(tenant, other_tenant):
    mine = AuditEntry.objects.create(tenant_id=tenant.pk, object_type="crm.deal", object_id="1", action="create")
    theirs = AuditEntry.objects.create(
        tenant_id=other_tenant.pk, object_type="crm.deal", object_id="2", action="create"
    )
    SecurityEvent.objects.create(tenant_id=other_tenant.pk, kind=SecurityEventKind.LOCKOUT, username="outsider")
    return mine, theirs


def test_the_auditor_reads_entries_and_events_of_their_tenant_only(tenant, rows):
    mine, theirs = rows
    client = api_client(make_member(tenant, "auditor"))

    entries = client.get("/api/v1/audit/entries/").json()["results"]
    assert [e["id"] for e in entries if e["object_type"] == "crm.deal"] == [mine.pk]
    assert client.get(f"/api/v1/audit/entries/{theirs.pk}/").status_code == 404
    events = client.get("/api/v1/audit/security-events/").json()["results"]
    assert "outsider" not in {e["username"] for e in events}


def test_filters_narrow_the_security_events(tenant, admin_member):
    SecurityEvent.objects.create(tenant_id=tenant.pk, kind=SecurityEventKind.LOCKOUT, username="a")
    SecurityEvent.objects.create(tenant_id=tenant.pk, kind=SecurityEventKind.LOGOUT, username="b")
    events = api_client(admin_member).get("/api/v1/audit/security-events/", {"kind": "lockout"}).json()["results"]
    assert [e["username"] for e in events] == ["a"]


def test_sales_is_denied_and_the_denial_recorded(tenant, rows):
    sales = make_member(tenant, "sales")
    response = api_client(sales).get("/api/v1/audit/entries/")
    assert response.status_code == 403
    event = SecurityEvent.objects.get(kind=SecurityEventKind.ACCESS_DENIED)
    assert (event.user_id, event.detail["permission"]) == (sales.user_id, "audit.view_auditentry")


def test_the_trail_cannot_be_written_through_the_api(tenant, rows):
    mine, _theirs = rows
    client = api_client(make_member(tenant, "owner"))
    assert client.post("/api/v1/audit/entries/", {"object_type": "x"}).status_code == 405
    assert client.delete(f"/api/v1/audit/entries/{mine.pk}/").status_code == 405
    assert client.patch(f"/api/v1/audit/entries/{mine.pk}/", {"object_id": "9"}).status_code == 405
    assert AuditEntry.objects.get(pk=mine.pk).object_id == "1"
