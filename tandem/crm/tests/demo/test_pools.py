"""The demo pools and targets: two pools with rules, accounts waiting with their history, targets with progress."""

from tandem.accounts import demo as accounts_demo
from tandem.accounts.models import Tenant
from tandem.crm.demo import customers as demo
from tandem.crm.demo import pools as demo_pools
from tandem.crm.models import Account, Pool, PoolMove, SalesTarget
from tandem.crm.selectors.pools import pool_list
from tandem.crm.selectors.workbench import workbench
from tandem.testing.kit import access_for


def test_demo_pools_load_once(db):
    accounts_demo.load()
    demo.load()
    demo_pools.load()
    demo_pools.load()

    tenant = Tenant.objects.get(slug="demo")
    assert set(Pool.objects.filter(tenant=tenant).values_list("name", flat=True)) == {"公共池", "华东区域池"}
    waiting = Account.objects.filter(tenant=tenant, owner__isnull=True)
    given_back = PoolMove.objects.filter(tenant=tenant, kind__in=["recall", "release"]).count()
    claimed = PoolMove.objects.filter(tenant=tenant, kind="claim").count()
    assert 1 <= given_back <= 6 and claimed >= 1 and waiting.count() == given_back + 8 - claimed
    assert not waiting.filter(deals__status__in=["open", "won"]).exists()
    assert not waiting.filter(region="east").exclude(pool__name="华东区域池").exists()
    assert SalesTarget.objects.filter(tenant=tenant, level="company").count() == 2

    from tandem.accounts.models import Membership

    rep = Membership.objects.get(tenant=tenant, user__username="sales")
    access = access_for(rep)
    assert {p.name for p in pool_list(access=access)} == {"公共池", "华东区域池"}
    data = workbench(access=access)
    assert data["targets"] and data["funnel"] and data["ranking"]
    assert data["upcoming_recalls"]["count"] == claimed
