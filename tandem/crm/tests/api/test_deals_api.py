"""Deals API: create with lines, move/win/lose, idempotent win, forecast, scope, pipelines."""

from datetime import date
from decimal import Decimal

from tandem.core.models import OutboxEvent
from tandem.crm import events
from tandem.crm.models import Deal, Pipeline
from tandem.crm.services.pipelines import pipeline_default
from tandem.crm.tests.factories import make_account, make_deal, stage_named
from tandem.testing.kit import api_client, make_member, make_tenant

URL = "/api/v1/crm/deals/"


def test_create_with_lines_then_win_twice_returns_the_same_deal_and_one_event(team):
    account = make_account(team.tenant, team.rep.user)
    client = api_client(team.rep)
    response = client.post(
        URL,
        {
            "name": "武汉地铁2号线机电安装",
            "account": account.pk,
            "expected_close_date": "2026-06-30",
            "deal_type": "installation",
            "lines": [{"product": "风机盘管", "quantity": "120", "unit": "台", "unit_price": "2350.00"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    deal = response.json()
    assert deal["number"].startswith("SJ-") and deal["amount"] == "282000.00" and deal["stage_name"] == "初步接洽"
    assert deal["weighted_amount"] == "28200.00" and deal["lines"][0]["amount"] == "282000.00"

    first = client.post(f"{URL}{deal['id']}/win/", {"reason": "方案最优"}, format="json")
    second = client.post(f"{URL}{deal['id']}/win/", {}, format="json")
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert first.json()["status"] == "won" and first.json()["close_reason"] == "方案最优"
    assert OutboxEvent.objects.filter(name=events.DEAL_WON).count() == 1


def test_lose_needs_a_reason_and_move_changes_the_stage(team):
    deal = make_deal(team.tenant, team.rep.user)
    client = api_client(team.rep)
    missing = client.post(f"{URL}{deal.pk}/lose/", {}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()["errors"]
    moved = client.post(f"{URL}{deal.pk}/move/", {"stage": stage_named(team.tenant, 3).pk}, format="json")
    assert moved.status_code == 200 and moved.json()["stage_name"] == "方案报价"
    lost = client.post(f"{URL}{deal.pk}/lose/", {"reason": "预算削减"}, format="json")
    assert lost.json()["status"] == "lost"
    assert OutboxEvent.objects.filter(name=events.DEAL_STAGE_CHANGED).count() == 2


def test_a_stage_of_another_tenant_is_not_found(team):
    deal = make_deal(team.tenant, team.rep.user)
    foreign = make_tenant()
    response = api_client(team.rep).post(f"{URL}{deal.pk}/move/", {"stage": stage_named(foreign, 2).pk}, format="json")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["stage"]
    deal.refresh_from_db()
    assert deal.stage.order == 1


def test_bad_deals_write_nothing(team):
    account = make_account(team.tenant, team.rep.user)
    client = api_client(team.rep)
    for payload, field in (
        ({"name": "x"}, "account"),
        ({"name": "x", "account": account.pk, "amount": "-1"}, "amount"),
        ({"name": "x", "account": account.pk, "currency": "rmb"}, "currency"),
        ({"name": "x", "account": account.pk, "stage": stage_named(team.tenant, 5).pk}, "stage"),
        ({"name": "x", "account": account.pk, "lines": [{"product": "泵", "unit_price": "abc"}]}, "lines"),
        ({"name": "x", "account": account.pk, "expected_close_date": "2026-02-30"}, "expected_close_date"),
    ):
        response = client.post(URL, payload, format="json")
        assert response.status_code == 400, (payload, response.content)
        assert field in response.json()["errors"], (payload, response.json())
    assert not Deal.objects.exists()
    assert not OutboxEvent.objects.filter(name=events.DEAL_CREATED).exists()


def test_patch_refuses_stage_changes_and_other_reps_deals(team):
    deal = make_deal(team.tenant, team.rep.user)
    response = api_client(team.rep).patch(f"{URL}{deal.pk}/", {"stage": stage_named(team.tenant, 2).pk}, format="json")
    assert response.status_code == 400
    assert api_client(team.rep2).post(f"{URL}{deal.pk}/win/", {}, format="json").status_code == 404
    deal.refresh_from_db()
    assert deal.status == "open"


def test_sales_sees_own_deals_the_manager_sees_the_teams(team):
    mine = make_deal(team.tenant, team.rep.user)
    theirs = make_deal(team.tenant, team.rep2.user)
    outsider = make_member(team.tenant, "sales")
    make_deal(team.tenant, outsider.user)
    assert [r["id"] for r in api_client(team.rep).get(URL).json()["results"]] == [mine.pk]
    manager_ids = {r["id"] for r in api_client(team.manager).get(URL).json()["results"]}
    assert manager_ids == {mine.pk, theirs.pk}


def test_forecast_weights_open_deals_by_month(team):
    account = make_account(team.tenant, team.rep.user)
    make_deal(team.tenant, team.rep.user, account, amount=Decimal("100000"), expected_close_date=date(2026, 3, 5))
    make_deal(
        team.tenant,
        team.rep.user,
        account,
        stage=stage_named(team.tenant, 3),
        amount=Decimal("200000"),
        expected_close_date=date(2026, 3, 28),
    )
    make_deal(team.tenant, team.rep.user, account, amount=Decimal("50000"))
    make_deal(
        team.tenant, team.rep.user, account, stage=stage_named(team.tenant, 5), expected_close_date=date(2026, 3, 1)
    )
    make_deal(team.tenant, team.rep2.user, amount=Decimal("999999"), expected_close_date=date(2026, 3, 1))
    rows = api_client(team.rep).get(f"{URL}forecast/").json()["rows"]
    assert rows == [
        {"month": "2026-03", "currency": "CNY", "deals": 2, "amount": "300000.00", "weighted": "110000.00"},
        {"month": None, "currency": "CNY", "deals": 1, "amount": "50000.00", "weighted": "5000.00"},
    ]
    filtered = api_client(team.rep).get(f"{URL}forecast/?min_amount=150000").json()["rows"]
    assert filtered == [
        {"month": "2026-03", "currency": "CNY", "deals": 1, "amount": "200000.00", "weighted": "100000.00"}
    ]


def test_pipelines_list_the_default_with_its_stages_and_can_be_added(team):
    client = api_client(team.manager)
    rows = client.get("/api/v1/crm/pipelines/").json()["results"]
    assert [s["name"] for s in rows[0]["stages"]] == ["初步接洽", "需求确认", "方案报价", "商务谈判", "赢单", "输单"]
    response = client.post(
        "/api/v1/crm/pipelines/",
        {
            "name": "招投标",
            "stages": [{"name": "投标", "probability": 30}, {"name": "中标", "probability": 100, "is_won": True}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert client.post("/api/v1/crm/pipelines/", {"name": "空"}, format="json").status_code == 400
    assert Pipeline.objects.filter(tenant=team.tenant).count() == 2
    pipeline_default(tenant=team.tenant)
