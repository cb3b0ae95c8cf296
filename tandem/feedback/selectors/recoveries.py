"""Open recoveries for the home workbench: oldest first, with their age and whether the review is late."""

from __future__ import annotations

from django.utils import timezone

from tandem.feedback.choices import RecoveryStatus
from tandem.feedback.models import Recovery

HOME_SIZE = 6


def open_recoveries(*, access, limit: int = HOME_SIZE) -> tuple[list[Recovery], int]:
    """The member's visible open recoveries (oldest first, at most `limit`) and how many there are in all."""
    qs = (
        Recovery.objects.restrict(access)
        .filter(status=RecoveryStatus.OPEN)
        .select_related("response", "account", "review_task")
        .order_by("created_at", "id")
    )
    now = timezone.now()
    rows = list(qs[:limit])
    for row in rows:
        row.age_days = (now - row.created_at).days
        task = row.review_task
        row.review_overdue = bool(
            task and task.percent_complete < 100 and task.early_finish and task.early_finish < now
        )
    return rows, qs.count()
