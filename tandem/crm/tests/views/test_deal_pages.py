"""Deal pages: the form with line items, the deal page with its stage bar, the kanban board and its moves."""

import json

from tandem.core.models import OutboxEvent
from tandem.crm import events
from tandem.crm.choices import DealStatus
from tandem.crm.models import Deal
from tandem.crm.tests.factories import make_account, make_deal, stage_named
from tandem.testing.kit import make_member, make_tenant, page_client

JSON = {"HTTP_ACCEPT": "application/json"}


def emitted(name, deal):
    return OutboxEvent.objects.filter(name=name, payload__deal_id=deal.pk).count()


def test_deal_create_with_line_items_takes_their_total(team):
    account = make_account(team.tenant, team.rep.user)
    client = page_client(team.rep)
    assert client.get(f"/crm/deals/new/?account={account.pk}").status_code == 200
    data = {
        "name": "2号线机电安装",
        "account": account.pk,
        "deal_type": "installation",
        "amount": "1",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-0-product": "风机",
        "lines-0-quantity": "4",
        "lines-0-unit": "台",
        "lines-0-unit_price": "12500",
        "lines-1-product": "",
        "lines-1-quantity": "",
        "lines-1-unit_price": "",
    }
    response = client.post("/crm/deals/new/", data)
    deal = Deal.objects.get(tenant=team.tenant, name="2号线机电安装")
    assert response.status_code == 302 and response["Location"] == f"/crm/deals/{deal.pk}/"
    assert deal.amount == 50000 and deal.lines.count() == 1 and deal.stage == stage_named(team.tenant, 1)
    assert emitted(events.DEAL_CREATED, deal) == 1


def test_deal_create_with_a_bad_line_writes_nothing(team):
    account = make_account(team.tenant, team.rep.user)
    data = {
        "name": "坏明细",
        "account": account.pk,
        "deal_type": "other",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-product": "风机",
        "lines-0-quantity": "-1",
        "lines-0-unit_price": "abc",
    }
    response = page_client(team.rep).post("/crm/deals/new/", data)
    assert response.status_code == 200
    assert response.context["lines"].forms[0].errors
    assert not Deal.objects.filter(tenant=team.tenant, name="坏明细").exists()
    colleague = make_account(team.tenant, team.rep2.user)  # an account the rep cannot see
    response = page_client(team.rep).post(
        "/crm/deals/new/", {"name": "别人的客户", "account": colleague.pk, "lines-TOTAL_FORMS": "0",
                            "lines-INITIAL_FORMS": "0", "deal_type": "other"}
    )  # fmt: skip
    assert "account" in response.context["form"].errors
    assert not Deal.objects.filter(tenant=team.tenant, name="别人的客户").exists()


def test_deal_edit_replaces_lines(team):
    deal = make_deal(team.tenant, team.rep.user, name="改明细")
    deal.lines.create(tenant=team.tenant, product="旧", unit_price=10)
    client = page_client(team.rep)
    page = client.get(f"/crm/deals/{deal.pk}/edit/")
    assert page.status_code == 200 and 'value="旧"' in page.content.decode()
    data = {
        "name": "改明细",
        "account": deal.account_id,
        "deal_type": "other",
        "amount": "",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "1",
        "lines-0-product": "旧",
        "lines-0-quantity": "1",
        "lines-0-unit_price": "10",
        "lines-0-DELETE": "on",
        "lines-1-product": "新",
        "lines-1-quantity": "2",
        "lines-1-unit_price": "300",
    }
    assert client.post(f"/crm/deals/{deal.pk}/edit/", data).status_code == 302
    deal.refresh_from_db()
    assert [line.product for line in deal.lines.all()] == ["新"] and deal.amount == 600


def test_deal_page_shows_the_stage_bar_lines_and_closing_buttons(team):
    deal = make_deal(team.tenant, team.rep.user, name="机电总包", stage=stage_named(team.tenant, 2))
    deal.lines.create(tenant=team.tenant, product="冷水机组", unit_price=880000)
    text = page_client(team.rep).get(f"/crm/deals/{deal.pk}/").content.decode()
    assert 'id="stage-bar"' in text and 'aria-current="step"' in text and "冷水机组" in text
    assert 'id="mark-won"' in text and 'id="lose-modal"' in text and "activity-form" in text
    assert page_client(team.rep2).get(f"/crm/deals/{deal.pk}/").status_code == 404


def test_board_shows_columns_with_counts_totals_and_rotting_cards(team):
    from datetime import timedelta

    from django.utils import timezone

    stage1 = stage_named(team.tenant, 1)
    fresh = make_deal(team.tenant, team.rep.user, name="新商机", amount=250000)
    stale = make_deal(team.tenant, team.rep.user, name="停滞商机", amount=50000)
    Deal.objects.filter(pk=stale.pk).update(stage_changed_at=timezone.now() - timedelta(days=stage1.rotting_days + 3))
    make_deal(team.tenant, team.rep2.user, name="同事的商机")
    response = page_client(team.rep).get("/crm/deals/board/")
    text = response.content.decode()
    assert response.status_code == 200
    first = response.context["columns"][0]
    assert first["stage"] == stage1 and first["count"] == 2
    assert {d.name for d in first["deals"]} == {"新商机", "停滞商机"} and "同事的商机" not in text
    cards = {d.pk: d for d in first["deals"]}
    assert cards[stale.pk].is_rotting and not cards[fresh.pk].is_rotting
    assert f'id="deal-card-{stale.pk}"' in text and "is-rotting" in text
    assert "¥30万" in text or "¥300K" in text  # 250,000 + 50,000 in the column header
    assert len(response.context["columns"]) == 6 and 'data-stage-lost="1"' in text


def test_board_move_calls_the_service_and_answers_the_card_and_columns(team):
    deal = make_deal(team.tenant, team.rep.user, amount=100000)
    stage2 = stage_named(team.tenant, 2)
    response = page_client(team.rep).post(f"/crm/deals/{deal.pk}/move/", {"stage": stage2.pk, "board": ""}, **JSON)
    body = response.json()
    assert response.status_code == 200 and body["ok"], body
    deal.refresh_from_db()
    assert deal.stage == stage2
    assert emitted(events.DEAL_STAGE_CHANGED, deal) == 1
    assert f'id="deal-card-{deal.pk}"' in body["card"]
    assert body["columns"][str(stage2.pk)]["count"] == 1
    assert body["columns"][str(stage_named(team.tenant, 1).pk)]["count"] == 0


def test_board_refuses_a_lost_drop_without_reason_and_moves_with_one(team):
    deal = make_deal(team.tenant, team.rep.user)
    lost = stage_named(team.tenant, 6)
    client = page_client(team.rep)
    response = client.post(f"/crm/deals/{deal.pk}/move/", {"stage": lost.pk}, **JSON)
    assert response.status_code == 400 and not response.json()["ok"] and response.json()["message"]
    deal.refresh_from_db()
    assert deal.status == DealStatus.OPEN and emitted(events.DEAL_STAGE_CHANGED, deal) == 0
    response = client.post(f"/crm/deals/{deal.pk}/move/", {"stage": lost.pk, "reason": "价格高"}, **JSON)
    deal.refresh_from_db()
    assert response.json()["ok"] and deal.status == DealStatus.LOST and deal.close_reason == "价格高"
    assert emitted(events.DEAL_LOST, deal) == 1


def test_board_refuses_moves_it_must_not_make(team):
    deal = make_deal(team.tenant, team.rep2.user)
    stage2 = stage_named(team.tenant, 2)
    assert page_client(team.rep).post(f"/crm/deals/{deal.pk}/move/", {"stage": stage2.pk}, **JSON).status_code == 404
    mine = make_deal(team.tenant, team.rep.user)
    foreign_stage = stage_named(make_tenant(), 2)
    response = page_client(team.rep).post(f"/crm/deals/{mine.pk}/move/", {"stage": foreign_stage.pk}, **JSON)
    assert response.status_code == 400 and "stage" in response.json()["errors"]
    viewer = page_client(make_member(team.tenant, "pm"))  # sees deals, may not change them
    assert viewer.post(f"/crm/deals/{mine.pk}/move/", {"stage": stage2.pk}, **JSON).status_code == 403
    assert page_client(team.rep).get(f"/crm/deals/{mine.pk}/move/").status_code == 405
    mine.refresh_from_db()
    assert mine.stage == stage_named(team.tenant, 1)


def test_winning_from_the_board_and_the_page_emits_won_once(team):
    deal = make_deal(team.tenant, team.rep.user)
    won = stage_named(team.tenant, 5)
    client = page_client(team.rep)
    body = client.post(f"/crm/deals/{deal.pk}/move/", {"stage": won.pk}, **JSON).json()
    assert body["ok"] and body["status"] == "won"
    assert client.post(f"/crm/deals/{deal.pk}/move/", {"stage": won.pk}, **JSON).json()["ok"]
    assert client.post(f"/crm/deals/{deal.pk}/win/").status_code == 302
    assert emitted(events.DEAL_WON, deal) == 1


def test_stage_bar_and_lose_button_post_and_redirect(team):
    deal = make_deal(team.tenant, team.rep.user)
    client = page_client(team.rep)
    response = client.post(f"/crm/deals/{deal.pk}/move/", {"stage": stage_named(team.tenant, 3).pk})
    assert response.status_code == 302 and response["Location"] == f"/crm/deals/{deal.pk}/"
    response = client.post(f"/crm/deals/{deal.pk}/lose/", {"reason": ""})
    deal.refresh_from_db()
    assert response.status_code == 302 and deal.status == DealStatus.OPEN
    client.post(f"/crm/deals/{deal.pk}/lose/", {"reason": "预算取消"})
    deal.refresh_from_db()
    assert deal.status == DealStatus.LOST and emitted(events.DEAL_LOST, deal) == 1


def test_deal_list_shows_last_follow_up_and_the_forecast_chart(team):
    from tandem.crm.tests.factories import make_activity

    deal = make_deal(team.tenant, team.rep.user, name="有跟进的商机")
    make_activity(team.tenant, team.rep.user, deal=deal, account=deal.account, subject="电话确认参数")
    make_activity(team.tenant, team.rep.user, deal=deal, kind="task", subject="未完成的任务")
    response = page_client(team.rep).get("/crm/deals/")
    text = response.content.decode()
    assert "电话确认参数" in text and "未完成的任务" not in text
    chart = json.loads(text.split('id="forecast-data" type="application/json">')[1].split("</script>")[0])
    assert chart["currency"] == "CNY" and sum(chart["amount"]) == 100000.0
    assert 'id="view-board"' in text
