"""The audit page and its CSV export: who may open them, filters, the export's own event."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from tandem.audit.models import AuditEntry, SecurityEvent, SecurityEventKind
from tandem.testing.kit import make_member, page_client

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 1, day, hour, tzinfo=SHANGHAI)


def _entry(tenant_id, object_type="crm.deal", object_id="1", day=10, hour=12, **fields) -> AuditEntry:
    fields.setdefault("action", "update")
    fields.setdefault("object_repr", f"{object_type} {object_id}")
    return AuditEntry.objects.create(
        tenant_id=tenant_id, object_type=object_type, object_id=object_id, created_at=_at(day, hour), **fields
    )


def _event(tenant_id, kind, day=10, **fields) -> SecurityEvent:
    return SecurityEvent.objects.create(tenant_id=tenant_id, kind=kind, created_at=_at(day), **fields)


def _client(member):
    client = page_client(member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _listed(client, **params) -> list:
    response = client.get("/audit/", params)
    assert response.status_code == 200
    return list(response.context["page"])


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw.decode("utf-8").removeprefix("\ufeff"))))


# --- who may open it ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["owner", "admin", "auditor"])
def test_owner_admin_and_auditor_open_the_audit_page(tenant, role):
    member = make_member(tenant, role)
    client = _client(member)
    assert client.get("/audit/").status_code == 200
    assert client.get("/audit/", {"tab": "security"}).status_code == 200
    assert _csv(client.get("/audit/export.csv"))[0][0] == "Time"


@pytest.mark.parametrize("role", ["sales", "pm", "finance", "service"])
def test_other_roles_get_403_and_the_denial_is_recorded(tenant, role):
    member = make_member(tenant, role)
    client = _client(member)

    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/export.csv").status_code == 403

    denied = SecurityEvent.objects.filter(kind=SecurityEventKind.ACCESS_DENIED).order_by("id")
    assert [e.detail["permission"] for e in denied] == ["audit.view_auditentry", "audit.export_auditentry"]
    assert {e.user_id for e in denied} == {member.user_id}
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.PERSONAL_DATA_EXPORT).exists()


def test_the_auditor_sees_the_audit_trail_only(tenant):
    client = _client(make_member(tenant, "auditor"))
    assert client.get("/audit/").status_code == 200
    for path in ("/accounts/users/", "/accounts/roles/", "/accounts/departments/"):
        assert client.get(path).status_code == 403, path
    assert client.get("/api/v1/users/").status_code == 403
    assert client.get("/api/v1/audit/entries/").status_code == 200


def test_another_tenants_rows_never_show(tenant, other_tenant, admin_member):
    mine = _entry(tenant.pk, object_id="mine")
    _entry(other_tenant.pk, object_id="theirs")
    _event(other_tenant.pk, SecurityEventKind.LOGIN_SUCCESS, username="outsider")
    client = _client(admin_member)

    assert [e.pk for e in _listed(client, object_type="crm.deal")] == [mine.pk]
    assert "outsider" not in {e.username for e in _listed(client, tab="security")}
    assert "theirs" not in b"".join(client.get("/audit/export.csv").streaming_content).decode()


# --- filters -----------------------------------------------------------------------------------


def test_security_tab_filters_by_kind(tenant, admin_member):
    lockout = _event(tenant.pk, SecurityEventKind.LOCKOUT, username="wang")
    _event(tenant.pk, SecurityEventKind.LOGIN_SUCCESS, username="wang")
    client = _client(admin_member)

    assert _listed(client, tab="security", kind="lockout") == [lockout]
    assert len(_listed(client, tab="security")) == 2


def test_security_tab_filters_by_user_and_address(tenant, admin_member):
    a = _event(tenant.pk, SecurityEventKind.LOGIN_FAILURE, username="zhangsan", ip="10.0.0.1")
    b = _event(tenant.pk, SecurityEventKind.LOGIN_FAILURE, username="lisi", ip="10.0.0.2")
    client = _client(admin_member)
    assert _listed(client, tab="security", actor="zhang") == [a]
    assert _listed(client, tab="security", ip="10.0.0.2") == [b]


def test_changes_tab_filters_by_object_type_action_and_actor(tenant, admin_member):
    deal = _entry(tenant.pk, "crm.deal", actor_name="王芳")
    role = _entry(tenant.pk, "accounts.role", action="create", actor_name="李明")
    client = _client(admin_member)

    assert _listed(client, object_type="crm.deal") == [deal]
    assert _listed(client, object_type="accounts.role") == [role]
    assert _listed(client, action="create", object_type="accounts.role") == [role]
    assert _listed(client, actor="王") == [deal]
    assert _listed(client, object_type="crm.deal", object_id="2") == []


def test_date_range_filters_by_the_tenants_calendar_days(tenant, admin_member):
    early = _entry(tenant.pk, object_id="early", day=10)
    late_night = _entry(tenant.pk, object_id="late", day=15, hour=23)  # 15:00 UTC, still the 15th in Shanghai
    later = _entry(tenant.pk, object_id="later", day=20)
    client = _client(admin_member)

    assert _listed(client, object_type="crm.deal", **{"from": "2026-01-15"}) == [later, late_night]
    assert _listed(client, object_type="crm.deal", to="2026-01-15") == [late_night, early]
    assert _listed(client, object_type="crm.deal", **{"from": "2026-01-11", "to": "2026-01-19"}) == [late_night]


@pytest.mark.parametrize("value", ["2026-02-30", "2026-13-01", "yesterday", "9999-99-99"])
def test_a_bad_date_is_ignored_not_a_crash(tenant, admin_member, value):
    _entry(tenant.pk)
    client = _client(admin_member)
    assert len(_listed(client, object_type="crm.deal", **{"from": value, "to": value})) == 1
    assert client.get("/audit/export.csv", {"from": value}).status_code == 200


def test_the_list_is_newest_first_and_paginated(tenant, admin_member):
    for i in range(55):
        _entry(tenant.pk, object_id=str(i), day=1 + i % 28, hour=i % 24)
    client = _client(admin_member)
    first = client.get("/audit/", {"object_type": "crm.deal"}).context["page"]
    assert len(first) == 50
    assert first.paginator.count == 55
    times = [e.created_at for e in first]
    assert times == sorted(times, reverse=True)


# --- export ------------------------------------------------------------------------------------


def test_export_writes_a_personal_data_export_event(tenant, admin_member):
    response = _client(admin_member).get("/audit/export.csv", {"tab": "security", "kind": "lockout"})
    _csv(response)

    event = SecurityEvent.objects.get(kind=SecurityEventKind.PERSONAL_DATA_EXPORT)
    assert event.tenant_id == tenant.pk
    assert event.user_id == admin_member.user_id
    assert event.ip == "127.0.0.1"
    assert event.detail["export"] == "audit"
    assert event.detail["filters"] == {"tab": "security", "kind": "lockout"}


def test_export_respects_the_filters(tenant, admin_member):
    _entry(tenant.pk, "crm.deal", object_id="d1", before={"stage": "lead"}, after={"stage": "won"})
    _entry(tenant.pk, "accounts.role", object_id="r1")
    _entry(tenant.pk, "crm.deal", object_id="d2", day=25)

    rows = _csv(_client(admin_member).get("/audit/export.csv", {"object_type": "crm.deal", "to": "2026-01-20"}))

    header, body = rows[0], rows[1:]
    assert header[:4] == ["Time", "Action", "Object type", "Object id"]
    assert [(r[2], r[3]) for r in body] == [("crm.deal", "d1")]
    assert body[0][0] == "2026-01-10 12:00:00"
    assert "won" in body[0][-1] and "lead" in body[0][-2]


def test_security_export_has_chinese_intact_and_respects_kind(tenant, admin_member):
    _event(tenant.pk, SecurityEventKind.LOCKOUT, username="张伟", ip="10.0.0.9")
    _event(tenant.pk, SecurityEventKind.LOGIN_SUCCESS, username="李娜")

    rows = _csv(_client(admin_member).get("/audit/export.csv", {"tab": "security", "kind": "lockout"}))

    assert rows[0][:4] == ["Time", "Event", "User", "IP address"]
    assert [(r[2], r[3]) for r in rows[1:]] == [("张伟", "10.0.0.9")]


def test_export_neutralises_spreadsheet_formulas(tenant, admin_member):
    _entry(tenant.pk, "crm.deal", object_id="x", object_repr='=HYPERLINK("http://evil.example")')
    rows = _csv(_client(admin_member).get("/audit/export.csv", {"object_type": "crm.deal"}))
    assert rows[1][4] == '\'=HYPERLINK("http://evil.example")'


def test_a_malformed_ip_filter_finds_nothing_instead_of_failing(tenant):
    from tandem.testing.kit import make_member, page_client

    viewer = make_member(tenant, "auditor")
    response = page_client(viewer).get("/audit/?tab=security&ip=not-an-ip")
    assert response.status_code == 200
    assert list(response.context["page"]) == []
