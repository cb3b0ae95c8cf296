"""Approval tasks pushed to IM groups: when a node of an approval is reached, every enabled channel marked for
approval cards gets a card with approve, reject and open buttons — signed links back into Tandem
(`tandem.approvals.links`). A CC node's card only opens the record.

The handler runs in the outbox dispatcher's transaction and only queues one delivery per (channel, node, round)
after it commits; the delivery sends once per key, so a retried event or task never posts twice.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tandem.approvals import events as approval_events
from tandem.approvals.links import approval_link
from tandem.automation.channels.robots import RobotButton
from tandem.automation.engine.runner import tenant_language
from tandem.automation.models import Channel
from tandem.core.events import on


@on(approval_events.TASK_ASSIGNED)
def approval_cards_queue(event) -> None:
    """Queue a card for each channel that takes approval cards."""
    from tandem.automation.channels.tasks import approval_card_deliver_task

    channel_ids = list(
        Channel.objects.filter(tenant_id=event.tenant_id, enabled=True, approval_cards=True).values_list(
            "pk", flat=True
        )
    )
    for channel_id in channel_ids:
        transaction.on_commit(
            lambda channel_id=channel_id: approval_card_deliver_task(channel_id, str(event.pk)), robust=True
        )


def approval_card_key(payload: dict) -> str:
    return f"approval:{payload['approval_id']}:{payload['round']}:{payload['node_key']}:{payload.get('kind', '')}"


def approval_card(payload: dict, *, tenant_id: int, base_url: str, names: list[str]) -> dict:
    """Title, text, fields and buttons of the card for one reached node, in the tenant's language."""
    record_url = base_url.rstrip("/") + payload["url"]
    people = "、".join(names) or "—"
    if payload.get("kind") == "cc":
        title = _("CC: %(title)s") % {"title": payload["title"]}
        text = _("%(submitter)s submitted it for approval · %(node)s · for %(people)s") % {
            "submitter": payload.get("submitter_name", ""),
            "node": payload["node_name"],
            "people": people,
        }
        buttons = (RobotButton(pgettext("approval card", "Open"), record_url, primary=True),)
    else:
        title = _("Awaiting approval: %(title)s") % {"title": payload["title"]}
        text = _("%(submitter)s submitted it for approval · %(node)s · waiting for %(people)s") % {
            "submitter": payload.get("submitter_name", ""),
            "node": payload["node_name"],
            "people": people,
        }
        link = {"tenant_id": tenant_id, "approval_id": payload["approval_id"]}
        buttons = (
            RobotButton(_("Approve"), approval_link(**link, decision="approve"), primary=True),
            RobotButton(_("Reject"), approval_link(**link, decision="reject")),
            RobotButton(pgettext("approval card", "Open"), record_url),
        )
    fields = tuple((str(label), str(value)) for label, value in payload.get("summary") or [])
    return {"title": title, "body": text, "url": record_url, "buttons": buttons, "fields": fields}


def approval_card_deliver(*, channel_id: int, event_id: str, base_url: str) -> None:
    """Post the card of one event to one channel (once per key); ChannelRetry/ChannelFailed propagate."""
    from django.contrib.auth import get_user_model

    from tandem.automation.channels.services import channel_deliver
    from tandem.core.models import OutboxEvent

    event = OutboxEvent.objects.filter(pk=event_id).first()
    channel = Channel.objects.filter(pk=channel_id).first()
    if event is None or channel is None or channel.tenant_id != event.tenant_id:
        return
    payload = event.payload
    users = get_user_model().objects.filter(pk__in=payload.get("assignee_ids") or [])
    names = [str(user) for user in users]
    language = tenant_language(channel.tenant_id)
    with translation.override(language):
        card = approval_card(payload, tenant_id=channel.tenant_id, base_url=base_url, names=names)
    channel_deliver(channel=channel, key=approval_card_key(payload), language=language, **card)
