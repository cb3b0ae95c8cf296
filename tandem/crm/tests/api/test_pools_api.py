"""The pool endpoints and pages as a rep and a manager use them: list, waiting accounts, claim, assign,
release, lock, pool settings; accounts without an owner stay out of the rep's account endpoints."""

import pytest
from django.conf import settings
from django.urls import reverse

from tandem.crm.models import Account, Pool, PoolMove, PoolRule
from tandem.crm.tests.factories import make_account
from tandem.testing.kit import api_client, page_client

API = "/api/v1/crm/"


def in_english(client):
    """Pages speak the tenant's language (Chinese) unless the language cookie says otherwise."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def pool(team):
    pool = Pool.objects.create(tenant=team.tenant, name="公共池", is_default=True, daily_claim_limit=5)
    PoolRule.objects.create(tenant=team.tenant, pool=pool, tier="", no_follow_up_days=30)
    return pool


@pytest.fixture
def waiting(team, pool):
    return make_account(team.tenant, None, pool=pool, name="公海里的客户有限公司", tier="a")


def test_a_rep_sees_the_pool_and_its_accounts_but_not_the_accounts_elsewhere(team, pool, waiting):
    client = api_client(team.rep)
    pools = client.get(f"{API}pools/").json()["results"]
    assert [(p["name"], p["held_count"], p["rules"][0]["no_follow_up_days"]) for p in pools] == [("公共池", 1, 30)]
    rows = client.get(f"{API}pools/{pool.pk}/accounts/").json()["results"]
    assert [r["name"] for r in rows] == ["公海里的客户有限公司"]
    assert client.get(f"{API}pools/{pool.pk}/accounts/?tier=vip").json()["results"] == []
    assert client.get(f"{API}accounts/{waiting.pk}/").status_code == 404
    assert waiting.pk not in [a["id"] for a in client.get(f"{API}accounts/").json()["results"]]
    # An administrator sees it among the accounts, without an owner.
    admin_row = api_client(team.admin).get(f"{API}accounts/{waiting.pk}/").json()
    assert admin_row["owner"] is None and admin_row["owner_name"] is None and admin_row["pool"] == pool.pk


def test_claim_through_the_api(team, pool, waiting):
    client = api_client(team.rep)
    response = client.post(f"{API}pools/{pool.pk}/claim/", {"accounts": [waiting.pk]}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["accounts"][0]["owner"] == team.rep.user.pk
    assert client.get(f"{API}accounts/{waiting.pk}/").status_code == 200
    again = api_client(team.rep2).post(f"{API}pools/{pool.pk}/claim/", {"accounts": [waiting.pk]}, format="json")
    assert again.status_code == 409 and again.json()["errors"]["accounts"] == [str(waiting.pk)]
    assert client.post(f"{API}pools/{pool.pk}/claim/", {"accounts": []}, format="json").status_code == 400


def test_only_managers_assign(team, pool, waiting):
    body = {"accounts": [waiting.pk], "owner": team.rep2.user.pk, "reason": "按区域分配"}
    assert api_client(team.rep).post(f"{API}pools/{pool.pk}/assign/", body, format="json").status_code == 403
    response = api_client(team.manager).post(f"{API}pools/{pool.pk}/assign/", body, format="json")
    assert response.status_code == 200, response.content
    waiting.refresh_from_db()
    assert waiting.owner == team.rep2.user


def test_release_lock_and_unlock_through_the_api(team, pool):
    account = make_account(team.tenant, team.rep.user)
    client = api_client(team.rep)
    locked = client.post(f"{API}accounts/{account.pk}/lock/")
    assert locked.status_code == 200 and locked.json()["locked"] is True
    assert client.post(f"{API}accounts/{account.pk}/unlock/").json()["locked"] is False
    assert client.patch(f"{API}accounts/{account.pk}/", {"locked": True}, format="json").json().get("locked") is False
    assert client.post(f"{API}accounts/{account.pk}/release/", {}, format="json").status_code == 400
    released = client.post(f"{API}accounts/{account.pk}/release/", {"reason": "客户转投竞争对手"}, format="json")
    assert released.status_code == 200 and released.json()["owner"] is None
    assert client.post(f"{API}accounts/{account.pk}/lock/").status_code == 404
    other = make_account(team.tenant, team.rep2.user)
    assert client.post(f"{API}accounts/{other.pk}/release/", {"reason": "x"}, format="json").status_code == 404


def test_pool_settings_through_the_api_take_the_all_scope(team, pool):
    body = {
        "name": "华东区域池",
        "regions": ["east"],
        "daily_claim_limit": 3,
        "rules": [{"tier": "", "no_follow_up_days": 20, "reminder_days": 2}, {"tier": "vip", "no_won_deal_days": 90}],
    }
    assert api_client(team.manager).post(f"{API}pools/", body, format="json").status_code == 403
    created = api_client(team.admin).post(f"{API}pools/", body, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["regions"] == ["east"] and len(data["rules"]) == 2 and data["is_default"] is False
    pk = data["id"]
    patched = api_client(team.admin).patch(f"{API}pools/{pk}/", {"rules": []}, format="json")
    assert patched.status_code == 200 and patched.json()["rules"] == []
    bad = api_client(team.admin).patch(f"{API}pools/{pk}/", {"rules": [{"tier": "a"}]}, format="json")
    assert bad.status_code == 400
    assert api_client(team.admin).delete(f"{API}pools/{pk}/").status_code == 204


def test_the_pool_pages(team, pool, waiting):
    client = page_client(team.rep)
    listing = client.get(reverse("crm:pools"))
    assert listing.status_code == 200 and "公共池" in listing.content.decode()
    detail = client.get(reverse("crm:pool_detail", args=[pool.pk]))
    assert "公海里的客户有限公司" in detail.content.decode()
    assert 'id="assign"' not in detail.content.decode()  # reps claim; managers assign
    response = client.post(reverse("crm:pool_claim", args=[pool.pk]), {"accounts": [waiting.pk]})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.owner == team.rep.user
    released = client.post(reverse("crm:account_release", args=[waiting.pk]), {"reason": "暂无需求"})
    assert released.status_code == 302
    waiting.refresh_from_db()
    assert waiting.owner is None
    assert PoolMove.objects.filter(account=waiting).count() == 2


def test_managers_assign_on_the_page(team, pool, waiting):
    client = page_client(team.manager)
    assert 'id="assign"' in client.get(reverse("crm:pool_detail", args=[pool.pk])).content.decode()
    client.post(reverse("crm:pool_assign", args=[pool.pk]), {"accounts": [waiting.pk], "owner": team.rep.user.pk})
    waiting.refresh_from_db()
    assert waiting.owner == team.rep.user
    assert page_client(team.rep).post(reverse("crm:pool_assign", args=[pool.pk]), {}).status_code == 403


def test_pool_settings_page(team, pool):
    assert page_client(team.manager).get(reverse("crm:pool_create")).status_code == 404
    client = in_english(page_client(team.admin))
    assert client.get(reverse("crm:pool_edit", args=[pool.pk])).status_code == 200
    response = client.post(
        reverse("crm:pool_create"),
        {
            "name": "华南区域池",
            "regions": ["south"],
            "reclaim_after_days": "10",
            "won_customers_exempt": "on",
            "rule_all_follow": "25",
            "rule_all_remind": "3",
            "rule_vip_won": "120",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Pool.objects.get(name="华南区域池")
    assert created.won_customers_exempt and not created.open_deals_exempt
    assert sorted((r.tier, r.no_follow_up_days, r.no_won_deal_days) for r in created.rules.all()) == [
        ("", 25, None),
        ("vip", None, 120),
    ]
    invalid = client.post(
        reverse("crm:pool_edit", args=[created.pk]),
        {"name": "华南区域池", "reclaim_after_days": "1", "rule_a_follow": "2", "rule_a_remind": "5"},
    )
    assert invalid.status_code == 200 and "before the recall" in invalid.content.decode()


def test_lock_from_the_workbench(team, pool):
    account = make_account(team.tenant, team.rep.user)
    client = page_client(team.rep)
    client.post(reverse("crm:account_lock", args=[account.pk]), {"next": reverse("crm:workbench")})
    account.refresh_from_db()
    assert account.locked
    client.post(reverse("crm:account_lock", args=[account.pk]), {"unlock": "1"})
    account.refresh_from_db()
    assert not account.locked
    assert Account.objects.filter(pk=account.pk, owner=team.rep.user).exists()
