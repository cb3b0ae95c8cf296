import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English; requests choose their own language (cookie, header, tenant)."""
    with translation.override("en"):
        yield
