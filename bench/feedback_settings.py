"""Settings of `bench/feedback.py`: production settings behind a trusted reverse proxy.

The answer page is rate-limited per client address; the bench's clients each send their own X-Forwarded-For
address, as a reverse proxy would for real customers, so the limit counts customers rather than the bench.
"""

from tandem.settings import *  # noqa: F403

TANDEM_TRUST_PROXY = True
