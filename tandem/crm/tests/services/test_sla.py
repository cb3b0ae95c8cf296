"""The lead first-response SLA in working hours of the tenant calendar (weekends, holidays, 调休), measured
response times with median / p90 / share within the SLA, overdue leads and their one-time notice."""

import zoneinfo
from datetime import date, datetime, timedelta

import pytest
import time_machine

from tandem.calendars.models import CalendarException, WorkCalendar, default_week
from tandem.crm.kpi import percentile, share
from tandem.crm.models import CrmSettings
from tandem.crm.selectors.sales import leads_overdue, response_times
from tandem.crm.services.activities import activity_create
from tandem.crm.services.leads import lead_create
from tandem.crm.services.sla import business_clock, lead_response_due, overdue_leads_notify
from tandem.crm.tests.factories import make_lead
from tandem.notifications.models import Notification
from tandem.testing.kit import api_client, make_member

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def local(*args):
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def calendar(tenant):
    """Mon–Fri 08:00–12:00 and 13:00–17:00; Monday 4 May 2026 is a holiday, Saturday 9 May a make-up workday."""
    cal = WorkCalendar.objects.create(tenant=tenant, name="标准日历", is_default=True, week=default_week())
    CalendarException.objects.create(tenant=tenant, calendar=cal, date=date(2026, 5, 4), is_working=False)
    CalendarException.objects.create(tenant=tenant, calendar=cal, date=date(2026, 5, 9), is_working=True)
    return cal


def test_without_a_calendar_the_sla_counts_clock_hours(tenant):
    clock = business_clock(tenant_id=tenant.pk)
    assert not clock.uses_calendar
    friday = local(2026, 5, 8, 16, 0)
    assert clock.add_hours(friday, 4) == friday + timedelta(hours=4)
    assert clock.minutes_between(friday, friday + timedelta(hours=66)) == 66 * 60


def test_the_deadline_skips_the_weekend(tenant, calendar):
    clock = business_clock(tenant_id=tenant.pk)
    # Friday 16:00 + 4 working hours: one hour on Friday, three on Monday 11 May.
    assert clock.add_hours(local(2026, 4, 24, 16, 0), 4) == local(2026, 4, 27, 11, 0)
    # Outside working time the clock waits for the next working hour.
    assert clock.add_hours(local(2026, 4, 25, 20, 0), 2) == local(2026, 4, 27, 10, 0)


def test_the_deadline_skips_a_holiday_and_counts_a_make_up_day(tenant, calendar):
    clock = business_clock(tenant_id=tenant.pk)
    # Friday 1 May 16:00 (a weekday in this calendar) + 4 h: Monday 4 May is a holiday, so Tuesday 11:00.
    assert clock.add_hours(local(2026, 5, 1, 16, 0), 4) == local(2026, 5, 5, 11, 0)
    # Friday 8 May 16:00 + 4 h: the make-up Saturday works.
    assert clock.add_hours(local(2026, 5, 8, 16, 0), 4) == local(2026, 5, 9, 11, 0)
    # Measured response: Friday 1 May 16:30 to Tuesday 5 May 09:00 is 1.5 working hours.
    assert clock.minutes_between(local(2026, 5, 1, 15, 30), local(2026, 5, 5, 9, 0)) == 150


def test_a_new_lead_is_due_in_working_hours(team, calendar):
    CrmSettings.objects.create(tenant=team.tenant, lead_response_hours=8)
    with time_machine.travel(local(2026, 4, 24, 15, 0), tick=False):
        lead = lead_create(access=team.rep_access, company="周五下午的线索")
    assert lead.response_due_at == local(2026, 4, 27, 15, 0)  # 2 h on Friday, 4 + 2 on Monday
    assert lead_response_due(tenant_id=team.tenant.pk, start=local(2026, 4, 24, 15, 0)) == lead.response_due_at


def test_the_first_follow_up_is_the_first_response(team):
    lead = make_lead(team.tenant, team.rep.user, response_due_at=local(2026, 4, 25, 9, 0))
    with time_machine.travel(local(2026, 4, 24, 17, 30), tick=False):
        activity_create(access=team.rep_access, subject="首次电话", kind="call", lead=lead)
    lead.refresh_from_db()
    assert lead.first_response_at == local(2026, 4, 24, 17, 30) and not lead.is_response_overdue


def test_response_time_figures_per_owner_and_month_in_working_hours(team, calendar):
    rep, rep2 = team.rep.user, team.rep2.user
    CrmSettings.objects.create(tenant=team.tenant, lead_response_hours=4)
    clock = business_clock(tenant_id=team.tenant.pk)

    def lead(owner, created, responded=None):
        return make_lead(
            team.tenant,
            owner,
            created_at=created,
            response_due_at=clock.add_hours(created, 4),
            first_response_at=responded,
        )

    # Friday 16:00 → Monday 09:00: 2 working hours, within the SLA although 65 clock hours passed.
    lead(rep, local(2026, 4, 24, 16, 0), local(2026, 4, 27, 9, 0))
    # 1 working hour, within.
    lead(rep, local(2026, 4, 28, 9, 0), local(2026, 4, 28, 10, 0))
    # Friday 1 May 16:00 → Tuesday 5 May 15:00 (Monday a holiday): 7 working hours, late.
    lead(rep2, local(2026, 5, 1, 16, 0), local(2026, 5, 5, 15, 0))
    # Never answered and overdue; and one still within its time.
    lead(rep2, local(2026, 5, 6, 9, 0))
    lead(rep2, local(2026, 5, 12, 16, 0))
    with time_machine.travel(local(2026, 5, 12, 16, 30), tick=False):
        data = response_times(access=team.manager_access, since=date(2026, 4, 1), until=date(2026, 5, 31))
    assert data["working_hours"] and data["sla_hours"] == 4
    total = data["total"]
    assert (total["leads"], total["responded"], total["waiting_overdue"]) == (5, 3, 1)
    assert total["median_hours"] == 2.0
    assert total["p90_hours"] == 6.0  # 1, 2, 7 h: 2 + 0.8 × (7 − 2)
    assert total["within_sla_percent"] == 50.0  # 2 of the 4 that are answered or overdue
    by_owner = {row["label"]: row for row in data["by_owner"]}
    assert by_owner[str(rep)]["within_sla_percent"] == 100.0
    assert by_owner[str(rep2)]["within_sla_percent"] == 0.0
    assert [row["key"] for row in data["by_month"]] == ["2026-04", "2026-05"]
    # A rep sees their own leads only.
    with time_machine.travel(local(2026, 5, 12, 16, 30), tick=False):
        own = response_times(access=team.rep_access, since=date(2026, 4, 1), until=date(2026, 5, 31))
    assert own["total"]["leads"] == 2


def test_percentile_and_share():
    assert percentile([], 0.5) is None
    assert percentile([5], 0.9) == 5
    assert percentile(list(range(1, 11)), 0.5) == 5.5
    assert percentile(list(range(1, 11)), 0.9) == pytest.approx(9.1)
    assert share(1, 3) == 33.3 and share(0, 0) is None


def test_overdue_leads_are_listed_and_their_owners_told_once(team):
    from tandem.automation.models import Rule

    now = local(2026, 5, 12, 10, 0)
    late = make_lead(team.tenant, team.rep.user, response_due_at=now - timedelta(hours=2))
    make_lead(team.tenant, team.rep.user, response_due_at=now + timedelta(hours=2))
    make_lead(team.tenant, team.rep.user, response_due_at=now - timedelta(days=30))  # old: listed, not told
    answered = make_lead(team.tenant, team.rep.user, response_due_at=now - timedelta(hours=2), first_response_at=now)
    with time_machine.travel(now, tick=False):
        listed = list(leads_overdue(access=team.rep_access))
        assert late in listed and answered not in listed and len(listed) == 2
        assert not leads_overdue(access=team.rep2_access).exists()
        # The default automation rule reminds owner and manager; with it disabled, this sweep reminds the owner.
        assert overdue_leads_notify() == 0
        Rule.objects.filter(tenant=team.tenant, key="lead_first_response").update(enabled=False)
        assert overdue_leads_notify() == 1
        assert overdue_leads_notify() == 0
    assert Notification.objects.filter(recipient=team.rep.user).count() == 1


def test_the_response_times_endpoint(team):
    make_lead(team.tenant, team.rep.user, first_response_at=None)
    response = api_client(team.manager).get("/api/v1/crm/response-times/")
    assert response.status_code == 200, response.content
    assert set(response.json()) == {"since", "until", "sla_hours", "working_hours", "total", "by_owner", "by_month"}
    bad = api_client(team.manager).get("/api/v1/crm/response-times/?since=2026-05-02&until=2026-05-01")
    assert bad.status_code == 400
    assert api_client(make_member(team.tenant, "foreman")).get("/api/v1/crm/response-times/").status_code == 403
