"""Approval cards in IM groups, end to end: a contract submitted for approval posts a card to a real HTTP receiver
on 127.0.0.1 playing DingTalk; its signed "approve" link, opened by the approver, decides the approval; a tampered
link is refused and decides nothing."""

from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.utils import translation

from tandem.approvals.links import approval_link_token
from tandem.approvals.models import Approval, ApprovalTask
from tandem.approvals.services import approval_submit, flow_create
from tandem.automation.channels.services import channel_create
from tandem.automation.models import ChannelMessage
from tandem.automation.tests import channels_support
from tandem.crm.tests.factories import make_contract
from tandem.testing.kit import access_for, make_member

receiver = channels_support.receiver


@pytest.fixture(autouse=True)
def _robots_may_post_locally(settings):
    settings.TANDEM_WEBHOOK_ALLOW_PRIVATE = True
    settings.TANDEM_ROBOT_ALLOW_ANY_HOST = True
    settings.TANDEM_BASE_URL = "https://tandem.example.cn"


@pytest.fixture
def org(tenant):
    tenant.locale = "en"
    tenant.save(update_fields=["locale"])
    boss = make_member(tenant, "owner", display_name="王总")
    rep = make_member(tenant, "sales", manager=boss.user, display_name="陈晓")
    cc = make_member(tenant, "finance", display_name="赵会计")
    flow_create(
        access=access_for(boss),
        object_type="crm.contract",
        name="合同审批",
        definition={
            "branches": [
                {
                    "key": "all",
                    "name": "全部",
                    "condition": None,
                    "nodes": [
                        {
                            "key": "n1",
                            "name": "总经理",
                            "kind": "approve",
                            "approvers": {"type": "manager", "level": 1},
                            "cc": [{"type": "members", "users": [cc.user.pk]}],
                        }
                    ],
                }
            ]
        },
    )
    return boss, rep


@pytest.fixture
def group(tenant, org, receiver):
    boss, _rep = org
    receiver.answer_with(200, {"errcode": 0, "errmsg": "ok"})
    return channel_create(
        access=access_for(boss),
        kind="dingtalk",
        name="项目部审批群",
        url=receiver.url("/robot/send?access_token=t"),
        approval_cards=True,
    )


def _submit(tenant, rep, django_capture_on_commit_callbacks):
    contract = make_contract(tenant, rep.user, name="二期机电安装合同", amount=Decimal("1280000"))
    with django_capture_on_commit_callbacks(execute=True):
        approval = approval_submit(access=access_for(rep), obj=contract)
    return contract, approval


def _buttons(receiver):
    cards = [r for r in receiver.requests if r.json().get("msgtype") == "actionCard"]
    [request] = [r for r in cards if len(r.json()["actionCard"]["btns"]) == 3]
    return {b["title"]: b["actionURL"] for b in request.json()["actionCard"]["btns"]}, request.json()


@pytest.mark.parametrize(
    "locale, labels, cc_prefix",
    [("zh-hans", ("同意", "驳回", "查看"), "抄送"), ("en", ("Approve", "Reject", "Open"), "CC")],
)
def test_a_submitted_contract_posts_one_card_with_signed_buttons(
    tenant, org, group, receiver, django_capture_on_commit_callbacks, locale, labels, cc_prefix
):
    """The card speaks the tenant's language, whoever submitted it."""
    tenant.locale = locale
    tenant.save(update_fields=["locale"])
    _boss, rep = org
    with translation.override("en"):
        contract, approval = _submit(tenant, rep, django_capture_on_commit_callbacks)
    buttons, body = _buttons(receiver)
    assert set(buttons) == set(labels)
    assert "二期机电安装合同" in body["actionCard"]["title"]
    assert "王总" in body["actionCard"]["text"]  # who it waits for
    approve, reject, record = (buttons[label] for label in labels)
    assert record.endswith(f"/crm/contracts/{contract.pk}/")
    assert urlsplit(approve).netloc == "tandem.example.cn" and approve != reject
    # The CC'd colleague's card only opens the record.
    [cc_card] = [r.json()["actionCard"] for r in receiver.requests if len(r.json()["actionCard"]["btns"]) == 1]
    assert cc_card["title"].startswith(cc_prefix) and "赵会计" in cc_card["text"]
    assert ChannelMessage.objects.filter(channel=group, status="sent").count() == 2


def test_a_channel_without_approval_cards_gets_none(tenant, org, receiver, django_capture_on_commit_callbacks):
    boss, rep = org
    receiver.answer_with(200, {"errcode": 0, "errmsg": "ok"})
    channel_create(access=access_for(boss), kind="dingtalk", name="群", url=receiver.url("/robot/send?access_token=t"))
    _submit(tenant, rep, django_capture_on_commit_callbacks)
    assert receiver.requests == []


def test_the_approve_button_opens_the_decision_for_the_approver(
    client, tenant, org, group, receiver, django_capture_on_commit_callbacks
):
    boss, rep = org
    _contract, approval = _submit(tenant, rep, django_capture_on_commit_callbacks)
    buttons, _body = _buttons(receiver)
    path = urlsplit(buttons["Approve"]).path
    client.force_login(boss.user)
    page = client.get(path)
    assert page.status_code == 200
    [task] = ApprovalTask.objects.filter(approval=approval, kind="approve", status="pending")
    assert f"/approvals/tasks/{task.pk}/approve/" in page.content.decode()
    client.post(f"/approvals/tasks/{task.pk}/approve/", {"comment": "同意"})
    approval.refresh_from_db()
    assert approval.status == "approved"


def test_the_link_gives_no_task_to_someone_else(
    client, tenant, org, group, receiver, django_capture_on_commit_callbacks
):
    _boss, rep = org
    _submit(tenant, rep, django_capture_on_commit_callbacks)
    buttons, _body = _buttons(receiver)
    client.force_login(rep.user)  # the submitter, not the approver
    page = client.get(urlsplit(next(iter(buttons.values()))).path)
    assert page.status_code == 200
    assert "/approve/" not in page.content.decode()


def test_a_tampered_or_foreign_link_is_refused(
    client, tenant, org, group, receiver, django_capture_on_commit_callbacks
):
    boss, rep = org
    _contract, approval = _submit(tenant, rep, django_capture_on_commit_callbacks)
    client.force_login(boss.user)
    good = approval_link_token(tenant_id=tenant.pk, approval_id=approval.pk, decision="approve")
    forged = good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB")
    assert client.get(f"/approvals/im/{forged}/").status_code == 400
    # A link signed for another approval id is a valid signature, but it is checked against the reach: 404.
    other = approval_link_token(tenant_id=tenant.pk, approval_id=approval.pk + 999, decision="approve")
    assert client.get(f"/approvals/im/{other}/").status_code == 404
    foreign = approval_link_token(tenant_id=tenant.pk + 1, approval_id=approval.pk, decision="approve")
    assert client.get(f"/approvals/im/{foreign}/").status_code == 404
    approval.refresh_from_db()
    assert approval.status == "pending"
    assert Approval.objects.filter(pk=approval.pk, status="pending").exists()


def test_a_link_opened_signed_out_asks_to_sign_in_first(
    client, tenant, org, group, receiver, django_capture_on_commit_callbacks
):
    _boss, rep = org
    _submit(tenant, rep, django_capture_on_commit_callbacks)
    buttons, _body = _buttons(receiver)
    path = urlsplit(next(iter(buttons.values()))).path
    answer = client.get(path)
    assert answer.status_code == 302 and "login" in answer["Location"]
