"""Account services: create (audited, event), validation, duplicates, update, delete."""

import pytest

from tandem.audit.models import AuditEntry
from tandem.core.errors import ApplicationError, Conflict, PermissionDenied
from tandem.core.models import OutboxEvent
from tandem.crm import events
from tandem.crm.choices import AccountTier, DealStatus
from tandem.crm.models import Account
from tandem.crm.services.accounts import account_create, account_delete, account_update
from tandem.crm.tests.factories import make_account, make_deal
from tandem.testing.kit import access_for, make_member

CODE = "91110000600037341L"


def test_create_is_owned_by_the_caller_audited_and_emits_created(team):
    account = account_create(
        access=team.rep_access,
        name="  中建三局  第一建设工程有限责任公司 ",
        credit_code="9111 0000 6000 37341l",
        tier="a",
    )
    assert account.owner == team.rep.user
    assert account.name == "中建三局 第一建设工程有限责任公司"
    assert account.credit_code == CODE
    entry = AuditEntry.objects.get(object_type="crm.account", object_id=str(account.pk))
    assert entry.action == "create" and entry.after["credit_code"] == CODE
    event = OutboxEvent.objects.get(name=events.ACCOUNT_CREATED)
    assert event.payload == {"account_id": account.pk, "name": account.name, "tier": "a", "owner_id": team.rep.user.pk}


def test_invalid_credit_code_is_refused_with_a_field_error_and_nothing_written(team):
    with pytest.raises(ApplicationError) as exc:
        account_create(access=team.rep_access, name="某某公司", credit_code="91110000600037341A")
    assert "credit_code" in exc.value.errors
    assert not Account.objects.exists()
    assert not AuditEntry.objects.filter(object_type="crm.account").exists()


def test_the_same_credit_code_or_name_twice_is_a_conflict(team):
    existing = make_account(team.tenant, team.rep2.user, name="华东建设集团", credit_code=CODE)
    with pytest.raises(Conflict) as exc:
        account_create(access=team.rep_access, name="另一个名字", credit_code=CODE)
    assert str(existing.pk) in exc.value.errors["credit_code"][0]
    with pytest.raises(Conflict):
        account_create(access=team.rep_access, name="华东建设集团")


def test_a_rep_cannot_hand_a_new_account_to_someone_out_of_reach(team):
    with pytest.raises(ApplicationError) as exc:
        account_create(access=team.rep_access, name="某某公司", owner=team.rep2.user)
    assert "owner" in exc.value.errors
    assert not Account.objects.exists()
    # The manager can: the rep reports to them.
    account = account_create(access=team.manager_access, name="某某公司", owner=team.rep.user)
    assert account.owner == team.rep.user


def test_create_needs_the_permission(tenant):
    pm = access_for(make_member(tenant, "pm"))
    with pytest.raises(PermissionDenied):
        account_create(access=pm, name="某某公司")


def test_update_audits_only_the_change_and_risk_needs_a_reason(team):
    account = make_account(team.tenant, team.rep.user)
    account_update(access=team.rep_access, account=account, tier=AccountTier.VIP, tags=["重点", " 重点 ", ""])
    entry = AuditEntry.objects.get(object_type="crm.account", action="update")
    assert entry.before == {"tier": "c", "tags": []}
    assert entry.after == {"tier": "vip", "tags": ["重点"]}
    with pytest.raises(ApplicationError) as exc:
        account_update(access=team.rep_access, account=account, risk_flag=True)
    assert "risk_reason" in exc.value.errors
    account.refresh_from_db()
    assert account.risk_flag is False


def test_an_account_cannot_sit_under_itself(team):
    parent = make_account(team.tenant, team.rep.user)
    child = make_account(team.tenant, team.rep.user, parent=parent)
    with pytest.raises(ApplicationError) as exc:
        account_update(access=team.rep_access, account=parent, parent=child)
    assert "parent" in exc.value.errors


def test_delete_is_refused_while_deals_are_open_then_goes_to_the_recycle_bin(team):
    account = make_account(team.tenant, team.rep.user)
    deal = make_deal(team.tenant, team.rep.user, account)
    with pytest.raises(ApplicationError):
        account_delete(access=team.manager_access, account=account)
    deal.status = DealStatus.LOST
    deal.save()
    account_delete(access=team.manager_access, account=account)
    assert not Account.objects.filter(pk=account.pk).exists()
    assert Account.all_objects.get(pk=account.pk).deleted_at is not None


def test_sales_cannot_delete_accounts(team):
    account = make_account(team.tenant, team.rep.user)
    with pytest.raises(PermissionDenied):
        account_delete(access=team.rep_access, account=account)
