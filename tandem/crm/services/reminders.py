"""Daily CRM reminders (提醒) under the bell: next-contact dates, task due dates, payment periods coming due
or overdue, and contracts about to end.

Each reminder is keyed by what it is about and the date it is for, so a sweep that runs twice, or on two
workers, sends it once; a sweep that missed a day or two (worker down) still sends what fell in the gap,
but nothing older than `CATCH_UP_DAYS`, so an outage does not end in a flood.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

REMINDER_NAMESPACE = uuid.UUID("6f1d2c4e-8a53-4d0b-9b7e-2a4f0f3c9d51")
CATCH_UP_DAYS = 3
CONTRACT_EXPIRY_NOTICE_DAYS = 30


@dataclass(frozen=True)
class Reminder:
    tenant_id: int
    recipient_id: int
    key: str
    title: Callable[[], str]
    body: Callable[[], str]
    url: str


def _record_url(activity) -> str:
    for field, name in (("deal_id", "deal"), ("lead_id", "lead"), ("account_id", "account"), ("contact_id", "contact")):
        pk = getattr(activity, field)
        if pk:
            return reverse(f"crm:{name}_detail", args=[pk])
    return ""


def _about(activity) -> str:
    for field in ("deal", "lead", "account", "contact"):
        if getattr(activity, f"{field}_id"):
            return str(getattr(activity, field))
    return ""


def follow_up_reminders(today: date) -> Iterable[Reminder]:
    """The owner of a follow-up whose next-contact date is today (or fell in the catch-up gap)."""
    from tandem.crm.models import Activity

    due = (
        Activity.objects.filter(
            next_contact_on__lte=today, next_contact_on__gt=today - timedelta(days=CATCH_UP_DAYS), owner__isnull=False
        )
        .select_related("deal", "lead", "account", "contact")
        .order_by("pk")
    )
    for activity in due.iterator(chunk_size=500):
        about = _about(activity)
        yield Reminder(
            tenant_id=activity.tenant_id,
            recipient_id=activity.owner_id,
            key=f"follow-up:{activity.pk}:{activity.next_contact_on.isoformat()}",
            title=lambda about=about: _("Follow up with %(name)s today") % {"name": about or _("your contact")},
            body=lambda a=activity: (
                _("Planned at the follow-up “%(subject)s” of %(day)s.")
                % {"subject": a.subject, "day": timezone.localtime(a.occurred_at).date().isoformat()}
            ),
            url=_record_url(activity),
        )


def task_reminders(today: date) -> Iterable[Reminder]:
    """The owner of an open CRM task due today (or in the catch-up gap)."""
    from tandem.crm.choices import ActivityKind
    from tandem.crm.models import Activity

    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(today - timedelta(days=CATCH_UP_DAYS - 1), time.min), zone)
    end = timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min), zone)
    due = (
        Activity.objects.filter(
            kind=ActivityKind.TASK, done=False, due_at__gte=start, due_at__lt=end, owner__isnull=False
        )
        .select_related("deal", "lead", "account", "contact")
        .order_by("pk")
    )
    for task in due.iterator(chunk_size=500):
        yield Reminder(
            tenant_id=task.tenant_id,
            recipient_id=task.owner_id,
            key=f"task:{task.pk}:{task.due_at.isoformat()}",
            title=lambda t=task: _("Task due: %(subject)s") % {"subject": t.subject},
            body=lambda t=task: _("Due at %(due)s.") % {"due": timezone.localtime(t.due_at).strftime("%Y-%m-%d %H:%M")},
            url=_record_url(task),
        )


def payment_reminders(today: date) -> Iterable[Reminder]:
    """For each open payment period of a signed contract: one reminder its `reminder_days` before the due date,
    and one notice when it becomes overdue, to the contract's owner."""
    from tandem.crm.choices import ContractStatus
    from tandem.crm.models import PaymentMilestone

    horizon = today + timedelta(days=366)
    periods = (
        PaymentMilestone.objects.filter(
            is_void=False, contract__status=ContractStatus.SIGNED, contract__deleted_at__isnull=True
        )
        .filter(
            Q(due_on__isnull=False, due_on__lte=horizon)
            | Q(days_after_acceptance__isnull=False, contract__accepted_on__isnull=False)
        )
        .select_related("contract")
        .annotate(received=Sum("receipts__amount"))
        .order_by("pk")
    )
    for period in periods.iterator(chunk_size=500):
        contract = period.contract
        due = period.due_date_for(contract.accepted_on)
        if due is None or (period.received or Decimal(0)) >= period.amount:
            continue
        recipient = contract.owner_id
        url = reverse("crm:contract_detail", args=[contract.pk])
        names = {"period": period.name, "contract": str(contract), "due": due.isoformat()}
        outstanding = period.amount - (period.received or Decimal(0))
        if due - timedelta(days=period.reminder_days) <= today <= due and today - due < timedelta(days=CATCH_UP_DAYS):
            yield Reminder(
                tenant_id=period.tenant_id,
                recipient_id=recipient,
                key=f"payment-due:{period.pk}:{due.isoformat()}",
                title=lambda n=names: _("Payment “%(period)s” of %(contract)s is due on %(due)s") % n,
                body=lambda o=outstanding: _("Outstanding: ¥%(amount)s.") % {"amount": f"{o:,.2f}"},
                url=url,
            )
        elif today - timedelta(days=CATCH_UP_DAYS) < due < today:
            yield Reminder(
                tenant_id=period.tenant_id,
                recipient_id=recipient,
                key=f"payment-overdue:{period.pk}:{due.isoformat()}",
                title=lambda n=names: _("Payment “%(period)s” of %(contract)s is overdue since %(due)s") % n,
                body=lambda o=outstanding: _("Outstanding: ¥%(amount)s.") % {"amount": f"{o:,.2f}"},
                url=url,
            )


def expiry_reminders(today: date) -> Iterable[Reminder]:
    """The owner of a signed contract, once, `CONTRACT_EXPIRY_NOTICE_DAYS` before its end date."""
    from tandem.crm.choices import ContractStatus
    from tandem.crm.models import Contract

    window_end = today + timedelta(days=CONTRACT_EXPIRY_NOTICE_DAYS)
    ending = Contract.objects.filter(
        status=ContractStatus.SIGNED,
        deleted_at__isnull=True,
        end_on__gte=today,
        end_on__lte=window_end,
    ).order_by("pk")
    for contract in ending.iterator(chunk_size=500):
        yield Reminder(
            tenant_id=contract.tenant_id,
            recipient_id=contract.owner_id,
            key=f"contract-expiry:{contract.pk}:{contract.end_on.isoformat()}",
            title=lambda c=contract: (
                _("Contract %(contract)s ends on %(day)s") % {"contract": str(c), "day": c.end_on.isoformat()}
            ),
            body=lambda c=contract: (
                _("%(days)s days left: renew it or close it out.") % {"days": (c.end_on - today).days}
            ),
            url=reverse("crm:contract_detail", args=[contract.pk]),
        )


SOURCES = {
    "follow_ups": follow_up_reminders,
    "tasks": task_reminders,
    "payments": payment_reminders,
    "contracts": expiry_reminders,
}


def crm_reminders_send(*, today: date | None = None) -> dict[str, int]:
    """Send every reminder due today that was not sent yet; returns how many of each kind went out."""
    from tandem.accounts.models import Tenant
    from tandem.notifications.models import Notification
    from tandem.notifications.services.notifications import notification_send

    today = today or timezone.localdate()
    locales = dict(Tenant.objects.values_list("pk", "locale"))
    sent = dict.fromkeys(SOURCES, 0)
    for kind, source in SOURCES.items():
        for reminder in source(today):
            if reminder.recipient_id is None:
                continue
            key = uuid.uuid5(REMINDER_NAMESPACE, f"{reminder.tenant_id}:{reminder.key}")
            if Notification.objects.filter(
                tenant_id=reminder.tenant_id, recipient_id=reminder.recipient_id, event_id=key
            ).exists():
                continue
            with translation.override(locales.get(reminder.tenant_id)):
                notification_send(
                    tenant_id=reminder.tenant_id,
                    recipient_id=reminder.recipient_id,
                    title=reminder.title(),
                    body=reminder.body(),
                    url=reminder.url,
                    event_id=key,
                )
            sent[kind] += 1
    return sent
