"""Telling a mentioned member: in-app and by email, once per mention event, after the comment is committed."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from tandem.accounts.access import MembershipAccess
from tandem.accounts.models import Membership
from tandem.comments.registry import record_for
from tandem.core.errors import NotFound
from tandem.notifications.services.notifications import notification_send

logger = logging.getLogger(__name__)


@transaction.atomic
def on_comment_mentioned(event) -> None:
    """The outbox handler of `comments.comment.mentioned`: notify the member named in the event.

    The outbox runs a handler once per event (its EventHandling row), and the notification is keyed by the event
    id too, so a retried dispatch neither notifies nor mails twice. A member who left the tenant, or who may not
    view the record, gets nothing: the notification would show them text they are not allowed to read."""
    payload = event.payload
    membership = (
        Membership.objects.select_related("tenant", "user")
        .prefetch_related("roles")
        .filter(tenant_id=event.tenant_id, user_id=payload["user"], is_active=True)
        .first()
    )
    if membership is None:
        return
    try:
        record_for(MembershipAccess(membership), payload["object_type"], payload["object_id"])
    except NotFound:
        logger.info("comment %s mentions user %s, who may not view the record", payload["comment"], payload["user"])
        return
    user = membership.user
    author = type(user).objects.filter(pk=payload["author"]).first()
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        title = _("%(author)s mentioned you on %(record)s") % {"author": author, "record": payload["object_repr"]}
        notification_send(
            tenant_id=event.tenant_id,
            recipient_id=user.pk,
            title=title,
            body=payload["excerpt"],
            url=payload["url"],
            event_id=event.id,
        )
        if user.email:
            context = {"author": author, "payload": payload, "link": _absolute(payload["url"]), "user": user}
            text = render_to_string("comments/email/mentioned.txt", context)
            EmailMessage(subject=title, body=text, to=[user.email]).send()


def _absolute(url: str) -> str:
    base = settings.TANDEM_BASE_URL.rstrip("/")
    return f"{base}{url}" if base else url
