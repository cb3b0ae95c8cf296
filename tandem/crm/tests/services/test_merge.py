"""Merging accounts: contacts, deals, activities, contracts and sub-accounts move; both sides audited."""

import pytest

from tandem.audit.models import AuditEntry
from tandem.core.errors import ApplicationError, PermissionDenied
from tandem.crm.models import Account, AccountContact
from tandem.crm.services.merge import account_merge
from tandem.crm.tests.factories import make_account, make_activity, make_contact, make_contract, make_deal


def test_merge_moves_everything_and_soft_deletes_the_duplicate(team):
    target = make_account(team.tenant, team.rep.user, name="上海建工集团", tags=["重点"])
    source = make_account(
        team.tenant, team.rep2.user, name="上海建工集团股份有限公司", city="上海", tags=["国企", "重点"]
    )
    shared = make_contact(team.tenant, team.rep.user, target, primary=True)
    AccountContact.objects.create(tenant=team.tenant, account=source, contact=shared, is_primary=True)
    moved_contact = make_contact(team.tenant, team.rep2.user, source, primary=False)
    deal = make_deal(team.tenant, team.rep2.user, source)
    activity = make_activity(team.tenant, team.rep2.user, account=source)
    contract = make_contract(team.tenant, team.rep2.user, source)
    child = make_account(team.tenant, team.rep2.user, parent=source)

    moved = account_merge(access=team.manager_access, target=target, source=source)

    assert moved == {"contacts": 1, "deals": 1, "activities": 1, "contracts": 1, "children": 1}
    for obj in (deal, activity, contract):
        obj.refresh_from_db()
        assert obj.account_id == target.pk
    child.refresh_from_db()
    assert child.parent_id == target.pk
    links = dict(AccountContact.objects.filter(account=target).values_list("contact_id", "is_primary"))
    assert links == {shared.pk: True, moved_contact.pk: False}
    target.refresh_from_db()
    assert target.city == "上海" and target.tags == ["重点", "国企"]
    assert not Account.objects.filter(pk=source.pk).exists()
    update = AuditEntry.objects.get(object_type="crm.account", object_id=str(target.pk), action="update")
    assert update.after["merged_from"] == source.pk and update.after["moved"]["deals"] == 1
    delete = AuditEntry.objects.get(object_type="crm.account", object_id=str(source.pk), action="delete")
    assert delete.after == {"merged_into": target.pk}


def test_different_credit_codes_are_different_companies(team):
    target = make_account(team.tenant, team.rep.user, credit_code="91110000600037341L")
    source = make_account(team.tenant, team.rep.user, credit_code="91350100M000100Y43")
    with pytest.raises(ApplicationError):
        account_merge(access=team.manager_access, target=target, source=source)
    assert Account.objects.filter(pk=source.pk).exists()


def test_merge_needs_change_and_delete_permission(team):
    target, source = make_account(team.tenant, team.rep.user), make_account(team.tenant, team.rep.user)
    with pytest.raises(PermissionDenied):
        account_merge(access=team.rep_access, target=target, source=source)
    with pytest.raises(ApplicationError):
        account_merge(access=team.manager_access, target=target, source=target)
