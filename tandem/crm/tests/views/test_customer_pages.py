"""Customer pages: lists scoped and filtered, masked by rule, constant queries; account page with its timeline."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.accounts.models import Role
from tandem.crm.tests.factories import make_account, make_activity, make_contact, make_deal, make_lead, stage_named
from tandem.testing.kit import make_member, page_client


def test_account_list_shows_own_accounts_with_filters(team):
    make_account(team.tenant, team.rep.user, name="武汉地铁集团", tier="vip")
    make_account(team.tenant, team.rep.user, name="上海建工", tier="a")
    make_account(team.tenant, team.rep2.user, name="同事的客户")
    client = page_client(team.rep)
    text = client.get("/crm/accounts/").content.decode()
    assert "武汉地铁集团" in text and "上海建工" in text and "同事的客户" not in text
    assert "/api/v1/crm/accounts/export/" in text
    filtered = client.get("/crm/accounts/?tier=vip").content.decode()
    assert "武汉地铁集团" in filtered and "上海建工" not in filtered
    partial = client.get("/crm/accounts/?search=上海", HTTP_HX_REQUEST="true").content.decode()
    assert "上海建工" in partial and "<html" not in partial
    ordered = client.get("/crm/accounts/?ordering=name").context["page"].object_list
    assert [a.name for a in ordered] == sorted(a.name for a in ordered)


def test_navigation_shows_the_customer_section_to_those_who_may_see_it(team):
    text = page_client(team.rep).get("/").content.decode()
    assert "/crm/accounts/" in text and "/crm/deals/" in text and "/crm/leads/" in text
    foreman = make_member(team.tenant, "foreman")
    assert "/crm/accounts/" not in page_client(foreman).get("/").content.decode()
    assert page_client(foreman).get("/crm/accounts/").status_code == 403


def test_lead_list_masks_phones_by_rule_and_flags_overdue(team):
    from datetime import timedelta

    from django.utils import timezone

    make_lead(
        team.tenant,
        team.rep.user,
        company="华西医院",
        phone="13812345678",
        response_due_at=timezone.now() - timedelta(hours=1),
    )
    role = Role.objects.get(tenant=team.tenant, key="sales")
    role.field_rules = {"crm.lead.phone": "masked"}
    role.save()
    text = page_client(team.rep).get("/crm/leads/?overdue=true").content.decode()
    assert "华西医院" in text and "138****5678" in text and "13812345678" not in text
    assert "table-warning" in text


def test_deal_list_filters_by_stage_and_shows_the_forecast(team):
    make_deal(team.tenant, team.rep.user, name="机电安装", stage=stage_named(team.tenant, 3))
    make_deal(team.tenant, team.rep.user, name="维保合同")
    client = page_client(team.rep)
    text = client.get(f"/crm/deals/?stage={stage_named(team.tenant, 3).pk}").content.decode()
    assert "机电安装" in text and "维保合同" not in text
    assert "weighted" in text or "加权" in text


def test_account_page_shows_contacts_deals_and_a_colleagues_visit(team):
    account = make_account(team.tenant, team.rep.user, name="武汉地铁集团")
    make_contact(team.tenant, team.rep.user, account, primary=True, name="周工", mobile="13901023457")
    make_deal(team.tenant, team.rep.user, account, name="2号线机电")
    make_activity(team.tenant, team.manager.user, account=account, subject="经理拜访")
    role = Role.objects.get(tenant=team.tenant, key="sales")
    role.field_rules = {"crm.contact.mobile": "masked"}
    role.save()
    response = page_client(team.rep).get(f"/crm/accounts/{account.pk}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "周工" in text and "139****3457" in text and "13901023457" not in text
    assert "2号线机电" in text and "经理拜访" in text
    other = make_account(team.tenant, team.rep2.user)
    assert page_client(team.rep).get(f"/crm/accounts/{other.pk}/").status_code == 404


def _accounts(team, n):
    for _ in range(n):
        owner = make_member(team.tenant, "sales", manager=team.manager.user, department=team.manager.department).user
        make_account(team.tenant, owner, tags=["重点"], last_activity_summary="电话: 跟进")


def _leads(team, n):
    for _ in range(n):
        owner = make_member(team.tenant, "sales", manager=team.manager.user, department=team.manager.department).user
        lead = make_lead(team.tenant, owner, phone="13812345678")
        lead.converted_account = make_account(team.tenant, owner)
        lead.save()


def _deals(team, n):
    for _ in range(n):
        owner = make_member(team.tenant, "sales", manager=team.manager.user, department=team.manager.department).user
        make_deal(team.tenant, owner)


def _timeline(team, n, account):
    for _ in range(n):
        owner = make_member(team.tenant, "sales", manager=team.manager.user, department=team.manager.department).user
        make_activity(
            team.tenant,
            owner,
            account=account,
            deal=make_deal(team.tenant, owner, account),
            contact=make_contact(team.tenant, owner, account, mobile=""),
        )


@pytest.mark.parametrize(
    ("url", "add"), [("/crm/accounts/", _accounts), ("/crm/leads/", _leads), ("/crm/deals/", _deals)]
)
def test_list_pages_issue_constant_queries(team, url, add):
    client = page_client(team.manager)
    add(team, 3)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add(team, 27)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["page"].object_list) >= 30
    assert len(many) == len(few), "\n".join(q["sql"] for q in many.captured_queries)


def test_account_page_issues_constant_queries(team):
    account = make_account(team.tenant, team.rep.user)
    client = page_client(team.manager)
    url = f"/crm/accounts/{account.pk}/"
    _timeline(team, 3, account)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _timeline(team, 15, account)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["timeline"]) == 18
    assert len(many) == len(few), "\n".join(q["sql"] for q in many.captured_queries)
