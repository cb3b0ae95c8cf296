"""A slow handler used to kill a worker mid-dispatch in the outbox tests."""

import os
import time

from tandem.core.events import on
from tandem.testing.models import HandlerEffect


@on("testing.sample.happened")
def record_effect(event) -> None:
    HandlerEffect.objects.create(event_id=event.pk, note="effect")
    delay = float(os.environ.get("TANDEM_TEST_HANDLER_DELAY", "0"))
    if delay:
        time.sleep(delay)
