"""Deal services: create with lines, stage moves (audited, emitted), win and lose exactly once."""

from decimal import Decimal

import pytest
from django.db import transaction

from tandem.audit.models import AuditEntry
from tandem.core import events as core_events
from tandem.core.errors import ApplicationError
from tandem.core.models import OutboxEvent
from tandem.crm import events
from tandem.crm.choices import DealStatus
from tandem.crm.models import Deal, Pipeline
from tandem.crm.services.deals import deal_create, deal_mark_lost, deal_mark_won, deal_move_stage, deal_update
from tandem.crm.tests.factories import make_account, make_deal, stage_named
from tandem.testing.kit import access_for


def names(name):
    return OutboxEvent.objects.filter(name=name)


def test_create_numbers_the_deal_uses_the_default_pipeline_and_sums_lines(team):
    account = make_account(team.tenant, team.rep.user)
    deal = deal_create(
        access=team.rep_access,
        name=" 机电安装 ",
        account=account,
        lines=[
            {"product": "冷水机组", "quantity": Decimal("2"), "unit": "台", "unit_price": Decimal("350000.00")},
            {"product": "安装调试", "quantity": Decimal("1"), "unit_price": Decimal("80000.50")},
        ],
    )
    assert deal.number.startswith("SJ-") and deal.name == "机电安装"
    assert deal.pipeline == Pipeline.objects.get(tenant=team.tenant, is_default=True)
    assert deal.stage.order == 1 and deal.status == DealStatus.OPEN
    assert deal.amount == Decimal("780000.50") and deal.currency == "CNY"
    assert [line.product for line in deal.lines.all()] == ["冷水机组", "安装调试"]
    event = names(events.DEAL_CREATED).get()
    assert event.payload["deal_id"] == deal.pk and event.payload["amount"] == "780000.50"
    entry = AuditEntry.objects.get(object_type="crm.deal", action="create")
    assert len(entry.after["lines"]) == 2


def test_the_default_pipeline_has_the_standard_stages_in_the_tenant_language(team):
    deal_create(access=team.rep_access, name="x", account=make_account(team.tenant, team.rep.user))
    stages = Pipeline.objects.get(tenant=team.tenant).stages.order_by("order")
    assert [s.name for s in stages] == ["初步接洽", "需求确认", "方案报价", "商务谈判", "赢单", "输单"]
    assert [s.probability for s in stages] == [10, 25, 50, 75, 100, 0]


def test_a_deal_cannot_start_closed_and_a_bad_line_names_its_row(team):
    account = make_account(team.tenant, team.rep.user)
    with pytest.raises(ApplicationError):
        deal_create(access=team.rep_access, name="x", account=account, stage=stage_named(team.tenant, 5))
    with pytest.raises(ApplicationError) as exc:
        deal_create(
            access=team.rep_access,
            name="x",
            account=account,
            lines=[{"product": "", "quantity": Decimal("1"), "unit_price": Decimal("1")}],
        )
    assert "lines[0]" in exc.value.errors
    assert not Deal.objects.exists()


def test_moving_a_deal_is_audited_and_emits_stage_changed(team):
    deal = make_deal(team.tenant, team.rep.user)
    target = stage_named(team.tenant, 3)
    deal_move_stage(access=team.rep_access, deal=deal, stage=target)
    deal.refresh_from_db()
    assert deal.stage == target and deal.status == DealStatus.OPEN
    event = names(events.DEAL_STAGE_CHANGED).get()
    assert event.payload["from_stage"] == "初步接洽" and event.payload["to_stage"] == "方案报价"
    entry = AuditEntry.objects.get(object_type="crm.deal", action="update")
    assert entry.before["stage_name"] == "初步接洽" and entry.after["stage_name"] == "方案报价"
    # Moving to the stage it is in changes nothing.
    deal_move_stage(access=team.rep_access, deal=deal, stage=target)
    assert names(events.DEAL_STAGE_CHANGED).count() == 1


def test_dragging_to_lost_needs_a_reason(team):
    deal = make_deal(team.tenant, team.rep.user)
    with pytest.raises(ApplicationError) as exc:
        deal_move_stage(access=team.rep_access, deal=deal, stage=stage_named(team.tenant, 6))
    assert "reason" in exc.value.errors
    deal_move_stage(access=team.rep_access, deal=deal, stage=stage_named(team.tenant, 6), reason="价格太高")
    deal.refresh_from_db()
    assert deal.status == DealStatus.LOST and deal.close_reason == "价格太高" and deal.lost_at


def test_dragging_to_won_wins_once(team):
    deal = make_deal(team.tenant, team.rep.user)
    deal_move_stage(access=team.rep_access, deal=deal, stage=stage_named(team.tenant, 5))
    deal_mark_won(access=team.rep_access, deal=deal)
    assert names(events.DEAL_WON).count() == 1


@pytest.fixture
def won_handler(monkeypatch):
    """Counts crm.deal.won deliveries to a handler: they happen only after commit."""
    calls = []
    monkeypatch.setitem(core_events._handlers, events.DEAL_WON, [])
    core_events.on(events.DEAL_WON)(lambda event: calls.append(event.payload["deal_id"]))
    return calls


@pytest.mark.django_db(transaction=True)
def test_winning_twice_returns_the_same_deal_and_the_event_is_delivered_once_after_commit(tenant, won_handler):
    from tandem.testing.kit import make_member

    rep = make_member(tenant, "sales")
    access = access_for(rep)
    deal = make_deal(tenant, rep.user)
    with transaction.atomic():
        won = deal_mark_won(access=access, deal=deal, reason="技术方案领先")
        assert won_handler == []  # nothing is delivered before the commit
    assert won_handler == [deal.pk]

    again = deal_mark_won(access=access, deal=deal)

    assert again.pk == won.pk and again.status == DealStatus.WON and again.won_at == won.won_at
    assert again.close_reason == "技术方案领先"
    assert names(events.DEAL_WON).count() == 1
    assert names(events.DEAL_STAGE_CHANGED).count() == 1
    assert won_handler == [deal.pk]


def test_a_rolled_back_win_emits_nothing(team):
    deal = make_deal(team.tenant, team.rep.user)
    with pytest.raises(RuntimeError), transaction.atomic():
        deal_mark_won(access=team.rep_access, deal=deal)
        raise RuntimeError
    assert not names(events.DEAL_WON).exists()
    deal.refresh_from_db()
    assert deal.status == DealStatus.OPEN


def test_losing_needs_a_reason_and_happens_once(team):
    deal = make_deal(team.tenant, team.rep.user)
    with pytest.raises(ApplicationError):
        deal_mark_lost(access=team.rep_access, deal=deal, reason="  ")
    deal_mark_lost(access=team.rep_access, deal=deal, reason="预算取消")
    deal_mark_lost(access=team.rep_access, deal=deal, reason="另一个理由")
    deal.refresh_from_db()
    assert deal.status == DealStatus.LOST and deal.close_reason == "预算取消"
    event = names(events.DEAL_LOST).get()
    assert event.payload["reason"] == "预算取消"


def test_reopening_a_won_deal_then_winning_again_is_a_new_win(team):
    deal = make_deal(team.tenant, team.rep.user)
    deal_mark_won(access=team.rep_access, deal=deal)
    deal_move_stage(access=team.rep_access, deal=deal, stage=stage_named(team.tenant, 4))
    deal.refresh_from_db()
    assert deal.status == DealStatus.OPEN and deal.won_at is None and deal.close_reason == ""
    deal_mark_won(access=team.rep_access, deal=deal)
    assert names(events.DEAL_WON).count() == 2


def test_won_payload_is_json_safe_and_complete(team):
    deal = make_deal(team.tenant, team.rep.user, deal_type="installation")
    deal_mark_won(access=team.rep_access, deal=deal)
    payload = names(events.DEAL_WON).get().payload
    assert payload["deal_type"] == "installation" and payload["amount"] == "100000.00"
    assert payload["account_id"] == deal.account_id and payload["won_at"]


def test_update_replaces_lines_and_audits(team):
    deal = make_deal(team.tenant, team.rep.user)
    deal_update(
        access=team.rep_access,
        deal=deal,
        name="新名字",
        lines=[{"product": "风机盘管", "quantity": Decimal("10"), "unit_price": Decimal("1500")}],
    )
    deal.refresh_from_db()
    assert deal.name == "新名字" and deal.amount == Decimal("15000.00")
    entry = AuditEntry.objects.get(object_type="crm.deal", action="update")
    assert entry.after["amount"] == "15000.00"
