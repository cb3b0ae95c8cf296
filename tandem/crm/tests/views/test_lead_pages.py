"""Lead pages: the form, the lead page, and conversion with the dedup candidates to choose from."""

from tandem.core.models import OutboxEvent
from tandem.crm import events
from tandem.crm.choices import LeadStatus
from tandem.crm.models import Account, Contact, Deal, Lead
from tandem.crm.tests.factories import make_account, make_activity, make_contact, make_lead, stage_named
from tandem.testing.kit import page_client


def test_lead_create_and_bad_input_writes_nothing(team):
    client = page_client(team.rep)
    assert client.get("/crm/leads/new/").status_code == 200
    bad = client.post("/crm/leads/new/", {"company": "", "contact_name": "", "source": "website", "status": "new"})
    assert bad.status_code == 200 and "company" in bad.context["form"].errors
    bad = client.post("/crm/leads/new/", {"company": "华西医院", "phone": "12", "source": "website", "status": "new"})
    assert "phone" in bad.context["form"].errors
    bad = client.post("/crm/leads/new/", {"company": "华西医院", "source": "website", "status": "converted"})
    assert "status" in bad.context["form"].errors
    assert not Lead.objects.filter(tenant=team.tenant).exists()
    good = client.post(
        "/crm/leads/new/", {"company": "华西医院", "phone": "028-85422114", "source": "tender", "status": "new"}
    )
    lead = Lead.objects.get(tenant=team.tenant)
    assert good.status_code == 302 and lead.phone == "02885422114" and lead.owner == team.rep.user


def test_lead_edit_marks_lost_with_a_reason(team):
    lead = make_lead(team.tenant, team.rep.user, company="华西医院")
    client = page_client(team.rep)
    data = {"company": "华西医院", "source": "other", "status": "lost", "lost_reason": ""}
    assert "lost_reason" in client.post(f"/crm/leads/{lead.pk}/edit/", data).context["form"].errors
    data["lost_reason"] = "预算取消"
    assert client.post(f"/crm/leads/{lead.pk}/edit/", data).status_code == 302
    lead.refresh_from_db()
    assert lead.status == LeadStatus.LOST


def test_lead_page_shows_follow_ups_and_convert(team):
    lead = make_lead(team.tenant, team.rep.user, company="华西医院")
    make_activity(team.tenant, team.rep.user, lead=lead, subject="首次电话")
    text = page_client(team.rep).get(f"/crm/leads/{lead.pk}/").content.decode()
    assert "首次电话" in text and f"/crm/leads/{lead.pk}/convert/" in text
    assert page_client(team.rep2).get(f"/crm/leads/{lead.pk}/").status_code == 404


def test_lead_list_shows_last_follow_up(team):
    lead = make_lead(team.tenant, team.rep.user, company="华西医院")
    make_activity(team.tenant, team.rep.user, lead=lead, subject="首次电话沟通")
    text = page_client(team.rep).get("/crm/leads/").content.decode()
    assert "首次电话沟通" in text


def test_convert_without_duplicates_creates_account_contact_and_deal(team):
    lead = make_lead(team.tenant, team.rep.user, company="成都天府新区建设局", contact_name="王工", phone="13812345678")
    client = page_client(team.rep)
    page = client.get(f"/crm/leads/{lead.pk}/convert/")
    assert page.status_code == 200 and page.context["candidates"] == []
    stage = stage_named(team.tenant, 2)
    response = client.post(
        f"/crm/leads/{lead.pk}/convert/",
        {"decision": "create", "create_deal": "on", "deal_name": "天府新区机电", "amount": "880000",
         "stage": stage.pk, "deal_type": "installation"},
    )  # fmt: skip
    deal = Deal.objects.get(tenant=team.tenant, name="天府新区机电")
    assert response.status_code == 302 and response["Location"] == f"/crm/deals/{deal.pk}/"
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CONVERTED and lead.converted_deal == deal and deal.stage == stage
    assert Contact.objects.get(tenant=team.tenant, name="王工").mobile == "13812345678"
    assert OutboxEvent.objects.filter(name=events.LEAD_CONVERTED, payload__lead_id=lead.pk).count() == 1
    assert client.get(f"/crm/leads/{lead.pk}/convert/").status_code == 302  # converted already


def test_convert_shows_duplicates_and_links_to_the_chosen_account(team):
    mine = make_account(team.tenant, team.rep.user, name="武汉地铁集团有限公司")
    theirs = make_account(team.tenant, team.rep2.user, name="武汉地铁集团")
    make_contact(team.tenant, team.rep2.user, theirs, mobile="13900000001")
    lead = make_lead(team.tenant, team.rep.user, company="武汉地铁集团股份有限公司", phone="13900000001")
    client = page_client(team.rep)
    page = client.get(f"/crm/leads/{lead.pk}/convert/")
    candidates = {c["match"].account.pk: c["visible"] for c in page.context["candidates"]}
    assert candidates == {mine.pk: True, theirs.pk: False}
    text = page.content.decode()
    assert f'value="{mine.pk}"' in text and f'id="candidate-{theirs.pk}"' not in text
    refused = client.post(f"/crm/leads/{lead.pk}/convert/", {"decision": "link", "account": theirs.pk})
    assert refused.status_code == 200 and "account" in refused.context["form"].errors
    missing = client.post(f"/crm/leads/{lead.pk}/convert/", {"decision": "link", "deal_type": "other"})
    assert "account" in missing.context["form"].errors
    lead.refresh_from_db()
    assert lead.status != LeadStatus.CONVERTED
    response = client.post(
        f"/crm/leads/{lead.pk}/convert/", {"decision": "link", "account": mine.pk, "deal_type": "other"}
    )
    assert response.status_code == 302 and response["Location"] == f"/crm/accounts/{mine.pk}/"
    lead.refresh_from_db()
    assert lead.converted_account == mine and lead.converted_deal is None
    assert Account.objects.filter(tenant=team.tenant).count() == 2
