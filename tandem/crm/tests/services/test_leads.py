"""Lead services: SLA deadline, first response, and conversion with each dedup decision."""

from datetime import timedelta
from decimal import Decimal

import pytest

from tandem.audit.models import AuditEntry
from tandem.core.errors import ApplicationError, Conflict
from tandem.core.models import OutboxEvent
from tandem.crm import events
from tandem.crm.choices import DedupDecision, LeadStatus
from tandem.crm.models import Account, Contact, CrmSettings, Deal, Lead
from tandem.crm.services.leads import lead_convert, lead_create, lead_update
from tandem.crm.tests.factories import make_account, make_activity, make_contact, make_lead


def test_a_new_lead_is_due_within_the_tenant_sla(team):
    lead = lead_create(access=team.rep_access, company="华东医院", contact_name="王主任", phone="139 0102 3457")
    assert lead.response_due_at - lead.created_at == timedelta(hours=24)
    assert lead.phone == "13901023457" and lead.first_response_at is None
    CrmSettings.objects.create(tenant=team.tenant, lead_response_hours=4)
    quick = lead_create(access=team.rep_access, company="华西医院")
    assert quick.response_due_at - quick.created_at == timedelta(hours=4)


def test_a_lead_needs_a_company_or_a_person_and_cannot_be_created_converted(team):
    with pytest.raises(ApplicationError) as exc:
        lead_create(access=team.rep_access, company=" ")
    assert "company" in exc.value.errors
    with pytest.raises(ApplicationError):
        lead_create(access=team.rep_access, company="x", status=LeadStatus.CONVERTED)
    assert not Lead.objects.exists()


def test_contacting_a_lead_records_the_first_response_once(team):
    lead = make_lead(team.tenant, team.rep.user)
    lead_update(access=team.rep_access, lead=lead, status=LeadStatus.CONTACTED)
    first = lead.first_response_at
    assert first is not None
    lead_update(access=team.rep_access, lead=lead, status=LeadStatus.QUALIFIED)
    assert lead.first_response_at == first
    with pytest.raises(ApplicationError) as exc:
        lead_update(access=team.rep_access, lead=lead, status=LeadStatus.LOST)
    assert "lost_reason" in exc.value.errors


def test_convert_without_duplicates_creates_account_contact_and_deal(team):
    lead = make_lead(
        team.tenant,
        team.rep.user,
        company="苏州工业园区管委会",
        contact_name="周工",
        title="基建处处长",
        phone="13812345678",
        email="zhou@example.com",
        city="苏州",
        estimated_amount=Decimal("2500000"),
    )
    activity = make_activity(team.tenant, team.rep.user, lead=lead)

    result = lead_convert(access=team.rep_access, lead=lead)

    assert result.account.name == "苏州工业园区管委会" and result.account.city == "苏州"
    assert result.contact.mobile == "13812345678" and result.contact.title == "基建处处长"
    assert result.contact.account_links.get().is_primary
    assert result.deal.account == result.account and result.deal.contact == result.contact
    assert result.deal.amount == Decimal("2500000.00") and result.deal.source == lead.source
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CONVERTED and lead.converted_deal == result.deal
    assert lead.first_response_at is not None
    activity.refresh_from_db()
    assert activity.account == result.account  # the lead's history follows the customer
    event = OutboxEvent.objects.get(name=events.LEAD_CONVERTED)
    assert event.payload["decision"] == "create" and event.payload["deal_id"] == result.deal.pk
    assert OutboxEvent.objects.filter(name=events.ACCOUNT_CREATED).count() == 1
    assert AuditEntry.objects.get(object_type="crm.lead", action="update").after["decision"] == "create"


def test_a_likely_duplicate_stops_the_conversion_until_the_user_decides(team):
    existing = make_account(team.tenant, team.rep2.user, name="苏州工业园区管委会")
    lead = make_lead(team.tenant, team.rep.user, company="苏州工业园区管委会（基建处）")
    with pytest.raises(Conflict) as exc:
        lead_convert(access=team.rep_access, lead=lead)
    assert exc.value.code == "duplicates"
    assert any(f"#{existing.pk}" in c for c in exc.value.errors["candidates"])
    lead.refresh_from_db()
    assert lead.status == LeadStatus.NEW
    assert Account.objects.count() == 1 and not Deal.objects.exists() and not Contact.objects.exists()


def test_decision_create_makes_a_new_account_despite_a_match(team):
    make_account(team.tenant, team.rep2.user, name="苏州工业园区管委会")
    lead = make_lead(team.tenant, team.rep.user, company="苏州工业园区管委会（基建处）")
    result = lead_convert(access=team.rep_access, lead=lead, decision=DedupDecision.CREATE)
    assert result.account.name == "苏州工业园区管委会（基建处）" and Account.objects.count() == 2


def test_decision_link_uses_the_account_as_it_is(team):
    existing = make_account(team.tenant, team.rep.user, name="苏州工业园区管委会")
    lead = make_lead(team.tenant, team.rep.user, company="苏州园区管委会", city="苏州")
    result = lead_convert(access=team.rep_access, lead=lead, decision=DedupDecision.LINK, account=existing)
    assert result.account == existing and result.deal.account == existing
    existing.refresh_from_db()
    assert existing.city == ""
    assert not OutboxEvent.objects.filter(name=events.ACCOUNT_CREATED).exists()


def test_decision_merge_fills_the_accounts_empty_fields_and_reuses_a_known_contact(team):
    existing = make_account(team.tenant, team.rep.user, name="苏州工业园区管委会", province="江苏")
    known = make_contact(team.tenant, team.rep.user, mobile="13812345678")
    lead = make_lead(
        team.tenant, team.rep.user, company="苏州园区管委会", province="浙江", city="苏州", phone="13812345678"
    )
    result = lead_convert(
        access=team.rep_access, lead=lead, decision=DedupDecision.MERGE, account=existing, create_deal=False
    )
    existing.refresh_from_db()
    assert existing.province == "江苏" and existing.city == "苏州"
    assert result.contact == known and result.deal is None
    assert known.account_links.get().account == existing
    assert Contact.objects.count() == 1


def test_link_or_merge_needs_the_account_and_a_lead_converts_once(team):
    lead = make_lead(team.tenant, team.rep.user)
    with pytest.raises(ApplicationError) as exc:
        lead_convert(access=team.rep_access, lead=lead, decision=DedupDecision.LINK)
    assert "account" in exc.value.errors
    lead_convert(access=team.rep_access, lead=lead, decision=DedupDecision.CREATE)
    with pytest.raises(Conflict):
        lead_convert(access=team.rep_access, lead=lead, decision=DedupDecision.CREATE)
    assert Deal.objects.count() == 1
