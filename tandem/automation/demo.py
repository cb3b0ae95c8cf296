"""Demo automation: PM skills, the won-deal rule pointed at the demo templates, and no replay of demo history.

Each tenant's PMs have skills, so its won-deal rule picks the least-loaded PM with the tenant's skill (弱电 in the
Chinese tenant, MEP in the English one), falling back to the rule's owner when nobody qualifies.

The demo's records are history: the events they emitted are marked handled so that starting the worker does
not turn every won demo deal into a new project. Winning a deal afterwards (on the kanban) runs the rule.
"""

from django.utils import timezone

from tandem.core import demo

SKILLS = {"pm": ["机电", "暖通", "弱电"], "pm2": ["弱电", "智能化", "消防"], "emily": ["MEP", "HVAC", "Fit-out"]}
# The skill the won-deal rule picks its PM by, per demo tenant.
PM_SKILL = {"demo": "弱电", "northwind": "MEP"}


@demo.register(90, "automation")
def load() -> None:
    from tandem.accounts.models import Membership, Tenant
    from tandem.automation.models import Channel, Rule
    from tandem.automation.services.defaults import WON_DEAL_KEY, rules_install_defaults, template_map
    from tandem.core.models import OutboxEvent

    for tenant in Tenant.objects.filter(slug__in=["demo", "northwind"]):
        rules_install_defaults(tenant=tenant)
        for username, skills in SKILLS.items():
            Membership.objects.filter(tenant=tenant, user__username=username, skills=[]).update(skills=skills)
        rule = Rule.objects.filter(tenant=tenant, key=WON_DEAL_KEY).select_related("current_version").first()
        if rule is not None and rule.version == 1:
            # The rule was installed with the tenant, before its templates existed: point version 1 at them.
            actions = rule.actions
            actions[0]["params"]["template"] = template_map(tenant.pk)
            actions[0]["params"]["manager"] = {
                "strategy": "by_skill",
                "role": "pm",
                "skill": PM_SKILL[tenant.slug],
                "fallback": "rule_owner",
            }
            Rule.objects.filter(pk=rule.pk).update(actions=actions)
            type(rule.current_version).objects.filter(pk=rule.current_version_id).update(actions=actions)
        if tenant.slug == "demo" and not Channel.objects.filter(tenant=tenant).exists():
            Channel.objects.create(
                tenant=tenant,
                kind="email",
                name="工程部邮件组",
                recipients=["engineering@demo.tandem.local"],
            )
    OutboxEvent.objects.filter(tenant__slug__in=["demo", "northwind"], dispatched_at__isnull=True).update(
        dispatched_at=timezone.now()
    )
