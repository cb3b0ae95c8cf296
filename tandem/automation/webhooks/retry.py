"""When to try a failed webhook delivery again, and whether to try at all.

The schedule follows the example of the Standard Webhooks spec, with the last step shortened so
that ten attempts span about three days:

    attempt   waits after the previous one   nominal time since the first attempt
    1         (immediately)                  0:00:00
    2         5 seconds                      0:00:05
    3         5 minutes                      0:05:05
    4         30 minutes                     0:35:05
    5         2 hours                        2:35:05
    6         5 hours                        7:35:05
    7         10 hours                       17:35:05
    8         14 hours                       31:35:05
    9         20 hours                       51:35:05
    10        20 hours                       71:35:05  (2.98 days), then we give up

Each wait is jittered by ±10 %, so the deliveries that failed together during an outage of the
receiver come back spread out instead of as one burst. This is proportional jitter, not "full"
jitter (a uniform draw between zero and the wait): full jitter would let the whole series end
anywhere from a few hours to three days, and the promise to integrators is "about three days".
With ±10 % the last attempt lands between 2.7 and 3.3 days after the first.

A receiver's ``Retry-After`` (on 429 or 503) can lengthen a wait, never shorten it, and is capped
at a day so that a receiver cannot park a message beyond the schedule's own horizon.
"""

import random
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

from tandem.automation.webhooks.net import DeliveryError, Response

RETRY_DELAYS = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=14),
    timedelta(hours=20),
    timedelta(hours=20),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
JITTER = 0.1
MAX_RETRY_AFTER = timedelta(days=1)
# 408 Request Timeout and 429 Too Many Requests say "not now", not "never".
RETRYABLE_CLIENT_ERRORS = frozenset({408, 429})


def next_attempt(
    attempt_number: int, now: datetime, rng: random.Random, *, retry_after: timedelta | None = None
) -> datetime | None:
    """When to retry after attempt ``attempt_number`` (1-based) failed at ``now``; ``None`` means give up."""
    if attempt_number < 1:
        raise ValueError("attempts are numbered from 1")
    if attempt_number >= MAX_ATTEMPTS:
        return None
    delay = RETRY_DELAYS[attempt_number - 1] * rng.uniform(1 - JITTER, 1 + JITTER)
    if retry_after is not None:
        delay = max(delay, min(retry_after, MAX_RETRY_AFTER))
    return now + delay


def is_retryable(outcome: Response | BaseException) -> bool:
    """Whether another attempt may succeed: connection errors, timeouts, 5xx, 408 and 429 yes; the rest no.

    A 2xx needs no retry; a 3xx is a wrong URL (redirects are refused); other 4xx answers, SSRF
    refusals and unexpected exceptions (bugs) would fail the same way again.
    """
    if isinstance(outcome, Response):
        return outcome.status >= 500 or outcome.status in RETRYABLE_CLIENT_ERRORS
    if isinstance(outcome, DeliveryError):
        return outcome.retryable
    return False


def retry_after(response: Response, now: datetime) -> timedelta | None:
    """The wait a receiver asked for in ``Retry-After`` (seconds or an HTTP date), if it asked."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isascii() and value.isdigit():
        return timedelta(seconds=min(int(value), MAX_RETRY_AFTER.total_seconds()))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(when - now, timedelta(0))
