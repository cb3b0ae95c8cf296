"""Reads of surveys and answers, scoped to what the member may see."""

from __future__ import annotations

from tandem.crm.models import AccountContact
from tandem.feedback.models import Survey

PANEL_SIZE = 5


def surveys_of(*, access, account=None, project=None, limit: int = PANEL_SIZE, scoped: bool = True) -> list[Survey]:
    """The latest surveys of an account or a project, with their answers, newest first.

    `scoped=False` takes them whatever the member's data scope: a project page shows its customer's answers to
    the delivery team that may see the project (as it shows the customer's timeline)."""
    qs = Survey.objects.restrict(access) if scoped else Survey.objects.filter(tenant_id=access.tenant_id)
    qs = qs.select_related("contact", "project", "response__recovery__review_task", "template")
    if account is not None:
        qs = qs.filter(account=account)
    if project is not None:
        qs = qs.filter(project=project)
    return list(qs.order_by("-created_at", "-id")[:limit])


def survey_contacts(*, account) -> list:
    """The account's contacts a survey can go to, the primary one first."""
    links = (
        AccountContact.objects.filter(account=account, contact__deleted_at__isnull=True)
        .select_related("contact")
        .order_by("-is_primary", "id")
    )
    return [link.contact for link in links]
