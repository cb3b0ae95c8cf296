"""Quick builders of crm rows for tests, written straight to the database (services have their own tests)."""

from __future__ import annotations

import itertools
from decimal import Decimal

from django.utils import timezone

from tandem.crm.choices import ContractStatus, DueRule
from tandem.crm.models import Account, AccountContact, Activity, Contact, Contract, Deal, Lead, PaymentMilestone
from tandem.crm.services.pipelines import pipeline_default

_seq = itertools.count(1)


def make_account(tenant, owner, **fields) -> Account:
    fields.setdefault("name", f"测试客户{next(_seq)}有限公司")
    return Account.objects.create(tenant=tenant, owner=owner, **fields)


def make_contact(tenant, owner, account=None, *, primary=False, **fields) -> Contact:
    fields.setdefault("name", f"联系人{next(_seq)}")
    contact = Contact.objects.create(tenant=tenant, owner=owner, **fields)
    if account is not None:
        AccountContact.objects.create(tenant=tenant, account=account, contact=contact, is_primary=primary)
    return contact


def make_lead(tenant, owner, **fields) -> Lead:
    fields.setdefault("company", f"线索公司{next(_seq)}")
    fields.setdefault("contact_name", "张工")
    return Lead.objects.create(tenant=tenant, owner=owner, **fields)


def stage_named(tenant, position: int):
    """The default pipeline's stage at a 1-based position (5 is won, 6 is lost)."""
    return pipeline_default(tenant=tenant).stages.get(order=position)


def make_deal(tenant, owner, account=None, *, stage=None, **fields) -> Deal:
    account = account or make_account(tenant, owner)
    stage = stage or stage_named(tenant, 1)
    fields.setdefault("name", f"商机{next(_seq)}")
    fields.setdefault("number", f"SJ-T-{next(_seq):05d}")
    fields.setdefault("amount", Decimal("100000.00"))
    return Deal.objects.create(
        tenant=tenant,
        owner=owner,
        account=account,
        pipeline=stage.pipeline,
        stage=stage,
        stage_changed_at=timezone.now(),
        **{"status": stage.status, **fields},
    )


def make_activity(tenant, owner, **fields) -> Activity:
    fields.setdefault("subject", f"电话沟通{next(_seq)}")
    return Activity.objects.create(tenant=tenant, owner=owner, **fields)


def make_contract(tenant, owner, account=None, *, amount=Decimal("1000000.00"), **fields) -> Contract:
    account = account or make_account(tenant, owner)
    fields.setdefault("name", f"合同{next(_seq)}")
    fields.setdefault("number", f"HT-T-{next(_seq):05d}")
    fields.setdefault("status", ContractStatus.SIGNED)
    return Contract.objects.create(tenant=tenant, owner=owner, account=account, amount=amount, **fields)


def make_milestone(contract, amount, **fields) -> PaymentMilestone:
    fields.setdefault("name", f"第{next(_seq)}期")
    fields.setdefault("due_rule", DueRule.ON_DATE)
    fields.setdefault("due_on", timezone.localdate())
    return PaymentMilestone.objects.create(
        tenant_id=contract.tenant_id, contract=contract, amount=Decimal(amount), created_by=contract.owner, **fields
    )
