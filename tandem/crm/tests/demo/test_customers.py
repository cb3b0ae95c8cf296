"""The demo loader: realistic volumes, valid data, and safe to run again."""

from decimal import Decimal

from django.db.models import Sum
from stdnum.cn import uscc

from tandem.accounts import demo as accounts_demo
from tandem.crm.demo import customers as demo
from tandem.crm.models import Account, Activity, Contact, Contract, Deal, Lead, Receipt
from tandem.crm.selectors.contracts import milestone_annotate


def test_demo_loads_once_with_valid_data(db):
    accounts_demo.load()
    demo.load()
    demo.load()

    assert Account.objects.count() == 60 and Contact.objects.count() == 150
    assert Deal.objects.count() == 80 and Lead.objects.count() == 20 and Contract.objects.count() == 10
    assert Activity.objects.count() > 100 and Receipt.objects.exists()
    assert set(Deal.objects.values_list("stage__order", flat=True)) == {1, 2, 3, 4, 5, 6}
    owners = set(Deal.objects.values_list("owner__username", flat=True))
    assert owners == {"sales", "sales2", "salesmgr"}
    for code in Account.objects.exclude(credit_code="").values_list("credit_code", flat=True):
        assert uscc.is_valid(code)
    for contract in Contract.objects.all():
        planned = contract.milestones.aggregate(total=Sum("amount"))["total"]
        assert planned == contract.amount
        assert [m.percent for m in contract.milestones.order_by("sequence")] == [30, 60, 7, 3]
        assert contract.deal.status == "won"
    statuses = set(
        milestone_annotate(Contract.objects.first().milestones.model.objects.all()).values_list("status", flat=True)
    )
    assert {"received", "pending"} <= statuses
    assert Account.objects.filter(last_activity_at__isnull=False).exists()
    assert Deal.objects.filter(amount__gt=Decimal("0")).count() == 80
