"""Selectors apply the data scope: own, subordinates, department tree, records under an owned parent, shares."""

from decimal import Decimal

from django.contrib.contenttypes.models import ContentType

from tandem.accounts.models import Role
from tandem.core.models import RecordShare
from tandem.core.scopes import DataScope
from tandem.crm.models import Deal, Receipt
from tandem.crm.selectors.accounts import account_list, contact_list
from tandem.crm.selectors.activities import activity_list
from tandem.crm.selectors.contracts import contract_list, milestone_list, receipt_list
from tandem.crm.selectors.deals import deal_list
from tandem.crm.selectors.leads import lead_list
from tandem.crm.tests.factories import (
    make_account,
    make_activity,
    make_contact,
    make_contract,
    make_deal,
    make_lead,
    make_milestone,
)
from tandem.testing.kit import access_for, make_member


def ids(qs):
    return {obj.pk for obj in qs}


def test_sales_sees_own_deals_only(team):
    mine = make_deal(team.tenant, team.rep.user)
    make_deal(team.tenant, team.rep2.user)
    assert ids(deal_list(access=team.rep_access)) == {mine.pk}


def test_a_manager_sees_the_deals_of_people_reporting_to_them(team):
    boss = make_member(team.tenant, username="boss")
    role = Role.objects.create(
        tenant=team.tenant, key="lead", name="组长", permissions=["crm.*"], data_scope=DataScope.SUBORDINATES
    )
    boss.roles.set([role])
    report = make_member(team.tenant, "sales", manager=boss.user)
    report_of_report = make_member(team.tenant, "sales", manager=report.user)
    expected = {
        make_deal(team.tenant, boss.user).pk,
        make_deal(team.tenant, report.user).pk,
        make_deal(team.tenant, report_of_report.user).pk,
    }
    make_deal(team.tenant, team.rep.user)
    assert ids(deal_list(access=access_for(boss))) == expected
    # The default sales manager role reaches the whole sales department tree.
    team_ids = ids(deal_list(access=team.manager_access))
    assert len(team_ids) == 1


def test_an_account_owner_sees_deals_contracts_and_activities_of_colleagues_on_it(team):
    account = make_account(team.tenant, team.rep.user)
    deal = make_deal(team.tenant, team.rep2.user, account)
    contract = make_contract(team.tenant, team.rep2.user, account)
    period = make_milestone(contract, "100")
    receipt = Receipt.objects.create(
        tenant=team.tenant,
        contract=contract,
        milestone=period,
        amount=Decimal("1"),
        received_on="2026-01-01",
        created_by=team.rep2.user,
    )
    visit = make_activity(team.tenant, team.rep2.user, account=account)
    elsewhere = make_activity(team.tenant, team.rep2.user, account=make_account(team.tenant, team.rep2.user))
    assert ids(deal_list(access=team.rep_access)) == {deal.pk}
    assert ids(contract_list(access=team.rep_access)) == {contract.pk}
    assert ids(milestone_list(access=team.rep_access)) == {period.pk}
    assert ids(receipt_list(access=team.rep_access)) == {receipt.pk}
    activities = ids(activity_list(access=team.rep_access))
    assert visit.pk in activities and elsewhere.pk not in activities
    # rep2 sees their own deal but not the account it sits on.
    assert account.pk not in ids(account_list(access=team.rep2_access))


def test_activities_reach_the_owners_of_the_deal_lead_and_contact_they_concern(team):
    deal = make_deal(team.tenant, team.rep.user)
    lead = make_lead(team.tenant, team.rep.user)
    contact = make_contact(team.tenant, team.rep.user)
    on_deal = make_activity(team.tenant, team.rep2.user, deal=deal)
    on_lead = make_activity(team.tenant, team.rep2.user, lead=lead)
    on_contact = make_activity(team.tenant, team.rep2.user, contact=contact)
    assert ids(activity_list(access=team.rep_access)) == {on_deal.pk, on_lead.pk, on_contact.pk}


def test_a_shared_deal_is_visible_but_not_writable_with_read_access(team):
    deal = make_deal(team.tenant, team.rep2.user)
    RecordShare.objects.create(
        tenant=team.tenant,
        content_type=ContentType.objects.get_for_model(Deal),
        object_id=deal.pk,
        user=team.rep.user,
        level=RecordShare.Level.READ,
    )
    assert ids(deal_list(access=team.rep_access)) == {deal.pk}
    assert ids(deal_list(access=team.rep_access, action="change")) == set()


def test_contacts_reached_through_two_accounts_are_listed_once(team):
    one, two = make_account(team.tenant, team.rep.user), make_account(team.tenant, team.rep.user)
    contact = make_contact(team.tenant, team.rep2.user, one)
    contact.account_links.create(tenant=team.tenant, account=two)
    rows = list(contact_list(access=team.rep_access))
    assert [c.pk for c in rows] == [contact.pk]


def test_deleted_records_are_not_listed(team):
    from django.utils import timezone

    make_deal(team.tenant, team.rep.user, deleted_at=timezone.now())
    make_lead(team.tenant, team.rep.user, deleted_at=timezone.now())
    assert not deal_list(access=team.rep_access).exists()
    assert not lead_list(access=team.rep_access).exists()


def test_contract_collection_is_summed_per_contract(team):
    contract = make_contract(team.tenant, team.rep.user, amount=Decimal("1000"))
    first, second = make_milestone(contract, "400"), make_milestone(contract, "600")
    for period, amount in ((first, "400"), (second, "100"), (second, "50")):
        Receipt.objects.create(
            tenant=team.tenant,
            contract=contract,
            milestone=period,
            amount=Decimal(amount),
            received_on="2026-01-01",
            created_by=team.rep.user,
        )
    row = contract_list(access=team.rep_access).get()
    assert row.received == Decimal("550")
    statuses = [m.status for m in row.milestones.all()]
    assert statuses[0] == "received"
