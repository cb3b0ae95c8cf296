"""Demo approval flows (crm's, since the approvals app is a platform app that imports no crm): contracts in both
demo tenants go to the department manager, and from 50万 on to the general manager as well, with finance CC'd;
one big contract waits for the general manager (`owner`), a smaller one waits for the sales director
(`salesmgr`), and one is approved.

Written through the services, as the people would have; nothing is written once the tenant has a contract flow,
so running `tandem demo` again is safe.
"""

from __future__ import annotations

from decimal import Decimal

from tandem.core import demo

TEXTS = {
    "demo": {
        "flow": "合同审批",
        "description": "50万及以上：部门经理 → 总经理；以下：部门经理。财务抄送。",
        "big": "≥ 50万",
        "other": "其他",
        "manager": "部门经理",
        "gm": "总经理",
        "contracts": [
            ("青岛长江置业·二期机电安装", "1280000.00", "请张总审批，付款节点按三期。", True),
            ("城东社区医院弱电维保", "186000.00", "年度维保续签。", True),
            ("滨江写字楼空调改造", "96000.00", "已与客户确认报价。", False),
        ],
        "approve": "同意，注意回款节点。",
    },
    "northwind": {
        "flow": "Contract approval",
        "description": "From 500,000: department manager, then the managing director; below: department manager. "
        "Finance is CC'd.",
        "big": "500,000 and more",
        "other": "Other",
        "manager": "Department manager",
        "gm": "Managing director",
        "contracts": [
            ("Harbour View Tower MEP fit-out", "860000.00", "Three payment stages as agreed.", True),
            ("Riverside clinic maintenance 2027", "64000.00", "Annual renewal.", True),
        ],
        "approve": "Approved; keep an eye on the retention.",
    },
}


def definition(texts: dict) -> dict:
    manager = {
        "key": "manager",
        "name": texts["manager"],
        "kind": "approve",
        "approvers": {"type": "manager", "level": 1},
        "mode": "any",
        "cc": [{"type": "role", "role": "finance"}],
        "on_empty": "admin",
        "on_self": "auto_approve",
    }
    gm = {"key": "gm", "name": texts["gm"], "kind": "approve", "approvers": {"type": "role", "role": "owner"}}
    return {
        "branches": [
            {
                "key": "big",
                "name": texts["big"],
                "priority": 1,
                "condition": {"all": [{"field": "amount", "op": "gte", "value": "500000"}]},
                "nodes": [manager, gm],
            },
            {"key": "other", "name": texts["other"], "priority": 99, "condition": None, "nodes": [manager]},
        ],
        "restart": "first",
        "on_deactivated": "admin",
    }


def _access(tenant, user_id):
    from tandem.accounts.access import MembershipAccess
    from tandem.accounts.models import Membership

    membership = Membership.objects.select_related("tenant", "user").filter(tenant=tenant, user_id=user_id).first()
    return MembershipAccess(membership) if membership else None


def _decide_first_node(approval, texts) -> None:
    from tandem.approvals.selectors import open_task_for
    from tandem.approvals.services import approval_approve

    for task in approval.tasks.filter(kind="approve", status="pending"):
        access = _access(approval.tenant, task.assignee_id)
        if open_task_for(approval, task.assignee_id) is not None:
            approval_approve(access=access, task=task, comment=texts["approve"])


def _load(tenant) -> None:
    from tandem.accounts.models import Membership
    from tandem.approvals.models import Flow
    from tandem.approvals.services import approval_submit, flow_create
    from tandem.crm.models import Account
    from tandem.crm.services.contracts import contract_create

    texts = TEXTS[tenant.slug]
    admin = Membership.objects.filter(tenant=tenant, roles__key="owner").select_related("user").first()
    rep = Membership.objects.filter(tenant=tenant, user__username="sales").select_related("user").first()
    if admin is None or rep is None or Flow.objects.filter(tenant=tenant, object_type="crm.contract").exists():
        return
    flow_create(
        access=_access(tenant, admin.user_id),
        object_type="crm.contract",
        name=texts["flow"],
        description=texts["description"],
        definition=definition(texts),
    )
    rep_access = _access(tenant, rep.user_id)
    accounts = list(Account.objects.filter(tenant=tenant, owner=rep.user).order_by("pk")[: len(texts["contracts"])])
    if not accounts:
        return
    # (name, amount, comment, whether the department manager already approved it)
    for i, (name, amount, comment, decide_first) in enumerate(texts["contracts"]):
        contract = contract_create(
            access=rep_access, account=accounts[i % len(accounts)], name=name, amount=Decimal(amount)
        )
        approval = approval_submit(access=rep_access, obj=contract, comment=comment)
        if decide_first:
            # The department manager decided: the big one now waits for the general manager, the other is approved.
            _decide_first_node(approval, texts)


@demo.register(45, "approval flows")
def load() -> None:
    from tandem.accounts.models import Tenant

    for tenant in Tenant.objects.filter(slug__in=list(TEXTS)):
        _load(tenant)
