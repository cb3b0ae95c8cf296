"""The lead first-response SLA (首次响应时限), counted in working hours of the tenant's work calendar.

When the tenant has a default work calendar (weekdays, hours, public holidays and 调休 make-up days),
response deadlines and measured response times count only its working time, through the scheduling
engine; a tenant without one counts plain clock hours.
"""

from __future__ import annotations

import uuid
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tandem.calendars.selectors import default_working_time
from tandem.crm.services.pipelines import crm_settings
from tandem.scheduling.engine.calendar import WorkingTime


@dataclass(frozen=True)
class BusinessClock:
    """Adds and counts working time in one tenant's zone; plain time when `working` is None."""

    zone: zoneinfo.ZoneInfo
    working: WorkingTime | None = None

    @property
    def uses_calendar(self) -> bool:
        return self.working is not None

    def _local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone).replace(tzinfo=None, second=0, microsecond=0)

    def add_hours(self, start: datetime, hours: float) -> datetime:
        """The moment `hours` working hours after `start` (a lead arriving on Saturday is due Monday)."""
        if self.working is None:
            return start + timedelta(hours=hours)
        due = self.working.add(self._local(start), round(hours * 60))
        return due.replace(tzinfo=self.zone)

    def minutes_between(self, start: datetime, end: datetime) -> int:
        """Working minutes from `start` to `end` (never negative)."""
        if self.working is None:
            return max(0, int((end - start).total_seconds() // 60))
        return max(0, self.working.working_minutes(self._local(start), self._local(end)))


def business_clock(*, tenant_id: int) -> BusinessClock:
    """The tenant's clock: the working time of its default work calendar when it has one, else plain hours."""
    from tandem.accounts.models import Tenant

    zone = zoneinfo.ZoneInfo(Tenant.objects.filter(pk=tenant_id).values_list("timezone", flat=True).first() or "UTC")
    return BusinessClock(zone, default_working_time(tenant_id=tenant_id))


def lead_response_due(*, tenant_id: int, start: datetime | None = None, clock: BusinessClock | None = None) -> datetime:
    """When a lead arriving at `start` is due its first response, in the tenant's SLA working hours."""
    start = start or timezone.now()
    hours = crm_settings(tenant_id=tenant_id).lead_response_hours
    return (clock or business_clock(tenant_id=tenant_id)).add_hours(start, hours)


OVERDUE_NOTICE_NAMESPACE = uuid.UUID("0b7e2f7c-52a4-4d55-8c1b-8f3d1c6a9e40")
OVERDUE_NOTICE_WINDOW = timedelta(days=7)  # older misses are on the lists already; no flood after an outage


def _reminded_by_rule() -> set[int]:
    """Tenants whose enabled automation rule "lead without first response" reminds owners instead of this sweep."""
    if not apps.is_installed("tandem.automation"):
        return set()
    rule = apps.get_model("automation", "Rule")
    return set(rule.objects.filter(key="lead_first_response", enabled=True).values_list("tenant_id", flat=True))


def overdue_leads_notify(*, now: datetime | None = None) -> int:
    """Notify each owner once per lead that went past its first-response deadline unanswered.

    Tenants that keep the default automation rule for this enabled are reminded by the rule (owner and manager).
    """
    from tandem.accounts.models import Tenant
    from tandem.crm.choices import LeadStatus
    from tandem.crm.models import Lead
    from tandem.notifications.models import Notification
    from tandem.notifications.services.notifications import notification_send

    now = now or timezone.now()
    overdue = (
        Lead.objects.filter(
            status=LeadStatus.NEW,
            first_response_at__isnull=True,
            response_due_at__lt=now,
            response_due_at__gte=now - OVERDUE_NOTICE_WINDOW,
        )
        .exclude(tenant_id__in=_reminded_by_rule())
        .values_list("pk", "tenant_id", "owner_id", "company", "contact_name", "response_due_at")
    )
    locales = dict(Tenant.objects.values_list("pk", "locale"))
    sent = 0
    for pk, tenant_id, owner_id, company, contact_name, due in overdue.iterator():
        key = uuid.uuid5(OVERDUE_NOTICE_NAMESPACE, f"{tenant_id}:{pk}:{due.isoformat()}")
        if Notification.objects.filter(tenant_id=tenant_id, recipient_id=owner_id, event_id=key).exists():
            continue
        with translation.override(locales.get(tenant_id)):
            try:
                url = reverse("crm:lead_detail", args=[pk])
            except NoReverseMatch:
                url = ""
            notification_send(
                tenant_id=tenant_id,
                recipient_id=owner_id,
                title=_("Lead %(name)s is waiting for its first response") % {"name": company or contact_name},
                body=_("It was due at %(due)s.") % {"due": timezone.localtime(due).strftime("%Y-%m-%d %H:%M")},
                url=url,
                event_id=key,
            )
        sent += 1
    return sent
