"""Accounts API: create, validation as problem JSON with nothing written, scope, timeline, duplicates, merge."""

import pytest

from tandem.audit.models import AuditEntry
from tandem.crm.models import Account
from tandem.crm.tests.factories import make_account, make_activity, make_deal
from tandem.testing.kit import api_client, make_member, make_tenant

URL = "/api/v1/crm/accounts/"


def test_create_and_read_back(team):
    client = api_client(team.rep)
    response = client.post(
        URL,
        {
            "name": "中建三局第一建设工程有限责任公司",
            "credit_code": "91110000600037341L",
            "tier": "vip",
            "industry": "construction",
            "region": "central",
            "province": "湖北",
            "city": "武汉",
            "tags": ["国企", "总包"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["owner"] == team.rep.user.pk and body["owner_name"] == "陈晓" and body["tags"] == ["国企", "总包"]
    detail = client.get(f"{URL}{body['id']}/").json()
    assert detail["credit_code"] == "91110000600037341L" and detail["tier"] == "vip"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "name"),
        ({"name": "x", "credit_code": "91110000600037341A"}, "credit_code"),
        ({"name": "x", "tier": "gold"}, "tier"),
        ({"name": "x", "parent": 999999}, "parent"),
        ({"name": "x", "owner": 999999}, "owner"),
        ({"name": "x", "tags": "not a list"}, "tags"),
        ({"name": "x", "risk_flag": True}, "risk_reason"),
        ({"name": "x" * 201}, "name"),
    ],
)
def test_bad_input_is_a_problem_and_writes_nothing(team, payload, field):
    response = api_client(team.rep).post(URL, payload, format="json")
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert field in response.json()["errors"]
    assert not Account.objects.exists()
    assert not AuditEntry.objects.filter(object_type="crm.account").exists()


def test_a_duplicate_credit_code_is_409(team):
    make_account(team.tenant, team.rep2.user, credit_code="91110000600037341L")
    response = api_client(team.rep).post(URL, {"name": "新名字", "credit_code": "91110000600037341L"}, format="json")
    assert response.status_code == 409 and "credit_code" in response.json()["errors"]


def test_a_parent_out_of_scope_is_not_found(team):
    others = make_account(team.tenant, team.rep2.user)
    response = api_client(team.rep).post(URL, {"name": "x", "parent": others.pk}, format="json")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["parent"]


def test_sales_sees_own_accounts_only_and_others_are_404(team):
    mine = make_account(team.tenant, team.rep.user)
    others = make_account(team.tenant, team.rep2.user)
    client = api_client(team.rep)
    assert [row["id"] for row in client.get(URL).json()["results"]] == [mine.pk]
    assert client.get(f"{URL}{others.pk}/").status_code == 404
    assert client.patch(f"{URL}{others.pk}/", {"tier": "a"}, format="json").status_code == 404
    manager_rows = {row["id"] for row in api_client(team.manager).get(URL).json()["results"]}
    assert manager_rows == {mine.pk, others.pk}


def test_filters_search_and_ordering(team):
    a = make_account(team.tenant, team.rep.user, name="武汉地铁集团", tier="vip", city="武汉")
    b = make_account(team.tenant, team.rep.user, name="上海建工", tier="a")
    client = api_client(team.rep)
    assert [r["id"] for r in client.get(f"{URL}?tier=vip").json()["results"]] == [a.pk]
    assert [r["id"] for r in client.get(f"{URL}?search=武汉").json()["results"]] == [a.pk]
    assert [r["id"] for r in client.get(f"{URL}?ordering=id").json()["results"]] == [a.pk, b.pk]
    assert client.get(f"{URL}?tier=gold").status_code == 400
    assert [r["id"] for r in client.get(f"{URL}?idle_days=30").json()["results"]] == [b.pk, a.pk]


def test_patch_updates_and_refuses_owner_changes(team):
    account = make_account(team.tenant, team.rep.user)
    client = api_client(team.rep)
    response = client.patch(
        f"{URL}{account.pk}/", {"tier": "a", "risk_flag": True, "risk_reason": "回款逾期"}, format="json"
    )
    assert response.status_code == 200 and response.json()["risk_flag"] is True
    response = client.patch(f"{URL}{account.pk}/", {"owner": team.rep2.user.pk}, format="json")
    assert response.status_code == 400 and "owner" in response.json()["errors"]


def test_delete_needs_permission_and_moves_to_the_recycle_bin(team):
    account = make_account(team.tenant, team.rep.user)
    assert api_client(team.rep).delete(f"{URL}{account.pk}/").status_code == 403
    assert api_client(team.manager).delete(f"{URL}{account.pk}/").status_code == 204
    assert Account.all_objects.get(pk=account.pk).deleted_at is not None


def test_timeline_merges_follow_ups_and_changes_newest_first(team):
    client = api_client(team.rep)
    account_id = client.post(URL, {"name": "武汉地铁集团"}, format="json").json()["id"]
    account = Account.objects.get(pk=account_id)
    make_activity(team.tenant, team.manager.user, account=account, subject="经理拜访")  # a colleague's visit
    deal_id = (
        api_client(team.rep)
        .post("/api/v1/crm/deals/", {"name": "2号线机电", "account": account_id}, format="json")
        .json()["id"]
    )
    client.post(f"/api/v1/crm/deals/{deal_id}/win/", {}, format="json")
    other = make_account(team.tenant, team.rep.user)
    make_activity(team.tenant, team.rep.user, account=other, subject="别的客户")

    response = client.get(f"{URL}{account_id}/timeline/")
    assert response.status_code == 200
    body = response.json()
    kinds = [
        (item["type"], (item["activity"] or {}).get("subject") or item["change"]["object_type"])
        for item in body["results"]
    ]
    assert ("activity", "经理拜访") in kinds
    assert ("change", "crm.account") in kinds and ("change", "crm.deal") in kinds
    assert ("activity", "别的客户") not in kinds
    ats = [item["at"] for item in body["results"]]
    assert ats == sorted(ats, reverse=True)
    assert body["count"] == len(body["results"]) == 4  # account created, deal created, deal won, visit
    page = client.get(f"{URL}{account_id}/timeline/?page_size=2&page=2").json()
    assert len(page["results"]) == 2 and page["previous"]


def test_timeline_of_an_account_out_of_scope_is_404(team):
    others = make_account(team.tenant, team.rep2.user)
    assert api_client(team.rep).get(f"{URL}{others.pk}/timeline/").status_code == 404


def test_duplicates_show_colleagues_accounts_by_name_only(team):
    mine = make_account(team.tenant, team.rep.user, name="上海建工集团")
    theirs = make_account(team.tenant, team.rep2.user, name="上海建工集团股份有限公司")
    foreign = make_tenant()
    make_account(foreign, make_member(foreign).user, name="上海建工")
    response = api_client(team.rep).get(f"{URL}duplicates/?name=上海建工集团有限公司")
    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()}
    assert set(rows) == {mine.pk, theirs.pk}
    assert rows[mine.pk]["visible"] is True and rows[theirs.pk]["visible"] is False
    assert rows[theirs.pk]["owner_name"] == "刘洋" and rows[theirs.pk]["reasons"] == ["name"]
    assert api_client(team.rep).get(f"{URL}duplicates/?exclude=abc").status_code == 400


def test_merge_through_the_api(team):
    target = make_account(team.tenant, team.rep.user)
    source = make_account(team.tenant, team.rep.user)
    deal = make_deal(team.tenant, team.rep.user, source)
    client = api_client(team.manager)
    response = client.post(f"{URL}{target.pk}/merge/", {"source": source.pk}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["moved"]["deals"] == 1
    deal.refresh_from_db()
    assert deal.account_id == target.pk
    again = client.post(f"{URL}{target.pk}/merge/", {"source": source.pk}, format="json")
    assert again.status_code == 400 and list(again.json()["errors"]) == ["source"]
