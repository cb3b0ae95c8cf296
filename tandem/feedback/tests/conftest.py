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
def desk(tenant):
    """Two service agents (客服), a sales rep and an admin."""
    agent = make_member(tenant, "service", display_name="周婷")
    agent2 = make_member(tenant, "service", display_name="吴强")
    rep = make_member(tenant, "sales", display_name="陈晓")
    admin = make_member(tenant, "admin", display_name="李敏")
    return SimpleNamespace(
        tenant=tenant,
        agent=agent,
        agent2=agent2,
        rep=rep,
        admin=admin,
        agent_access=access_for(agent),
        rep_access=access_for(rep),
        admin_access=access_for(admin),
    )
