"""Deliveries to notification channels that run on the worker."""

from __future__ import annotations

import logging

from django.conf import settings
from huey.contrib.djhuey import db_task

logger = logging.getLogger(__name__)

CARD_RETRIES = 5
CARD_RETRY_DELAY = 60


@db_task(retries=CARD_RETRIES, retry_delay=CARD_RETRY_DELAY, retry_backoff=2)
def approval_card_deliver_task(channel_id: int, event_id: str) -> None:
    """Post one approval card; a rate limit or a busy vendor retries, a refused configuration is logged on the
    channel (its last error) and not retried."""
    from tandem.automation.channels.approval_cards import approval_card_deliver
    from tandem.automation.channels.services import ChannelFailed

    try:
        approval_card_deliver(channel_id=channel_id, event_id=event_id, base_url=settings.TANDEM_BASE_URL)
    except ChannelFailed as failure:
        logger.warning("approval card to channel %s failed: %s", channel_id, failure.error)
