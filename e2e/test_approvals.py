"""A two-level contract approval built in the designer and run to the end, in Chinese: the administrator builds the
flow (direct manager, then the general manager picked by name) in place of the demo's, the salesperson submits a
draft contract, the sales director approves on a phone (390 px), the general manager approves on a desktop, and the
salesperson can then sign the contract, which could not be signed before; then two pages in English.

A project group's DingTalk robot (a real HTTP receiver on 127.0.0.1) gets a card at each level, and the general
manager decides from the card's signed "同意" link."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e.test_crm import assert_clean
from tandem.automation.tests import channels_support

pytestmark = [pytest.mark.browser]
receiver = channels_support.receiver

PHONE = {"width": 390, "height": 844}
FLOW_NAME = "合同审批（两级）"


@pytest.fixture
def group_robot(demo_data, receiver, settings, live_server):
    """The demo tenant's project group, whose DingTalk robot takes approval cards; links point at the test server."""
    from tandem.accounts.models import Tenant
    from tandem.automation.models import Channel

    channels_support.allow_local_robots(settings)
    settings.TANDEM_BASE_URL = live_server.url
    receiver.answer_with(200, {"errcode": 0, "errmsg": "ok"})
    Channel.objects.create(
        tenant=Tenant.objects.get(slug="demo"),
        kind="dingtalk",
        name="项目部审批群",
        url=receiver.url("/robot/send?access_token=e2e"),
        approval_cards=True,
    )
    return receiver


def cards_for(receiver, node_name: str) -> list[dict]:
    """The approval cards (with approve/reject buttons) the robot got for one node."""
    cards = [r.json().get("actionCard") for r in receiver.requests]
    return [c for c in cards if c and len(c["btns"]) == 3 and node_name in c["text"]]


@pytest.fixture
def draft_contract(demo_data):
    """A draft contract of the salesperson `sales` (陈晓, whose manager is the sales director `salesmgr`)."""
    from tandem.approvals.models import Approval
    from tandem.crm.models import Contract

    submitted = Approval.objects.filter(tenant__slug="demo", object_type="crm.contract").values("object_id")
    contracts = Contract.objects.filter(tenant__slug="demo", owner__username="sales").exclude(
        pk__in=[int(row["object_id"]) for row in submitted]
    )
    contract = contracts.filter(status="draft").first()
    if contract is None:
        contract = contracts.first()
        Contract.objects.filter(pk=contract.pk).update(status="draft", signed_on=None)
    return contract


def build_flow(web) -> None:
    page = web.page
    web.goto("/approvals/flows/")
    # The demo's contract flow is switched off first: one active flow per type.
    with page.expect_navigation():
        page.locator("#type-crmcontract .flow-row .flow-toggle").first.click()
    page.locator("#type-crmcontract .new-flow").click()
    expect(page.locator("#flow-form")).to_be_visible()
    page.fill("#id_name", FLOW_NAME)
    branch = page.locator("#branch-0")
    # Level one: the submitter's direct manager.
    branch.locator(".add-node-end").click()
    first = branch.locator(".node-card").nth(0)
    first.locator(".node-name-input").fill("部门经理审批")
    expect(first.locator(".approver-type")).to_have_value("manager")
    # Level two: the general manager, picked by name.
    branch.locator(".add-node-end").click()
    second = branch.locator(".node-card").nth(1)
    second.locator(".node-name-input").fill("总经理审批")
    second.locator(".approver-type").select_option("members")
    second.locator(".member-filter").fill("张建国")
    second.locator(".approver-picker label", has_text="张建国").click()
    expect(second.locator(".chosen-members")).to_contain_text("张建国")
    # The JSON view follows the designer.
    page.click("#json-toggle")
    expect(page.locator("#flow-json")).to_have_value(re.compile(r'"name": "总经理审批"'))
    web.shot("approvals-designer-zh")
    with page.expect_navigation():
        page.click("#flow-save")
    expect(page.locator("#version-number")).to_contain_text("1")
    # With the demo's flow off, the new one is the type's active flow.
    web.goto("/approvals/flows/")
    row = page.locator("#type-crmcontract .flow-row", has_text=FLOW_NAME)
    expect(row.locator(".badge")).to_have_text("启用")


def test_a_contract_goes_through_two_levels_and_can_then_be_signed(session_factory, draft_contract, group_robot):
    from tandem.approvals.models import Approval, Flow
    from tandem.crm.models import Contract

    admin = session_factory()
    admin.sign_in("admin")
    build_flow(admin)
    flow = Flow.objects.get(tenant__slug="demo", name=FLOW_NAME)
    assert flow.is_active and flow.current_version.number == 1
    nodes = flow.current_version.definition["branches"][0]["nodes"]
    assert [n["name"] for n in nodes] == ["部门经理审批", "总经理审批"]
    assert_clean(admin)

    # The salesperson cannot sign yet; submits with a comment.
    rep = session_factory()
    rep.sign_in("sales")
    rep.goto(f"/crm/contracts/{draft_contract.pk}/")
    page = rep.page
    expect(page.locator("#approval-state")).to_have_attribute("data-state", "draft")
    expect(page.locator("#sign")).to_be_disabled()
    page.fill("#submit-comment", "客户要求本周内签约，请尽快审批")
    with page.expect_navigation():
        page.click("#approval-submit")
    expect(page.locator("#approval-state")).to_have_attribute("data-state", "pending")
    expect(page.locator("#edit")).to_be_disabled()
    expect(page.locator("#approval-progress li").first).to_have_attribute("data-state", "current")
    rep.shot("approvals-contract-pending-zh")

    # The sales director approves on a phone, in place.
    director = session_factory(viewport=PHONE)
    director.sign_in("salesmgr")
    director.goto("/approvals/")
    phone = director.page
    # The demo gave the director other contracts to decide too; the to-do tab counts them all (on a phone the
    # top bar leaves the organisation's name its room, and the menu leads to My approvals).
    expect(phone.locator("#topbar-approvals")).to_be_hidden()
    waiting = int(phone.locator("#box-count-todo").inner_text())
    assert waiting >= 1
    card = phone.locator(".approval-card", has_text=draft_contract.name)
    expect(card).to_be_visible()
    director.shot("approvals-inbox-phone-zh")
    card.locator("textarea[name=comment]").fill("同意，注意回款节点")
    card.locator("button.approve").click()
    expect(phone.locator(".decision-note")).to_be_visible()
    expect(phone.locator("#box-count-todo")).to_have_text(str(waiting - 1))
    director.shot("approvals-inbox-phone-approved-zh")
    assert_clean(director)

    # The group got a card for each level; the general manager taps its "同意" and decides on the page it opens.
    assert cards_for(group_robot, "部门经理审批")
    [card_sent] = cards_for(group_robot, "总经理审批")
    assert draft_contract.name in card_sent["title"] and "张建国" in card_sent["text"]
    approve_link = {b["title"]: b["actionURL"] for b in card_sent["btns"]}["同意"]
    boss = session_factory()
    boss.sign_in("owner")
    boss.page.goto(approve_link)
    card = boss.page.locator(".approval-card", has_text=draft_contract.name)
    boss.shot("approvals-im-link-zh")
    card.locator("button.approve").click()
    expect(boss.page.locator(".decision-note")).to_be_visible()
    approval = Approval.objects.get(tenant__slug="demo", object_id=str(draft_contract.pk))
    assert approval.status == "approved"

    # Approved: the salesperson signs it.
    rep.goto(f"/crm/contracts/{draft_contract.pk}/")
    expect(page.locator("#approval-state")).to_have_attribute("data-state", "approved")
    expect(page.locator("#approval-progress li[data-state=done]")).to_have_count(2)
    rep.shot("approvals-contract-approved-zh")
    with page.expect_navigation():
        page.click("#sign")
    assert Contract.objects.get(pk=draft_contract.pk).status == "signed"
    assert_clean(rep)
    assert_clean(boss)

    # The same pages in English: the director's done tab on the phone, the saved version read-only on a desktop.
    director.goto("/approvals/?box=done")
    with phone.expect_navigation():
        phone.select_option("#language-switch", "en")
    expect(phone.locator("#box-done")).to_contain_text("Done")
    expect(phone.locator(".approval-card", has_text=draft_contract.name)).to_contain_text("同意，注意回款节点")
    director.shot("approvals-inbox-phone-done-en")
    admin.goto(f"/approvals/flows/{flow.pk}/versions/1/")
    with admin.page.expect_navigation():
        admin.page.select_option("#language-switch", "en")
    expect(admin.page.locator("#readonly-badge")).to_have_text("Read-only")
    expect(admin.page.locator("#flow-save")).to_have_count(0)
    # An old version's cards still open, to read; their settings cannot be changed.
    admin.page.locator(".node-toggle").first.click()
    expect(admin.page.locator(".approver-type").first).to_be_visible()
    expect(admin.page.locator(".approver-type").first).to_be_disabled()
    admin.shot("approvals-designer-version-en")
    assert_clean(director)
    assert_clean(admin)
