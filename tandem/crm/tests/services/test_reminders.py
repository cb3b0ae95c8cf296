"""Morning CRM reminders: next-contact dates, tasks, payment periods coming due and overdue, contracts ending —
each sent once to the right person, on the right day, and never for what is done or paid."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tandem.crm.choices import ActivityKind, ContractStatus, DueRule
from tandem.crm.models import Receipt
from tandem.crm.services.reminders import CONTRACT_EXPIRY_NOTICE_DAYS, crm_reminders_send
from tandem.crm.tests.factories import make_account, make_activity, make_contract, make_deal, make_milestone
from tandem.notifications.models import Notification

TODAY = date(2026, 6, 10)
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _tenant_speaks_english(tenant):
    """Reminders are written in the tenant's language; these tests read them in English."""
    tenant.locale = "en"
    tenant.save(update_fields=["locale"])


def inbox(member) -> list[Notification]:
    return list(Notification.objects.filter(recipient=member.user).order_by("pk"))


def test_a_follow_up_reminds_its_owner_on_the_next_contact_date_once(team):
    account = make_account(team.tenant, team.rep.user, name="武汉长江机电有限公司")
    make_activity(
        team.tenant, team.rep.user, account=account, subject="电话沟通报价", next_contact_on=TODAY + timedelta(days=1)
    )

    assert crm_reminders_send(today=TODAY)["follow_ups"] == 0
    assert inbox(team.rep) == []

    sent = crm_reminders_send(today=TODAY + timedelta(days=1))
    assert sent["follow_ups"] == 1
    [note] = inbox(team.rep)
    assert note.title == "Follow up with 武汉长江机电有限公司 today"
    assert "电话沟通报价" in note.body
    assert note.url == f"/crm/accounts/{account.pk}/"

    assert crm_reminders_send(today=TODAY + timedelta(days=1))["follow_ups"] == 0
    assert crm_reminders_send(today=TODAY + timedelta(days=2))["follow_ups"] == 0
    assert len(inbox(team.rep)) == 1
    assert inbox(team.manager) == []


def test_a_missed_day_is_caught_up_but_an_old_date_is_not(team):
    deal = make_deal(team.tenant, team.rep.user)
    make_activity(team.tenant, team.rep.user, deal=deal, next_contact_on=TODAY - timedelta(days=2))
    make_activity(team.tenant, team.rep.user, deal=deal, next_contact_on=TODAY - timedelta(days=10))

    assert crm_reminders_send(today=TODAY)["follow_ups"] == 1
    assert inbox(team.rep)[0].url == f"/crm/deals/{deal.pk}/"


def test_an_open_task_reminds_on_its_due_day_and_a_done_one_does_not(team):
    due = datetime(2026, 6, 10, 15, 0, tzinfo=SHANGHAI)
    make_activity(team.tenant, team.rep.user, kind=ActivityKind.TASK, subject="寄送样品", due_at=due)
    make_activity(team.tenant, team.rep.user, kind=ActivityKind.TASK, subject="已完成的事", due_at=due, done=True)

    assert crm_reminders_send(today=TODAY - timedelta(days=1))["tasks"] == 0
    assert crm_reminders_send(today=TODAY)["tasks"] == 1
    [note] = inbox(team.rep)
    assert note.title == "Task due: 寄送样品"
    assert "2026-06-10 15:00" in note.body


def test_a_payment_period_reminds_its_reminder_days_ahead_then_once_when_overdue(team):
    contract = make_contract(team.tenant, team.rep.user, amount=Decimal("500000.00"))
    period = make_milestone(contract, "200000.00", name="进度款", due_on=TODAY, reminder_days=5)

    assert crm_reminders_send(today=TODAY - timedelta(days=6))["payments"] == 0
    assert crm_reminders_send(today=TODAY - timedelta(days=5))["payments"] == 1
    assert crm_reminders_send(today=TODAY - timedelta(days=1))["payments"] == 0  # sent already
    [due_note] = inbox(team.rep)
    assert due_note.title == f"Payment “进度款” of {contract} is due on 2026-06-10"
    assert "¥200,000.00" in due_note.body

    Receipt.objects.create(
        tenant=team.tenant,
        contract=contract,
        milestone=period,
        received_on=TODAY,
        amount=Decimal("50000.00"),
        created_by=team.rep.user,
    )
    assert crm_reminders_send(today=TODAY + timedelta(days=1))["payments"] == 1
    overdue = inbox(team.rep)[-1]
    assert overdue.title == f"Payment “进度款” of {contract} is overdue since 2026-06-10"
    assert "¥150,000.00" in overdue.body
    assert crm_reminders_send(today=TODAY + timedelta(days=2))["payments"] == 0


def test_paid_void_draft_and_unknown_due_dates_are_not_reminded(team):
    signed = make_contract(team.tenant, team.rep.user, amount=Decimal("300000.00"))
    paid = make_milestone(signed, "100000.00", due_on=TODAY)
    Receipt.objects.create(
        tenant=team.tenant,
        contract=signed,
        milestone=paid,
        received_on=TODAY,
        amount=Decimal("100000.00"),
        created_by=team.rep.user,
    )
    make_milestone(signed, "100000.00", due_on=TODAY, is_void=True)
    make_milestone(signed, "100000.00", due_rule=DueRule.AFTER_ACCEPTANCE, due_on=None, days_after_acceptance=30)
    draft = make_contract(team.tenant, team.rep.user, amount=Decimal("100000.00"), status=ContractStatus.DRAFT)
    make_milestone(draft, "100000.00", due_on=TODAY)

    assert crm_reminders_send(today=TODAY)["payments"] == 0

    signed.accepted_on = TODAY - timedelta(days=28)
    signed.save(update_fields=["accepted_on"])
    assert crm_reminders_send(today=TODAY)["payments"] == 1  # due in 2 days, inside the default 7-day notice


def test_a_contract_about_to_end_reminds_its_owner_once(team):
    ending = make_contract(
        team.tenant,
        team.rep.user,
        start_on=TODAY - timedelta(days=300),
        end_on=TODAY + timedelta(days=CONTRACT_EXPIRY_NOTICE_DAYS),
    )
    make_contract(
        team.tenant, team.rep.user, start_on=TODAY, end_on=TODAY + timedelta(days=CONTRACT_EXPIRY_NOTICE_DAYS + 1)
    )
    make_contract(
        team.tenant, team.rep.user, status=ContractStatus.COMPLETED, start_on=TODAY, end_on=TODAY + timedelta(days=3)
    )

    assert crm_reminders_send(today=TODAY)["contracts"] == 1
    [note] = inbox(team.rep)
    assert str(ending) in note.title
    assert note.url == f"/crm/contracts/{ending.pk}/"
    assert crm_reminders_send(today=TODAY)["contracts"] == 0
    assert crm_reminders_send(today=TODAY + timedelta(days=1))["contracts"] == 1  # the second one is now 30 days out
    assert crm_reminders_send(today=TODAY + timedelta(days=2))["contracts"] == 0


@pytest.mark.parametrize("language, title", [("zh-hans", "今天跟进"), ("en", "Follow up with")])
def test_reminders_speak_the_tenant_language(team, language, title):
    team.tenant.locale = language
    team.tenant.save(update_fields=["locale"])
    make_activity(team.tenant, team.rep.user, account=make_account(team.tenant, team.rep.user), next_contact_on=TODAY)
    crm_reminders_send(today=TODAY)
    assert title in inbox(team.rep)[0].title


def test_an_expired_risk_flag_is_lifted_and_audited(team):
    from tandem.audit.models import AuditEntry
    from tandem.crm.services.accounts import account_risk_flags_expire

    risky = make_account(
        team.tenant,
        team.rep.user,
        risk_flag=True,
        risk_reason="拖欠货款",
        risk_owner=team.manager.user,
        risk_expires_on=TODAY - timedelta(days=1),
    )
    still = make_account(team.tenant, team.rep.user, risk_flag=True, risk_reason="诉讼中", risk_expires_on=TODAY)
    assert account_risk_flags_expire(today=TODAY) == 1
    risky.refresh_from_db()
    still.refresh_from_db()
    assert (risky.risk_flag, risky.risk_reason, risky.risk_owner_id, risky.risk_expires_on) == (False, "", None, None)
    assert still.risk_flag
    entry = AuditEntry.objects.get(object_type="crm.account", object_id=str(risky.pk), action="update")
    assert entry.before["risk_flag"] is True and entry.after["risk_flag"] is False and entry.actor_id is None
    assert account_risk_flags_expire(today=TODAY) == 0
