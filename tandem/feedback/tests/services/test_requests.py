"""Service request services: numbering, SLA deadlines in working hours, the status machine and its refusals."""

import zoneinfo
from datetime import date, datetime

import pytest

from tandem.audit.models import AuditEntry
from tandem.calendars.models import CalendarException, WorkCalendar, default_week
from tandem.core.errors import ApplicationError, PermissionDenied
from tandem.core.models import OutboxEvent
from tandem.crm.tests.factories import make_account, make_contact
from tandem.feedback import events
from tandem.feedback.choices import RequestPriority, RequestStatus
from tandem.feedback.models import ServiceRequest
from tandem.feedback.services.requests import (
    request_assign,
    request_create,
    request_delete,
    request_transition,
    request_update,
)
from tandem.feedback.services.settings import feedback_settings, feedback_settings_update

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
S = RequestStatus


def local(*args):
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def calendar(tenant):
    """Mon–Fri 08:00–12:00 and 13:00–17:00; Monday 4 May 2026 is a public holiday."""
    cal = WorkCalendar.objects.create(tenant=tenant, name="标准日历", is_default=True, week=default_week())
    CalendarException.objects.create(tenant=tenant, calendar=cal, date=date(2026, 5, 4), is_working=False)
    return cal


@pytest.fixture
def account(desk):
    return make_account(desk.tenant, desk.rep.user, name="上海华东建设有限公司")


def open_request(desk, account, **fields):
    fields.setdefault("subject", "弱电系统故障报修")
    return request_create(access=desk.agent_access, account=account, **fields)


def test_a_new_request_is_numbered_and_audited_and_announced(desk, account):
    request = open_request(desk, account)
    assert request.number.startswith("GD-") and request.status == S.NEW
    assert AuditEntry.objects.filter(object_type="feedback.servicerequest", object_id=str(request.pk)).exists()
    assert OutboxEvent.objects.filter(name=events.REQUEST_CREATED).count() == 1


def test_deadlines_count_working_hours_across_a_weekend_and_a_public_holiday(desk, account, calendar):
    # Urgent: 2 h to respond, 8 h to resolve. Friday 1 May 16:00 → 1 h Friday; Mon 4 May is a holiday.
    request = open_request(desk, account, priority=RequestPriority.URGENT, opened_at=local(2026, 5, 1, 16, 0))
    assert request.response_due_at == local(2026, 5, 5, 9, 0)
    assert request.resolve_due_at == local(2026, 5, 5, 16, 0)


def test_the_tenant_sla_table_sets_the_deadlines_and_a_new_priority_recomputes_them(desk, account, calendar):
    sla = dict(feedback_settings(desk.tenant.pk).sla, low=[1, 2])
    feedback_settings_update(access=desk.admin_access, sla=sla)
    request = open_request(desk, account, priority=RequestPriority.LOW, opened_at=local(2026, 5, 6, 9, 0))
    assert request.response_due_at == local(2026, 5, 6, 10, 0)
    request = request_update(access=desk.agent_access, request=request, priority=RequestPriority.URGENT)
    assert request.response_due_at == local(2026, 5, 6, 11, 0)


def test_a_bad_sla_table_is_refused_with_field_errors(desk):
    with pytest.raises(ApplicationError) as exc:
        feedback_settings_update(access=desk.admin_access, sla={"urgent": [8, 2]})
    assert "sla.urgent" in exc.value.errors and "sla.high" in exc.value.errors


def test_assign_then_work_then_resolve_with_a_resolution_then_close(desk, account):
    request = open_request(desk, account)
    request = request_assign(access=desk.agent_access, request=request, owner=desk.agent2.user)
    assert request.status == S.ASSIGNED and request.first_response_at is not None
    request = request_transition(access=desk.agent_access, request=request, status=S.IN_PROGRESS)
    with pytest.raises(ApplicationError) as exc:
        request_transition(access=desk.agent_access, request=request, status=S.RESOLVED)
    assert "resolution" in exc.value.errors
    request = request_transition(access=desk.agent_access, request=request, status=S.RESOLVED, resolution="更换交换机")
    assert request.resolved_at is not None and request.resolution == "更换交换机"
    request = request_transition(access=desk.agent_access, request=request, status=S.CLOSED)
    assert request.closed_at is not None
    assert OutboxEvent.objects.filter(name=events.REQUEST_STATUS_CHANGED).count() == 4


def test_reopening_a_closed_request_puts_it_back_in_progress_and_counts(desk, account):
    request = open_request(desk, account)
    request = request_transition(access=desk.agent_access, request=request, status=S.RESOLVED, resolution="已修复")
    request = request_transition(access=desk.agent_access, request=request, status=S.CLOSED)
    request = request_transition(access=desk.agent_access, request=request, status=S.IN_PROGRESS)
    assert request.reopened == 1 and request.resolved_at is None and request.closed_at is None


def test_refused_moves_change_nothing(desk, account):
    request = open_request(desk, account)
    request = request_transition(access=desk.agent_access, request=request, status=S.RESOLVED, resolution="已修复")
    for status in (S.NEW, S.ASSIGNED, S.WAITING, "bogus"):
        with pytest.raises(ApplicationError):
            request_transition(access=desk.agent_access, request=request, status=status)
    request.refresh_from_db()
    assert request.status == S.RESOLVED


def test_first_move_off_new_records_the_first_response_once(desk, account):
    request = open_request(desk, account)
    request = request_transition(access=desk.agent_access, request=request, status=S.IN_PROGRESS)
    first = request.first_response_at
    assert first is not None
    request = request_transition(access=desk.agent_access, request=request, status=S.WAITING)
    assert request.first_response_at == first


def test_a_contact_of_another_account_is_refused(desk, account):
    other = make_account(desk.tenant, desk.rep.user)
    stranger = make_contact(desk.tenant, desk.rep.user, other)
    with pytest.raises(ApplicationError) as exc:
        open_request(desk, account, contact=stranger)
    assert "contact" in exc.value.errors
    assert not ServiceRequest.objects.exists()


def test_a_sales_rep_without_the_permission_cannot_open_one(desk, account):
    with pytest.raises(PermissionDenied):
        request_create(access=desk.rep_access, account=account, subject="x")


def test_delete_moves_it_to_the_recycle_bin(desk, account):
    request = open_request(desk, account)
    request_delete(access=desk.agent_access, request=request)
    request.refresh_from_db()
    assert request.deleted_at is not None


def test_an_owner_given_to_update_assigns_it_as_automation_does(desk, account):
    request = open_request(desk, account)
    request = request_update(access=desk.agent_access, request=request, owner=desk.agent2.user)
    assert request.owner == desk.agent2.user and request.status == S.ASSIGNED
