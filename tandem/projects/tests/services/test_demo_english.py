"""The English-speaking demo tenant is a working product: customers, deals, a signed contract, a template,
projects made from the won deals with their customer side, and a won-deal rule that works there."""

from decimal import Decimal

from tandem.accounts import demo as accounts_demo
from tandem.accounts.access import MembershipAccess
from tandem.accounts.models import Membership
from tandem.automation import demo as automation_demo
from tandem.crm.demo import northwind
from tandem.crm.models import Account, Contract, Deal, Lead
from tandem.crm.services.deals import deal_mark_won
from tandem.projects import demo
from tandem.projects.models import Project, ProjectTemplate


def test_the_english_tenant_gets_a_small_working_data_set_once(db, django_capture_on_commit_callbacks):
    accounts_demo.load()
    for _ in range(2):
        northwind.load()
        demo.load_northwind()
    automation_demo.load()
    tenant = "northwind"
    assert Account.objects.filter(tenant__slug=tenant).count() == len(northwind.ACCOUNTS)
    assert Deal.objects.filter(tenant__slug=tenant).count() == len(northwind.DEALS)
    assert Lead.objects.filter(tenant__slug=tenant).count() == len(northwind.LEADS)
    signed = Contract.objects.get(tenant__slug=tenant, status="signed")
    assert ProjectTemplate.objects.filter(tenant__slug=tenant, name=demo.NORTHWIND_TEMPLATE).count() == 1
    projects = {p.deal_id: p for p in Project.objects.filter(tenant__slug=tenant)}
    assert len(projects) == 2
    under_way = projects[signed.deal_id]
    assert under_way.contract_id == signed.pk and under_way.budget == signed.amount
    assert under_way.contact_ids and under_way.owner.username == "emily"
    assert under_way.tasks.filter(is_milestone=True, payment_milestone_id__isnull=False).exists()
    # Winning another deal there runs the won-deal rule: a project from the English template, PM by skill.
    sales = Membership.objects.select_related("tenant", "user").get(tenant__slug=tenant, user__username="sales")
    deal = Deal.objects.filter(tenant__slug=tenant, status="open", deal_type="installation").first()
    with django_capture_on_commit_callbacks(execute=True):
        deal_mark_won(access=MembershipAccess(sales), deal=deal)
    made = Project.objects.get(tenant__slug=tenant, deal_id=deal.pk)
    assert made.owner.username == "emily" and made.tasks.count() == len(demo.NORTHWIND_TASKS)
    assert made.budget == deal.amount and made.budget > Decimal("0")
