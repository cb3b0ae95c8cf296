"""On PostgreSQL the audit tables refuse UPDATE and DELETE (trigger from migration 0002)."""

import pytest
from django.db import DatabaseError, connection, transaction

from tandem.audit.models import AuditEntry, SecurityEvent, SecurityEventKind

pytestmark = pytest.mark.postgres


@pytest.fixture
def entry(db):
    return AuditEntry.objects.create(tenant_id=1, object_type="crm.deal", object_id="1", action="create", after={})


@pytest.fixture
def event(db):
    return SecurityEvent.objects.create(tenant_id=1, kind=SecurityEventKind.LOGIN_SUCCESS, username="wang")


def _refused(operation) -> str:
    # Each attempt runs in its own savepoint so the test's transaction stays usable afterwards.
    with pytest.raises(DatabaseError) as info, transaction.atomic():
        operation()
    return str(info.value)


@pytest.mark.parametrize("table", ["audit_auditentry", "audit_securityevent"])
def test_raw_sql_update_and_delete_are_refused(entry, event, table):
    def run(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)

    assert "append-only" in _refused(lambda: run(f"UPDATE {table} SET tenant_id = 2"))
    assert "append-only" in _refused(lambda: run(f"DELETE FROM {table}"))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table} WHERE tenant_id = 1")
        assert cursor.fetchone() == (1,)


def test_orm_writes_to_an_audit_entry_are_refused(entry):
    entry.object_id = "2"
    _refused(entry.save)
    _refused(lambda: AuditEntry.objects.filter(pk=entry.pk).update(object_id="3"))
    _refused(entry.delete)
    _refused(lambda: AuditEntry.objects.all().delete())
    assert AuditEntry.objects.get(pk=entry.pk).object_id == "1"


def test_orm_writes_to_a_security_event_are_refused(event):
    event.username = "someone-else"
    _refused(event.save)
    _refused(lambda: SecurityEvent.objects.filter(pk=event.pk).update(kind=SecurityEventKind.LOGOUT))
    _refused(event.delete)
    stored = SecurityEvent.objects.get(pk=event.pk)
    assert (stored.username, stored.kind) == ("wang", SecurityEventKind.LOGIN_SUCCESS)


def test_appending_still_works(entry, event):
    AuditEntry.objects.create(tenant_id=1, object_type="crm.deal", object_id="1", action="update")
    SecurityEvent.objects.create(tenant_id=1, kind=SecurityEventKind.LOGOUT)
    assert AuditEntry.objects.count() == 2
    assert SecurityEvent.objects.count() == 2
