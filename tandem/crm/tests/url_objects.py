"""Objects for the generic permission test: each crm URL with parameters, filled with a colleague's record."""

from decimal import Decimal

from django.utils import timezone

from tandem.crm.models import Pipeline, Receipt, Stage
from tandem.crm.tests.factories import (
    make_account,
    make_activity,
    make_contact,
    make_contract,
    make_deal,
    make_lead,
    make_milestone,
)
from tandem.testing.permissions import colleague, seed_name, url_objects


def _owner(tenant):
    return colleague(tenant, "sales").user


def _account(tenant):
    return make_account(tenant, _owner(tenant), name=seed_name(tenant, "account"))


@url_objects("api:account-detail", "api:account-timeline", "api:account-merge", "crm:account_detail")
def account(tenant):
    return {"pk": _account(tenant).pk}


@url_objects("api:contact-detail")
def contact(tenant):
    return {"pk": make_contact(tenant, _owner(tenant), name=seed_name(tenant, "contact")).pk}


@url_objects("api:lead-detail", "api:lead-convert")
def lead(tenant):
    return {"pk": make_lead(tenant, _owner(tenant), company=seed_name(tenant, "lead")).pk}


@url_objects("api:pipeline-detail")
def pipeline(tenant):
    pipeline = Pipeline.objects.create(tenant=tenant, name=seed_name(tenant, "pipeline"))
    Stage.objects.create(tenant=tenant, pipeline=pipeline, name=seed_name(tenant, "stage"), order=1)
    return {"pk": pipeline.pk}


@url_objects("api:deal-detail", "api:deal-win", "api:deal-lose", "api:deal-move")
def deal(tenant):
    owner = _owner(tenant)
    return {"pk": make_deal(tenant, owner, make_account(tenant, owner), name=seed_name(tenant, "deal")).pk}


@url_objects("api:activity-detail")
def activity(tenant):
    owner = _owner(tenant)
    return {
        "pk": make_activity(tenant, owner, account=make_account(tenant, owner), subject=seed_name(tenant, "act")).pk
    }


def _contract(tenant):
    owner = _owner(tenant)
    return make_contract(tenant, owner, make_account(tenant, owner), name=seed_name(tenant, "contract"))


@url_objects(
    "api:contract-detail", "api:contract-sign", "api:contract-close", "api:contract-payment-plan", "api:contract-print"
)
def contract(tenant):
    return {"pk": _contract(tenant).pk}


@url_objects("api:paymentmilestone-detail")
def milestone(tenant):
    return {"pk": make_milestone(_contract(tenant), "100.00", name=seed_name(tenant, "period")).pk}


@url_objects("api:receipt-detail", "api:receipt-print")
def receipt(tenant):
    period = make_milestone(_contract(tenant), "100.00", name=seed_name(tenant, "period"))
    receipt = Receipt.objects.create(
        tenant=tenant,
        contract=period.contract,
        milestone=period,
        amount=Decimal("10.00"),
        received_on=timezone.localdate(),
        reference=seed_name(tenant, "receipt"),
        created_by=period.contract.owner,
    )
    return {"pk": receipt.pk}


# --- public pools, targets ---------------------------------------------------------------------------


def _pool(tenant):
    from tandem.crm.models import Pool

    return Pool.objects.create(tenant=tenant, name=seed_name(tenant, "pool"))


@url_objects(
    "api:pool-detail",
    "api:pool-accounts",
    "api:pool-claim",
    "api:pool-assign",
    "crm:pool_detail",
    "crm:pool_edit",
    "crm:pool_delete",
    "crm:pool_claim",
    "crm:pool_assign",
)
def pool(tenant):
    pool = _pool(tenant)
    from tandem.crm.models import Account

    Account.objects.create(tenant=tenant, owner=None, pool=pool, name=seed_name(tenant, "pooled"))
    return {"pk": pool.pk}


@url_objects("api:account-release", "api:account-lock", "api:account-unlock", "crm:account_release", "crm:account_lock")
def owned_account(tenant):
    return {"pk": _account(tenant).pk}


@url_objects("api:salestarget-detail", "crm:target_delete")
def sales_target(tenant):
    from tandem.crm.choices import TargetLevel, TargetMetric
    from tandem.crm.models import SalesTarget

    target = SalesTarget.objects.create(
        tenant=tenant,
        level=TargetLevel.PERSON,
        user=_owner(tenant),
        metric=TargetMetric.CONTRACTS,
        year=2026,
        month=3,
        amount=Decimal("123456.00"),
    )
    return {"pk": target.pk}


# --- the customer pages (forms, record pages, stage moves, contracts) ------------------------------


@url_objects("crm:account_edit")
def account_page(tenant):
    return {"pk": _account(tenant).pk}


@url_objects("crm:contact_detail", "crm:contact_edit")
def contact_page(tenant):
    return {"pk": make_contact(tenant, _owner(tenant), name=seed_name(tenant, "contact")).pk}


@url_objects("crm:lead_detail", "crm:lead_edit", "crm:lead_convert")
def lead_page(tenant):
    return {"pk": make_lead(tenant, _owner(tenant), company=seed_name(tenant, "lead")).pk}


@url_objects(
    "crm:deal_detail", "crm:deal_edit", "crm:deal_move", "crm:deal_win", "crm:deal_lose", "crm:contract_create"
)
def deal_page(tenant):
    owner = _owner(tenant)
    return {"pk": make_deal(tenant, owner, make_account(tenant, owner), name=seed_name(tenant, "deal")).pk}


@url_objects("crm:contract_detail", "crm:contract_edit", "crm:contract_sign", "crm:receipt_create")
def contract_page(tenant):
    return {"pk": _contract(tenant).pk}
