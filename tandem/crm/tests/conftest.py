from types import SimpleNamespace

import pytest
from django.utils import translation

from tandem.accounts.models import Department
from tandem.testing.kit import access_for, make_member


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def team(tenant):
    """销售部 (head: the manager) → 销售一组 with two reps reporting to the manager; an admin; a finance member."""
    sales_dept = Department.objects.create(tenant=tenant, name="销售部")
    group = Department.objects.create(tenant=tenant, name="销售一组", parent=sales_dept)
    manager = make_member(tenant, "sales_manager", username=None, department=sales_dept, display_name="王磊")
    sales_dept.head = manager.user
    sales_dept.save(update_fields=["head"])
    rep = make_member(tenant, "sales", department=group, manager=manager.user, display_name="陈晓")
    rep2 = make_member(tenant, "sales", department=group, manager=manager.user, display_name="刘洋")
    admin = make_member(tenant, "admin", display_name="李敏")
    finance = make_member(tenant, "finance", display_name="孙丽")
    return SimpleNamespace(
        tenant=tenant,
        manager=manager,
        rep=rep,
        rep2=rep2,
        admin=admin,
        finance=finance,
        manager_access=access_for(manager),
        rep_access=access_for(rep),
        rep2_access=access_for(rep2),
        admin_access=access_for(admin),
        finance_access=access_for(finance),
    )
