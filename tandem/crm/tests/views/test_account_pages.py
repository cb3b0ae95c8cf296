"""Account and contact pages: forms parse input and write through the services; bad input writes nothing."""

from django.utils.translation import override

from tandem.crm.models import Account, AccountContact, Contact
from tandem.crm.tests.factories import make_account, make_contact
from tandem.testing.kit import make_member, page_client

VALID_CODE = "91350100M000100Y43"


def test_account_create_form_writes_through_the_service(team):
    client = page_client(team.rep)
    assert client.get("/crm/accounts/new/").status_code == 200
    response = client.post(
        "/crm/accounts/new/",
        {"name": " 武汉城建  集团 ", "credit_code": "91350100-m000100y43", "tier": "a", "tags": "国企，重点,国企"},
    )
    account = Account.objects.get(tenant=team.tenant, credit_code=VALID_CODE)
    assert response.status_code == 302 and response["Location"] == f"/crm/accounts/{account.pk}/"
    assert account.name == "武汉城建 集团" and account.owner == team.rep.user and account.tags == ["国企", "重点"]


def test_account_create_with_a_bad_credit_code_shows_the_error_and_writes_nothing(team):
    client = page_client(team.rep)
    response = client.post(
        "/crm/accounts/new/", {"name": "坏代码公司", "credit_code": "91350100M000100Y44", "tier": "a"}
    )
    assert response.status_code == 200
    assert "credit_code" in response.context["form"].errors
    assert "is-invalid" in response.content.decode()
    assert not Account.objects.filter(tenant=team.tenant, name="坏代码公司").exists()


def test_account_form_shows_service_errors_in_place(team):
    make_account(team.tenant, team.rep2.user, name="重名公司")
    client = page_client(team.rep)
    response = client.post("/crm/accounts/new/", {"name": "重名公司", "tier": "b"})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    response = client.post("/crm/accounts/new/", {"name": "风险公司", "tier": "b", "risk_flag": "on"})
    assert "risk_reason" in response.context["form"].errors
    assert Account.objects.filter(tenant=team.tenant).count() == 1


def test_account_edit_changes_details_but_not_the_owner(team):
    account = make_account(team.tenant, team.rep.user, name="旧名称")
    client = page_client(team.rep)
    page = client.get(f"/crm/accounts/{account.pk}/edit/")
    assert page.status_code == 200 and 'name="owner"' not in page.content.decode()
    response = client.post(
        f"/crm/accounts/{account.pk}/edit/",
        {"name": "新名称", "tier": "vip", "owner": team.rep2.user.pk, "parent": account.pk},
    )
    assert response.status_code == 200  # an account cannot be its own parent
    account.refresh_from_db()
    assert account.name == "旧名称"
    response = client.post(f"/crm/accounts/{account.pk}/edit/", {"name": "新名称", "tier": "vip"})
    assert response.status_code == 302
    account.refresh_from_db()
    assert (account.name, account.tier, account.owner_id) == ("新名称", "vip", team.rep.user.pk)


def test_account_pages_refuse_other_owners_and_roles(team):
    mine = make_account(team.tenant, team.rep.user)
    theirs = make_account(team.tenant, team.rep2.user)
    client = page_client(team.rep)
    assert client.get(f"/crm/accounts/{mine.pk}/").status_code == 200
    assert client.get(f"/crm/accounts/{theirs.pk}/").status_code == 404
    assert client.get(f"/crm/accounts/{theirs.pk}/edit/").status_code == 404
    assert client.post(f"/crm/accounts/{theirs.pk}/edit/", {"name": "x", "tier": "a"}).status_code == 404
    foreman = page_client(make_member(team.tenant, "foreman"))
    assert foreman.get(f"/crm/accounts/{mine.pk}/").status_code == 403
    assert foreman.get("/crm/accounts/new/").status_code == 403
    finance = page_client(team.finance)  # sees every account, may not add one
    assert finance.get(f"/crm/accounts/{theirs.pk}/").status_code == 200
    assert finance.post("/crm/accounts/new/", {"name": "财务建的", "tier": "a"}).status_code == 403


def test_account_page_has_tabs_transfer_and_record_api_links(team):
    account = make_account(team.tenant, team.rep.user, name="武汉地铁集团")
    text = page_client(team.manager).get(f"/crm/accounts/{account.pk}/").content.decode()
    assert f"/api/v1/records/crm.account/{account.pk}/attachments/" in text
    assert f"/api/v1/records/crm.account/{account.pk}/transfer/" in text
    assert 'id="transfer-modal"' in text and 'id="tab-files"' in text and "activity-form" in text
    rep_text = page_client(team.rep).get(f"/crm/accounts/{account.pk}/").content.decode()
    assert 'id="transfer-modal"' not in rep_text  # sales may not transfer


def test_account_page_speaks_chinese(team):
    account = make_account(team.tenant, team.rep.user, name="武汉地铁集团")
    client = page_client(team.rep)
    with override("zh-hans"):
        text = client.get(f"/crm/accounts/{account.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "跟进记录" in text and "商机" in text


def test_contact_create_validates_phones_and_links_the_account(team):
    account = make_account(team.tenant, team.rep.user)
    client = page_client(team.rep)
    bad = client.post("/crm/contacts/new/", {"name": "周工", "mobile": "12345", "account": account.pk})
    assert bad.status_code == 200 and "mobile" in bad.context["form"].errors
    assert not Contact.objects.filter(tenant=team.tenant, name="周工").exists()
    good = client.post(
        "/crm/contacts/new/", {"name": "周工", "mobile": "139 0102 3457", "account": account.pk, "is_primary": "on"}
    )
    contact = Contact.objects.get(tenant=team.tenant, name="周工")
    assert good.status_code == 302 and contact.mobile == "13901023457"
    assert AccountContact.objects.get(contact=contact).is_primary


def test_contact_edit_adds_and_removes_account_links(team):
    first, second = make_account(team.tenant, team.rep.user), make_account(team.tenant, team.rep.user)
    contact = make_contact(team.tenant, team.rep.user, first, primary=True, mobile="")
    client = page_client(team.rep)
    response = client.post(
        f"/crm/contacts/{contact.pk}/edit/",
        {"name": contact.name, "account": second.pk, "remove_links": [first.pk]},
    )
    assert response.status_code == 302
    assert list(AccountContact.objects.filter(contact=contact).values_list("account_id", flat=True)) == [second.pk]


def test_contact_page_and_form_respect_masking_rules(team):
    from tandem.accounts.models import Role

    contact = make_contact(team.tenant, team.rep.user, make_account(team.tenant, team.rep.user), mobile="13901023457")
    role = Role.objects.get(tenant=team.tenant, key="sales")
    role.field_rules = {"crm.contact.mobile": "masked"}
    role.save()
    client = page_client(team.rep)
    text = client.get(f"/crm/contacts/{contact.pk}/").content.decode()
    assert "139****3457" in text and "13901023457" not in text
    form = client.get(f"/crm/contacts/{contact.pk}/edit/").content.decode()
    assert "13901023457" not in form and 'name="mobile"' not in form
    client.post(f"/crm/contacts/{contact.pk}/edit/", {"name": "改名", "mobile": "13800000000"})
    contact.refresh_from_db()
    assert (contact.name, contact.mobile) == ("改名", "13901023457")


def test_lookups_answer_only_visible_records(team):
    make_account(team.tenant, team.rep.user, name="武汉地铁集团")
    make_account(team.tenant, team.rep2.user, name="武汉同事客户")
    rows = page_client(team.rep).get("/crm/lookup/accounts/?q=武汉").json()["results"]
    assert [r["label"] for r in rows] == ["武汉地铁集团"]
