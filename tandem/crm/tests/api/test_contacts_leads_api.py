"""Contacts and leads API: phones validated, field rules (masked, hidden) applied, lead conversion."""

import pytest

from tandem.accounts.models import Role
from tandem.crm.models import Account, Contact, Deal, Lead
from tandem.crm.tests.factories import make_account, make_contact, make_lead
from tandem.testing.kit import api_client

CONTACTS = "/api/v1/crm/contacts/"
LEADS = "/api/v1/crm/leads/"


def rules(tenant, key, **field_rules):
    role = Role.objects.get(tenant=tenant, key=key)
    role.field_rules = {**role.field_rules, **field_rules}
    role.save()


def test_create_a_contact_at_two_accounts(team):
    one, two = make_account(team.tenant, team.rep.user), make_account(team.tenant, team.rep.user)
    response = api_client(team.rep).post(
        CONTACTS,
        {
            "name": "张伟",
            "mobile": "139 0102 3457",
            "accounts": [{"account": one.pk, "is_primary": True}, {"account": two.pk}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["mobile"] == "13901023457"
    assert [(a["account"], a["is_primary"]) for a in body["accounts"]] == [(one.pk, True), (two.pk, False)]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "张伟", "mobile": "12345"}, "mobile"),
        ({"name": "张伟", "email": "nope"}, "email"),
        ({"name": "张伟", "accounts": [{"account": 999999}]}, "accounts"),
        ({"mobile": "13901023457"}, "name"),
    ],
)
def test_bad_contacts_are_refused(team, payload, field):
    response = api_client(team.rep).post(CONTACTS, payload, format="json")
    assert response.status_code == 400 and field in response.json()["errors"]
    assert not Contact.objects.exists()


def test_an_account_owner_sees_the_contacts_at_their_account_once(team):
    mine = make_account(team.tenant, team.rep.user)
    mine_too = make_account(team.tenant, team.rep.user)
    contact = make_contact(team.tenant, team.rep2.user, mine)
    contact.account_links.create(tenant=team.tenant, account=mine_too)
    make_contact(team.tenant, team.rep2.user)
    rows = api_client(team.rep).get(CONTACTS).json()["results"]
    assert [r["id"] for r in rows] == [contact.pk]


def test_masked_and_hidden_fields_follow_the_callers_rules(team):
    account = make_account(team.tenant, team.rep.user)
    contact = make_contact(
        team.tenant, team.rep.user, account, mobile="13901023457", email="zhang@example.com", wechat="zw2026"
    )
    rules(team.tenant, "sales", **{"crm.contact.mobile": "masked", "crm.contact.wechat": "hidden"})
    body = api_client(team.rep).get(f"{CONTACTS}{contact.pk}/").json()
    assert body["mobile"] == "139****3457" and "wechat" not in body and body["email"] == "zhang@example.com"
    listed = api_client(team.rep).get(CONTACTS).json()["results"][0]
    assert listed["mobile"] == "139****3457" and "wechat" not in listed
    # A member holding a role without the rule sees the number.
    assert api_client(team.manager).get(f"{CONTACTS}{contact.pk}/").json()["mobile"] == "13901023457"


def test_lead_phone_is_masked_by_rule(team):
    lead = make_lead(team.tenant, team.rep.user, phone="13812345678")
    rules(team.tenant, "sales", **{"crm.lead.phone": "masked"})
    assert api_client(team.rep).get(f"{LEADS}{lead.pk}/").json()["phone"] == "138****5678"


def test_create_a_lead_and_see_its_deadline(team):
    response = api_client(team.rep).post(
        LEADS, {"company": "华西医院", "contact_name": "李主任", "source": "exhibition"}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "new" and body["response_due_at"] and body["is_response_overdue"] is False
    bad = api_client(team.rep).post(LEADS, {"company": "", "contact_name": ""}, format="json")
    assert bad.status_code == 400 and "company" in bad.json()["errors"]
    converted = api_client(team.rep).patch(f"{LEADS}{body['id']}/", {"status": "converted"}, format="json")
    assert converted.status_code == 400


def test_convert_asks_about_a_duplicate_then_links(team):
    existing = make_account(team.tenant, team.rep.user, name="华西医院")
    lead = make_lead(team.tenant, team.rep.user, company="四川大学华西医院", contact_name="李主任", phone="13812345678")
    client = api_client(team.rep)
    url = f"{LEADS}{lead.pk}/convert/"

    first = client.post(url, {}, format="json")
    assert first.status_code == 409, first.content
    problem = first.json()
    assert problem["type"] == "urn:tandem:problem:duplicates"
    assert any(f"#{existing.pk}" in c for c in problem["errors"]["candidates"])
    assert not Deal.objects.exists()

    second = client.post(
        url,
        {"decision": "link", "account": existing.pk, "deal": {"name": "门诊楼空调改造", "amount": "880000.00"}},
        format="json",
    )
    assert second.status_code == 200, second.content
    body = second.json()
    assert body["account"]["id"] == existing.pk and body["lead"]["status"] == "converted"
    assert body["deal"]["name"] == "门诊楼空调改造" and body["deal"]["amount"] == "880000.00"
    assert body["contact"]["mobile"] == "13812345678"
    assert client.post(url, {"decision": "create"}, format="json").status_code == 409


def test_convert_with_bad_input_changes_nothing(team):
    lead = make_lead(team.tenant, team.rep.user)
    others = make_account(team.tenant, team.rep2.user)
    client = api_client(team.rep)
    for payload in ({"decision": "maybe"}, {"decision": "link"}, {"decision": "link", "account": others.pk}):
        response = client.post(f"{LEADS}{lead.pk}/convert/", payload, format="json")
        assert response.status_code == 400, (payload, response.content)
    lead.refresh_from_db()
    assert lead.status == "new" and Account.objects.count() == 1 and not Deal.objects.exists()
    assert Lead.objects.get().converted_account is None
