"""The retry schedule: properties of next_attempt, Retry-After, and what is worth retrying."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.automation.webhooks.net import DeliveryError, Refused, Response
from tandem.automation.webhooks.retry import (
    JITTER,
    MAX_ATTEMPTS,
    MAX_RETRY_AFTER,
    RETRY_DELAYS,
    is_retryable,
    next_attempt,
    retry_after,
)

START = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
NOMINAL_TOTAL = sum(RETRY_DELAYS, timedelta())


class FixedDraw(random.Random):
    """A random source whose uniform() always lands at the same fraction of the interval."""

    def __init__(self, fraction: float):
        super().__init__()
        self.fraction = fraction

    def uniform(self, a, b):
        return a + (b - a) * self.fraction


def attempt_times(rng) -> list[datetime]:
    times = [START]
    while (following := next_attempt(len(times), times[-1], rng)) is not None:
        times.append(following)
    return times


def test_the_documented_schedule():
    assert MAX_ATTEMPTS == 10
    assert [d.total_seconds() for d in RETRY_DELAYS[:3]] == [5, 300, 1800]
    assert timedelta(hours=71, minutes=35, seconds=5) == NOMINAL_TOTAL


@given(seed=st.integers(0, 2**32))
def test_attempts_increase_and_end_after_about_three_days(seed):
    times = attempt_times(random.Random(seed))
    assert len(times) == MAX_ATTEMPTS
    assert all(later > earlier for earlier, later in zip(times, times[1:], strict=False))
    total = times[-1] - times[0]
    assert NOMINAL_TOTAL * (1 - JITTER) <= total <= NOMINAL_TOTAL * (1 + JITTER)
    assert timedelta(days=2.6) < total < timedelta(days=3.3)


@given(attempt=st.integers(1, MAX_ATTEMPTS - 1), seed=st.integers(0, 2**32))
def test_each_wait_stays_within_its_jitter_band(attempt, seed):
    delay = next_attempt(attempt, START, random.Random(seed)) - START
    nominal = RETRY_DELAYS[attempt - 1]
    assert nominal * (1 - JITTER) <= delay <= nominal * (1 + JITTER)


@given(fraction=st.floats(0, 1))
def test_for_the_same_draw_a_later_attempt_never_waits_less(fraction):
    delays = [next_attempt(n, START, FixedDraw(fraction)) - START for n in range(1, MAX_ATTEMPTS)]
    assert delays == sorted(delays)


@given(attempt=st.integers(MAX_ATTEMPTS, 1000))
def test_give_up_after_the_last_attempt(attempt):
    assert next_attempt(attempt, START, random.Random(0)) is None


def test_attempt_numbers_start_at_one():
    with pytest.raises(ValueError):
        next_attempt(0, START, random.Random(0))


def test_jitter_spreads_deliveries_that_failed_together():
    retries = {next_attempt(4, START, random.Random(seed)) for seed in range(50)}
    assert len(retries) == 50
    assert max(retries) - min(retries) > timedelta(minutes=10)


def test_retry_after_lengthens_a_wait_but_never_shortens_it_and_is_capped():
    rng = FixedDraw(0.5)
    assert next_attempt(1, START, rng, retry_after=timedelta(minutes=2)) == START + timedelta(minutes=2)
    assert next_attempt(6, START, rng, retry_after=timedelta(minutes=2)) == START + timedelta(hours=10)
    assert next_attempt(1, START, rng, retry_after=timedelta(days=30)) == START + MAX_RETRY_AFTER


def response(status: int, **headers: str) -> Response:
    return Response(status, headers, b"", 0.1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", timedelta(seconds=120)),
        ("Fri, 01 May 2026 08:30:00 GMT", timedelta(minutes=30)),
        ("Fri, 01 May 2026 07:00:00 GMT", timedelta(0)),
        ("9" * 40, MAX_RETRY_AFTER),
        ("soon", None),
        ("-5", None),
    ],
)
def test_retry_after_header(value, expected):
    assert retry_after(response(503, **{"retry-after": value}), START) == expected
    assert retry_after(response(503), START) is None


@pytest.mark.parametrize(
    ("outcome", "retryable"),
    [
        (response(500), True),
        (response(503), True),
        (response(429), True),
        (response(408), True),
        (response(404), False),
        (response(410), False),
        (response(401), False),
        (response(302), False),
        (response(200), False),
        (DeliveryError("connection refused"), True),
        (DeliveryError("no answer within 10 s"), True),
        (Refused("127.0.0.1 is a loopback address"), False),
        (RuntimeError("a bug"), False),
    ],
)
def test_what_is_retryable(outcome, retryable):
    assert is_retryable(outcome) is retryable
