"""Reads of service requests (客服工单), scoped to the member's tenant and data scope."""

from __future__ import annotations

from django.db.models import CharField, Count, F, Q, QuerySet, Value
from django.utils import timezone

from tandem.audit.models import AuditEntry
from tandem.feedback.choices import OPEN_REQUEST_STATUSES, RequestStatus
from tandem.feedback.models import ServiceRequest

PANEL_SIZE = 10
BOARD_COLUMN_SIZE = 50  # a column shows this many cards; the list has the rest


def request_related(qs: QuerySet) -> QuerySet:
    """What a row or card of a request shows, loaded with it."""
    return qs.select_related("account", "contact", "project", "owner", "survey_response")


def request_list(*, access, action: str = "view") -> QuerySet:
    """The requests the member may `action`, newest first."""
    return request_related(ServiceRequest.objects.restrict(access, action)).order_by("-opened_at", "-id")


def overdue_condition(now=None) -> Q:
    """Open requests past a deadline: no first response by its time, or not resolved by its time."""
    now = now or timezone.now()
    late_response = Q(first_response_at__isnull=True, response_due_at__lt=now)
    late_resolution = Q(resolve_due_at__lt=now)
    return Q(status__in=OPEN_REQUEST_STATUSES) & (late_response | late_resolution)


def request_board(qs: QuerySet) -> list[dict]:
    """The board's columns, one per status in order: its count and its first cards (most urgent first)."""
    counts = dict(qs.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    columns = []
    for value, label in RequestStatus.choices:
        column = qs.filter(status=value)
        if value in OPEN_REQUEST_STATUSES:
            column = column.order_by("resolve_due_at", "id")
        else:
            column = column.order_by("-resolved_at", "-id")
        cards = list(column[:BOARD_COLUMN_SIZE])
        columns.append({"status": value, "label": label, "cards": cards, "count": counts.get(value, 0)})
    return columns


def open_requests_of(*, access, account=None, project=None, limit: int = PANEL_SIZE) -> tuple[list, int]:
    """The open requests of an account or a project, due soonest first, and how many there are."""
    qs = request_list(access=access).filter(status__in=OPEN_REQUEST_STATUSES)
    if account is not None:
        qs = qs.filter(account=account)
    if project is not None:
        qs = qs.filter(project=project)
    qs = qs.order_by("resolve_due_at", "id")
    return list(qs[:limit]), qs.count()


def request_timeline(*, access, request: ServiceRequest) -> QuerySet:
    """The recorded changes to a request, newest first, as the rows (kind, id, at) the crm timeline pages and
    loads (`tandem.crm.selectors.timelines.timeline_load`)."""
    return (
        AuditEntry.objects.filter(
            tenant_id=access.tenant_id, object_type="feedback.servicerequest", object_id=str(request.pk)
        )
        .annotate(row_kind=Value("change", output_field=CharField()), row_id=F("pk"), row_at=F("created_at"))
        .values_list("row_kind", "row_id", "row_at")
        .order_by("-row_at", "-row_id")
    )
