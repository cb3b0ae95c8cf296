"""Who hears of an approval: assigned and CC'd people in Tandem (a notification) and by email, the submitter
when it is decided. Handlers of the app's own events, so they run after the commit, once per event."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from tandem.accounts.models import Tenant
from tandem.approvals import events
from tandem.notifications.services.notifications import notification_send


def _language(user, tenant) -> str:
    return user.preferred_language or tenant.locale


def _texts(payload: dict) -> tuple[str, str]:
    """The title and body of an assignment, in the active language."""
    if payload["kind"] == "cc":
        title = _("CC'd to you: %(title)s") % {"title": payload["title"]}
    else:
        title = _("Awaiting your approval: %(title)s") % {"title": payload["title"]}
    lines = [
        _("%(who)s submitted it; step: %(node)s.") % {"who": payload["submitter_name"], "node": payload["node_name"]}
    ]
    lines += [f"{label}: {value}" for label, value in payload["summary"]]
    return title, "\n".join(lines)


def on_task_assigned(event) -> None:
    """A notification for each person of the node; the mail goes out after this handler's commit."""
    payload = event.payload
    tenant = Tenant.objects.get(pk=event.tenant_id)
    users = get_user_model().objects.filter(pk__in=payload["assignee_ids"])
    for user in users:
        with translation.override(_language(user, tenant)):
            title, body = _texts(payload)
        notification_send(
            tenant_id=event.tenant_id,
            recipient_id=user.pk,
            title=title,
            body=body,
            url=payload["url"],
            event_id=event.pk,
        )
    from tandem.approvals.tasks import assignment_mail_task

    event_id = str(event.pk)
    transaction.on_commit(lambda: assignment_mail_task(event_id))


def send_assignment_mail(event_id) -> int:
    """One email to each assigned person with an address; how many were sent."""
    from tandem.core.models import OutboxEvent

    event = OutboxEvent.objects.filter(pk=event_id, name=events.TASK_ASSIGNED).first()
    if event is None:
        return 0
    payload = event.payload
    tenant = Tenant.objects.get(pk=event.tenant_id)
    link = settings.TANDEM_BASE_URL.rstrip("/") + payload["url"]
    sent = 0
    for user in get_user_model().objects.filter(pk__in=payload["assignee_ids"]).exclude(email=""):
        with translation.override(_language(user, tenant)):
            title, body = _texts(payload)
            body = f"{body}\n\n{_('Open it: %(link)s') % {'link': link}}"
        EmailMessage(subject=title, body=body, to=[user.email]).send()
        sent += 1
    return sent


def on_decided(event) -> None:
    """Tell the submitter the approval passed or was rejected."""
    payload = event.payload
    if not payload.get("submitter_id"):
        return
    tenant = Tenant.objects.get(pk=event.tenant_id)
    user = get_user_model().objects.filter(pk=payload["submitter_id"]).first()
    if user is None:
        return
    with translation.override(_language(user, tenant)):
        if event.name == events.APPROVAL_APPROVED:
            title = _("Approved: %(title)s") % {"title": payload["title"]}
        else:
            title = _("Rejected: %(title)s") % {"title": payload["title"]}
    notification_send(
        tenant_id=event.tenant_id,
        recipient_id=user.pk,
        title=title,
        body=payload.get("comment", ""),
        url=payload["url"],
        event_id=event.pk,
    )
