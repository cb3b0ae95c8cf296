"""A small company for automation tests: sales, two PMs with skills, a template, a customer, a deal, a contract."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal

from tandem.accounts.models import Membership
from tandem.automation.services.defaults import WON_DEAL_KEY, template_map
from tandem.testing.kit import access_for, make_member

_seq = itertools.count(1)


@dataclass
class HandoffWorld:
    tenant: object
    admin: Membership
    sales: Membership
    pm_light: Membership
    pm_busy: Membership
    admin_access: object
    sales_access: object
    account: object
    contact: object
    deal: object
    contract: object
    template: object

    def more_deals(self, n: int) -> list:
        from tandem.crm.services.deals import deal_create

        return [
            deal_create(
                access=self.sales_access,
                name=f"增补项目{next(_seq)}",
                account=self.account,
                amount=Decimal("120000"),
                deal_type="installation",
            )
            for _ in range(n)
        ]


TEMPLATE_TASKS = [
    {"key": 1, "name": "深化设计", "duration": 480 * 3, "duration_unit": "days", "role": "pm"},
    {"key": 2, "name": "弱电桥架安装", "duration": 480 * 5, "duration_unit": "days", "role": "foreman"},
    {"key": 3, "name": "系统调试", "duration": 480 * 2, "duration_unit": "days"},
    {"key": 4, "name": "竣工验收", "duration": 0, "is_milestone": True, "payment_percent": "30"},
]
TEMPLATE_LINKS = [
    {"predecessor_key": 1, "successor_key": 2, "type": "FS", "lag": 0},
    {"predecessor_key": 2, "successor_key": 3, "type": "FS", "lag": 0},
    {"predecessor_key": 3, "successor_key": 4, "type": "FS", "lag": 0},
]


def handoff_world(tenant) -> HandoffWorld:
    from tandem.automation.models import Rule
    from tandem.automation.services.rules import rule_update
    from tandem.crm.services.accounts import account_create
    from tandem.crm.services.contacts import contact_create
    from tandem.crm.services.contracts import contract_create, contract_sign
    from tandem.crm.services.deals import deal_create
    from tandem.projects.services.projects import project_create
    from tandem.projects.services.templates import template_define

    admin = make_member(tenant, "admin", display_name="李敏")
    sales = make_member(tenant, "sales", display_name="陈晓")
    pm_light = make_member(tenant, "pm", display_name="王工")
    pm_busy = make_member(tenant, "pm", display_name="赵工")
    other_pm = make_member(tenant, "pm", display_name="孙工")
    make_member(tenant, "foreman", display_name="周德明")
    Membership.objects.filter(pk__in=[pm_light.pk, pm_busy.pk]).update(skills=["弱电", "机电"])
    Membership.objects.filter(pk=other_pm.pk).update(skills=["暖通"])
    admin_access, sales_access = access_for(admin), access_for(sales)
    # 赵工 already manages a project: the least-loaded 弱电 PM is 王工 (孙工 has no load but lacks the skill).
    project_create(access=access_for(pm_busy), name="在建项目", start_date=tenant.created_at.date())
    template = template_define(access=admin_access, name="智能化弱电模板", tasks=TEMPLATE_TASKS, links=TEMPLATE_LINKS)
    account = account_create(access=sales_access, name="杭州滨江科技有限公司")
    contact = contact_create(access=sales_access, name="周经理", mobile="13800138000", links=[(account, True)])
    deal = deal_create(
        access=sales_access,
        name="滨江园区智能化",
        account=account,
        contact=contact,
        amount=Decimal("900000"),
        deal_type="installation",
    )
    contract = contract_create(
        access=sales_access,
        deal=deal,
        amount=Decimal("880000"),
        periods=[
            {"name": "预付款", "percent": Decimal("30"), "due_rule": "on_date", "due_on": "2026-12-31"},
            {"name": "进度款", "percent": Decimal("40"), "due_rule": "on_date", "due_on": "2027-03-31"},
            {"name": "验收款", "percent": Decimal("30"), "due_rule": "on_milestone", "project_milestone": "竣工验收"},
        ],
    )
    contract_sign(access=sales_access, contract=contract)
    rule = Rule.objects.get(tenant=tenant, key=WON_DEAL_KEY)
    actions = rule.actions
    actions[0]["params"]["template"] = template_map(tenant.pk)
    actions[0]["params"]["manager"] = {"strategy": "by_skill", "role": "pm", "skill": "弱电"}
    rule_update(access=admin_access, rule=rule, actions=actions)
    return HandoffWorld(
        tenant, admin, sales, pm_light, pm_busy, admin_access, sales_access, account, contact, deal, contract, template
    )
