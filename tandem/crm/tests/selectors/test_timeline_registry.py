"""The account timeline takes the recorded changes an upper app registers for the account."""

from django.db.models import Q

from tandem.audit.models import AuditEntry
from tandem.crm.selectors import timelines
from tandem.crm.selectors.timelines import account_timeline, register_account_changes, timeline_load
from tandem.crm.tests.factories import make_account


def test_a_registered_source_adds_its_audit_rows_to_the_account_timeline(team, monkeypatch):
    monkeypatch.setattr(timelines, "_account_changes", [])
    account = make_account(team.tenant, team.rep.user)
    other = make_account(team.tenant, team.rep.user)
    mine = AuditEntry.objects.create(tenant_id=team.tenant.pk, object_type="x.note", object_id="1", action="create")
    AuditEntry.objects.create(tenant_id=team.tenant.pk, object_type="x.note", object_id="2", action="create")

    def notes(tenant_id, acc):
        return Q(object_type="x.note", object_id="1") if acc == account else Q(pk__in=[])

    def ids(acc):
        rows = timeline_load(account_timeline(access=team.rep_access, account=acc))
        return {
            item["change"].pk for item in rows if item["change"] is not None and item["change"].object_type == "x.note"
        }

    assert ids(account) == set()
    register_account_changes(notes)
    register_account_changes(notes)
    assert timelines._account_changes == [notes]
    assert ids(account) == {mine.pk}
    assert ids(other) == set()
