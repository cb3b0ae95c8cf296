from types import SimpleNamespace

import pytest
from django.utils import translation

from tandem.automation.tests.channels_support import smtp_inbox  # noqa: F401  (a real SMTP server)
from tandem.crm.tests.factories import make_account, make_contact
from tandem.projects.tests.factories import make_project
from tandem.testing.kit import access_for, make_member


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def crew(tenant):
    """A service member, a PM with a project for a customer whose primary contact has an email address."""
    service = make_member(tenant, "service", display_name="赵静")
    pm = make_member(tenant, "pm", display_name="周工")
    rep = make_member(tenant, "sales", display_name="陈晓")
    account = make_account(tenant, rep.user, name="上海浦东建设有限公司", tier="vip")
    contact = make_contact(tenant, rep.user, account, primary=True, name="李经理", email="li@pudong.example.com")
    other = make_contact(tenant, rep.user, account, name="王工", email="")
    project = make_project(tenant, member=pm, name="浦东园区弱电改造")
    project.account_id = account.pk
    project.save(update_fields=["account_id"])
    return SimpleNamespace(
        tenant=tenant,
        service=service,
        pm=pm,
        rep=rep,
        account=account,
        contact=contact,
        other=other,
        project=project,
        access=access_for(service),
        rep_access=access_for(rep),
        pm_access=access_for(pm),
    )


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
