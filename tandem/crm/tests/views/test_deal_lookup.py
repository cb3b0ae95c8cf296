"""The deal lookup behind the deal pickers: by name or number, of one account, visible deals only, a page of
rows at most."""

from tandem.crm.selectors.accounts import LOOKUP_ROWS
from tandem.crm.tests.factories import make_account, make_deal
from tandem.testing.kit import make_member, make_tenant, page_client

URL = "/crm/lookup/deals/"


def test_deals_match_by_name_or_number_within_the_chosen_account(team):
    power = make_account(team.tenant, team.rep.user, name="华东电力")
    metro = make_account(team.tenant, team.rep.user, name="武汉地铁")
    substation = make_deal(team.tenant, team.rep.user, power, name="变电站改造", number="SJ-20270101-0001")
    make_deal(team.tenant, team.rep.user, metro, name="车站改造")
    client = page_client(team.rep)
    rows = client.get(URL, {"q": "改造", "account": power.pk}).json()["results"]
    assert [r["id"] for r in rows] == [substation.pk]
    assert rows[0]["label"] == "SJ-20270101-0001 变电站改造" and "华东电力" in rows[0]["hint"]
    assert [r["id"] for r in client.get(URL, {"q": "sj-20270101-0001"}).json()["results"]] == [substation.pk]
    assert len(client.get(URL, {"q": "改造"}).json()["results"]) == 2


def test_only_visible_deals_of_the_tenant_and_a_page_of_them(team):
    account = make_account(team.tenant, team.rep.user)
    for n in range(LOOKUP_ROWS + 5):
        make_deal(team.tenant, team.rep.user, account, name=f"批量商机{n}")
    make_deal(team.tenant, team.rep2.user, name="同事的商机")
    other = make_tenant()
    make_deal(other, make_member(other, "admin").user, name="别家的商机")
    rows = page_client(team.rep).get(URL, {"q": "商机"}).json()["results"]
    assert len(rows) == LOOKUP_ROWS and all(r["label"].split(" ", 1)[1].startswith("批量商机") for r in rows)
    assert page_client(team.manager).get(URL, {"q": "同事"}).json()["results"][0]["label"].endswith("同事的商机")
    assert not page_client(team.admin).get(URL, {"q": "别家"}).json()["results"]
    assert page_client(make_member(team.tenant, "foreman")).get(URL, {"q": "商机"}).status_code == 403
