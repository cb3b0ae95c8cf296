from types import SimpleNamespace

import pytest
from django.utils import translation

from tandem.crm.tests.factories import make_account, make_contract
from tandem.testing.kit import access_for, make_member


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def crew(tenant):
    """An administrator, a sales manager who approves, a salesperson who submits a draft contract."""
    admin = make_member(tenant, "admin", display_name="管理员")
    manager = make_member(tenant, "sales_manager", display_name="王经理")
    rep = make_member(tenant, "sales", display_name="陈晓", manager=manager.user)
    account = make_account(tenant, rep.user, name="青岛长江置业")
    contract = make_contract(tenant, rep.user, account, name="二期机电安装", status="draft")
    return SimpleNamespace(
        tenant=tenant,
        admin=admin,
        manager=manager,
        rep=rep,
        account=account,
        contract=contract,
        admin_access=access_for(admin),
        rep_access=access_for(rep),
    )
