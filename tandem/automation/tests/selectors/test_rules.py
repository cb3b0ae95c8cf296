"""The reads behind the rule pages: each within the tenant, records within the member's data scope."""

import pytest

from tandem.automation.channels.selectors import channel_choices
from tandem.automation.channels.services import channel_create, channel_update
from tandem.automation.selectors import recent_records, rule_owners, run_rules
from tandem.automation.services.rules import rule_create, rule_delete
from tandem.crm.services.accounts import account_create
from tandem.testing.kit import access_for, make_member

pytestmark = pytest.mark.django_db
NOTIFY = {"type": "notify", "params": {"recipients": ["owner"], "subject": "规则"}}


def test_recent_records_are_those_the_member_may_see(tenant, other_tenant, admin_member):
    sales, colleague = make_member(tenant, "sales"), make_member(tenant, "sales")
    mine = account_create(access=access_for(sales), name="我的客户")
    account_create(access=access_for(colleague), name="同事的客户")
    account_create(access=access_for(make_member(other_tenant, "admin")), name="别家的客户")

    assert [r["label"] for r in recent_records(access=access_for(sales))["crm.account"]] == [mine.name]
    assert {r["label"] for r in recent_records(access=access_for(admin_member))["crm.account"]} == {
        "我的客户",
        "同事的客户",
    }
    assert recent_records(access=access_for(make_member(tenant, "pm")))["crm.lead"] == []  # no right to leads


def test_rule_owners_are_the_active_members_of_the_tenant(tenant, other_tenant, admin_member):
    gone = make_member(tenant, "sales")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    make_member(other_tenant, "admin")
    owners = rule_owners(access=access_for(admin_member))
    assert {m.tenant_id for m in owners} == {tenant.pk}
    assert gone not in owners and admin_member in owners


def test_run_rules_keep_deleted_rules_for_the_filter(tenant, other_tenant, admin_member):
    access = access_for(admin_member)
    rule = rule_create(access=access, name="已删除的规则", trigger_type="manual", model="crm.deal", actions=[NOTIFY])
    rule_delete(access=access, rule=rule)
    names = list(run_rules(access=access).values_list("name", flat=True))
    assert "已删除的规则" in names
    assert not run_rules(access=access).exclude(tenant=tenant).exists()


def test_channel_choices_are_the_enabled_channels_of_the_tenant(tenant, other_tenant, admin_member):
    access = access_for(admin_member)
    on = channel_create(access=access, kind="email", name="工程部", recipients=["pm@example.com"])
    off = channel_create(access=access, kind="email", name="财务部", recipients=["fin@example.com"])
    channel_update(access=access, channel=off, enabled=False)
    channel_create(
        access=access_for(make_member(other_tenant, "admin")), kind="email", name="别家", recipients=["x@example.com"]
    )
    assert list(channel_choices(access=access)) == [on]
