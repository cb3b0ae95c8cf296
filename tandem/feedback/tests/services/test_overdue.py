"""The service SLA sweep: one notice per request and missed deadline, one overdue event."""

from datetime import timedelta

from django.utils import timezone

from tandem.core.models import OutboxEvent
from tandem.crm.tests.factories import make_account
from tandem.feedback import events
from tandem.feedback.choices import RequestPriority
from tandem.feedback.services.overdue import overdue_requests_notify
from tandem.feedback.services.requests import request_assign, request_create
from tandem.notifications.models import Notification


def test_a_new_request_past_its_response_time_tells_the_service_team_once(desk):
    account = make_account(desk.tenant, desk.rep.user)
    opened = timezone.now() - timedelta(hours=3)
    request = request_create(
        access=desk.agent_access,
        account=account,
        subject="空调不制冷",
        priority=RequestPriority.URGENT,
        opened_at=opened,
    )
    assert overdue_requests_notify() == 2  # both service agents; the resolution (8 h) is not due yet
    assert overdue_requests_notify() == 0
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {desk.agent.user.pk, desk.agent2.user.pk}
    assert OutboxEvent.objects.filter(name=events.REQUEST_OVERDUE, payload__request_id=request.pk).count() == 1


def test_an_assigned_request_past_its_resolution_time_tells_only_the_assignee(desk):
    account = make_account(desk.tenant, desk.rep.user)
    request = request_create(
        access=desk.agent_access,
        account=account,
        subject="门禁卡无法识别",
        priority=RequestPriority.URGENT,
        opened_at=timezone.now() - timedelta(hours=9),
    )
    request_assign(access=desk.agent_access, request=request, owner=desk.agent2.user)
    assert overdue_requests_notify() == 1  # assigning answered it; only the resolution time was missed
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [desk.agent2.user.pk]
    assert overdue_requests_notify() == 0
    assert OutboxEvent.objects.filter(name=events.REQUEST_OVERDUE).count() == 1
