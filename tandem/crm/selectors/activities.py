"""Reads of follow-ups (跟进记录), and each record's latest follow-up for the list pages."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery

from tandem.crm.choices import ActivityKind
from tandem.crm.models import Activity


def activity_related(qs):
    return qs.select_related("owner", "account", "contact", "lead", "deal")


def activity_list(*, access, action: str = "view"):
    return activity_related(Activity.objects.restrict(access, action)).order_by("-occurred_at", "-id")


def with_last_follow_up(qs, *, via: str):
    """Each row's latest follow-up (time, kind, subject) through the activity's `via` foreign key, in the
    same query: open tasks are plans, not follow-ups."""
    latest = (
        Activity.objects.filter(tenant_id=OuterRef("tenant_id"), **{via: OuterRef("pk")})
        .exclude(kind=ActivityKind.TASK, done=False)
        .order_by("-occurred_at", "-id")
    )
    return qs.annotate(
        last_follow_up_at=Subquery(latest.values("occurred_at")[:1]),
        last_follow_up_kind=Subquery(latest.values("kind")[:1]),
        last_follow_up_subject=Subquery(latest.values("subject")[:1]),
    )
