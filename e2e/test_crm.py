"""The sales flow in a real browser on the demo data: drag deals across the kanban, then lead → convert →
deal → drag to 赢单 → contract with its payment plan, in Chinese, as the salesperson `sales`."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser]

WIDE = {"width": 1920, "height": 1000}


def assert_clean(web) -> None:
    assert not web.problems, "browser reported problems:\n" + "\n".join(web.problems)


def column(page, stage_name: str):
    return page.locator(".kanban-column", has=page.locator(".stage-name", has_text=stage_name))


def drag(page, card, target) -> None:
    """Press on the card (not on its link), move in steps so SortableJS sees a drag, drop over the target list."""
    card.scroll_into_view_if_needed()
    box = card.locator(".deal-account").bounding_box()
    start_x, start_y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(start_x, start_y)
    page.mouse.down()
    page.mouse.move(start_x + 12, start_y + 6, steps=4)
    target_box = target.bounding_box()
    page.mouse.move(target_box["x"] + target_box["width"] / 2, target_box["y"] + 30, steps=25)
    page.wait_for_timeout(150)
    page.mouse.up()


def stage_of(deal_id: int):
    from tandem.crm.models import Deal

    return Deal.objects.select_related("stage").get(pk=deal_id).stage


def events(name: str, deal_id: int) -> int:
    from tandem.core.models import OutboxEvent

    return OutboxEvent.objects.filter(name=name, payload__deal_id=deal_id).count()


def test_sales_drags_a_deal_card_to_the_next_stage(session_factory):
    web = session_factory(viewport=WIDE)
    page = web.page
    web.sign_in("sales")
    web.goto("/crm/deals/board/")
    expect(page.locator("#kanban .kanban-column")).to_have_count(6)
    expect(page.locator(".kanban-column").first.locator(".stage-name")).to_have_text("初步接洽")
    web.shot("crm-01-board-zh")

    source, target = column(page, "初步接洽"), column(page, "需求确认")
    card = source.locator(".deal-card").first
    deal_id = int(card.get_attribute("data-deal"))
    before = int(source.locator("[data-stage-count]").inner_text())
    drag(page, card, target.locator(".kanban-cards"))

    expect(target.locator(f"#deal-card-{deal_id}")).to_be_visible()
    expect(page.locator("#board-toast")).to_contain_text("需求确认")
    expect(source.locator("[data-stage-count]")).to_have_text(str(before - 1))
    assert stage_of(deal_id).name == "需求确认"
    assert events("crm.deal.stage_changed", deal_id) == 1
    web.shot("crm-02-board-after-drag")

    # Dropping on 输单 asks why; cancelling puts the card back where it was.
    card = target.locator(f"#deal-card-{deal_id}")
    drag(page, card, column(page, "输单").locator(".kanban-cards"))
    expect(page.locator("#lost-modal")).to_be_visible()
    web.shot("crm-03-lost-reason")
    page.click("#lost-modal [data-bs-dismiss=modal].btn-outline-secondary")
    expect(page.locator("#lost-modal")).to_be_hidden()
    expect(target.locator(f"#deal-card-{deal_id}")).to_be_visible()
    assert stage_of(deal_id).name == "需求确认"
    assert_clean(web)


def test_whole_sales_flow_from_lead_to_contract(session_factory, contract_approval_off):
    from decimal import Decimal

    from tandem.crm.models import Contract, Deal, Lead

    web = session_factory(viewport=WIDE)
    page = web.page
    web.sign_in("sales")

    web.goto("/crm/leads/")
    page.click("#new-record")
    page.fill("#id_company", "江城轨道交通装备有限公司")
    page.fill("#id_contact_name", "李建国")
    page.fill("#id_title", "设备部经理")
    page.fill("#id_phone", "13700001111")
    page.select_option("#id_source", "tender")
    page.fill("#id_estimated_amount", "1280000")
    page.fill("#id_description", "车辆段通风空调系统改造，要求年底前完工。")
    web.shot("crm-10-lead-form")
    with page.expect_navigation():
        page.click("#save")
    lead = Lead.objects.get(company="江城轨道交通装备有限公司")
    assert web.path() == f"/crm/leads/{lead.pk}/"

    # A first follow-up from the lead page.
    page.check("#kind-call")
    page.fill("#id_content", "电话沟通需求，约下周现场踏勘")
    with page.expect_navigation():
        page.click("#activity-save")
    expect(page.locator("#timeline")).to_contain_text("电话沟通需求")
    web.shot("crm-11-lead-page")

    with page.expect_navigation():
        page.click("#convert")
    expect(page.locator("#decision-create")).to_be_checked()
    page.fill("#id_deal_name", "车辆段通风空调改造")
    page.select_option("#id_deal_type", "retrofit")
    web.shot("crm-12-convert")
    with page.expect_navigation():
        page.click("#convert-submit")
    deal = Deal.objects.get(name="车辆段通风空调改造")
    assert web.path() == f"/crm/deals/{deal.pk}/" and deal.amount == Decimal("1280000.00")
    expect(page.locator("#stage-bar [aria-current=step]")).to_have_text("初步接洽")
    web.shot("crm-13-deal-page")

    web.goto("/crm/deals/board/")
    card = page.locator(f"#deal-card-{deal.pk}")
    drag(page, card, column(page, "赢单").locator(".kanban-cards"))
    expect(column(page, "赢单").locator(f"#deal-card-{deal.pk}")).to_be_visible()
    expect(page.locator("#board-toast")).to_be_visible()
    deal.refresh_from_db()
    assert deal.status == "won"
    assert events("crm.deal.won", deal.pk) == 1
    web.shot("crm-14-board-won")

    web.goto(f"/crm/deals/{deal.pk}/")
    # Winning again from the page changes nothing and emits nothing.
    expect(page.locator("#mark-won")).to_have_count(0)
    with page.expect_navigation():
        page.click("#new-contract")
    expect(page.locator("[data-period-row]")).to_have_count(4)
    expect(page.locator("#plan-sum")).to_have_class(re.compile(r"\bis-ok\b"))
    page.fill("#id_signed_on", "2026-11-20")
    page.fill("#id_start_on", "2026-12-01")
    page.fill("#id_end_on", "2027-06-30")
    page.fill("#id_periods-1-percent", "50")
    expect(page.locator("#plan-sum")).to_have_class(re.compile(r"\bis-off\b"))
    page.fill("#id_periods-1-percent", "60")
    expect(page.locator("#plan-sum")).to_have_class(re.compile(r"\bis-ok\b"))
    web.shot("crm-15-contract-form")
    with page.expect_navigation():
        page.click("#save")
    contract = Contract.objects.get(deal=deal)
    assert web.path() == f"/crm/contracts/{contract.pk}/"
    assert contract.milestones.count() == 4
    assert sum(m.amount for m in contract.milestones.all()) == contract.amount == Decimal("1280000.00")
    expect(page.locator("#payment-plan tbody tr")).to_have_count(4)

    with page.expect_navigation():
        page.click("#sign")
    expect(page.locator("#receipt-form")).to_be_visible()
    page.fill("#id_amount", "384000")
    page.fill("#id_bank", "中国建设银行武汉分行")
    with page.expect_navigation():
        page.click("#record-receipt")
    expect(page.locator("#collected")).to_have_text("30.0%")
    web.shot("crm-16-contract-page")
    assert events("crm.deal.won", deal.pk) == 1
    assert_clean(web)


def test_customer_pages_on_a_phone(session_factory):
    web = session_factory(viewport={"width": 390, "height": 844})
    page = web.page
    web.sign_in("sales")
    web.goto("/crm/deals/board/")
    expect(page.locator(".kanban-column").first).to_be_visible()
    web.shot("crm-20-phone-board")
    web.goto("/crm/accounts/")
    first = page.locator("#rows tbody a").first
    with page.expect_navigation():
        first.click()
    expect(page.locator("#tab-timeline")).to_be_visible()
    web.shot("crm-21-phone-account")
    assert_clean(web)


def test_manager_works_an_account_files_sharing_transfer_and_bulk(session_factory, tmp_path):
    from tandem.accounts.models import User
    from tandem.audit.models import AuditAction, AuditEntry
    from tandem.core.models import Attachment
    from tandem.crm.models import Account

    web = session_factory()
    page = web.page
    web.sign_in("salesmgr")

    web.goto("/crm/deals/")
    expect(page.locator("[data-forecast] canvas")).to_have_count(1)
    web.shot("crm-30-deal-list-forecast")
    web.goto("/crm/contracts/")
    expect(page.locator("#rows tbody tr").first).to_be_visible()
    web.shot("crm-31-contract-list")

    account = Account.objects.filter(owner__username="sales", deals__isnull=True).order_by("pk").first()
    account = account or Account.objects.filter(owner__username="sales").order_by("pk").first()
    web.goto(f"/crm/accounts/{account.pk}/")
    web.shot("crm-32-account-page")

    page.click("#tab-files-btn")
    quote = tmp_path / "报价单.pdf"
    quote.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.set_input_files("[data-upload-form] input[type=file]", str(quote))
    page.click("[data-upload-form] button[type=submit]")
    expect(page.locator("[data-attachments] tbody")).to_contain_text("报价单.pdf")
    assert Attachment.objects.filter(object_id=account.pk, name="报价单.pdf").exists()
    web.shot("crm-33-account-files")

    page.click("#tab-team-btn")
    sales2 = User.objects.get(username="sales2")
    page.select_option("[data-share-form] select[name=user]", str(sales2.pk))
    page.click("[data-share-form] button[type=submit]")
    expect(page.locator("[data-shares] tbody")).to_contain_text(str(sales2))

    page.click("#transfer")
    expect(page.locator("#transfer-modal")).to_be_visible()
    page.select_option("#transfer-owner", str(sales2.pk))
    page.fill("#transfer-reason", "客户所在区域调整给刘洋跟进")
    with page.expect_navigation():
        page.click("#transfer-modal button[type=submit]")
    account.refresh_from_db()
    assert account.owner == sales2
    # The demo's pool claims are transfers too: look for this one.
    transfers = AuditEntry.objects.filter(
        object_type="crm.account", object_id=str(account.pk), action=AuditAction.TRANSFER
    )
    assert transfers.filter(after__reason="客户所在区域调整给刘洋跟进", after__owner=sales2.pk).count() == 1
    expect(page.locator("#timeline")).to_contain_text("客户所在区域调整给刘洋跟进")

    # Bulk: hand two leads over with one reason.
    web.goto("/crm/leads/?owner=" + str(User.objects.get(username="sales").pk))
    boxes = page.locator("[data-bulk-row]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    expect(page.locator("[data-bulk-count]")).to_have_text("2")
    ids = [int(boxes.nth(i).get_attribute("value")) for i in range(2)]
    page.select_option("#bulk-form select[name=owner]", str(sales2.pk))
    page.fill("#bulk-form input[name=reason]", "线索重新分配")
    web.shot("crm-34-bulk-assign")
    with page.expect_navigation():
        page.click("#bulk-form button[value=assign]")
    from tandem.crm.models import Lead

    assert set(Lead.objects.filter(pk__in=ids).values_list("owner__username", flat=True)) == {"sales2"}
    assert_clean(web)
