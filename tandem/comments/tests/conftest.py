from types import SimpleNamespace

import pytest
from django.utils import translation

from tandem.automation.tests import channels_support
from tandem.crm.tests.factories import make_account, make_deal
from tandem.testing.kit import access_for, make_member, make_tenant

smtp_inbox = channels_support.smtp_inbox


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def crew(tenant):
    """A deal owned by the sales rep 陈晓; a colleague rep who cannot see it; the admin and the manager who can;
    an inactive member; and, in another tenant, a member with the admin's very name."""
    rep = make_member(tenant, "sales", display_name="陈晓", email="chen@example.com", preferred_language="en")
    rep2 = make_member(tenant, "sales", display_name="刘洋", email="liu@example.com", preferred_language="en")
    admin = make_member(
        tenant, "admin", username="limin", display_name="李敏", email="li@example.com", preferred_language="en"
    )
    finance = make_member(tenant, "finance", display_name="孙丽", email="sun@example.com", preferred_language="en")
    gone = make_member(tenant, "finance", display_name="赵强", email="zhao@example.com", preferred_language="en")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    elsewhere = make_tenant()
    stranger = make_member(
        elsewhere,
        "admin",
        username="limin-elsewhere",
        display_name="王芳",
        email="w@example.com",
        preferred_language="en",
    )
    namesake = make_member(
        elsewhere, "admin", display_name="孙丽2", email="namesake@example.com", preferred_language="en"
    )
    account = make_account(tenant, rep.user, name="华东建设")
    deal = make_deal(tenant, rep.user, account, name="厂房改造")
    other_deal = make_deal(elsewhere, stranger.user, make_account(elsewhere, stranger.user), name="别家的单")
    return SimpleNamespace(
        tenant=tenant,
        rep=rep,
        rep2=rep2,
        admin=admin,
        finance=finance,
        gone=gone,
        elsewhere=elsewhere,
        stranger=stranger,
        namesake=namesake,
        account=account,
        deal=deal,
        other_deal=other_deal,
        rep_access=access_for(rep),
        rep2_access=access_for(rep2),
        admin_access=access_for(admin),
        finance_access=access_for(finance),
        stranger_access=access_for(stranger),
    )
