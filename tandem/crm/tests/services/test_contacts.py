"""Contact services: phones normalised and validated, account links with one primary contact, audit."""

import pytest

from tandem.audit.models import AuditEntry
from tandem.core.errors import ApplicationError, Conflict
from tandem.crm.models import AccountContact, Contact
from tandem.crm.services.contacts import contact_create, contact_update
from tandem.crm.tests.factories import make_account, make_contact


def test_create_normalises_phones_links_accounts_and_masks_the_audit_row(team):
    account = make_account(team.tenant, team.rep.user)
    contact = contact_create(
        access=team.rep_access,
        name="张伟",
        mobile="+86 139-0102-3457",
        phone="021 6234 5678",
        email=" ZhangWei@Example.COM ",
        links=[(account, True)],
    )
    assert contact.mobile == "13901023457" and contact.phone == "02162345678"
    assert contact.email == "zhangwei@example.com"
    assert list(contact.account_links.values_list("account_id", "is_primary")) == [(account.pk, True)]
    entry = AuditEntry.objects.get(object_type="crm.contact", action="create")
    assert entry.after["mobile"] == "139****3457"
    assert entry.after["accounts"] == [account.pk]


def test_a_bad_phone_is_a_field_error_and_nothing_is_written(team):
    with pytest.raises(ApplicationError) as exc:
        contact_create(access=team.rep_access, name="张伟", mobile="12345")
    assert list(exc.value.errors) == ["mobile"]
    assert not Contact.objects.exists()


def test_the_same_mobile_twice_is_a_conflict(team):
    make_contact(team.tenant, team.rep2.user, mobile="13901023457")
    with pytest.raises(Conflict):
        contact_create(access=team.rep_access, name="张伟", mobile="139 0102 3457")


def test_a_new_primary_contact_replaces_the_old_one(team):
    account = make_account(team.tenant, team.rep.user)
    first = make_contact(team.tenant, team.rep.user, account, primary=True)
    second = contact_create(access=team.rep_access, name="李娜", links=[(account, True)])
    primaries = AccountContact.objects.filter(account=account, is_primary=True)
    assert list(primaries.values_list("contact_id", flat=True)) == [second.pk]
    assert AccountContact.objects.filter(account=account, contact=first, is_primary=False).exists()


def test_update_replaces_links_when_given(team):
    one, two = make_account(team.tenant, team.rep.user), make_account(team.tenant, team.rep.user)
    contact = make_contact(team.tenant, team.rep.user, one)
    contact_update(access=team.rep_access, contact=contact, title="项目经理", links=[(two, False)])
    assert list(contact.account_links.values_list("account_id", flat=True)) == [two.pk]
    contact_update(access=team.rep_access, contact=contact, title="总工")
    assert list(contact.account_links.values_list("account_id", flat=True)) == [two.pk]
    entry = AuditEntry.objects.filter(object_type="crm.contact", action="update").first()
    assert entry.after["accounts"] == [two.pk]
