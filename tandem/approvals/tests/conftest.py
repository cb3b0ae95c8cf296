from types import SimpleNamespace

import pytest
from django.utils import translation

from tandem.testing.kit import access_for, make_member


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def org(tenant):
    """An owner (王总) over a sales manager (李经理) over a rep (陈晓), finance, and five more colleagues."""
    boss = make_member(tenant, "owner", display_name="王总", email="boss@example.com")
    manager = make_member(tenant, "sales_manager", manager=boss.user, display_name="李经理", email="li@example.com")
    rep = make_member(tenant, "sales", manager=manager.user, display_name="陈晓", email="rep@example.com")
    finance = make_member(tenant, "finance", display_name="赵会计", email="fin@example.com")
    crew = [make_member(tenant, "sales", display_name=f"同事{i}", email=f"c{i}@example.com") for i in range(5)]
    return SimpleNamespace(
        tenant=tenant,
        boss=boss,
        manager=manager,
        rep=rep,
        finance=finance,
        crew=crew,
        admin=access_for(boss),
        access=lambda m: access_for(m),
    )
